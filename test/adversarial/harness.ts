/**
 * Table-driven attacks on the proof. Each case builds a stack (or a spec that
 * must be refused), synthesizes it in-process and reads the findings: the
 * proof must fail, and its output must name the offending value.
 */
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { SovereignStack, SovereignStackProps } from '../../constructs/proof';
import { SovereignStackPropsError } from '../../constructs/proof/sovereign-stack';
import { SpecError } from '../../constructs/deployment';
import { DeploymentInput } from '../../constructs/deployment';
import { deployment, minimalStack, scope, synth, workplace } from '../util';

/** The attack classes of the suite. */
export type AttackClass =
  | 'shape' | 'parsers' | 'anchoring' | 'declarations' | 'references' | 'scan' | 'apply-time'
  | 'terraform' | 'bytes' | 'backups' | 'phone-home' | 'egress' | 'suppressions';

/** One attack: what it builds, and the value the output must name. */
export interface Attack {
  readonly class: AttackClass;
  readonly name: string;
  /** A stack to synthesize; building may throw a SpecError or SovereignStackPropsError, which counts as the proof failing. */
  readonly build: () => SovereignStack | Outcome;
  /** The offending value (or a recognisable part of it) the output must contain. */
  readonly expectNamed: string | RegExp;
}

/** What a case produced: the error texts (finding messages or the spec error). */
export interface Outcome {
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

/** Builds and synthesizes; a SpecError (or refused stack props) is one error whose text is its message. */
export function outcome(build: () => SovereignStack | Outcome): Outcome {
  let built: SovereignStack | Outcome;
  try {
    built = build();
  } catch (error) {
    if (error instanceof SpecError || error instanceof SovereignStackPropsError) return { errors: [error.message], warnings: [] };
    throw error;
  }
  if (!(built instanceof SovereignStack)) return built;
  const out = synth(built);
  return { errors: out.errors.map((a) => a.message), warnings: out.warnings.map((a) => a.message) };
}

/** Registers one jest test per attack. */
export function runAttacks(attacks: readonly Attack[]): void {
  describe.each(groupByClass(attacks))('attack class %s', (_cls, cases) => {
    it.each(cases.map((c) => [c.name, c] as const))('fails and names the value: %s', (_name, attack) => {
      const out = outcome(attack.build);
      expect(out.errors.length).toBeGreaterThan(0);
      const named = out.errors.some((text) => (typeof attack.expectNamed === 'string' ? text.includes(attack.expectNamed) : attack.expectNamed.test(text)));
      if (!named) throw new Error(`no error names ${String(attack.expectNamed)}:\n${out.errors.join('\n---\n')}`);
    });
  });
}

function groupByClass(attacks: readonly Attack[]): [string, Attack[]][] {
  const groups = new Map<string, Attack[]>();
  for (const a of attacks) groups.set(a.class, [...(groups.get(a.class) ?? []), a]);
  return [...groups.entries()];
}

/** A minimal stack with one ConfigMap whose data holds `value` under `key`. */
export function configMap(value: string, key = 'setting', props: Partial<SovereignStackProps> = {}): SovereignStack {
  const stack = minimalStack({ report: false, ...props });
  new ConfigMapV1(scope(stack), 'Config', { metadata: { name: 'c', namespace: 'team' }, data: { [key]: value } });
  return stack;
}

/** A minimal stack with hand-made resources added by `add`. */
export function composed(add: (stack: SovereignStack) => void, props: Partial<SovereignStackProps> = {}): SovereignStack {
  const stack = minimalStack({ report: false, ...props });
  add(stack);
  return stack;
}

/** The default spec with one field replaced, validated only (a SpecError is the expected outcome). */
export function specOnly(spec: Partial<DeploymentInput['spec']>): Outcome {
  deployment(spec);
  return { errors: [], warnings: [] };
}

/** The default spec with fields replaced, built into a WorkplaceStack. */
export function spec(fields: Partial<DeploymentInput['spec']>): SovereignStack {
  return workplace(fields);
}

/** An attack on a ConfigMap value. */
export function inConfigMap(cls: AttackClass, value: string, expectNamed: string | RegExp, props: Partial<SovereignStackProps> = {}, key?: string): Attack {
  return { class: cls, name: `${key ? `${key}: ` : ''}${JSON.stringify(value)}`, build: () => configMap(value, key, props), expectNamed };
}
