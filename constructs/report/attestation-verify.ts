/**
 * Checks the attestations of a synth output folder against a public key:
 * each envelope's signature, each subject's digest against the file in the
 * folder, and that every stack and every report file is covered by one.
 * Fails closed: an unsigned stack is a failure.
 */
import { KeyObject, verify } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { unprovenFiles } from '../policy/written';
import { Envelope, PAYLOAD_TYPE, PREDICATE_TYPE, STATEMENT_TYPE, Subject, inventoryDigest, keyIdOf, pae, sha256 } from './attestation';
import type { SovereigntyReport } from './data';
import { REPORT_DIR, reportFiles } from './write';

const SUFFIX = '.attestation.json';
const STACKS_DIR = 'stacks';
const CONFIGURATION = 'cdk.tf.json';

/** The folder itself cannot be verified: not a folder, or not the output of a synth. */
export class VerifyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerifyInputError';
  }
}

/** A stack whose attestation and files all check out. */
export interface VerifiedStack {
  readonly stack: string;
  readonly files: number;
  readonly verdict: string;
}

/** One problem, and the stack it belongs to when known. */
export interface VerifyProblem {
  /** `changed`: something differs from what was signed, or is not signed; `invalid`: an attestation that cannot be read. */
  readonly kind: 'changed' | 'invalid';
  readonly message: string;
  readonly stack?: string;
}

/** What {@link verifyOutputFolder} found. */
export interface VerifyResult {
  readonly verified: readonly VerifiedStack[];
  readonly problems: readonly VerifyProblem[];
}

/** 0 when everything matches, 1 when something changed after signing or is unsigned, 2 when an attestation cannot be read. */
export function verifyExitCode(result: VerifyResult): 0 | 1 | 2 {
  if (result.problems.some((p) => p.kind === 'invalid')) return 2;
  return result.problems.length > 0 ? 1 : 0;
}

/**
 * Verifies every attestation in `<folder>/sovereignty/` with `key`, and that
 * every stack folder and report file is covered by one.
 * @throws VerifyInputError when the folder does not exist or holds no synth output
 */
export function verifyOutputFolder(folder: string, key: KeyObject): VerifyResult {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new VerifyInputError(`${folder}: no such folder. Expected the output folder of a synth (cdktf.out), e.g. DESK_SIGNING_KEY=desk-signing.pem npm run synth`);
  }
  const files = (dir: string) => (existsSync(join(folder, dir)) ? readdirSync(join(folder, dir), { withFileTypes: true }) : []);
  const reports = files(REPORT_DIR).filter((e) => e.isFile()).map((e) => e.name).sort();
  const stacks = files(STACKS_DIR).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  if (reports.length === 0 && stacks.length === 0) {
    throw new VerifyInputError(`${folder} holds no stacks/ and no ${REPORT_DIR}/: it is not the output folder of a synth, so there is nothing to verify`);
  }
  const problems: VerifyProblem[] = [];
  const verified: VerifiedStack[] = [];
  const covered = new Set<string>();
  // The files of a stack whose attestation could not be checked are not reported again as unsigned.
  const unchecked = new Set<string>();
  for (const name of reports.filter((r) => r.endsWith(SUFFIX))) {
    const stack = name.slice(0, -SUFFIX.length);
    const found = checkAttestation(folder, `${REPORT_DIR}/${name}`, stack, key);
    found.subjects.forEach((s) => covered.add(s));
    if (found.subjects.length === 0) [`${STACKS_DIR}/${stack}/${CONFIGURATION}`, ...reportFiles(stack)].forEach((f) => unchecked.add(f));
    problems.push(...found.problems.map((p) => ({ ...p, stack })));
    if (found.problems.length === 0) verified.push({ stack, files: found.subjects.length, verdict: found.verdict });
  }
  for (const stack of stacks) {
    const configuration = `${STACKS_DIR}/${stack}/${CONFIGURATION}`;
    const names = readdirSync(join(folder, STACKS_DIR, stack));
    if (!names.includes(CONFIGURATION)) problems.push({ kind: 'changed', stack, message: `${STACKS_DIR}/${stack}/ has no ${CONFIGURATION}` });
    else if (!covered.has(configuration) && !unchecked.has(configuration)) problems.push({ kind: 'changed', stack, message: `${configuration} is not signed: no attestation in ${REPORT_DIR}/ covers it` });
    for (const extra of unprovenFiles(names, CONFIGURATION)) {
      const path = `${STACKS_DIR}/${stack}/${extra}`;
      if (!covered.has(path)) problems.push({ kind: 'changed', stack, message: `${path} would be loaded by Terraform beside ${CONFIGURATION}, and no attestation covers it` });
    }
  }
  for (const report of reports.filter((r) => !r.endsWith(SUFFIX))) {
    const path = `${REPORT_DIR}/${report}`;
    if (!covered.has(path) && !unchecked.has(path)) problems.push({ kind: 'changed', message: `${path} is not signed: no attestation in ${REPORT_DIR}/ covers it` });
  }
  const failed = new Set(problems.map((p) => p.stack));
  return { verified: verified.filter((v) => !failed.has(v.stack)), problems };
}

interface Checked {
  /** Subject names of an attestation whose signature holds. */
  readonly subjects: readonly string[];
  readonly verdict: string;
  readonly problems: readonly Omit<VerifyProblem, 'stack'>[];
}

/** Checks one attestation: its form, its signature, and each subject against the folder. */
function checkAttestation(folder: string, file: string, stack: string, key: KeyObject): Checked {
  const invalid = (message: string): Checked => ({ subjects: [], verdict: '', problems: [{ kind: 'invalid', message: `${file}: ${message}` }] });
  const envelope = parseJson(readFileSync(join(folder, file), 'utf8'));
  if (envelope === undefined) return invalid('is not JSON');
  const form = envelopeProblem(envelope);
  if (form) return invalid(`is not a DSSE envelope: ${form}`);
  const { payloadType, payload, signatures } = envelope as Envelope;
  if (payloadType !== PAYLOAD_TYPE) return invalid(`has payloadType ${JSON.stringify(payloadType)}; an attestation has ${PAYLOAD_TYPE}`);
  const bytes = Buffer.from(payload, 'base64');
  if (bytes.toString('base64') !== payload) return invalid('its payload is not base64');
  const signed = pae(payloadType, bytes);
  const sig = (s: { sig: string }) => Buffer.from(s.sig, 'base64');
  if (!signatures.some((s) => verify(null, signed, key, sig(s)))) {
    const given = keyIdOf(key);
    const named = signatures.map((s) => s.keyid).filter((k) => typeof k === 'string' && k !== '');
    const why = named.length > 0 && !named.includes(given)
      ? `it was signed by key ${named.join(', ')}, not by the given key ${given}`
      : 'its signature does not match its content (the attestation was changed after signing)';
    return { subjects: [], verdict: '', problems: [{ kind: 'changed', message: `${file}: bad signature: ${why}` }] };
  }
  const statement = parseJson(bytes.toString('utf8')) as Record<string, unknown> | undefined;
  if (statement === undefined || typeof statement !== 'object' || statement === null) return invalid('its payload is not a JSON statement');
  if (statement._type !== STATEMENT_TYPE) return invalid(`has statement type ${JSON.stringify(statement._type)}; an attestation is an in-toto ${STATEMENT_TYPE}`);
  if (statement.predicateType !== PREDICATE_TYPE) return invalid(`has predicate type ${JSON.stringify(statement.predicateType)}; expected ${PREDICATE_TYPE}`);
  const subjects = statement.subject;
  const subjectForm = subjectsProblem(subjects);
  if (subjectForm) return invalid(`its subjects are not valid: ${subjectForm}`);
  const predicate = (statement.predicate ?? {}) as { stack?: unknown; verdict?: unknown; inventory?: { digest?: { sha256?: unknown } } };
  const problems: Omit<VerifyProblem, 'stack'>[] = [];
  if (predicate.stack !== stack) problems.push({ kind: 'changed', message: `${file} attests stack ${JSON.stringify(predicate.stack)}, not ${JSON.stringify(stack)} its name is for` });
  for (const subject of subjects as Subject[]) {
    const path = join(folder, subject.name);
    if (!existsSync(path) || !statSync(path).isFile()) {
      problems.push({ kind: 'changed', message: `${subject.name} is missing (it is signed in ${file})` });
      continue;
    }
    const found = sha256(readFileSync(path));
    if (found !== subject.digest.sha256) {
      problems.push({ kind: 'changed', message: `${subject.name} differs from what was signed in ${file} (sha256 ${subject.digest.sha256} signed, ${found} found)` });
    } else if (subject.name === `${REPORT_DIR}/${stack}.json`) {
      problems.push(...inventoryProblems(readFileSync(path, 'utf8'), predicate.inventory?.digest?.sha256, subject.name, file));
    }
  }
  const names = (subjects as Subject[]).map((s) => s.name);
  return { subjects: names, verdict: String(predicate.verdict), problems };
}

/** The predicate's inventory digest must be that of the placements in the signed JSON report. */
function inventoryProblems(text: string, signed: unknown, report: string, file: string): Omit<VerifyProblem, 'stack'>[] {
  const placements = (parseJson(text) as Partial<SovereigntyReport> | undefined)?.placements;
  if (Array.isArray(placements) && inventoryDigest(placements) === signed) return [];
  return [{ kind: 'changed', message: `${file}: the inventory digest does not match the placements of ${report}` }];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** What is wrong with the form of an envelope, if anything. */
function envelopeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const envelope = value as Record<string, unknown>;
  if (typeof envelope.payloadType !== 'string') return 'no payloadType';
  if (typeof envelope.payload !== 'string') return 'no payload';
  if (!Array.isArray(envelope.signatures) || envelope.signatures.length === 0) return 'no signatures';
  const bad = envelope.signatures.findIndex((s) => typeof s !== 'object' || s === null || typeof (s as { sig?: unknown }).sig !== 'string');
  return bad >= 0 ? `signatures[${bad}] has no sig` : undefined;
}

/** What is wrong with a statement's subjects, if anything: each a normalized relative path with a SHA-256 digest. */
function subjectsProblem(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return 'no subject list';
  for (const [index, subject] of value.entries()) {
    const { name, digest } = (subject ?? {}) as { name?: unknown; digest?: { sha256?: unknown } };
    if (typeof name !== 'string' || name === '' || name.includes('\\') || posix.isAbsolute(name) || posix.normalize(name) !== name || name === '..' || name.startsWith('../')) {
      return `subject[${index}] has no relative path inside the folder as its name`;
    }
    if (typeof digest?.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(digest.sha256)) return `subject[${index}] (${name}) has no SHA-256 digest`;
  }
  return undefined;
}
