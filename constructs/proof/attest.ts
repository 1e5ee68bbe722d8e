/**
 * Signing a SovereignStack's synth (constructs/report/attestation.ts does the
 * signing itself): the key DESK_SIGNING_KEY names, the attestation written
 * after the stack's files, and the line the terminal shows for it.
 */
import { KeyObject } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { PolicyContext } from '../policy/rule';
import { SIGNING_KEY_VARIABLE, SovereigntyReport, attestationFile, keyIdOf, loadSigningKey, sovereigntyPredicate, writeAttestation } from '../report';

/**
 * The signing key the environment names, or undefined when DESK_SIGNING_KEY is unset.
 * @throws KeyError when it is set but names no Ed25519 private key
 */
export function signingKeyFromEnvironment(env: NodeJS.ProcessEnv = process.env): KeyObject | undefined {
  const value = env[SIGNING_KEY_VARIABLE];
  return value === undefined ? undefined : loadSigningKey(value);
}

/** What one stack's synth signed. */
export interface StackAttestation {
  /** The attestation file, relative to the output folder. */
  readonly file: string;
  readonly keyId: string;
}

/** What a stack signs, relative to the output folder. */
export interface AttestedFiles {
  readonly configuration: string;
  readonly reports: readonly string[];
}

/**
 * Writes the stack's attestation when there is a key; without one, removes an
 * attestation an earlier synth left, so that nothing stale claims to cover it.
 */
export function attestStack(
  outdir: string, report: SovereigntyReport, context: PolicyContext, files: AttestedFiles, key: KeyObject | undefined,
): StackAttestation | undefined {
  const file = attestationFile(report.stack);
  if (!key) {
    rmSync(join(outdir, file), { force: true });
    return undefined;
  }
  const predicate = sovereigntyPredicate(report, { jurisdiction: context.jurisdiction.countries, operators: context.operators.countries });
  const subjects = [files.configuration, ...files.reports].map((f) => f.split(sep).join('/'));
  writeAttestation(outdir, subjects, predicate, key);
  return { file, keyId: keyIdOf(key) };
}

const NOTED = Symbol.for('sovereign-desk.unsigned-noted');

/**
 * The line a synth prints about signing: for a signed stack, the file and the
 * key; for an unsigned one, a note once per process (however many stacks and
 * apps it synthesizes), undefined after that.
 */
export function attestationLine(stack: string, signed: StackAttestation | undefined): string | undefined {
  if (signed) return `${stack}: signed ${signed.file} (key ${signed.keyId.slice(0, 16)}…)`;
  const holder = globalThis as { [NOTED]?: true };
  if (holder[NOTED]) return undefined;
  holder[NOTED] = true;
  return `attestation: not signed (${SIGNING_KEY_VARIABLE} is not set; see docs/attestation.md)`;
}
