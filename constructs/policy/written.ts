/**
 * The check after cdk.tf.json is written: the file must be the bytes the
 * proof judged, and nothing else in the stack's folder may add configuration.
 * Pure: the cdktf glue (SovereignStack) reads the files and reports.
 */
import { unproven } from '../jurisdiction/location';
import { Finding } from './engine';

/** Id of the finding raised when what was written is not what was proven. Never suppressible. */
export const WRITTEN_RULE = 'SD-WRITTEN';

/** Files Terraform and OpenTofu load from a working directory besides the synthesized one. */
const CONFIGURATION_FILE = /\.(tf|tofu)(\.json)?$|\.tfvars(\.json)?$/;

/** Names of configuration files in a folder other than `synthesized`, sorted. */
export function unprovenFiles(names: readonly string[], synthesized: string): string[] {
  return names.filter((name) => name !== synthesized && CONFIGURATION_FILE.test(name)).sort();
}

/** Where two serialized configurations first differ: the JSON path and both values, or the byte offset. */
export function firstDifference(proven: string, written: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(written);
  } catch {
    return `it is not valid JSON (first difference at byte ${firstByte(proven, written)})`;
  }
  const path = diffPath(JSON.parse(proven), parsed, []);
  if (!path) return `the same content in different bytes (first difference at byte ${firstByte(proven, written)})`;
  return `${path.path.length > 0 ? path.path.join('.') : 'the whole configuration'} was ${show(path.proven)} when proven and is ${show(path.written)} as written`;
}

function firstByte(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function show(value: unknown): string {
  if (value === undefined) return 'absent';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function diffPath(a: unknown, b: unknown, path: string[]): { path: string[]; proven: unknown; written: unknown } | undefined {
  if (a === b) return undefined;
  const bothObjects = a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b);
  if (!bothObjects) return { path, proven: a, written: b };
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
  for (const key of keys) {
    if (!(key in left) || !(key in right)) return { path: [...path, key], proven: left[key], written: right[key] };
    const inner = diffPath(left[key], right[key], [...path, key]);
    if (inner) return inner;
  }
  return undefined;
}

/** The finding for one difference between what was proven and what was written. */
export function writtenFinding(problem: string, ownerPath: string): Finding {
  return {
    ruleId: WRITTEN_RULE,
    title: 'The written configuration is the proven one',
    explanation: 'The proof judges the configuration before cdktf writes it. Anything that changes or adds configuration afterwards is deployed without being proven.',
    objective: 'SOV-7',
    severity: 'error',
    problem,
    fix: 'remove whatever changes the configuration after the proof (a custom synthesis step, a Lazy value that changes between calls, a file written beside cdk.tf.json), then synthesize again',
    placement: {
      kind: 'stack', target: 'cdk.tf.json', description: 'the written configuration', ownerPath, origin: 'declared',
      resolution: unproven(problem, 'synthesize again without changing the configuration after the proof'),
    },
  };
}
