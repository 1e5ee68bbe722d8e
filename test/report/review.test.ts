import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { App, Testing } from 'cdktf';
import { SovereigntyReport, changedPaths, readSynthDir, renderReview, review, reviewExitCode } from '../../constructs/report';
import { addFleet } from '../../stacks/fleet-app';
import { loadFleet } from '../../stacks/load-deployment';
import { WorkplaceStack } from '../../stacks/workplace-stack';
import { deployment, synth } from '../util';

const ROOT = resolve(__dirname, '..', '..');

function synthDir(spec: Parameters<typeof deployment>[0] = {}, extra?: (stack: WorkplaceStack) => void): string {
  const stack = new WorkplaceStack(Testing.app(), 'agency-de', { deployment: deployment(spec), terminal: false });
  extra?.(stack);
  return synth(stack).outdir;
}

const base = synthDir();
const cli = (...args: string[]) => spawnSync('node', ['--import', 'tsx', 'cli/review.ts', ...args], { cwd: ROOT, encoding: 'utf8' });

describe('review of two synth outputs', () => {
  it('says "no changes" for identical directories, exit 0', () => {
    const reviews = review(readSynthDir(base, '--base'), readSynthDir(synthDir(), '--head'));
    expect(renderReview(reviews)).toContain('No changes: the synthesized configuration and the placements are identical.');
    expect(reviewExitCode(reviews)).toBe(0);
  });

  it('lists added, removed and changed resources with attribute paths, grouped by app', () => {
    const head = synthDir({ apps: ['identity', 'files', 'office', 'mail'], backup: { endpoint: 'https://fsn1.your-objectstorage.com', bucket: 'agency-de-backups', retentionDays: 14 } }, (stack) => {
      new ConfigMapV1(stack, 'TeamNotes', { metadata: { name: 'notes', namespace: 'default' }, data: { a: 'b' } });
    });
    const [r] = review(readSynthDir(base, '--base'), readSynthDir(head, '--head'));
    expect(r.resources).toContainEqual({ address: expect.stringMatching(/^kubernetes_config_map_v1\.TeamNotes/), app: 'team', change: 'added', paths: [] });
    expect(r.resources).toContainEqual(expect.objectContaining({ address: expect.stringMatching(/^helm_release\.Workplace_Chat_MatrixStack/), app: 'chat', change: 'removed' }));
    expect(r.resources).toContainEqual(expect.objectContaining({
      address: expect.stringMatching(/^helm_release\.Workplace_FilesDatabase/), app: 'files', change: 'changed', paths: ['values[0]:backups.retentionPolicy'],
    }));
    const comment = renderReview([r]);
    expect(comment).toContain('<details><summary><b>chat</b>: 0 added, 0 changed, ');
    expect(comment).toMatch(/- removed `helm_release\.Workplace_Chat_MatrixStack/);
  });

  it('shows a moved placement with both locations, the new findings, and exits 1', () => {
    const head = synthDir({ backup: { endpoint: 'https://s3.us-east-1.amazonaws.com', bucket: 'agency-de-backups' } });
    const reviews = review(readSynthDir(base, '--base'), readSynthDir(head, '--head'));
    const comment = renderReview(reviews);
    expect(comment).toContain('- **moved** backup `Workplace/VolumeBackups/Backup` (`spec.backup.endpoint`): https://fsn1.your-objectstorage.com: DE (Hetzner fsn1, Falkenstein) → https://s3.us-east-1.amazonaws.com: US (AWS us-east-1, N. Virginia)');
    expect(comment).toMatch(/- \*\*new error\*\* `SD-RESIDENCY` at `Workplace\/VolumeBackups\/Backup`/);
    expect(reviewExitCode(reviews)).toBe(1);
    // Reverting the change resolves them.
    const back = renderReview(review(readSynthDir(head, '--base'), readSynthDir(base, '--head')));
    expect(back).toMatch(/- \*\*resolved\*\* `SD-RESIDENCY` at `Workplace\/VolumeBackups\/Backup`/);
  });

  it('lists new suppressions with their reasons', () => {
    const head = synthDir({ state: { backend: 'local' }, suppressions: [{ rule: 'SD-STATE', reason: 'trial run on a laptop, no real data' }] });
    const comment = renderReview(review(readSynthDir(base, '--base'), readSynthDir(head, '--head')));
    expect(comment).toContain('- **new suppression** `SD-STATE` at `Spec/State`');
    expect(comment).toContain('Reason: trial run on a laptop, no real data');
  });

  it('compares Helm values key by key and never prints values', () => {
    expect(changedPaths({ values: ['a:\n  b: 1\n  c: secret-one\n'] }, { values: ['a:\n  b: 1\n  c: secret-two\n'] }, '')).toEqual(['values[0]:a.c']);
    const head = synthDir({ backup: { endpoint: 'https://s3.us-east-1.amazonaws.com', bucket: 'agency-de-backups' } });
    expect(renderReview(review(readSynthDir(base, '--base'), readSynthDir(head, '--head')))).not.toMatch(/random_password\.[\w-]+\.result/);
  });
});

describe('review CLI', () => {
  it('prints help', () => {
    const r = cli('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: npm run review -- --base <dir> --head <dir>');
  });

  it('fails with exit 2 and usage when an argument is missing or unknown', () => {
    expect(cli('--base', base)).toMatchObject({ status: 2, stderr: expect.stringContaining('review: missing --head') });
    expect(cli('--base', base, '--head', base, '--colour')).toMatchObject({ status: 2, stderr: expect.stringContaining("Unknown option '--colour'") });
  });

  it('fails with exit 2 and a clear message on a missing or malformed directory', () => {
    expect(cli('--base', '/nonexistent', '--head', base)).toMatchObject({
      status: 2, stderr: expect.stringContaining('review: --base /nonexistent: no such directory. Expected the output directory of a synth (cdktf.out)'),
    });
    const empty = mkdtempSync(join(tmpdir(), 'desk-review-'));
    expect(cli('--base', base, '--head', empty).stderr).toContain('manifest.json is missing: this is not the output directory of a synth');
    const broken = mkdtempSync(join(tmpdir(), 'desk-review-'));
    cpSync(base, broken, { recursive: true });
    writeFileSync(join(broken, 'manifest.json'), '{ not json');
    expect(cli('--base', base, '--head', broken)).toMatchObject({ status: 2, stderr: expect.stringContaining('manifest.json is not valid JSON') });
  });

  it('writes the comment and exits 1 when the head adds errors', () => {
    const head = synthDir({ backup: { endpoint: 'https://s3.us-east-1.amazonaws.com', bucket: 'agency-de-backups' } });
    const out = join(mkdtempSync(join(tmpdir(), 'desk-review-')), 'comment.md');
    const r = cli('--base', base, '--head', head, '--out', out);
    expect(r.status).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe(`${r.stdout.replace(/\n$/, '')}`);
  });
});

describe('review of two synth outputs with several stacks', () => {
  // One folder for both sides' specs: a tenant's placements of its Cluster's sinks name the Cluster's file.
  const specs = mkdtempSync(join(tmpdir(), 'desk-fleet-specs-'));

  /** The repository's fleet (deployments/) synthesized in one App, each file's text changed by `edit`. */
  function fleetDir(edit: (file: string, text: string) => string = (_, text) => text): string {
    for (const file of readdirSync(join(ROOT, 'deployments')).filter((f) => f.endsWith('.yaml'))) {
      writeFileSync(join(specs, file), edit(file, readFileSync(join(ROOT, 'deployments', file), 'utf8')));
    }
    const outdir = mkdtempSync(join(tmpdir(), 'desk-fleet-out-'));
    const app = new App({ outdir });
    addFleet(app, loadFleet(specs), { terminal: false });
    app.synth();
    return outdir;
  }

  it('prints a line per stack, the changed stacks first (new errors before other changes), and exits 1', () => {
    const base = fleetDir();
    const head = fleetDir((file, text) => {
      if (file === 'agency-at.yaml') return text.replace('https://s3-backup.agency-at.example', 'https://s3.us-east-1.amazonaws.com');
      if (file === 'eu-body.yaml') return text.replace('endpoint: https://fsn1.your-objectstorage.com', 'endpoint: https://nbg1.your-objectstorage.com');
      return text;
    });
    const r = cli('--base', base, '--head', head);
    expect(r.status).toBe(1);
    const lines = r.stdout.split('\n').filter((l) => /^- (\*\*(PASS|FAIL)\*\*|—) `/.test(l));
    expect(lines.map((l) => /`([\w-]+)`/.exec(l)?.[1])).toEqual(['agency-at', 'eu-body', 'agency-de', 'shared-de']);
    expect(lines[0]).toMatch(/^- \*\*FAIL\*\* `agency-at`: changed; [1-9]\d* errors, \d+ warnings, \d+ placements; new: \*\*[1-9]\d* errors\*\*, \d+ warnings?, \d+ resolved; placements: [1-9]\d* moved; resources: [1-9]\d* changed$/);
    expect(lines[1]).toMatch(/^- \*\*PASS\*\* `eu-body`: changed; 0 errors, \d+ warnings, \d+ placements; new: 0 errors, \d+ warnings?, \d+ resolved; placements: [1-9]\d* moved; resources: [1-9]\d* changed$/);
    expect(lines[2]).toMatch(/^- \*\*PASS\*\* `agency-de`: unchanged; 0 errors, \d+ warnings, \d+ placements$/);
    expect(r.stdout).toContain('### Stacks: 2 changed, 2 unchanged');
    // Only the changed stacks in full, in the same order.
    expect(r.stdout.match(/^### Stack `[\w-]+`/gm)).toEqual(['### Stack `agency-at`', '### Stack `eu-body`']);
  }, 60_000);
});

describe('the example of docs/review.md', () => {
  it('is the review the command prints for the two fixtures', () => {
    const dir = (spec: string) => {
      const outdir = mkdtempSync(join(tmpdir(), 'desk-example-'));
      spawnSync('node', ['scripts/app.cjs'], {
        cwd: ROOT, encoding: 'utf8', env: { ...process.env, DESK_DEPLOYMENT: spec, CDKTF_OUTDIR: outdir, CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: '' },
      });
      return outdir;
    };
    const comment = renderReview(review(readSynthDir(dir('test/fixtures/agency-de.yaml'), '--base'), readSynthDir(dir('test/fixtures/backup-us.yaml'), '--head')));
    const readme = readFileSync(join(ROOT, 'docs', 'review.md'), 'utf8');
    const embedded = readme.split('<!-- review-example:start -->\n````markdown\n')[1].split('\n````\n<!-- review-example:end -->')[0];
    expect(embedded).toBe(comment.trimEnd());
  }, 60_000);
});

describe('the review of key custody', () => {
  const report = (custody: 'client-side' | 'none') => ({
    stack: 'agency-de', verdict: 'pass', placements: [{
      kind: 'backup', owner: 'Workplace/VolumeBackups/Backup', app: 'platform', target: 'https://fsn1.your-objectstorage.com', field: 'spec.backup.endpoint',
      description: 'volume backups', countries: ['DE'], operator: 'DE', parent: 'DE', place: 'Hetzner fsn1', proof: 'catalogue', evidence: 'catalogue', status: 'ok',
      keyCustody: { custody, readable: custody === 'none' ? 'everything' : 'ciphertext' },
    }],
    findings: [], suppressed: [], capacity: { apps: [], total: {} },
  }) as unknown as SovereigntyReport;
  const stacks = (custody: 'client-side' | 'none') => new Map([['agency-de', { resources: {}, report: report(custody) }]]);

  it('shows a copy whose keys changed hands, in the comment', () => {
    const [r] = review(stacks('client-side'), stacks('none'));
    expect(r.status).toBe('changed');
    expect(r.custodyChanged.map((c) => [c.placement.owner, c.from, c.to])).toEqual([['Workplace/VolumeBackups/Backup', 'client-side', 'none']]);
    expect(renderReview([r])).toContain('- **keys changed** backup `Workplace/VolumeBackups/Backup`: client-side → none');
  });

  it('shows nothing when the custody stays the same (not applicable)', () => {
    const [r] = review(stacks('client-side'), stacks('client-side'));
    expect(r.custodyChanged).toEqual([]);
    expect(r.status).toBe('unchanged');
  });
});
