/**
 * `npm run verify -- --key <public key> <folder>`: one line per verified
 * stack and exit 0; exit 1 naming what changed or is unsigned; exit 2 with a
 * readable message on bad input, never a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../cli/verify';
import { buildReport, reportFiles, sovereigntyPredicate, writeAttestation } from '../../constructs/report';
import { evaluate } from '../../constructs/policy/engine';
import { context, placement } from '../util';

const ROOT = resolve(__dirname, '..', '..');
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const keys = mkdtempSync(join(tmpdir(), 'desk-verify-keys-'));
const PUBLIC = join(keys, 'desk-signing.pub.pem');
const PRIVATE = join(keys, 'desk-signing.pem');
writeFileSync(PUBLIC, publicKey.export({ type: 'spki', format: 'pem' }));
writeFileSync(PRIVATE, privateKey.export({ type: 'pkcs8', format: 'pem' }));

/** A signed output folder with one stack. */
function signedFolder(stack = 'agency-de'): string {
  const dir = mkdtempSync(join(tmpdir(), 'desk-verify-'));
  mkdirSync(join(dir, 'stacks', stack), { recursive: true });
  mkdirSync(join(dir, 'sovereignty'));
  writeFileSync(join(dir, 'stacks', stack, 'cdk.tf.json'), '{}\n');
  const report = buildReport(stack, evaluate([placement('database', 'stackit/eu01')], context()));
  const [json, ...others] = reportFiles(stack);
  writeFileSync(join(dir, json), JSON.stringify(report));
  for (const file of others) writeFileSync(join(dir, file), 'report\n');
  writeAttestation(dir, [`stacks/${stack}/cdk.tf.json`, ...reportFiles(stack)], sovereigntyPredicate(report, { jurisdiction: ['DE'], operators: ['DE'] }), privateKey);
  return dir;
}

function run(...args: string[]): { code: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(args, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

describe('npm run verify', () => {
  it('exits 0 and prints one line per stack when everything matches, with the signed verdict (a failing proof, signed, verifies too)', () => {
    expect(run('--key', PUBLIC, signedFolder())).toEqual({ code: 0, out: ['agency-de: verified (4 files match their signed digests; verdict fail)'], err: [] });
  });

  it('exits 1 naming the file that changed after signing', () => {
    const dir = signedFolder();
    appendFileSync(join(dir, 'stacks', 'agency-de', 'cdk.tf.json'), ' ');
    const r = run('--key', PUBLIC, dir);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([]);
    expect(r.err).toEqual([expect.stringMatching(/^verify: stacks\/agency-de\/cdk\.tf\.json differs from what was signed in sovereignty\/agency-de\.attestation\.json/)]);
  });

  it.each([
    ['no --key', [], 'verify: missing --key'],
    ['no folder', ['--key', PUBLIC], 'verify: missing the output folder'],
    ['two folders', ['--key', PUBLIC, 'a', 'b'], 'verify: one output folder, not 2'],
    ['an unknown option', ['--kye', PUBLIC], "verify: Unknown option '--kye'"],
    ['a folder that does not exist', ['--key', PUBLIC, join(keys, 'cdktf.out')], `verify: ${join(keys, 'cdktf.out')}: no such folder`],
    ['the private key', ['--key', PRIVATE, 'x'], `verify: --key ${JSON.stringify(PRIVATE)}: is a private key`],
  ])('exits 2 on bad input: %s', (_, args, message) => {
    const r = run(...(args as string[]).map((a) => (a === 'x' ? signedFolder() : a)));
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain(message);
    expect(r.err.join('\n')).not.toMatch(/^\s+at /m);
  });

  it('prints its usage with --help', () => {
    const r = run('--help');
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^Usage: npm run verify -- --key <public key PEM> <output folder>/);
  });

  it('runs as the npm script, with its exit code and no stack trace', () => {
    const dir = signedFolder();
    writeFileSync(join(dir, 'sovereignty', 'agency-de.attestation.json'), '{"payload":');
    const r = spawnSync('npm', ['run', '-s', 'verify', '--', '--key', PUBLIC, dir], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('verify: sovereignty/agency-de.attestation.json: is not JSON\n');
    expect(r.stdout).toBe('');
  });
});
