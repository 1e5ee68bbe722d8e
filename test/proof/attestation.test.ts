/**
 * A SovereignStack signs its synth when DESK_SIGNING_KEY names a key: after
 * cdk.tf.json and the reports are written and checked, the attestation covers
 * the bytes on disk; without a key it says so once per process; with a key it
 * cannot use, it refuses before anything is synthesized.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App, Testing } from 'cdktf';
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { Jurisdiction } from '../../constructs/jurisdiction';
import { SovereignStack, TerminalSink } from '../../constructs/proof';
import { Envelope, KeyError, Statement, keyIdOf, verifyExitCode, verifyOutputFolder } from '../../constructs/report';
import { minimalStack, scope, synth } from '../util';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const dir = mkdtempSync(join(tmpdir(), 'desk-keys-'));
const KEY = join(dir, 'desk-signing.pem');
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
writeFileSync(KEY, PEM, { mode: 0o600 });
const PUBLIC_KEY = join(dir, 'desk-signing.pub.pem');
writeFileSync(PUBLIC_KEY, publicKey.export({ type: 'spki', format: 'pem' }));

const NOTED = Symbol.for('sovereign-desk.unsigned-noted');
const NOTE = 'attestation: not signed (DESK_SIGNING_KEY is not set; see docs/attestation.md)';

/** A terminal that keeps what is written. */
function collect(): TerminalSink & { text: () => string } {
  let text = '';
  return { out: (t) => { text += t; }, err: (t) => { text += t; }, text: () => text };
}

const envelopeOf = (outdir: string, stack = 'test') => JSON.parse(readFileSync(join(outdir, 'sovereignty', `${stack}.attestation.json`), 'utf8')) as Envelope;
const statementOf = (envelope: Envelope) => JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as Statement;

beforeEach(() => {
  delete process.env.DESK_SIGNING_KEY;
  delete (globalThis as { [NOTED]?: true })[NOTED];
});

afterAll(() => {
  delete process.env.DESK_SIGNING_KEY;
});

describe('SovereignStack: signing with DESK_SIGNING_KEY', () => {
  it('signs cdk.tf.json and the three reports as written, and the folder verifies with the public key', () => {
    process.env.DESK_SIGNING_KEY = KEY;
    const terminal = collect();
    const out = synth(minimalStack({ terminal }));
    const statement = statementOf(envelopeOf(out.outdir));
    expect(statement.subject.map((s) => s.name)).toEqual(['sovereignty/test.json', 'sovereignty/test.md', 'sovereignty/test.sarif', 'stacks/test/cdk.tf.json']);
    expect(statement.predicate).toMatchObject({ stack: 'test', verdict: 'pass', profile: 'sovereign', bounds: { jurisdiction: 'DE', operatorCountries: ['DE'] } });
    const result = verifyOutputFolder(out.outdir, publicKey);
    expect(result.problems).toEqual([]);
    expect(verifyExitCode(result)).toBe(0);
    expect(terminal.text()).toContain(`test: signed sovereignty/test.attestation.json (key ${keyIdOf(publicKey).slice(0, 16)}…)`);
    expect(terminal.text()).not.toContain('not signed');
  });

  it('writes the same bytes for the same stack and key', () => {
    process.env.DESK_SIGNING_KEY = KEY;
    const first = readFileSync(join(synth(minimalStack()).outdir, 'sovereignty', 'test.attestation.json'), 'utf8');
    expect(readFileSync(join(synth(minimalStack()).outdir, 'sovereignty', 'test.attestation.json'), 'utf8')).toBe(first);
  });

  it('signs after the written files are checked: a file added beside cdk.tf.json makes the signed verdict fail, and verify names the file', () => {
    process.env.DESK_SIGNING_KEY = KEY;
    const stack = minimalStack();
    addCustomSynthesis(scope(stack, 'Sneaky'), {
      onSynthesize: (session) => writeFileSync(join(session.outdir, 'stacks', 'test', 'exfil_override.tf.json'), '{}'),
    });
    const out = synth(stack);
    expect(statementOf(envelopeOf(out.outdir)).predicate.verdict).toBe('fail');
    const report = JSON.parse(readFileSync(join(out.outdir, 'sovereignty', 'test.json'), 'utf8')) as { findings: { ruleId: string }[] };
    expect(report.findings.map((f) => f.ruleId)).toEqual(['SD-WRITTEN']);
    expect(verifyOutputFolder(out.outdir, publicKey).problems.map((p) => p.message))
      .toEqual(['stacks/test/exfil_override.tf.json would be loaded by Terraform beside cdk.tf.json, and no attestation covers it']);
  });

  it('signs only cdk.tf.json when the stack writes no report', () => {
    process.env.DESK_SIGNING_KEY = KEY;
    const out = synth(minimalStack({ report: false }));
    expect(statementOf(envelopeOf(out.outdir)).subject.map((s) => s.name)).toEqual(['stacks/test/cdk.tf.json']);
    expect(verifyExitCode(verifyOutputFolder(out.outdir, publicKey))).toBe(0);
  });

  it('writes no key material: neither the attestation nor the terminal holds the private key', () => {
    process.env.DESK_SIGNING_KEY = KEY;
    const terminal = collect();
    const out = synth(minimalStack({ terminal }));
    const secret = (privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer).subarray(-32);
    const written = readFileSync(join(out.outdir, 'sovereignty', 'test.attestation.json'), 'utf8');
    for (const encoding of ['base64', 'hex'] as const) {
      expect(written).not.toContain(secret.toString(encoding));
      expect(terminal.text()).not.toContain(secret.toString(encoding));
    }
    expect(written).not.toContain(PEM.split('\n')[1]);
  });
});

describe('SovereignStack: without a key', () => {
  it('signs nothing and says so once per process, however many stacks and apps', () => {
    const terminals = [collect(), collect(), collect()];
    const app = Testing.app();
    const props = { jurisdiction: Jurisdiction.of('DE'), clusterLocation: 'stackit/eu01', report: false } as const;
    new SovereignStack(app, 'one', { ...props, terminal: terminals[0] });
    new SovereignStack(app, 'two', { ...props, terminal: terminals[1] });
    app.synth();
    const other = new App({ outdir: Testing.app().outdir });
    new SovereignStack(other, 'three', { ...props, terminal: terminals[2] });
    other.synth();
    const all = terminals.map((t) => t.text()).join('');
    expect(all.split('\n').filter((line) => line === NOTE)).toHaveLength(1);
    expect(all.split('\n').filter((line) => line.includes('signed'))).toEqual([NOTE]);
    for (const stack of ['one', 'two']) expect(existsSync(join(app.outdir, 'sovereignty', `${stack}.attestation.json`))).toBe(false);
  });

  it('removes the attestation an earlier signed synth left in the folder, so verify reports the stack as unsigned', () => {
    process.env.DESK_SIGNING_KEY = KEY;
    const outdir = Testing.app().outdir;
    const props = { jurisdiction: Jurisdiction.of('DE'), clusterLocation: 'stackit/eu01', terminal: false } as const;
    const signed = new App({ outdir });
    new SovereignStack(signed, 'again', props);
    signed.synth();
    expect(existsSync(join(outdir, 'sovereignty', 'again.attestation.json'))).toBe(true);
    delete process.env.DESK_SIGNING_KEY;
    const unsigned = new App({ outdir });
    new SovereignStack(unsigned, 'again', props);
    unsigned.synth();
    expect(existsSync(join(outdir, 'sovereignty', 'again.attestation.json'))).toBe(false);
    expect(verifyOutputFolder(outdir, publicKey).problems.map((p) => p.message)).toContain('stacks/again/cdk.tf.json is not signed: no attestation in sovereignty/ covers it');
  });

  it('does not print the note when the stack prints nothing', () => {
    synth(minimalStack({ terminal: false }));
    const terminal = collect();
    synth(minimalStack({ terminal }));
    expect(terminal.text().split('\n')).toContain(NOTE);
  });
});

describe('SovereignStack: a key it cannot use', () => {
  it.each([
    ['a file that does not exist', () => join(dir, 'nothing.pem'), 'no such file'],
    ['a public key', () => PUBLIC_KEY, 'is a public key'],
    ['a file that is not PEM', () => { writeFileSync(join(dir, 'notes.txt'), 'hello'); return join(dir, 'notes.txt'); }, 'is not a PEM file'],
  ])('fails if DESK_SIGNING_KEY names %s, before anything is synthesized', (_, value, problem) => {
    process.env.DESK_SIGNING_KEY = value();
    const app = Testing.app();
    const make = () => new SovereignStack(new App({ outdir: app.outdir }), 'test', { jurisdiction: Jurisdiction.of('DE'), clusterLocation: 'stackit/eu01', terminal: false });
    expect(make).toThrow(KeyError);
    expect(make).toThrow(`DESK_SIGNING_KEY=${JSON.stringify(process.env.DESK_SIGNING_KEY)}: ${problem}`);
    expect(make).toThrow('openssl genpkey -algorithm ed25519 -out desk-signing.pem');
    expect(existsSync(join(app.outdir, 'stacks', 'test'))).toBe(false);
  });
});

describe('the app command with a key it cannot use', () => {
  it('fails with one message naming DESK_SIGNING_KEY, without showing a key given as text, without a stack trace, and writes nothing', () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'desk-app-')), 'cdktf.out');
    const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir, DESK_SIGNING_KEY: PEM };
    for (const name of ['CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS', 'CDKTF_CONTEXT_JSON', 'DESK_DEPLOYMENT']) delete env[name];
    const r = spawnSync('node', ['--import', 'tsx', 'main.ts'], { cwd: resolve(__dirname, '..', '..'), env, encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^sovereign-desk: DESK_SIGNING_KEY: holds the text of a key instead of naming a file \(its value is not shown\).*Make a key pair with: openssl genpkey -algorithm ed25519/)]);
    expect(r.stderr).not.toContain(PEM.split('\n')[1]);
    expect(existsSync(join(outdir, 'stacks', 'agency-de'))).toBe(false);
  });
});
