/**
 * The attestation of a synth: the envelope, the statement and the predicate,
 * the keys it accepts, and the verification of an output folder against a
 * public key — what passes, and each way a folder changed after signing fails.
 */
import { KeyObject, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate } from '../../constructs/policy/engine';
import { ALL_RULES } from '../../constructs/policy/rules';
import {
  Envelope, KeyError, PAYLOAD_TYPE, PREDICATE_TYPE, STATEMENT_TYPE, Statement, SovereigntyReport, VerifyInputError, buildReport, canonicalJson,
  inventoryDigest, keyIdOf, loadSigningKey, loadVerifyKey, pae, reportFiles, ruleSet, sha256, signStatement, sovereigntyPredicate, verifyExitCode,
  verifyOutputFolder, writeAttestation,
} from '../../constructs/report';
import { context, placement } from '../util';

const keys = () => generateKeyPairSync('ed25519');
const { privateKey, publicKey } = keys();
const tmp = () => mkdtempSync(join(tmpdir(), 'desk-attest-'));

/** A report of one stack with a database in DE and a bucket in the US. */
function report(stack: string): SovereigntyReport {
  const result = evaluate([placement('database', 'stackit/eu01'), placement('bucket', 'https://s3.us-east-1.amazonaws.com')], context('DE', 'EU'));
  return buildReport(stack, result);
}

/** An output folder as a synth writes it: each stack's cdk.tf.json and reports, signed when a key is given. */
function folder(stacks: readonly string[], key: KeyObject | undefined = privateKey): string {
  const dir = tmp();
  for (const stack of stacks) {
    mkdirSync(join(dir, 'stacks', stack), { recursive: true });
    mkdirSync(join(dir, 'sovereignty'), { recursive: true });
    writeFileSync(join(dir, 'stacks', stack, 'cdk.tf.json'), `{"resource":{"stack":"${stack}"}}\n`);
    const data = report(stack);
    const [json, markdown, sarif] = reportFiles(stack);
    writeFileSync(join(dir, json), `${JSON.stringify(data, null, 2)}\n`);
    writeFileSync(join(dir, markdown), `# ${stack}\n`);
    writeFileSync(join(dir, sarif), '{"version":"2.1.0"}\n');
    if (key) writeAttestation(dir, [`stacks/${stack}/cdk.tf.json`, ...reportFiles(stack)], sovereigntyPredicate(data, { jurisdiction: ['DE'], operators: ['DE'] }), key);
  }
  return dir;
}

const envelopeFile = (dir: string, stack = 'a') => join(dir, 'sovereignty', `${stack}.attestation.json`);
const readEnvelope = (dir: string, stack = 'a') => JSON.parse(readFileSync(envelopeFile(dir, stack), 'utf8')) as Envelope;
const statementOf = (envelope: Envelope) => JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as Statement;
const messages = (dir: string, key = publicKey) => verifyOutputFolder(dir, key).problems.map((p) => p.message);
const exitCode = (dir: string, key = publicKey) => verifyExitCode(verifyOutputFolder(dir, key));

/** Re-signs a changed statement with `key`, as someone holding the key could. */
function resign(dir: string, change: (statement: Record<string, unknown>) => Record<string, unknown>, key = privateKey): void {
  const statement = change(statementOf(readEnvelope(dir)) as unknown as Record<string, unknown>);
  writeFileSync(envelopeFile(dir), JSON.stringify(signStatement(statement as unknown as Statement, key)));
}

describe('the envelope: DSSE around an in-toto Statement v1', () => {
  it('encodes DSSE\'s pre-authentication encoding as the specification\'s example', () => {
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('counts bytes, not characters, in the encoding', () => {
    expect(pae('t', Buffer.from('ä')).toString()).toBe('DSSEv1 1 t 2 ä');
  });

  it('writes an in-toto statement whose subjects are the files\' SHA-256 digests, sorted by name', () => {
    const dir = folder(['a']);
    const envelope = readEnvelope(dir);
    const statement = statementOf(envelope);
    expect(envelope.payloadType).toBe(PAYLOAD_TYPE);
    expect(statement._type).toBe(STATEMENT_TYPE);
    expect(statement.predicateType).toBe(PREDICATE_TYPE);
    expect(statement.subject.map((s) => s.name)).toEqual(['sovereignty/a.json', 'sovereignty/a.md', 'sovereignty/a.sarif', 'stacks/a/cdk.tf.json']);
    expect(statement.subject[3].digest.sha256).toBe(sha256(readFileSync(join(dir, 'stacks/a/cdk.tf.json'))));
  });

  it('signs DSSE\'s encoding of the payload, with the key id of the public key\'s SPKI DER', () => {
    const envelope = readEnvelope(folder(['a']));
    const [signature] = envelope.signatures;
    expect(signature.keyid).toBe(sha256(publicKey.export({ type: 'spki', format: 'der' })));
    expect(signature.keyid).toBe(keyIdOf(privateKey));
    expect(verify(null, pae(PAYLOAD_TYPE, Buffer.from(envelope.payload, 'base64')), publicKey, Buffer.from(signature.sig, 'base64'))).toBe(true);
  });

  it('is the same bytes for the same files and key, and different bytes for another key', () => {
    const first = readFileSync(envelopeFile(folder(['a'])), 'utf8');
    expect(readFileSync(envelopeFile(folder(['a'])), 'utf8')).toBe(first);
    expect(readFileSync(envelopeFile(folder(['a'], keys().privateKey)), 'utf8')).not.toBe(first);
  });

  it('serializes canonically: keys sorted, no whitespace, undefined left out', () => {
    expect(canonicalJson({ b: [2, { d: 1, c: 'x' }], a: true, u: undefined, n: null })).toBe('{"a":true,"b":[2,{"c":"x","d":1}],"n":null}');
  });
});

describe('the predicate: verdict, bounds, profile, rule set, inventory, SEAL view', () => {
  const data = report('a');
  const predicate = sovereigntyPredicate(data, { jurisdiction: ['DE'], operators: ['AT', 'DE'] });

  it('carries the report\'s verdict, counts, bounds and profile', () => {
    expect(predicate).toMatchObject({
      stack: 'a', verdict: 'fail', counts: data.counts, profile: 'sovereign',
      bounds: { jurisdiction: 'DE', jurisdictionCountries: ['DE'], operators: data.operators, operatorCountries: ['AT', 'DE'] },
    });
    expect(data.verdict).toBe('fail');
  });

  it('carries every rule with its severity per profile, and the rules outside the table', () => {
    const ids = predicate.ruleSet.rules.map((r) => r.id);
    expect(ids).toEqual([...ALL_RULES.map((r) => r.id), 'SD-RULE-FAILED', 'SD-WRITTEN', 'SD-SUPPRESSION-UNUSED']);
    expect(predicate.ruleSet.rules.find((r) => r.id === 'SD-OPERATOR')).toEqual({ id: 'SD-OPERATOR', objective: 'SOV-2', severity: { residency: 'off', sovereign: 'error', strict: 'error' } });
  });

  it('changes the rule set\'s digest when a severity, a title or a rule changes, and not otherwise', () => {
    const digest = ruleSet().digest.sha256;
    expect(ruleSet([...ALL_RULES]).digest.sha256).toBe(digest);
    const [first, ...rest] = ALL_RULES;
    expect(ruleSet([{ ...first, severity: { ...first.severity, residency: 'warning' } }, ...rest]).digest.sha256).not.toBe(digest);
    expect(ruleSet([{ ...first, title: `${first.title}.` }, ...rest]).digest.sha256).not.toBe(digest);
    expect(ruleSet(rest).digest.sha256).not.toBe(digest);
  });

  it('carries the digest of the report\'s placements in canonical JSON, and the SEAL view as reported', () => {
    expect(predicate.inventory).toEqual({ placements: 2, digest: { sha256: sha256(canonicalJson(data.placements)) } });
    expect(inventoryDigest([...data.placements].reverse())).not.toBe(predicate.inventory.digest.sha256);
    expect(predicate.seal).toEqual(data.framework);
  });
});

describe('verifying an output folder', () => {
  it('passes when every stack and report file is signed and unchanged', () => {
    const dir = folder(['a', 'b']);
    const result = verifyOutputFolder(dir, publicKey);
    expect(result.problems).toEqual([]);
    expect(result.verified).toEqual([{ stack: 'a', files: 4, verdict: 'fail' }, { stack: 'b', files: 4, verdict: 'fail' }]);
    expect(verifyExitCode(result)).toBe(0);
  });

  it('fails if one byte of cdk.tf.json changed after signing, naming the file', () => {
    const dir = folder(['a', 'b']);
    const file = join(dir, 'stacks/a/cdk.tf.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"a"', '"x"'));
    expect(messages(dir)).toEqual([expect.stringMatching(/^stacks\/a\/cdk\.tf\.json differs from what was signed in sovereignty\/a\.attestation\.json \(sha256 [0-9a-f]{64} signed, [0-9a-f]{64} found\)$/)]);
    expect(exitCode(dir)).toBe(1);
    expect(verifyOutputFolder(dir, publicKey).verified.map((v) => v.stack)).toEqual(['b']);
  });

  it('fails if one byte of a report file changed after signing, naming the file', () => {
    const dir = folder(['a']);
    appendFileSync(join(dir, 'sovereignty/a.md'), ' ');
    expect(messages(dir)).toEqual([expect.stringMatching(/^sovereignty\/a\.md differs from what was signed/)]);
    expect(exitCode(dir)).toBe(1);
  });

  it('fails if the key is not the one that signed, naming both key ids', () => {
    const other = keys().publicKey;
    expect(messages(folder(['a']), other)).toEqual([`sovereignty/a.attestation.json: bad signature: it was signed by key ${keyIdOf(publicKey)}, not by the given key ${keyIdOf(other)}`]);
    expect(exitCode(folder(['a']), other)).toBe(1);
  });

  it('fails if the signature does not match the payload (the statement was changed after signing)', () => {
    const dir = folder(['a']);
    const envelope = readEnvelope(dir);
    const statement = statementOf(envelope);
    const changed = { ...statement, predicate: { ...statement.predicate, verdict: 'pass' } };
    writeFileSync(envelopeFile(dir), JSON.stringify({ ...envelope, payload: Buffer.from(canonicalJson(changed)).toString('base64') }));
    expect(messages(dir)).toEqual(['sovereignty/a.attestation.json: bad signature: its signature does not match its content (the attestation was changed after signing)']);
    expect(exitCode(dir)).toBe(1);
  });

  it('fails if a signed file is missing, naming it', () => {
    const dir = folder(['a']);
    rmSync(join(dir, 'sovereignty/a.sarif'));
    expect(messages(dir)).toEqual(['sovereignty/a.sarif is missing (it is signed in sovereignty/a.attestation.json)']);
    expect(exitCode(dir)).toBe(1);
  });

  it('fails if a stack is not signed: an extra stack, or a stack whose attestation is gone (fail closed)', () => {
    const dir = folder(['a']);
    const extra = folder(['b'], undefined);
    mkdirSync(join(dir, 'stacks/b'));
    writeFileSync(join(dir, 'stacks/b/cdk.tf.json'), readFileSync(join(extra, 'stacks/b/cdk.tf.json')));
    writeFileSync(join(dir, 'sovereignty/b.md'), '# b\n');
    expect(messages(dir)).toEqual([
      'stacks/b/cdk.tf.json is not signed: no attestation in sovereignty/ covers it',
      'sovereignty/b.md is not signed: no attestation in sovereignty/ covers it',
    ]);
    expect(exitCode(dir)).toBe(1);
    rmSync(envelopeFile(dir));
    expect(messages(dir)).toContain('stacks/a/cdk.tf.json is not signed: no attestation in sovereignty/ covers it');
  });

  it('fails if a file Terraform would load was added beside cdk.tf.json, or a stack folder has no cdk.tf.json', () => {
    const dir = folder(['a']);
    writeFileSync(join(dir, 'stacks/a/exfil_override.tf.json'), '{}');
    mkdirSync(join(dir, 'stacks/empty'));
    expect(messages(dir)).toEqual([
      'stacks/a/exfil_override.tf.json would be loaded by Terraform beside cdk.tf.json, and no attestation covers it',
      'stacks/empty/ has no cdk.tf.json',
    ]);
  });

  it('fails if an attestation is named for another stack than it attests', () => {
    const dir = folder(['a']);
    writeFileSync(envelopeFile(dir, 'b'), readFileSync(envelopeFile(dir)));
    expect(messages(dir)).toEqual(['sovereignty/b.attestation.json attests stack "a", not "b" its name is for']);
  });

  it('fails if the signed inventory digest is not that of the signed report\'s placements', () => {
    const dir = folder(['a']);
    resign(dir, (s) => ({ ...s, predicate: { ...(s.predicate as object), inventory: { placements: 2, digest: { sha256: '0'.repeat(64) } } } }));
    expect(messages(dir)).toEqual(['sovereignty/a.attestation.json: the inventory digest does not match the placements of sovereignty/a.json']);
  });

  it.each([
    ['not JSON', '{"payload": ', 'is not JSON'],
    ['an array', '[]', 'is not a DSSE envelope: not a JSON object'],
    ['no payload', JSON.stringify({ payloadType: PAYLOAD_TYPE, signatures: [{ sig: 'AA==' }] }), 'is not a DSSE envelope: no payload'],
    ['no signatures', JSON.stringify({ payloadType: PAYLOAD_TYPE, payload: 'e30=', signatures: [] }), 'is not a DSSE envelope: no signatures'],
    ['a signature without sig', JSON.stringify({ payloadType: PAYLOAD_TYPE, payload: 'e30=', signatures: [{ keyid: 'k' }] }), 'is not a DSSE envelope: signatures[0] has no sig'],
    ['another payload type', JSON.stringify({ payloadType: 'text/plain', payload: 'e30=', signatures: [{ sig: 'AA==' }] }), 'has payloadType "text/plain"; an attestation has application/vnd.in-toto+json'],
    ['a payload that is not base64', JSON.stringify({ payloadType: PAYLOAD_TYPE, payload: 'not base64!', signatures: [{ sig: 'AA==' }] }), 'its payload is not base64'],
  ])('fails as bad input (exit 2) if the envelope is %s', (_, text, message) => {
    const dir = folder(['a']);
    writeFileSync(envelopeFile(dir), text);
    expect(messages(dir)).toEqual([`sovereignty/a.attestation.json: ${message}`]);
    expect(exitCode(dir)).toBe(2);
  });

  it.each([
    ['an unknown statement type', (s: Record<string, unknown>) => ({ ...s, _type: 'https://in-toto.io/Statement/v0.1' }), 'has statement type "https://in-toto.io/Statement/v0.1"; an attestation is an in-toto https://in-toto.io/Statement/v1'],
    ['an unknown predicate type', (s: Record<string, unknown>) => ({ ...s, predicateType: 'https://slsa.dev/provenance/v1' }), `has predicate type "https://slsa.dev/provenance/v1"; expected ${PREDICATE_TYPE}`],
    ['a subject outside the folder', (s: Record<string, unknown>) => ({ ...s, subject: [{ name: '../etc/passwd', digest: { sha256: '0'.repeat(64) } }] }), 'its subjects are not valid: subject[0] has no relative path inside the folder as its name'],
    ['a subject without a SHA-256 digest', (s: Record<string, unknown>) => ({ ...s, subject: [{ name: 'stacks/a/cdk.tf.json', digest: { md5: 'x' } }] }), 'its subjects are not valid: subject[0] (stacks/a/cdk.tf.json) has no SHA-256 digest'],
  ])('fails as bad input (exit 2) if a correctly signed statement has %s', (_, change, message) => {
    const dir = folder(['a']);
    resign(dir, change);
    expect(messages(dir)).toEqual([`sovereignty/a.attestation.json: ${message}`]);
    expect(exitCode(dir)).toBe(2);
  });

  it('fails as bad input if the folder does not exist or holds no synth output', () => {
    expect(() => verifyOutputFolder(join(tmp(), 'nope'), publicKey)).toThrow(VerifyInputError);
    expect(() => verifyOutputFolder(join(tmp(), 'nope'), publicKey)).toThrow(/nope: no such folder\. Expected the output folder of a synth/);
    expect(() => verifyOutputFolder(tmp(), publicKey)).toThrow(/holds no stacks\/ and no sovereignty\/: it is not the output folder of a synth/);
  });
});

describe('keys', () => {
  const dir = tmp();
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const spki = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const body = pkcs8.split('\n')[1];

  it('loads an Ed25519 private key in PKCS#8 PEM for signing, and its public key for verifying', () => {
    expect(keyIdOf(loadSigningKey(file('k.pem', pkcs8)))).toBe(keyIdOf(publicKey));
    expect(keyIdOf(loadVerifyKey(file('k.pub.pem', spki)))).toBe(keyIdOf(publicKey));
    expect(createPublicKey(loadSigningKey(join(dir, 'k.pem'))).export({ type: 'spki', format: 'pem' })).toBe(spki);
  });

  it.each([
    ['it is empty', () => '', 'DESK_SIGNING_KEY="": is set but empty, so it names no key file'],
    ['no file is there', () => join(dir, 'missing.pem'), 'no such file'],
    ['it is a directory', () => dir, 'is a directory, not a key file'],
    ['the file is not PEM', () => file('k.txt', 'not a key'), 'is not a PEM file (it has no "-----BEGIN …-----" line)'],
    ['it is a public key', () => file('pub.pem', spki), 'is a public key; signing needs the private key (verify takes the public one)'],
    ['it is an RSA key', () => file('rsa.pem', rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string), 'is a key of type RSA, not Ed25519'],
    ['it is encrypted', () => file('enc.pem', privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'p' }) as string), 'is an encrypted private key, and a synth cannot ask for its passphrase'],
    ['it is an OpenSSH key', () => file('id.pem', '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n'), 'is a PEM "OPENSSH PRIVATE KEY", not a PKCS#8 private key'],
    ['its PEM is damaged', () => file('bad.pem', pkcs8.replace(body, body.slice(4))), 'is not a valid PKCS#8 private key'],
  ])('fails to sign if DESK_SIGNING_KEY is set and %s, naming it, what is allowed and how to make a key', (_, path, problem) => {
    const value = path();
    const load = () => loadSigningKey(value);
    expect(load).toThrow(KeyError);
    expect(load).toThrow(problem);
    expect(load).toThrow(value === '' ? /^DESK_SIGNING_KEY="":/ : `DESK_SIGNING_KEY=${JSON.stringify(value)}: `);
    expect(load).toThrow('Allowed: the path of an Ed25519 private key file in PEM (PKCS#8, "-----BEGIN PRIVATE KEY-----"), or DESK_SIGNING_KEY unset to synthesize unsigned');
    expect(load).toThrow('openssl genpkey -algorithm ed25519 -out desk-signing.pem && openssl pkey -in desk-signing.pem -pubout -out desk-signing.pub.pem');
  });

  it('fails if DESK_SIGNING_KEY holds the key itself instead of a path, without showing it', () => {
    const load = () => loadSigningKey(pkcs8);
    expect(load).toThrow(/^DESK_SIGNING_KEY: holds the text of a key instead of naming a file \(its value is not shown\)/);
    let message = '';
    try {
      load();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toContain(body);
    expect(message).not.toContain('BEGIN PRIVATE KEY-----\n');
  });

  it.each([
    ['a private key', () => file('priv.pem', pkcs8), 'is a private key; verifying needs only the public key'],
    ['an RSA public key', () => file('rsa.pub.pem', rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string), 'is a key of type RSA, not Ed25519'],
    ['not PEM', () => file('k2.txt', 'hello'), 'is not a PEM file'],
    ['missing', () => join(dir, 'none.pub.pem'), 'no such file'],
  ])('fails to verify with --key that is %s, saying how to make the public key', (_, path, problem) => {
    const value = path();
    expect(() => loadVerifyKey(value)).toThrow(KeyError);
    expect(() => loadVerifyKey(value)).toThrow(`--key ${JSON.stringify(value)}: ${problem}`);
    expect(() => loadVerifyKey(value)).toThrow('openssl pkey -in desk-signing.pem -pubout -out desk-signing.pub.pem');
  });
});
