/**
 * The app command and `cdktf synth` as a platform engineer runs them: same
 * files, same exit code, readable findings, no stack trace.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const fixture = (name: string) => join(ROOT, 'test', 'fixtures', name);

interface Run { readonly status: number | null; readonly stdout: string; readonly stderr: string; readonly outdir: string }

function run(command: string, args: string[], deployment?: string, extra: NodeJS.ProcessEnv = {}): Run {
  const outdir = mkdtempSync(join(tmpdir(), 'desk-cli-'));
  const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1', FORCE_COLOR: '0' };
  // As a person's shell has them: no CI variable (unless a test sets one), no leftovers of a cdktf run.
  for (const name of ['CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS', 'CDKTF_CONTEXT_JSON', 'CI', 'DESK_SIGNING_KEY']) delete env[name];
  // cdktf runs `terraform version`, which warns (four times) about a CLI configuration file that does not exist.
  if (env.TF_CLI_CONFIG_FILE && !existsSync(env.TF_CLI_CONFIG_FILE)) delete env.TF_CLI_CONFIG_FILE;
  Object.assign(env, extra);
  if (deployment) env.DESK_DEPLOYMENT = deployment;
  else delete env.DESK_DEPLOYMENT;
  const result = spawnSync(command, args.map((a) => a.replace('$OUT', outdir)), { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
  const strip = (s: string) => s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
  return { status: result.status, stdout: strip(result.stdout), stderr: strip(result.stderr), outdir };
}

const app = (deployment?: string) => run('node', ['scripts/app.cjs'], deployment);
const stackFile = (outdir: string) => join(outdir, 'stacks', 'agency-de', 'cdk.tf.json');

describe('app command, run directly on a fleet folder', () => {
  it('fails if one file of the folder is invalid: its problems name the file, the other stacks are synthesized and printed, exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-cli-fleet-'));
    for (const file of ['shared-de.yaml', 'agency-de.yaml', 'agency-at.yaml']) copyFileSync(join(ROOT, 'deployments', file), join(dir, file));
    writeFileSync(join(dir, 'agency-at.yaml'), readFileSync(join(dir, 'agency-at.yaml'), 'utf8').replace('jurisdiction: AT', 'jurisdiction: Austria'));
    const r = app(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Invalid deployment spec \S*agency-at\.yaml \(1 problem\):\n  spec\.jurisdiction:/);
    expect(`${r.stdout}${r.stderr}`).toMatch(/shared-de: sovereignty PASS: 0 errors, \d+ warnings, 0 suppressed/);
    expect(`${r.stdout}${r.stderr}`).toMatch(/agency-de: sovereignty PASS: 0 errors, \d+ warnings, 0 suppressed/);
    expect(existsSync(join(r.outdir, 'stacks', 'agency-de', 'cdk.tf.json'))).toBe(true);
    expect(existsSync(join(r.outdir, 'stacks', 'agency-at'))).toBe(false);
    expect(JSON.parse(readFileSync(join(r.outdir, 'manifest.json'), 'utf8')).stacks['agency-de'].dependencies).toEqual(['shared-de']);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('app command, run directly', () => {
  it('synthesizes the default deployment and passes', () => {
    const r = app();
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('agency-de: sovereignty PASS: 0 errors, 8 warnings, 0 suppressed');
    expect(existsSync(stackFile(r.outdir))).toBe(true);
  });

  it('fails if the backup endpoint is https://s3.us-east-1.amazonaws.com, writing files and readable findings', () => {
    const r = app(fixture('backup-us.yaml'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('ERROR [agency-de/Workplace/VolumeBackups/Backup]: SD-RESIDENCY Data stays in the jurisdiction: volume backups (Velero, s3://agency-de-backups/velero, 30 days) is outside the jurisdiction: data in US (AWS us-east-1, N. Virginia); operator US');
    expect(r.stderr).toContain('    value:        https://s3.us-east-1.amazonaws.com (spec.backup.endpoint)');
    expect(r.stderr).toContain('    bounds:       data DE; operators EU (27 countries); profile sovereign');
    expect(r.stderr).toMatch(/fix: +set spec\.backup\.endpoint to a location in DE, e\.g\. https:\/\//);
    expect(r.stderr).toContain('ERROR [agency-de/Workplace/VolumeBackups/Backup]: SD-OPERATOR');
    expect(r.stderr).toContain('ERROR [agency-de/Workplace/Mail/MailStore]: SD-BACKUP Every data store is backed up inside the jurisdiction: the backup of mail store');
    expect(r.stderr).toMatch(/agency-de: sovereignty FAIL: \d+ errors, \d+ warnings/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(stackFile(r.outdir))).toBe(true);
  });

  it('fails if the spec is invalid, listing every problem without a stack trace', () => {
    const r = app(fixture('invalid.yaml'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('(3 problems)');
    expect(r.stderr).toContain('spec.profil: unknown field');
    expect(r.stderr).toContain('spec.tls.acme: scheme http:// is not allowed here');
    expect(r.stderr).toContain('fix:     did you mean "stackit/eu01"?');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(stackFile(r.outdir))).toBe(false);
  });

  it('fails if DESK_DEPLOYMENT names a missing file', () => {
    const r = app('/nonexistent/desk.yaml');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('DESK_DEPLOYMENT: file not found');
  });
});

/** The lines a person reads: colours and empty lines removed. */
const lines = (r: Run) => `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.trim() !== '');
/** `npm run synth`, with stdout a pipe (as in CI logs) and no CI variable set. */
const npmSynth = (deployment?: string) => run('npm', ['run', '--silent', 'synth', '--', '--output', '$OUT'], deployment);

describe('cdktf synth', () => {
  it('behaves like the app command: same files, exit code and findings, each finding printed once', () => {
    const cli = npmSynth(fixture('backup-us.yaml'));
    const direct = app(fixture('backup-us.yaml'));
    expect(cli.status).toBe(1);
    const output = cli.stdout + cli.stderr;
    expect(output).toContain('ERROR [agency-de/Workplace/VolumeBackups/Backup]: SD-RESIDENCY Data stays in the jurisdiction');
    expect(output).toContain('    value:        https://s3.us-east-1.amazonaws.com (spec.backup.endpoint)');
    expect(output).not.toMatch(/^\s+at /m);
    expect(output).not.toContain('[ERROR] default');
    const findings = lines(cli).filter((l) => l.startsWith('ERROR ['));
    expect(new Set(findings).size).toBe(findings.length);
    expect(findings).toEqual(lines(direct).filter((l) => l.startsWith('ERROR [')));
    expect(output).toMatch(new RegExp(`agency-de: sovereignty FAIL: ${findings.length} errors, \\d+ warnings, 0 suppressed`));
    expect(readFileSync(stackFile(cli.outdir), 'utf8')).toBe(readFileSync(stackFile(direct.outdir), 'utf8'));
  });

  it('prints a handful of lines for a passing synth when stdout is not a terminal (no spinner frames)', () => {
    const r = npmSynth();
    expect(r.status).toBe(0);
    // The warnings: SD-KEY-CUSTODY of the copies whose keys the provider holds, four lines each.
    expect(lines(r).filter((l) => l.startsWith('WARN ['))).toHaveLength(8);
    expect(lines(r).filter((l) => !/^(WARN \[|    )/.test(l))).toEqual([
      expect.stringMatching(/^agency-de: sovereignty PASS: 0 errors, 8 warnings, 0 suppressed, \d+ placements/),
      expect.stringMatching(/^agency-de: Terraform state \(holds every generated secret\): /),
      'attestation: not signed (DESK_SIGNING_KEY is not set; see docs/attestation.md)',
      'Generated Terraform code for the stacks: agency-de',
    ]);
  });
});

describe('a team\'s own SovereignStack app (test/fixtures/team-app.ts)', () => {
  const TEAM_APP = 'node --import tsx test/fixtures/team-app.ts';
  const verdict = 'team-stack: sovereignty PASS: 0 errors, 4 warnings, 0 suppressed, 4 placements (data DE; operators EU (27 countries); profile sovereign)';

  it('run directly, passes with warnings: the warnings, the verdict counting them and the state location', () => {
    const r = run('node', ['--import', 'tsx', 'test/fixtures/team-app.ts']);
    expect(r.status).toBe(0);
    expect(lines(r).filter((l) => l.startsWith('WARN ['))).toHaveLength(4);
    expect(lines(r).slice(-3)).toEqual([
      verdict,
      expect.stringMatching(/^team-stack: Terraform state \(holds every generated secret\): .*data in DE/),
      'attestation: not signed (DESK_SIGNING_KEY is not set; see docs/attestation.md)',
    ]);
    expect(r.stderr).toBe('');
  });

  it('under cdktf synth prints the same lines once each', () => {
    const cli = run(join(ROOT, 'node_modules', '.bin', 'cdktf'), ['synth', '--app', TEAM_APP, '--output', '$OUT'], undefined, { CI: 'true' });
    const direct = run('node', ['--import', 'tsx', 'test/fixtures/team-app.ts']);
    expect(cli.status).toBe(0);
    const printed = lines(cli).filter((l) => l !== 'Generated Terraform code for the stacks: team-stack');
    expect([...printed].sort()).toEqual([...lines(direct)].sort());
  });
});
