/**
 * The app command and `cdktf synth` as a platform engineer runs them: same
 * files, same exit code, readable findings, no stack trace.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const fixture = (name: string) => join(ROOT, 'test', 'fixtures', name);

interface Run { readonly status: number | null; readonly stdout: string; readonly stderr: string; readonly outdir: string }

function run(command: string, args: string[], deployment?: string): Run {
  const outdir = mkdtempSync(join(tmpdir(), 'desk-cli-'));
  const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1', FORCE_COLOR: '0' };
  delete env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  if (deployment) env.DESK_DEPLOYMENT = deployment;
  else delete env.DESK_DEPLOYMENT;
  const result = spawnSync(command, args.map((a) => a.replace('$OUT', outdir)), { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
  const strip = (s: string) => s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
  return { status: result.status, stdout: strip(result.stdout), stderr: strip(result.stderr), outdir };
}

const app = (deployment?: string) => run('node', ['--import', 'tsx', 'main.ts'], deployment);
const stackFile = (outdir: string) => join(outdir, 'stacks', 'agency-de', 'cdk.tf.json');

describe('app command, run directly', () => {
  it('synthesizes the default deployment and passes', () => {
    const r = app();
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('agency-de: sovereignty PASS: 0 errors, 0 warnings, 0 suppressed');
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
    expect(r.stderr).toMatch(/agency-de: sovereignty FAIL: \d+ errors, 0 warnings/);
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

describe('cdktf synth', () => {
  it('behaves like the app command: same files, exit code and findings', () => {
    const cli = run(join(ROOT, 'node_modules', '.bin', 'cdktf'), ['synth', '--output', '$OUT'], fixture('backup-us.yaml'));
    const direct = app(fixture('backup-us.yaml'));
    expect(cli.status).toBe(1);
    const output = cli.stdout + cli.stderr;
    expect(output).toContain('ERROR [agency-de/Workplace/VolumeBackups/Backup]: SD-RESIDENCY Data stays in the jurisdiction');
    expect(output).toContain('    value:        https://s3.us-east-1.amazonaws.com (spec.backup.endpoint)');
    expect(output).not.toMatch(/^\s+at /m);
    expect(readFileSync(stackFile(cli.outdir), 'utf8')).toBe(readFileSync(stackFile(direct.outdir), 'utf8'));
  });
});
