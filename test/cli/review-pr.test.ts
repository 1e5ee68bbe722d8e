/**
 * `npm run review:pr` end to end, as the workflow runs it: a temporary git
 * repository of this project with a deployments/ spec, a base commit checked
 * out beside it, and head commits that move the backup abroad or within the
 * jurisdiction, break a spec or reuse a stack name. Then the workflow that
 * wires the script to GitHub.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Log } from 'sarif';
import { parse } from 'yaml';
import { GITHUB_COMMENT_LIMIT, REVIEW_ARTIFACT, REVIEW_MARKER } from '../../constructs/report';
import { REVIEW_FILES } from '../../cli/pr/review-checkouts';

const ROOT = resolve(__dirname, '..', '..');
const SPEC = 'deployments/ministry-de.yaml';
const DE_BACKUP = 'https://fsn1.your-objectstorage.com';

interface Run { readonly status: number | null; readonly stdout: string; readonly stderr: string; readonly out: string }

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=Review Test', '-c', 'user.email=review@test.example', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });

/** A git repository of this project's files (as they are now), its node_modules linked, with one spec in deployments/, committed. */
function projectRepository(dir: string): string {
  const repo = join(dir, 'repo');
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    cpSync(join(ROOT, file), join(repo, file), { dereference: false });
  }
  rmSync(join(repo, 'deployments'), { recursive: true, force: true });
  mkdirSync(join(repo, 'deployments'));
  writeFileSync(join(repo, SPEC), readFileSync(join(ROOT, 'test', 'fixtures', 'agency-de.yaml'), 'utf8').replace('name: agency-de', 'name: ministry-de'));
  symlinkSync(join(ROOT, 'node_modules'), join(repo, 'node_modules'));
  git(repo, 'init', '-q', '-b', 'main');
  // A linked node_modules is no folder to .gitignore's `node_modules/`.
  writeFileSync(join(repo, '.git', 'info', 'exclude'), 'node_modules\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'base');
  return repo;
}

/** The base commit checked out beside the repository, as the workflow checks it out. */
function baseCheckout(repo: string, dir: string): string {
  const base = join(dir, 'base');
  git(repo, 'worktree', 'add', '-q', '--detach', base, 'HEAD');
  symlinkSync(join(ROOT, 'node_modules'), join(base, 'node_modules'));
  return base;
}

let dir: string;
let repo: string;
let base: string;
let runs = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'desk-review-pr-'));
  repo = projectRepository(dir);
  base = baseCheckout(repo, dir);
});

/** Commits the head (files relative to the repository; null removes one), then runs the base's review:pr on it, as the workflow does. */
function reviewHead(files: Record<string, string | null>, ...flags: string[]): Run {
  git(repo, 'checkout', '-q', '--force', '-B', 'pull-request', 'main');
  for (const [file, text] of Object.entries(files)) {
    if (text === null) rmSync(join(repo, file));
    else writeFileSync(join(repo, file), text);
  }
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'head', '--allow-empty');
  const out = join(dir, `out-${++runs}`);
  const r = spawnSync('npm', ['run', '--silent', 'review:pr', '--', '--base', '.', '--head', repo, '--out', out, ...flags], { cwd: base, encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, out };
}

const read = (run: Run, file: keyof typeof REVIEW_FILES) => readFileSync(join(run.out, REVIEW_FILES[file]), 'utf8');
/** The spec as the base has it. */
const spec = () => git(repo, 'show', `main:${SPEC}`);
const withBackup = (endpoint: string) => spec().replace(`endpoint: ${DE_BACKUP}`, `endpoint: ${endpoint}`);

describe('review:pr on a base and a head commit', () => {
  it('fails (exit 1) if the head moves a backup abroad: the comment fits, names the new errors and the spec', () => {
    const r = reviewHead({ [SPEC]: withBackup('https://s3.us-east-1.amazonaws.com') }, '--details-url', 'https://github.com/o/r/actions/runs/42');
    expect(r.stderr).toMatch(/^review:pr: FAIL: the head adds \d+ error findings the base does not have \(ministry-de \(deployments\/ministry-de\.yaml\): \d+\); each finding names its fix$/m);
    expect(r.status).toBe(1);
    const comment = read(r, 'comment');
    expect(comment.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(comment.startsWith(`${REVIEW_MARKER}\n`)).toBe(true);
    expect(comment).toMatch(/\*\*FAIL\*\*: the head adds \d+ error findings in 1 of 2 stacks\./);
    expect(comment).toContain('| `agency-de` | `stacks/default-deployment.yaml` | unchanged | PASS | 0 | 0 | 0 | 0 / 0 / 0 | 0 / 0 / 0 |');
    expect(comment).toMatch(/\| `ministry-de` \| `deployments\/ministry-de\.yaml` \| changed \| FAIL \| [1-9]\d* \|/);
    expect(comment).toContain('- **new error** `SD-RESIDENCY` at `Workplace/VolumeBackups/Backup`: volume backups (Velero, s3://agency-de-backups/velero, 30 days) is outside the jurisdiction: data in US (AWS us-east-1, N. Virginia)');
    expect(comment).toContain(`- **moved** backup \`Workplace/VolumeBackups/Backup\`: ${DE_BACKUP}: DE`);
    expect(comment).toContain('[this run](<https://github.com/o/r/actions/runs/42>)');
    // The full review has the resources; the SARIF points at the spec's line.
    expect(read(r, 'summary')).toContain('- changed `helm_release.Workplace_VolumeBackups_Velero_Release_');
    const sarif = JSON.parse(read(r, 'sarif')) as Log;
    expect(sarif.runs).toHaveLength(1);
    const residency = sarif.runs[0].results?.find((x) => x.ruleId === 'SD-RESIDENCY');
    const line = spec().split('\n').findIndex((l) => l.includes(`endpoint: ${DE_BACKUP}`)) + 1;
    expect(residency?.locations?.[0].physicalLocation).toEqual({ artifactLocation: { uri: SPEC }, region: { startLine: line } });
    expect(JSON.parse(read(r, 'result'))).toMatchObject({ exitCode: 1, problems: [] });
  });

  it('passes (exit 0) if the head moves the backup to another place in the jurisdiction, showing the move', () => {
    const r = reviewHead({ [SPEC]: withBackup('https://nbg1.your-objectstorage.com') });
    expect(r.stdout).toContain('review:pr: PASS: no new error findings in 2 stacks');
    expect(r.status).toBe(0);
    const comment = read(r, 'comment');
    expect(comment).toContain('**PASS**: no new error findings in 2 stacks.');
    expect(comment).toContain(`- **moved** backup \`Workplace/VolumeBackups/Backup\`: ${DE_BACKUP}: DE (Hetzner fsn1, Falkenstein) → https://nbg1.your-objectstorage.com: DE (Hetzner nbg1, Nuremberg)`);
    expect(comment).not.toContain('**new error**');
    expect((JSON.parse(read(r, 'sarif')) as Log).runs[0].results?.filter((x) => x.level === 'error')).toEqual([]);
  });

  it("fails (exit 1) if the head turns the rules off and moves the backup abroad: the base's code proves the head's configuration again", () => {
    const rules = readFileSync(join(repo, 'constructs/policy/rules/index.ts'), 'utf8');
    const r = reviewHead({
      'constructs/policy/rules/index.ts': rules.replace(/export const ALL_RULES: readonly Rule\[\] = \[[^\]]*\];/, 'export const ALL_RULES: readonly Rule[] = [];'),
      [SPEC]: withBackup('https://s3.us-east-1.amazonaws.com'),
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^review:pr: FAIL: the head adds \d+ error findings the base does not have \(ministry-de \(deployments\/ministry-de\.yaml\): \d+ the head's own proof does not report\)/m);
    const comment = read(r, 'comment');
    expect(comment).toContain("### The base's proof finds errors the head's does not report");
    expect(comment).toMatch(/- `ministry-de` \(`deployments\/ministry-de\.yaml`\): `SD-RESIDENCY` at `Workplace\/VolumeBackups\/Backup`: volume backups/);
    // The head's own report says PASS: its rules are gone.
    expect(comment).toMatch(/\| `ministry-de` \| `deployments\/ministry-de\.yaml` \| changed \| PASS \| 0 \|/);
  });

  it('fails (exit 2) if a head spec is invalid or two specs share a stack name, naming the files; the rest is still reviewed', () => {
    const r = reviewHead({
      'deployments/broken.yaml': readFileSync(join(ROOT, 'test', 'fixtures', 'invalid.yaml'), 'utf8'),
      'deployments/twin.yml': spec(),
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('review:pr: could not review 2 deployments: head deployments/broken.yaml: synth failed (exit 1) before writing any file: Invalid deployment spec ');
    expect(r.stderr).toMatch(/Invalid deployment spec \S*deployments\/broken\.yaml \(3 problems\):/);
    expect(r.stderr).toContain('head deployments/ministry-de.yaml: defines stack "ministry-de", and so does deployments/twin.yml; every deployment needs its own metadata.name (the stack name): rename one of them');
    const comment = read(r, 'comment');
    expect(comment).toContain('**Could not review** 2 deployments (see below); 1 other stack was compared.');
    expect(comment).toContain('spec.profil: unknown field');
    expect(comment).toContain('| `agency-de` | `stacks/default-deployment.yaml` | unchanged | PASS |');
    expect(comment).not.toContain('`ministry-de` |');
  });
});

describe('review:pr: bad input', () => {
  const cli = (...args: string[]) => spawnSync('node', ['--import', 'tsx', 'cli/review-pr.ts', ...args], { cwd: ROOT, encoding: 'utf8' });

  it('fails (exit 2) with the usage if --base or --out is missing, or a flag is unknown', () => {
    expect(cli('--out', join(dir, 'x'))).toMatchObject({ status: 2, stderr: expect.stringContaining('review:pr: missing --base\n\nUsage: npm run review:pr') });
    expect(cli('--base', base, '--out', join(dir, 'x'), '--colour')).toMatchObject({ status: 2, stderr: expect.stringContaining("Unknown option '--colour'") });
  });

  it('fails (exit 2) if a checkout is missing or not one of this project, naming the flag and the folder', () => {
    expect(cli('--base', '/nonexistent/base', '--out', join(dir, 'x'))).toMatchObject({
      status: 2, stderr: expect.stringContaining('review:pr: --base /nonexistent/base: no such folder. Expected a checkout of this repository (the base of the pull request)'),
    });
    const empty = mkdtempSync(join(tmpdir(), 'desk-review-pr-empty-'));
    expect(cli('--base', base, '--head', empty, '--out', join(dir, 'x'))).toMatchObject({
      status: 2, stderr: expect.stringContaining(`review:pr: --head ${empty}: cdktf.json is missing, so this is not a checkout of a cdktf project.`),
    });
  });

  it('fails (exit 2) if --details-url is not an http(s) URL', () => {
    expect(cli('--base', base, '--out', join(dir, 'x'), '--details-url', 'javascript:alert(1)')).toMatchObject({
      status: 2, stderr: expect.stringContaining('review:pr: --details-url "javascript:alert(1)": scheme javascript: is not allowed'),
    });
  });
});

describe('the workflow wires review:pr to GitHub', () => {
  type Step = { name?: string; uses?: string; run?: string; if?: string; 'working-directory'?: string; with?: Record<string, string | number> };
  const workflow = parse(readFileSync(join(ROOT, '.github', 'workflows', 'sovereignty-review.yml'), 'utf8'));
  const job = workflow.jobs.review as { permissions: Record<string, string>; env: Record<string, string>; steps: Step[] };
  const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
  const uses = (action: string) => job.steps.find((s) => s.uses?.split('@')[0] === action) as Step;

  it('runs review:pr on the two checkouts and calls only npm scripts that exist', () => {
    const runs = job.steps.map((s) => s.run ?? '').join('\n');
    const used = [...runs.matchAll(/npm run (?:--silent )?([\w:-]+)/g)].map((m) => m[1]);
    expect(used).toEqual(['review:pr']);
    expect(scripts['review:pr']).toBe('tsx cli/review-pr.ts');
    // The base's code runs the review (it proves the head's configuration again).
    expect(job.steps.find((st) => st.run?.includes('review:pr'))?.['working-directory']).toBe('base');
    expect(runs).toContain('npm run --silent review:pr -- --base . --head ../head --out ../review');
  });

  it('reads only files the script writes, and names the artifact the comment points at', () => {
    const read = JSON.stringify(job.steps).match(/review\/[\w.-]+/g) ?? [];
    expect(new Set(read)).toEqual(new Set(['summary.md', 'result.json', 'comment.md', 'sovereign-desk.sarif'].map((f) => `review/${f}`)));
    for (const file of read) expect(Object.values(REVIEW_FILES)).toContain(file.replace('review/', ''));
    expect(uses('actions/upload-artifact').with?.name).toBe(REVIEW_ARTIFACT);
    expect(uses('actions/github-script').with?.script).toContain(`const marker = '${REVIEW_MARKER}';`);
  });

  it('comments and uploads SARIF only with a token that can write, never for forks', () => {
    expect(job.env.CAN_WRITE).toBe("${{ github.event.pull_request.head.repo.full_name == github.repository && github.actor != 'dependabot[bot]' }}");
    for (const action of ['actions/github-script', 'github/codeql-action/upload-sarif']) expect(uses(action).if).toContain("env.CAN_WRITE == 'true'");
    expect(uses('actions/upload-artifact').if).not.toContain('CAN_WRITE');
  });

  it('uses current actions, Node 24, npm cache, minimal permissions and cancels superseded runs', () => {
    expect(job.steps.filter((s) => s.uses).map((s) => s.uses)).toEqual([
      'actions/checkout@v6', 'actions/checkout@v6', 'actions/setup-node@v6', 'actions/upload-artifact@v7', 'actions/github-script@v8', 'github/codeql-action/upload-sarif@v4',
    ]);
    expect(uses('actions/setup-node').with).toMatchObject({ 'node-version': 24, cache: 'npm' });
    expect(workflow.permissions).toEqual({});
    expect(job.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', 'security-events': 'write', actions: 'read' });
    expect(workflow.concurrency).toEqual({ group: 'sovereignty-review-${{ github.event.pull_request.number }}', 'cancel-in-progress': true });
  });
});
