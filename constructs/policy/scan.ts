/**
 * The generic scan: finds placements in synthesized Terraform JSON, so that
 * resources no construct declared — a team's own `helm_release` with a foreign
 * chart repository, a values file with a foreign S3 host, a module, a
 * provisioner — are judged too.
 *
 * It reads everything in the configuration: every top-level block, every key
 * and every string, except the cdktf metadata key `//`. What it cannot prove
 * (a value computed at apply time, a module's resources, a provider the
 * catalogue cannot place) becomes a placement the resolver reports unproven.
 *
 * Pure: works on the JSON that `cdktf synth` writes (and OpenTofu reads).
 */
import { chartDefaultCallsHome, phoneHomeIn } from './phone-home-settings';
import { rcloneRemotesIn } from './scan-rclone';
import { insecureSinksIn } from './scan-transport';
import type { KeyCustodySpec } from './key-custody';
import { PlacementKind, PlacementSpec, kubeconfigTarget } from './placement';
import { COMPUTED_MARK, ProvenValues, evaluateTemplate, provenValues } from './scan-expressions';
import { imageKeyRole, imagesInObject, isImageUnder, isRegistry, keyWords, registryTarget } from './scan-images';
import {
  CATALOGUED_PROVIDERS, IN_STATE_PROVIDERS, LOCATION_ATTRIBUTES, moduleSourceUrl, providerOf, providerSourceUrl,
} from './scan-providers';
import { scanStores } from './scan-stores';
import { MAX_DECODE_DEPTH, targetsInText, textTargets } from './scan-text';
import { yamlDocuments } from './yaml-documents';

/** A placement found by the scan, with where it was found. */
export interface ScannedPlacement extends PlacementSpec {
  /** Construct path from the resource's `//` metadata, or the stack path. */
  readonly ownerPath: string;
  /** Terraform address, e.g. `helm_release.grafana`. */
  readonly address: string;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A Terraform JSON configuration; every block in it is read. */
export interface TerraformJson {
  readonly resource?: Record<string, Record<string, JsonObject>>;
  readonly data?: Record<string, Record<string, JsonObject>>;
  readonly provider?: Record<string, JsonObject[] | JsonObject>;
  readonly module?: Record<string, JsonObject>;
  readonly variable?: Record<string, JsonObject>;
  readonly terraform?: {
    readonly backend?: Record<string, JsonObject>;
    readonly cloud?: JsonObject;
    readonly required_providers?: Record<string, Json> | Record<string, Json>[];
    readonly [key: string]: unknown;
  };
  readonly [section: string]: unknown;
}

/**
 * Keys whose text is a value of a host (the whole value is reported even without a public suffix);
 * `external_name` is a Service's ExternalName, the DNS name the Service stands for.
 */
const HOST_KEY = /^(host|hostname|endpoint|server|address|url|uri|external_name|externalName)$|(Host|Hostname|Endpoint|Server|Url|Uri|_host|_endpoint|_server|_url)$/;
const HOST_VALUE = /^(?=.{4,253}$)[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?$/i;
/**
 * Meta-arguments whose strings Terraform reads as references to other
 * blocks, not as text, by their path in a block: `depends_on`, `provider`,
 * `providers`, `lifecycle.ignore_changes`, `lifecycle.replace_triggered_by`,
 * and `configuration_aliases` of a required provider. The same keys deeper
 * in a value (a manifest's `provider`) are read as any value.
 */
const REFERENCE_ARGUMENT = /^(?:depends_on|provider|providers|lifecycle(?:\.\d+)?\.(?:ignore_changes|replace_triggered_by)|[^.]+\.configuration_aliases)$/;
/** Top-level blocks whose `from`/`to` are references. */
const REFERENCE_BLOCKS = new Set(['moved', 'removed', 'import']);
const TERRAFORM_REFERENCE = /^(?:[A-Za-z_][\w-]*)(?:\.[A-Za-z_][\w-]*|\[[^\]]*\])*$/;
/**
 * Meta-arguments whose computed value names no place: how many instances
 * there are (`count`, `for_each` of a block — where `each.value` or
 * `count.index` is used, that use is reported), and checks (`condition` and
 * `error_message` of preconditions, postconditions, check assertions and
 * variable validations). Their text is still read.
 */
const NOT_A_PLACE = /^(?:count|for_each|(?:lifecycle(?:\.\d+)?\.)?(?:precondition|postcondition|assert|validation)(?:\.\d+)?\.(?:condition|error_message))$/;
/** The cdktf metadata key: construct paths and stack traces, never deployed. */
const METADATA_KEY = '//';
const LOCAL_FILE_TYPES = new Set(['local_file', 'local_sensitive_file']);

type Sink = (spec: PlacementSpec) => void;

/** Where a value is: the block it belongs to and what it can be compared with. */
interface Scope {
  readonly address: string;
  readonly sink: Sink;
  readonly proven: ProvenValues;
  /** cert-manager issuers defined and referenced anywhere in the configuration. */
  readonly issuers: Issuers;
}

/** cert-manager issuers: those a manifest defines, and those an annotation names, with where. */
interface Issuers {
  readonly defined: Set<string>;
  readonly referenced: { readonly name: string; readonly scope: Scope; readonly field: string }[];
}

/** Annotations by which an Ingress names the issuer of its certificate. */
const ISSUER_ANNOTATIONS = new Set(['cert-manager.io/cluster-issuer', 'cert-manager.io/issuer']);

/** How a value is read. */
interface Reading {
  /** Strings are Terraform templates (false inside embedded config files). */
  readonly templated: boolean;
  /** Strings are references (meta-arguments such as `depends_on`). */
  readonly references?: boolean;
  /** Levels of embedded config files and encodings already opened. */
  readonly depth: number;
}

const TERRAFORM: Reading = { templated: true, depth: 0 };

/** Scans a whole configuration. Output is sorted and free of duplicates. */
export function scanTerraform(config: TerraformJson, stackPath: string): ScannedPlacement[] {
  const found: ScannedPlacement[] = [];
  const proven = provenValues(config as Parameters<typeof provenValues>[0]);
  const namespaceOf = namespaceNames(config);
  const issuers: Issuers = { defined: new Set(), referenced: [] };
  const scope = (address: string, ownerPath: string, adjust: (spec: PlacementSpec) => PlacementSpec = (s) => s): Scope => ({
    address,
    proven,
    issuers,
    sink: (spec) => found.push({ ...adjust(spec), ownerPath, address }),
  });
  for (const [section, content] of Object.entries(config)) {
    if (section === METADATA_KEY || content === undefined) continue;
    switch (section) {
      case 'resource':
      case 'data':
      case 'ephemeral':
        for (const [type, blocks] of entries(content)) {
          for (const [name, body] of entries(blocks)) {
            for (const block of bodies(body)) {
              const address = `${section === 'resource' ? '' : `${section}.`}${type}.${name}`;
              scanBlock(section, type, block, scope(address, ownerOf(block) ?? stackPath), namespaceOf);
            }
          }
        }
        break;
      case 'provider':
        for (const [name, configs] of entries(content)) {
          const list = Array.isArray(configs) ? configs : [configs];
          list.forEach((block, index) => {
            const address = `provider.${name}${list.length > 1 ? `[${index}]` : ''}`;
            scanProvider(name, block, scope(address, stackPath, clusterEndpoint(name)));
          });
        }
        break;
      case 'terraform':
        for (const settings of bodies(content as Json)) scanTerraformSettings(settings, (address, adjust) => scope(address, stackPath, adjust));
        break;
      case 'module':
        for (const [name, body] of entries(content)) {
          for (const block of bodies(body)) scanModule(name, block, scope(`module.${name}`, ownerOf(block) ?? stackPath));
        }
        break;
      case 'variable':
      case 'output':
      case 'check':
        for (const [name, block] of entries(content)) {
          walk(block as Json, [], '', scope(`${section}.${name}`, (isObject(block) && ownerOf(block)) || stackPath), TERRAFORM);
        }
        break;
      case 'locals':
        for (const [name, value] of entries(content)) walk(value as Json, [], name, scope(`local.${name}`, stackPath), TERRAFORM);
        break;
      default: {
        const blocks = Array.isArray(content) ? content : [content];
        blocks.forEach((block, index) => {
          const address = blocks.length > 1 || REFERENCE_BLOCKS.has(section) ? `${section}[${index}]` : section;
          const target = scope(address, (isObject(block) && ownerOf(block)) || stackPath);
          if (REFERENCE_BLOCKS.has(section) && isObject(block)) walkBlockWithReferences(block, ['from', 'to'], target);
          else walk(block as Json, [], '', target, TERRAFORM);
        });
      }
    }
  }
  // An issuer named by reference and defined nowhere in the configuration: its certificate authority is not known.
  for (const { name, scope: where, field } of issuers.referenced) {
    if (issuers.defined.has(name)) continue;
    where.sink({ kind: 'endpoint', target: `clusterissuer:${name}`, description: `certificate authority of the issuer ${name}, named in ${where.address} (${field})` });
  }
  return dedupe(found.sort(comparePlacements));
}

/** A resource, data source or ephemeral resource. */
function scanBlock(section: string, type: string, block: JsonObject, scope: Scope, namespaceOf: (v: Json | undefined) => string | undefined): void {
  if (type === 'helm_release' && section === 'resource') scanHelmRelease(block, scope);
  else walk(block, [], '', scope, TERRAFORM);
  scanExecs(section, type, block, scope);
  scanProviderPlacement(section, type, block, scope);
  if (section === 'data' && type === 'terraform_remote_state') scanRemoteState(block, scope);
  if (section === 'resource') scanStores(type, block, scope.address, namespaceOf, scope.sink);
  for (const setting of phoneHomeIn(block)) {
    scope.sink({ kind: 'endpoint', target: setting.target, description: `${setting.description} in ${scope.address}`, phoneHome: setting.setting });
  }
  for (const sink of insecureSinksIn(block)) {
    scope.sink({ kind: 'endpoint', target: sink.target, description: `sink in ${scope.address}`, insecureTransport: sink.setting });
  }
  for (const remote of rcloneRemotesIn(block)) {
    scope.sink({ kind: 'endpoint', target: remote.target, description: `rclone ${remote.description}, in ${scope.address}` });
  }
}

/**
 * Where the provider of a resource puts it: `<catalogue id>/<region>` for a
 * catalogued provider's resource with its own `region`, `location` or
 * `zone`; `local:<filename>` for a local file; `provider:<name>` for a
 * provider the catalogue cannot place and whose resources are not kept in
 * the cluster or the state.
 */
function scanProviderPlacement(section: string, type: string, block: JsonObject, scope: Scope): void {
  const provider = providerOf(type, block);
  const catalogued = CATALOGUED_PROVIDERS[provider];
  if (catalogued) {
    for (const attribute of LOCATION_ATTRIBUTES) {
      const value = block[attribute];
      if (typeof value === 'string' && value.length > 0 && !/[$%]\{/.test(value)) {
        scope.sink({ kind: 'endpoint', target: `${catalogued.id}/${value}`, description: `${attribute} of ${scope.address}` });
      }
    }
    return;
  }
  if (IN_STATE_PROVIDERS.has(provider)) return;
  if (section === 'data' && type === 'external') return;
  if (LOCAL_FILE_TYPES.has(type) || (provider === 'local' && typeof block.filename === 'string')) {
    scope.sink({ kind: 'endpoint', target: `local:${String(block.filename ?? '')}`, description: `file ${section === 'data' ? 'read' : 'written'} by ${scope.address} on the machine that runs Terraform` });
    return;
  }
  scope.sink({ kind: 'endpoint', target: `provider:${provider}`, description: `resources of provider ${provider}, which the catalogue cannot place` });
}

/** The state of another configuration, which `terraform_remote_state` reads from its backend. */
function scanRemoteState(block: JsonObject, scope: Scope): void {
  const backend = typeof block.backend === 'string' ? block.backend : 'unknown';
  const { target } = stateTarget(backend, first(block.config) ?? {});
  scope.sink({ kind: 'endpoint', target, description: `state of another configuration read by ${scope.address} (${backend} backend)` });
}

/** Programs Terraform runs: provisioners, the `external` data source, Helm post-renderers. */
function scanExecs(section: string, type: string, block: JsonObject, scope: Scope): void {
  const provisioners = Array.isArray(block.provisioner) ? block.provisioner : isObject(block.provisioner) ? [block.provisioner] : [];
  for (const entry of provisioners) {
    for (const [kind, body] of entries(entry)) {
      const settings = bodies(body);
      const command = settings.length > 0 ? settings.map(describeCommand).join('') : '';
      scope.sink({ kind: 'exec', target: kind, description: `${kind} provisioner of ${scope.address}${command}` });
    }
  }
  if (section === 'data' && type === 'external') {
    scope.sink({ kind: 'exec', target: 'external', description: `external data source ${scope.address}${describeCommand({ program: block.program ?? null })}` });
  }
  const postrender = first(block.postrender);
  if (type === 'helm_release' && postrender) {
    scope.sink({ kind: 'exec', target: 'helm-postrender', description: `post-renderer of ${scope.address}${describeCommand({ binary_path: postrender.binary_path ?? null, args: postrender.args ?? null })}` });
  }
}

/** `: command …` from the fields of a provisioner or program, shortened for reviewers. */
function describeCommand(settings: unknown): string {
  if (!isObject(settings)) return '';
  const parts = ['command', 'inline', 'script', 'scripts', 'program', 'source', 'destination', 'binary_path', 'args']
    .filter((key) => settings[key] !== undefined && settings[key] !== null)
    .map((key) => `${key} ${typeof settings[key] === 'string' ? settings[key] : JSON.stringify(settings[key])}`);
  if (isObject(settings) && settings.content !== undefined && parts.length === 0) parts.push('content');
  const text = parts.join(', ').replace(/\s+/g, ' ');
  return text ? `: ${text.length > 200 ? `${text.slice(0, 199)}…` : text}` : '';
}

/** A provider configuration: its endpoints, and its default region when the catalogue can place it. */
function scanProvider(name: string, block: Json, scope: Scope): void {
  walk(block, [], '', scope, TERRAFORM);
  credentialPlugins(block, scope);
  if (isObject(block) && (name === 'kubernetes' || name === 'helm')) {
    const connection = name === 'helm' ? first(block.kubernetes) : (block as JsonObject);
    if (connection && typeof connection.host !== 'string') {
      scope.sink({ kind: 'cluster', target: kubeconfigOf(connection), description: `${name} provider API server, read from the kubeconfig at apply time` });
    }
  }
  const catalogued = CATALOGUED_PROVIDERS[name];
  if (!catalogued?.regionAttributes || !isObject(block)) return;
  const regions = catalogued.regionAttributes.map((a) => [a, block[a]] as const).filter(([, v]) => typeof v === 'string' && v.length > 0);
  for (const [attribute, value] of regions) {
    if (!/[$%]\{/.test(String(value))) scope.sink({ kind: 'endpoint', target: `${catalogued.id}/${String(value)}`, description: `${attribute} of provider ${name}` });
  }
  if (regions.length === 0) {
    scope.sink({ kind: 'endpoint', target: `provider:${name}`, description: `resources of provider ${name}, whose ${catalogued.regionAttributes.join(' or ')} is not set (it comes from the environment)` });
  }
}

/** For the kubernetes and helm providers, an endpoint is the cluster's API server. */
function clusterEndpoint(name: string): (spec: PlacementSpec) => PlacementSpec {
  if (name !== 'kubernetes' && name !== 'helm') return (spec) => spec;
  return (spec) => (spec.kind === 'endpoint' ? { ...spec, kind: 'cluster', description: `${name} provider API server` } : spec);
}

/** The `terraform` block: state backends, HCP Terraform, provider sources, and the rest. */
function scanTerraformSettings(settings: Record<string, unknown>, scopeOf: (address: string, adjust?: (spec: PlacementSpec) => PlacementSpec) => Scope): void {
  for (const [key, value] of Object.entries(settings)) {
    if (key === METADATA_KEY) continue;
    if (key === 'backend') {
      for (const [type, block] of entries(value)) {
        const backend = isObject(block) ? (block as JsonObject) : {};
        const scope = scopeOf(`terraform.backend.${type}`, asState(type));
        scope.sink(stateTarget(type, backend));
        if (type === 's3') awsCallsOfS3Backend(backend).forEach(scope.sink);
        credentialPlugins(backend, scope);
        walk(backend, [], '', scope, TERRAFORM);
      }
    } else if (key === 'cloud') {
      const block = isObject(value) ? (value as JsonObject) : {};
      const scope = scopeOf('terraform.cloud', asState('cloud'));
      scope.sink(stateTarget('cloud', block));
      walk(block, [], '', scope, TERRAFORM);
    } else if (key === 'required_providers') {
      const scope = scopeOf('terraform.required_providers');
      for (const group of Array.isArray(value) ? value : [value]) {
        for (const [name, requirement] of entries(group)) {
          const source = isObject(requirement) && typeof requirement.source === 'string' ? requirement.source : undefined;
          scope.sink({ kind: 'provider-source', target: providerSourceUrl(name, source), description: `source of provider ${name}` });
          if (isObject(requirement)) walk(withoutKeys(requirement as JsonObject, ['source']), [name], name, scope, TERRAFORM);
        }
      }
    } else {
      walk(value as Json, [key], key, scopeOf(`terraform.${key}`), TERRAFORM);
    }
  }
}

/**
 * Credential plugins Terraform runs for a provider or backend: an `exec`
 * block with a `command` (the kubernetes and helm providers, the kubernetes
 * backend), at any depth of the configuration.
 */
function credentialPlugins(block: Json, scope: Scope): void {
  const visit = (value: Json, path: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item) => visit(item, path));
      return;
    }
    if (!isObject(value)) return;
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'exec') {
        for (const plugin of bodies(inner)) {
          if (plugin.command === undefined) continue;
          scope.sink({ kind: 'exec', target: 'credential-plugin', description: `credential plugin of ${scope.address}${describeCommand(plugin)}` });
        }
      }
      visit(inner, `${path}.${key}`);
    }
  };
  visit(block, '');
}

/**
 * The AWS services an S3 backend calls besides its bucket: the DynamoDB lock
 * table (without its own endpoint, in AWS), and STS, which validates the
 * credentials and reads the account id unless both are skipped or STS has
 * its own endpoint. With a bucket outside AWS these calls still go to AWS;
 * with a bucket in AWS they go where the bucket is, which is judged already.
 */
function awsCallsOfS3Backend(block: JsonObject): PlacementSpec[] {
  const endpoints = isObject(block.endpoints) ? block.endpoints : {};
  const region = typeof block.region === 'string' && block.region.length > 0 ? block.region : 'us-east-1';
  // With the bucket itself in AWS, these calls go to the same provider and region as the state: judged there.
  const bucket = stateTarget('s3', block).target;
  if (/^https?:\/\/(?:[^/]*\.)?amazonaws\.(?:com|eu)(?::\d+)?(?:\/|$)/i.test(bucket)) return [];
  const calls: PlacementSpec[] = [];
  const hasEndpoint = (key: string, legacy: string) => typeof endpoints[key] === 'string' || typeof block[legacy] === 'string';
  if (typeof block.dynamodb_table === 'string' && block.dynamodb_table.length > 0 && !hasEndpoint('dynamodb', 'dynamodb_endpoint')) {
    calls.push({ kind: 'state', backend: 's3', target: `https://dynamodb.${region}.amazonaws.com`, description: `state lock table ${block.dynamodb_table} (S3 backend, DynamoDB in AWS)`, keys: STATE_CALL_KEYS });
  }
  const skipsSts = block.skip_credentials_validation === true && block.skip_requesting_account_id === true;
  if (!skipsSts && !hasEndpoint('sts', 'sts_endpoint')) {
    calls.push({
      kind: 'state', backend: 's3', target: `https://sts.${region}.amazonaws.com`,
      description: 'credential check of the S3 backend (AWS STS; set skip_credentials_validation and skip_requesting_account_id, or endpoints.sts)',
      keys: STATE_CALL_KEYS,
    });
  }
  return calls;
}

/** The kubeconfig a connection without `host` reads its API server from. */
function kubeconfigOf(connection: JsonObject): string {
  const text = (key: string) => (typeof connection[key] === 'string' ? (connection[key] as string) : undefined);
  return kubeconfigTarget(text('config_path'), text('config_context'));
}

/** Endpoints of a backend's configuration hold the state too. */
function asState(backend: string): (spec: PlacementSpec) => PlacementSpec {
  return (spec) => (spec.kind === 'endpoint' ? { ...spec, kind: 'state', backend } : spec);
}

/**
 * A module call: where its code comes from, its resources (which are not in
 * the synthesized configuration, so cannot be proven), and its inputs.
 */
function scanModule(name: string, block: JsonObject, scope: Scope): void {
  if (typeof block.source === 'string') {
    scope.sink({ kind: 'module', target: moduleSourceUrl(block.source), description: `source of module ${name}` });
  }
  scope.sink({ kind: 'endpoint', target: `module:${name}`, description: `resources of module ${name}, which are not in the synthesized configuration` });
  walk(withoutKeys(block, ['source']), [], '', scope, TERRAFORM);
}

/** A `moved`, `removed` or `import` block: its `from`/`to` are references, the rest is read as any value. */
function walkBlockWithReferences(block: Record<string, unknown>, referenceKeys: readonly string[], scope: Scope): void {
  for (const [key, value] of Object.entries(block)) {
    if (key === METADATA_KEY) continue;
    walk(value as Json, [key], key, scope, referenceKeys.includes(key) ? { ...TERRAFORM, references: true } : TERRAFORM);
  }
}

/** Maps `${kubernetes_namespace_v1.x.metadata[0].name}` references (and plain names) to namespace names. */
export function namespaceNames(config: TerraformJson): (value: Json | undefined) => string | undefined {
  const byReference = new Map<string, string>();
  for (const type of ['kubernetes_namespace_v1', 'kubernetes_namespace']) {
    for (const [id, block] of Object.entries(config.resource?.[type] ?? {})) {
      const name = first(block.metadata)?.name;
      if (typeof name === 'string') {
        byReference.set(`\${${type}.${id}.metadata[0].name}`, name);
        byReference.set(`\${${type}.${id}.metadata.0.name}`, name);
      }
    }
  }
  return (value) => (typeof value === 'string' ? byReference.get(value) ?? (value.includes('${') ? undefined : value) : undefined);
}

function first(value: Json | undefined): JsonObject | undefined {
  const item = Array.isArray(value) ? value[0] : value;
  return item && typeof item === 'object' && !Array.isArray(item) ? item : undefined;
}

function ownerOf(block: Record<string, unknown>): string | undefined {
  const meta = block[METADATA_KEY];
  if (meta && typeof meta === 'object' && !Array.isArray(meta)) {
    const metadata = (meta as JsonObject).metadata;
    if (metadata && typeof metadata === 'object' && !Array.isArray(metadata) && typeof metadata.path === 'string') return metadata.path;
  }
  return undefined;
}

/**
 * A Helm release: its chart repository (or OCI chart), its values files
 * (parsed as YAML), its `set` entries (read as the values they set, so image
 * parts set one by one still make an image), and every other argument.
 */
function scanHelmRelease(block: JsonObject, scope: Scope): void {
  const repository = block.repository;
  const chart = block.chart;
  if (typeof repository === 'string' && repository.length > 0) {
    scope.sink({ kind: 'chart-repository', target: repository, description: `chart repository of ${scope.address}` });
  } else if (typeof chart === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(chart)) {
    scope.sink({ kind: 'chart-repository', target: chart, description: `chart of ${scope.address}` });
  }
  const values = Array.isArray(block.values) ? block.values : [];
  values.forEach((text, index) => {
    if (typeof text === 'string') scanString(text, 'values', ['values', String(index)], scope, TERRAFORM, { structured: true });
    else walk(text, ['values', String(index)], 'values', scope, TERRAFORM);
  });
  const setKeys = ['set', 'set_list', 'set_sensitive', 'set_wo'];
  for (const key of setKeys) {
    const set = block[key];
    if (!Array.isArray(set)) continue;
    const { values: setValues, rest } = valuesOfSet(set);
    walk(setValues, [key], key, scope, TERRAFORM);
    walk(rest, [key], key, scope, TERRAFORM);
  }
  walk(withoutKeys(block, ['repository', 'chart', 'values', ...setKeys]), [], '', scope, TERRAFORM);
  // A chart left at its defaults calls home where its defaults do.
  if (typeof chart === 'string') {
    const text = JSON.stringify([block.values ?? [], ...setKeys.map((key) => block[key] ?? [])]);
    for (const setting of chartDefaultCallsHome(chart, text)) {
      scope.sink({ kind: 'endpoint', target: setting.target, description: `${setting.description} (the chart's default) in ${scope.address}`, phoneHome: setting.setting });
    }
  }
}

/**
 * The values a list of `set` entries sets, as nested objects
 * (`a.b\\.c` → `{a: {'b.c': value}}`), and the entries' other fields.
 */
function valuesOfSet(list: readonly Json[]): { values: JsonObject; rest: Json[] } {
  const values: JsonObject = {};
  const rest: Json[] = [];
  for (const entry of list) {
    if (!isObject(entry) || typeof entry.name !== 'string') {
      rest.push(entry);
      continue;
    }
    const segments = entry.name.split(/(?<!\\)\./).map((s) => s.replace(/\\\./g, '.'));
    let node = values;
    for (const segment of segments.slice(0, -1)) {
      const child = node[segment];
      node = isObject(child) ? (child as JsonObject) : (node[segment] = {});
    }
    const last = segments[segments.length - 1];
    node[last] = node[last] === undefined ? (entry.value ?? null) : [node[last], entry.value ?? null];
    rest.push(withoutKeys(entry as JsonObject, ['name', 'value']));
  }
  return { values, rest };
}

/**
 * Reads a value: strings by {@link scanString}; keys of objects as text
 * whose URLs and IP literals count (a key names a setting, a file or a
 * label, not a host); images described by an object's parts by
 * {@link imagesInObject}. Nothing is skipped but the cdktf metadata key `//`
 * at the root of a block.
 */
function walk(value: Json, path: readonly string[], key: string, scope: Scope, reading: Reading): void {
  if (typeof value === 'string') {
    scanString(value, key, path, scope, reading);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, [...path, String(index)], key, scope, reading));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const consumed = new Set<string>();
  for (const image of imagesInObject(value, key)) {
    scope.sink({ kind: 'registry', target: image.target, description: `image ${image.target} in ${scope.address} (${[...path, image.consumed[0]].join('.')})` });
    image.consumed.forEach((k) => consumed.add(k));
  }
  const kubernetesObject = typeof value.apiVersion === 'string' && typeof value.kind === 'string';
  if (kubernetesObject && (value.kind === 'ClusterIssuer' || value.kind === 'Issuer')) {
    const name = first(value.metadata)?.name;
    if (typeof name === 'string') scope.issuers.defined.add(name);
  }
  for (const annotation of ISSUER_ANNOTATIONS) {
    const name = value[annotation];
    if (typeof name === 'string' && name.length > 0) scope.issuers.referenced.push({ name, scope, field: [...path, annotation].join('.') });
  }
  // A Certificate (or CertificateRequest) names its issuer by `issuerRef`; another group's issuer is not cert-manager's.
  const issuerRef = first(value.issuerRef);
  if (issuerRef && typeof issuerRef.name === 'string' && issuerRef.name.length > 0
    && (issuerRef.group === undefined || issuerRef.group === 'cert-manager.io')
    && (issuerRef.kind === undefined || issuerRef.kind === 'ClusterIssuer' || issuerRef.kind === 'Issuer')) {
    scope.issuers.referenced.push({ name: issuerRef.name, scope, field: [...path, 'issuerRef', 'name'].join('.') });
  }
  const bucketEndpoint = endpointBeside(value);
  for (const [child, inner] of Object.entries(value)) {
    // Terraform ignores `//` (a comment) in a block's body, where cdktf writes its metadata. Anywhere
    // else — a map attribute, chart values, a manifest — `//` is an ordinary key and is deployed.
    if (child === METADATA_KEY && path.length === 0 && reading.templated && reading.depth === 0) continue;
    const childPath = [...path, child];
    scanString(child, '', childPath, scope, { templated: reading.templated, depth: reading.depth }, { isKey: true });
    if (consumed.has(child)) continue;
    const references = reading.templated && REFERENCE_ARGUMENT.test(childPath.join('.'));
    const labelKey = namesKubernetesName(child, kubernetesObject || typeof value.kind === 'string');
    if (typeof inner === 'string') {
      scanString(inner, child, childPath, scope, { ...reading, references: reading.references || references }, { labelKey, bucketEndpoint });
    } else if (child === 'apiGroups' && Array.isArray(inner)) {
      inner.forEach((item, index) => {
        if (typeof item === 'string') scanString(item, child, [...childPath, String(index)], scope, reading, { labelKey: true });
        else walk(item, [...childPath, String(index)], child, scope, reading);
      });
    } else {
      walk(inner, childPath, child, scope, { ...reading, references: reading.references || references });
    }
  }
}

/**
 * Fields that hold a Kubernetes name, not a host: a key whose last word is
 * `key` (`topologyKey`, a toleration's or selector requirement's `key`),
 * `apiGroups` (RBAC rules), and in an object with a `kind` (a Kubernetes
 * object or a typed reference such as `issuerRef` or `roleRef`) its
 * `apiVersion`, `apiGroup` and `group`.
 */
function namesKubernetesName(key: string, typed: boolean): boolean {
  if (key === 'apiGroups' || keyWords(key).slice(-1)[0] === 'key') return true;
  return typed && (key === 'apiVersion' || key === 'apiGroup' || key === 'group');
}

/** How a string is read, besides its {@link Reading}. */
interface StringReading {
  /** A whole text `dns.prefix/name` or `dns.name` is a Kubernetes label, annotation or taint key, or an API group. */
  readonly labelKey?: boolean;
  /** The text is a config file even on one line (Helm values). */
  readonly structured?: boolean;
  /** The text is an object key: only what it names is reported, not what it is. */
  readonly isKey?: boolean;
  /** The endpoint set beside the text, which holds the buckets the text names. */
  readonly bucketEndpoint?: string;
}

/** A bucket URL names a bucket, not the service that holds it. */
const BUCKET_URL = /^(s3|gs|az|abfss?|wasbs?):\/\//i;

/**
 * The endpoint an object sets for its buckets: the first `http(s)://` URL
 * under a key whose words include `endpoint` (`endpointURL`, `endpoint`,
 * `s3_endpoint`). A bucket URL beside it (`destinationPath:
 * s3://bucket/path` in a barman object store) is held there.
 */
function endpointBeside(value: Record<string, Json>): string | undefined {
  for (const [key, inner] of Object.entries(value)) {
    if (typeof inner === 'string' && keyWords(key).includes('endpoint') && /^https?:\/\/[^\s$%]+$/i.test(inner)) return inner;
  }
  return undefined;
}

/**
 * Reads a string: first as a Terraform template (a value computed at apply
 * time is reported whole; proven references are substituted), then by what
 * its key says (an image reference, a registry, a host), then as text.
 */
function scanString(raw: string, key: string, path: readonly string[], scope: Scope, reading: Reading, how: StringReading = {}): void {
  const field = path.join('.');
  let text = raw;
  let computed = false;
  if (reading.templated) {
    const evaluated = evaluateTemplate(raw, scope.proven);
    computed = evaluated.computed;
    text = evaluated.text;
    if (computed && !NOT_A_PLACE.test(field)) {
      scope.sink({ kind: 'endpoint', target: raw, description: `value computed at apply time in ${scope.address} (${field})` });
    }
  }
  if (reading.references && TERRAFORM_REFERENCE.test(text)) return;
  if (!computed && !how.isKey) {
    const role = imageKeyRole(key);
    if (isImageUnder(role, text)) {
      scope.sink({ kind: 'registry', target: text, description: `image ${text} in ${scope.address} (${field})` });
      return;
    }
    if ((role === 'registry' || role === 'namespace') && isRegistry(text)) {
      const registry = registryTarget(text);
      scope.sink({ kind: 'registry', target: registry, description: `registry ${registry} in ${scope.address} (${field})` });
      return;
    }
    if (HOST_KEY.test(key) && HOST_VALUE.test(text) && !/^\d+(\.\d+)+$/.test(text.replace(/:\d+$/, ''))) {
      scope.sink({ kind: 'endpoint', target: text, description: `host in ${scope.address} (${field})` });
    }
  }
  scanText(text, field, path, scope, reading.depth, how);
}

/**
 * Reads text: a config file (YAML or JSON, on several lines or in braces)
 * is walked as the structure it is — URLs of the raw text that are in none
 * of its strings (those in comments) are reported too; any other text yields its URLs,
 * hosts and addresses by {@link targetsInText}, and base64 in it is decoded
 * and read again.
 */
function scanText(text: string, field: string, path: readonly string[], scope: Scope, depth: number, how: StringReading): void {
  if (!how.isKey && depth < MAX_DECODE_DEPTH && (how.structured || text.includes('\n') || /^\s*[{[]/.test(text))) {
    const documents = how.structured || text.includes('\n') ? parseStructured(text) : parseJson(text);
    if (documents && documents.some((d) => d !== null && typeof d === 'object')) {
      documents.forEach((d) => walk(d, path, path[path.length - 1] ?? '', scope, { templated: false, depth: depth + 1 }));
      const strings = stringsOf(documents);
      const inComments = textTargets(text, { decode: false }).targets.filter((t) => t.includes('://') && !strings.some((s) => s.includes(t)));
      for (const target of inComments) sinkTarget(target, `${field} (comment)`, scope);
      return;
    }
  }
  const found = textTargets(text, { labelKey: how.labelKey, mapKey: how.isKey, decode: depth < MAX_DECODE_DEPTH });
  for (const target of found.targets) sinkTarget(target, field, scope, how.bucketEndpoint);
  for (const d of found.decoded) scanText(d, `${field} (base64)`, path, scope, depth + 1, {});
}

/**
 * Reports a target found in text. A bucket URL with an endpoint set beside
 * it is placed at that endpoint; without one, as written (the resolver
 * reports that a bucket alone does not say where it is).
 */
function sinkTarget(target: string, field: string, scope: Scope, bucketEndpoint?: string): void {
  if (target.includes(COMPUTED_MARK)) return;
  if (bucketEndpoint && BUCKET_URL.test(target)) {
    scope.sink({ kind: 'endpoint', target: bucketEndpoint, description: `bucket ${target} in ${scope.address} (${field}), at the endpoint beside it` });
    return;
  }
  const url = target.includes('://');
  const kind: PlacementKind = /^oci:\/\//i.test(target) ? 'chart-repository' : 'endpoint';
  const what = kind === 'chart-repository' ? 'OCI artifact' : url ? 'URL' : /^(\[|[\d.]+$|0x)/i.test(target) ? 'IP address' : 'host';
  scope.sink({ kind, target, description: `${what} in ${scope.address} (${field})` });
}

/** Every string of a structure, keys included. */
function stringsOf(values: readonly Json[]): string[] {
  const found: string[] = [];
  const visit = (value: Json): void => {
    if (typeof value === 'string') found.push(value);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        found.push(key);
        visit(inner);
      }
    }
  };
  values.forEach(visit);
  return found;
}

/** The documents of a YAML (or JSON) text, as plain values; undefined when it does not parse. */
function parseStructured(text: string): Json[] | undefined {
  return yamlDocuments(text);
}

/** A one-line text in braces is structure only when it is JSON (`{{ user.name }}` is a template). */
function parseJson(text: string): Json[] | undefined {
  try {
    return [JSON.parse(text) as Json];
  } catch {
    return undefined;
  }
}

/** State a backend asks the storage service to encrypt (S3 `encrypt = true`, GCS, Azure, HCP Terraform): with the provider's keys. */
export const STATE_PROVIDER_KEYS: KeyCustodySpec = {
  custody: 'provider',
  readable: 'the whole state, with every generated secret: the backend stores it encrypted at rest with the provider\'s keys, which the provider holds',
  keys: 'the storage provider',
};

/** State nothing in the configuration encrypts. */
const STATE_PLAIN: KeyCustodySpec = { custody: 'none', readable: 'the whole state, with every generated secret, as plain JSON' };

/** What a call the S3 backend makes beside the state holds. */
const STATE_CALL_KEYS: KeyCustodySpec = { custody: 'provider', readable: 'no state contents: a lock entry with the state\'s digest, or the identity of the credentials', keys: 'the provider' };

function stateTarget(type: string, block: JsonObject): PlacementSpec {
  const text = (key: string) => (typeof block[key] === 'string' ? (block[key] as string) : undefined);
  const description = `Terraform state (${type} backend)`;
  switch (type) {
    case 'local':
      return { kind: 'state', backend: 'local', target: `local:${text('path') ?? 'terraform.tfstate'}`, description };
    case 'kubernetes':
      // Without `host` the backend reaches whatever API server the kubeconfig names when Terraform runs.
      return {
        kind: 'state', backend: 'kubernetes', target: text('host') ?? kubeconfigOf(block),
        description: 'Terraform state (Secret in the cluster)',
      };
    case 's3': {
      const endpoints = block.endpoints;
      const s3 = endpoints && typeof endpoints === 'object' && !Array.isArray(endpoints) && typeof endpoints.s3 === 'string' ? endpoints.s3 : undefined;
      const target = s3 ?? text('endpoint') ?? `https://s3.${text('region') ?? 'us-east-1'}.amazonaws.com`;
      return { kind: 'state', backend: 's3', target, description, keys: block.encrypt === true ? STATE_PROVIDER_KEYS : STATE_PLAIN };
    }
    case 'gcs':
      return { kind: 'state', backend: type, target: 'https://storage.googleapis.com', description, keys: STATE_PROVIDER_KEYS };
    case 'azurerm':
      return { kind: 'state', backend: type, target: `https://${text('storage_account_name') ?? 'unknown'}.blob.core.windows.net`, description, keys: STATE_PROVIDER_KEYS };
    case 'remote':
    case 'cloud':
      return { kind: 'state', backend: type, target: `https://${text('hostname') ?? 'app.terraform.io'}`, description, keys: STATE_PROVIDER_KEYS };
    default: {
      const url = Object.values(block).find((v): v is string => typeof v === 'string' && /:\/\//.test(v));
      return { kind: 'state', backend: type, target: url ?? `${type}-backend`, description, keys: STATE_PLAIN };
    }
  }
}

function isObject(value: unknown): value is Record<string, Json> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The labelled entries of a block map; Terraform's JSON syntax also allows
 * a list of such maps, whose entries are all read.
 */
function entries(value: unknown): [string, Json][] {
  if (Array.isArray(value)) return value.flatMap(entries);
  return isObject(value) ? Object.entries(value).filter(([k]) => k !== METADATA_KEY) : [];
}

/** A block body; Terraform's JSON syntax also allows a list of bodies. */
function bodies(value: Json): JsonObject[] {
  if (Array.isArray(value)) return value.flatMap(bodies);
  return isObject(value) ? [value as JsonObject] : [];
}

function withoutKeys(block: JsonObject, keys: readonly string[]): JsonObject {
  return Object.fromEntries(Object.entries(block).filter(([k]) => !keys.includes(k)));
}

/** Deterministic order: owner, address, kind, target; a phone-home setting before a plain find of the same target. */
function comparePlacements(a: ScannedPlacement, b: ScannedPlacement): number {
  return compare(a.ownerPath, b.ownerPath) || compare(a.address, b.address) || compare(a.kind, b.kind)
    || compare(a.target, b.target) || Number(!a.phoneHome) - Number(!b.phoneHome) || compare(a.description, b.description);
}

/** Code-unit order, the same on every machine. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function dedupe(found: readonly ScannedPlacement[]): ScannedPlacement[] {
  const key = (p: ScannedPlacement) => `${p.ownerPath}\u0000${p.address}\u0000${p.kind}\u0000${p.target}`;
  // The same sink found as a host and as one reached without verified TLS is kept once, with the finding that says so.
  const insecure = new Set(found.filter((p) => p.insecureTransport !== undefined).map(key));
  const seen = new Set<string>();
  return found.filter((p) => {
    const k = key(p);
    if (seen.has(k) || (insecure.has(k) && p.insecureTransport === undefined)) return false;
    seen.add(k);
    return true;
  });
}
