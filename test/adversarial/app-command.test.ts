/**
 * A handful of attacks through the real app command (`node scripts/app.cjs`,
 * which runs main.ts), as a platform engineer runs it: a non-zero exit naming the
 * value on stderr, and one lawful spec that exits 0.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { DeploymentInput } from '../../constructs/deployment';
import { defaultInput } from '../util';

const ROOT = resolve(__dirname, '..', '..');

interface Run { readonly status: number | null; readonly stdout: string; readonly stderr: string }

/** Writes the default spec with `spec` fields replaced to a temp file and runs the app on it. */
function app(spec: Partial<DeploymentInput['spec']>): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'desk-adversarial-'));
  const input = defaultInput();
  const file = join(dir, 'desk.yaml');
  writeFileSync(file, stringify({ ...input, spec: { ...input.spec, ...spec } }));
  const env: NodeJS.ProcessEnv = { ...process.env, DESK_DEPLOYMENT: file, CDKTF_OUTDIR: join(dir, 'out'), CHECKPOINT_DISABLE: '1', FORCE_COLOR: '0', DESK_REPORT: 'off' };
  delete env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  return new Promise((done) => {
    const child = execFile('node', ['scripts/app.cjs'], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 }, (_error, stdout, stderr) => {
      done({ status: child.exitCode, stdout, stderr });
    });
  });
}

const AGENCY = { '*.agency.example': { country: 'DE', operator: 'DE' } };

// Started together, so that the runs share the wall-clock time.
const runs = {
  sink: app({ logging: { endpoint: 'https://logs.evil-corp.com/loki/api/v1/push' } }),
  wildcard: app({ locations: { ...AGENCY, '*.com': { country: 'DE', operator: 'DE' } } }),
  lookAlike: app({ mail: { relay: 'smtp://relay.agency.example.evil-corp.com:587', clamavMirror: 'https://clamav.agency.example' } }),
  issuer: app({ tls: { issuer: 'corp-ca' } }),
  lawful: app({ hosts: { files: 'cloud.agency.example' }, tls: { issuer: 'corp-ca', issuerServer: 'in-cluster' } }),
};

describe('the app command fails on attacks and names the value', () => {
  it.each([
    ['a log sink outside the bounds', 'sink', 'logs.evil-corp.com'],
    ['a declaration over a public suffix (spec error)', 'wildcard', '"*.com"'],
    ['a relay that only starts like a declared host', 'lookAlike', 'relay.agency.example.evil-corp.com'],
    ['an existing ClusterIssuer without issuerServer', 'issuer', 'corp-ca'],
  ] as const)('%s', async (_name, key, named) => {
    const r = await runs[key];
    expect(r.status).not.toBe(0);
    expect(r.status).not.toBeNull();
    expect(r.stderr).toContain(named);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('passes a lawful spec with exit code 0', async () => {
    const r = await runs.lawful;
    expect(r.stderr).not.toMatch(/ERROR/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/sovereignty PASS: 0 errors/);
  });
});
