/**
 * The signed attestation of a synth: a DSSE envelope around an in-toto
 * Statement v1 whose subjects are the stack's cdk.tf.json and report files
 * and whose predicate carries the verdict, the bounds, the profile, the rule
 * set, the inventory's digest and the indicative SEAL view. Ed25519 through
 * node:crypto only: no network, no signing service. The same input and key
 * give the same bytes (Ed25519 signatures are deterministic).
 */
import { KeyObject, createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULE_FAILED } from '../policy/engine';
import type { Profile, Rule } from '../policy/rule';
import { ALL_RULES } from '../policy/rules';
import { WRITTEN_RULE } from '../policy/written';
import type { SovereigntyReport } from './data';
import type { FrameworkView } from './framework';
import { REPORT_DIR } from './write';

/** DSSE's payload type of an in-toto statement. */
export const PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/** The in-toto Statement v1 type. */
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** This project's predicate: the sovereignty proof of one stack (docs/attestation.md). */
export const PREDICATE_TYPE = 'urn:sovereign-desk:attestation:sovereignty:v1';
/** The environment variable that names the signing key. */
export const SIGNING_KEY_VARIABLE = 'DESK_SIGNING_KEY';
/** How to make a key pair, for messages. */
export const MAKE_KEY = 'openssl genpkey -algorithm ed25519 -out desk-signing.pem && openssl pkey -in desk-signing.pem -pubout -out desk-signing.pub.pem';

/** A subject: a file of the output folder, by its path relative to that folder. */
export interface Subject {
  readonly name: string;
  readonly digest: { readonly sha256: string };
}

/** One rule of the rule set, as the predicate records it. */
export interface AttestedRule {
  readonly id: string;
  readonly objective: string;
  readonly severity: Readonly<Record<Profile, string>>;
}

/** The predicate of {@link PREDICATE_TYPE}. */
export interface SovereigntyPredicate {
  readonly stack: string;
  readonly verdict: SovereigntyReport['verdict'];
  readonly counts: SovereigntyReport['counts'];
  readonly bounds: {
    readonly jurisdiction: string;
    readonly jurisdictionCountries: readonly string[];
    readonly operators: string;
    readonly operatorCountries: readonly string[];
  };
  readonly profile: string;
  /** The rules and their severities; the digest is the rule set's version. */
  readonly ruleSet: { readonly digest: { readonly sha256: string }; readonly rules: readonly AttestedRule[] };
  /** The digest of the canonical JSON (RFC 8785) of the JSON report's `placements`. */
  readonly inventory: { readonly placements: number; readonly digest: { readonly sha256: string } };
  /** The report's indicative EU Cloud Sovereignty Framework view. */
  readonly seal: FrameworkView;
}

/** An in-toto Statement v1. */
export interface Statement {
  readonly _type: string;
  readonly subject: readonly Subject[];
  readonly predicateType: string;
  readonly predicate: SovereigntyPredicate;
}

/** A DSSE envelope. */
export interface Envelope {
  readonly payloadType: string;
  /** The statement's bytes, base64. */
  readonly payload: string;
  readonly signatures: readonly { readonly keyid: string; readonly sig: string }[];
}

/**
 * JSON with object keys sorted by UTF-16 code units and no whitespace: the
 * JSON Canonicalization Scheme (RFC 8785) for the strings, integers, booleans,
 * arrays and objects reports hold.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256, hex. */
export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** DSSE's pre-authentication encoding: what is signed. */
export function pae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
}

/** A key's id: the SHA-256 of its public key's SubjectPublicKeyInfo (DER), hex. */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return sha256(publicKey.export({ type: 'spki', format: 'der' }));
}

/** Rules with a fixed severity outside ALL_RULES. */
const FIXED_RULES: readonly { id: string; objective: string; severity: string }[] = [
  { id: RULE_FAILED, objective: 'SOV-7', severity: 'error' },
  { id: WRITTEN_RULE, objective: 'SOV-7', severity: 'error' },
  { id: 'SD-SUPPRESSION-UNUSED', objective: 'SOV-7', severity: 'warning' },
];

/** The rule set: every rule's id, objective and severity per profile, in report order, and the digest of its whole table. */
export function ruleSet(all: readonly Rule[] = ALL_RULES): SovereigntyPredicate['ruleSet'] {
  const rules: AttestedRule[] = [
    ...all.map((r) => ({ id: r.id, objective: r.objective, severity: { ...r.severity } })),
    ...FIXED_RULES.map((r) => ({ id: r.id, objective: r.objective, severity: { residency: r.severity, sovereign: r.severity, strict: r.severity } })),
  ];
  // The table as the report shows it: titles and explanations change the version too.
  const table = [
    ...all.map((r) => ({ id: r.id, title: r.title, explanation: r.explanation, objective: r.objective, severity: r.severity })),
    ...FIXED_RULES,
  ];
  return { digest: { sha256: sha256(canonicalJson(table)) }, rules };
}

/** The digest of an inventory: SHA-256 of the canonical JSON of the report's placements. */
export function inventoryDigest(placements: SovereigntyReport['placements']): string {
  return sha256(canonicalJson(placements));
}

/** The predicate of one stack's report. */
export function sovereigntyPredicate(report: SovereigntyReport, countries: { jurisdiction: readonly string[]; operators: readonly string[] }): SovereigntyPredicate {
  return {
    stack: report.stack,
    verdict: report.verdict,
    counts: report.counts,
    bounds: {
      jurisdiction: report.jurisdiction,
      jurisdictionCountries: [...countries.jurisdiction],
      operators: report.operators,
      operatorCountries: [...countries.operators],
    },
    profile: report.profile,
    ruleSet: ruleSet(),
    inventory: { placements: report.placements.length, digest: { sha256: inventoryDigest(report.placements) } },
    seal: report.framework,
  };
}

/** Signs a statement: the envelope's bytes, deterministic for the same statement and key. */
export function signStatement(statement: Statement, key: KeyObject): Envelope {
  const payload = Buffer.from(canonicalJson(statement), 'utf8');
  const sig = sign(null, pae(PAYLOAD_TYPE, payload), key);
  return { payloadType: PAYLOAD_TYPE, payload: payload.toString('base64'), signatures: [{ keyid: keyIdOf(key), sig: sig.toString('base64') }] };
}

/** The file an attestation of a stack is written to, relative to the output folder. */
export function attestationFile(stack: string): string {
  return `${REPORT_DIR}/${stack}.attestation.json`;
}

/**
 * Writes `sovereignty/<stack>.attestation.json`: the digests of `files` (paths
 * relative to `outdir`, read as written) and the predicate, signed with `key`.
 * @returns the envelope
 */
export function writeAttestation(outdir: string, files: readonly string[], predicate: SovereigntyPredicate, key: KeyObject): Envelope {
  const subject = [...files].sort().map((name): Subject => ({ name, digest: { sha256: sha256(readFileSync(join(outdir, name))) } }));
  const envelope = signStatement({ _type: STATEMENT_TYPE, subject, predicateType: PREDICATE_TYPE, predicate }, key);
  mkdirSync(join(outdir, REPORT_DIR), { recursive: true });
  writeFileSync(join(outdir, attestationFile(predicate.stack)), `${JSON.stringify(envelope, null, 2)}\n`);
  return envelope;
}

/** A key that cannot be used: the message names the setting, the value, what is allowed and how to make a key. No key material. */
export class KeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyError';
  }
}

/** What a key file holds, or why it cannot be read. */
type KeyText = { readonly pem: string; readonly label: string } | { readonly problem: string };

/** Reads a key file and names its PEM label, without ever showing its content. */
function readKeyText(path: string): KeyText {
  let text: string;
  try {
    if (statSync(path).isDirectory()) return { problem: 'is a directory, not a key file' };
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? 'unknown error'})` };
  }
  const label = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)?.[1];
  return label ? { pem: text, label } : { problem: 'is not a PEM file (it has no "-----BEGIN …-----" line)' };
}

/** The value to show in a message: a path, never text that looks like a key. */
function shown(value: string): string | undefined {
  return /-----BEGIN|[\r\n]/.test(value) || value.length > 1024 ? undefined : JSON.stringify(value);
}

/**
 * Loads the Ed25519 private key (PEM, PKCS#8) that `path` names.
 * @param setting how the message names where the path came from
 * @throws KeyError naming the setting, the path, what is allowed and how to make a key
 */
export function loadSigningKey(path: string, setting = SIGNING_KEY_VARIABLE): KeyObject {
  const fail = (problem: string): never => {
    const value = shown(path);
    throw new KeyError(`${setting}${value === undefined ? '' : `=${value}`}: ${problem}. `
      + `Allowed: the path of an Ed25519 private key file in PEM (PKCS#8, "-----BEGIN PRIVATE KEY-----"), or ${setting} unset to synthesize unsigned. `
      + `Make a key pair with: ${MAKE_KEY} (keep desk-signing.pem secret; give desk-signing.pub.pem to whoever verifies)`);
  };
  if (path.trim() === '') fail('is set but empty, so it names no key file');
  if (shown(path) === undefined) fail('holds the text of a key instead of naming a file (its value is not shown): write the key to a file and set the variable to its path');
  const text = readKeyText(path);
  if ('problem' in text) return fail(text.problem);
  if (text.label === 'PUBLIC KEY') fail('is a public key; signing needs the private key (verify takes the public one)');
  if (text.label === 'ENCRYPTED PRIVATE KEY') fail('is an encrypted private key, and a synth cannot ask for its passphrase: keep the key unencrypted in a secret store and write it to a file for the synth');
  if (text.label !== 'PRIVATE KEY') fail(`is a PEM "${text.label}", not a PKCS#8 private key`);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text.pem, format: 'pem' });
  } catch {
    return fail('is not a valid PKCS#8 private key');
  }
  if (key.asymmetricKeyType !== 'ed25519') fail(`is a key of type ${(key.asymmetricKeyType ?? 'unknown').toUpperCase()}, not Ed25519`);
  return key;
}

/**
 * Loads the Ed25519 public key (PEM, SubjectPublicKeyInfo) that `path` names.
 * @throws KeyError naming the setting, the path, what is allowed and how to make the public key
 */
export function loadVerifyKey(path: string, setting = '--key'): KeyObject {
  const fail = (problem: string): never => {
    const value = shown(path);
    throw new KeyError(`${setting}${value === undefined ? '' : ` ${value}`}: ${problem}. `
      + 'Allowed: the path of the Ed25519 public key in PEM ("-----BEGIN PUBLIC KEY-----") whose private key signed the synth. '
      + 'Make it from the private key with: openssl pkey -in desk-signing.pem -pubout -out desk-signing.pub.pem');
  };
  if (path.trim() === '') fail('is empty, so it names no key file');
  const text = readKeyText(path);
  if ('problem' in text) return fail(text.problem);
  if (text.label.endsWith('PRIVATE KEY')) fail('is a private key; verifying needs only the public key, and the private key should stay where the synth runs');
  if (text.label !== 'PUBLIC KEY') fail(`is a PEM "${text.label}", not a public key`);
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text.pem, format: 'pem' });
  } catch {
    return fail('is not a valid public key');
  }
  if (key.asymmetricKeyType !== 'ed25519') fail(`is a key of type ${(key.asymmetricKeyType ?? 'unknown').toUpperCase()}, not Ed25519`);
  return key;
}
