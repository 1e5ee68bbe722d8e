/**
 * The one shared test helper: build the smallest stack, synthesize it with the
 * real synthesizer (validations and annotations included), read the results.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Testing } from 'cdktf';
import { Construct } from 'constructs';
import { Jurisdiction, LocationResolver, Resolution } from '../constructs/jurisdiction';
import { Placement, PlacementKind, PolicyContext, Profile, resolvePlacement } from '../constructs/policy';
import { SovereignStack, SovereignStackProps } from '../constructs/proof';
import { parse as parseYamlText } from 'yaml';
import { Deployment, DeploymentInput, parseDeployment, parseYaml } from '../constructs/deployment';
import { RULE_IDS } from '../constructs/policy/engine';
import { DEFAULT_DEPLOYMENT } from '../stacks/load-deployment';
import { WorkplaceStack } from '../stacks/workplace-stack';

// Like the cdktf CLI: keep synthesizing on error annotations so tests read them from the manifest.
process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = 'true';

export interface Annotation {
  readonly constructPath: string;
  readonly level: 'INFO' | 'WARN' | 'ERROR';
  readonly message: string;
}

export interface Synthesized {
  /** The parsed cdk.tf.json. */
  readonly json: TerraformConfig;
  /** The file's exact text. */
  readonly text: string;
  readonly annotations: readonly Annotation[];
  /** Annotations of level ERROR. */
  readonly errors: readonly Annotation[];
  readonly warnings: readonly Annotation[];
  readonly outdir: string;
}

export type TerraformConfig = {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly provider?: Record<string, Record<string, unknown>[]>;
  readonly terraform?: { readonly backend?: Record<string, Record<string, unknown>> };
};

const LEVELS: Record<string, Annotation['level']> = { '@cdktf/info': 'INFO', '@cdktf/warn': 'WARN', '@cdktf/error': 'ERROR' };

/** Synthesizes a stack like `cdktf synth` does. */
export function synth(stack: SovereignStack): Synthesized {
  const outdir = Testing.fullSynth(stack);
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
  const entry = manifest.stacks[stack.node.id];
  const text = readFileSync(join(outdir, entry.synthesizedStackPath), 'utf8');
  const annotations: Annotation[] = entry.annotations.map((a: { constructPath: string; level: string; message: string }) => ({
    constructPath: a.constructPath, level: LEVELS[a.level], message: a.message,
  }));
  return {
    json: JSON.parse(text), text, annotations, outdir,
    errors: annotations.filter((a) => a.level === 'ERROR'),
    warnings: annotations.filter((a) => a.level === 'WARN'),
  };
}

/** Rule ids of annotations, e.g. ['SD-RESIDENCY']. */
export function ruleIds(annotations: readonly Annotation[]): string[] {
  return annotations.map((a) => a.message.replace(/^SUPPRESSED /, '').split(' ')[0]);
}

/** The provider mirror of {@link minimalStack}: a declared host in DE. */
export const TEST_PROVIDER_MIRROR = { pattern: 'terraform-mirror.test.example', countries: ['DE'], operator: 'DE' } as const;
/** The API server of {@link minimalStack}'s cluster: a declared host in DE. */
export const TEST_API_SERVER = { pattern: 'api.k8s.test.example', countries: ['DE'], operator: 'DE' } as const;

/** The smallest SovereignStack: DE, sovereign, STACKIT eu01, providers from a mirror in DE. */
export function minimalStack(props: Partial<SovereignStackProps> = {}): SovereignStack {
  const app = Testing.app();
  const stack = new SovereignStack(app, 'test', {
    jurisdiction: Jurisdiction.of('DE'),
    clusterLocation: 'stackit/eu01',
    providerMirror: `https://${TEST_PROVIDER_MIRROR.pattern}/`,
    terminal: false,
    ...props,
    // A test's own declarations come first, so that they win over these defaults.
    locations: [...(props.locations ?? []), TEST_PROVIDER_MIRROR, TEST_API_SERVER],
  });
  const host = `https://${TEST_API_SERVER.pattern}:6443`;
  new KubernetesProvider(stack, 'Kubernetes', { host });
  new HelmProvider(stack, 'Helm', { kubernetes: { host } });
  return stack;
}

/** The default deployment spec as written, for tests to modify. */
export function defaultInput(): DeploymentInput {
  return parseYaml(readFileSync(DEFAULT_DEPLOYMENT, 'utf8'), DEFAULT_DEPLOYMENT) as DeploymentInput;
}

/** The default spec with `spec` fields replaced, validated. */
export function deployment(spec: Partial<DeploymentInput['spec']> = {}): Deployment {
  const input = defaultInput();
  return parseDeployment({ ...input, spec: { ...input.spec, ...spec } }, 'test', { knownRules: RULE_IDS });
}

/** A WorkplaceStack of the default spec with `spec` fields replaced. */
export function workplace(spec: Partial<DeploymentInput['spec']> = {}): WorkplaceStack {
  const d = deployment(spec);
  return new WorkplaceStack(Testing.app(), d.metadata.name, { deployment: d, terminal: false });
}

/** A rule context. */
export function context(jurisdiction = 'DE', operators = jurisdiction, profile: Profile = 'sovereign'): PolicyContext {
  return {
    jurisdiction: Jurisdiction.of(jurisdiction as never),
    operators: Jurisdiction.of(operators as never),
    profile,
  };
}

const resolver = new LocationResolver({
  cluster: new LocationResolver().resolve('stackit/eu01'),
  declarations: [
    { pattern: 'logs.agency.example', countries: ['DE'], operator: 'DE' },
    { pattern: 'metrics.agency.example', countries: ['DE'], operator: 'DE' },
  ],
});

/** A placement whose target is resolved against the catalogue. */
export function placement(kind: PlacementKind, target: string, extra: Partial<Placement> = {}): Placement {
  const resolution: Resolution = resolvePlacement({ kind, target, description: '' }, resolver);
  return { kind, target, description: `${kind} under test`, ownerPath: 'test/Owner', origin: 'declared', resolution, ...extra };
}

/** A construct to hang resources on. */
export function scope(stack: SovereignStack, id = 'Team'): Construct {
  return new Construct(stack, id);
}

const VERBATIM_MAPS = new Set(['labels', 'annotations', 'match_labels', 'data', 'string_data']);

/**
 * Converts a Terraform Kubernetes-provider block (snake_case) into the API
 * object shape (camelCase) for schema validation with kubernetes-models.
 */
export function toKubernetes(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => toKubernetes(v));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).filter(([k]) => k !== '//');
  if (VERBATIM_MAPS.has(key)) return Object.fromEntries(entries);
  return Object.fromEntries(entries.map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), toKubernetes(v, k)]));
}

/** Resources of one type in a synthesized configuration. */
export function resources(json: TerraformConfig, type: string): Record<string, unknown>[] {
  return Object.values(json.resource?.[type] ?? {});
}

/** A resource of a type whose construct path ends with `pathSuffix`. */
export function resourceAt(json: TerraformConfig, type: string, pathSuffix: string): Record<string, unknown> {
  const found = Object.values(json.resource?.[type] ?? {}).filter((r) => {
    const meta = (r['//'] as { metadata?: { path?: string } } | undefined)?.metadata;
    return meta?.path?.endsWith(pathSuffix);
  });
  if (found.length !== 1) throw new Error(`expected one ${type} at *${pathSuffix}, found ${found.length}`);
  return found[0];
}

/** The parsed values of the Helm release whose construct path ends with `pathSuffix`. */
export function releaseValues(json: TerraformConfig, pathSuffix: string): Record<string, any> {
  const release = resourceAt(json, 'helm_release', pathSuffix);
  return parseYamlText((release.values as string[])[0]) as Record<string, any>;
}

/**
 * The copies of the default deployment whose keys the storage provider or the
 * sink holds (SD-KEY-CUSTODY `provider`): a warning each under `sovereign`, an
 * error each under `strict`.
 */
export const PROVIDER_KEY_COPIES: readonly string[] = [
  'Workplace/ChatDatabase/Backup', 'Workplace/FilesBucket/Bucket', 'Workplace/FilesDatabase/Backup', 'Workplace/IdentityDatabase/Backup',
  'Workplace/LogShipping/LogSink', 'Workplace/Metrics/MetricsSink', 'Workplace/Projects/Database/Backup', 'Workplace/Wiki/Database/Backup',
];

/** The construct paths (without the stack) of annotations of one rule, sorted. */
export function pathsOf(annotations: readonly Annotation[], rule: string): string[] {
  return annotations.filter((a) => a.message.includes(` ${rule} `)).map((a) => a.constructPath.split('/').slice(1).join('/')).sort();
}
