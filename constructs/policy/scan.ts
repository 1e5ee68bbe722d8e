/**
 * The generic scan: finds placements in synthesized Terraform JSON, so that
 * resources no construct declared — a team's own `helm_release` with a foreign
 * chart repository, a values file with a foreign S3 host — are judged too.
 *
 * Pure: works on the JSON that `cdktf synth` writes (and OpenTofu reads).
 */
import { parseAllDocuments } from 'yaml';
import { phoneHomeIn } from './phone-home-settings';
import { PlacementKind, PlacementSpec } from './placement';

/** A placement found by the scan, with where it was found. */
export interface ScannedPlacement extends PlacementSpec {
  /** Construct path from the resource's `//` metadata, or the stack path. */
  readonly ownerPath: string;
  /** Terraform address, e.g. `helm_release.grafana`. */
  readonly address: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** The parts of a Terraform JSON configuration the scan reads. */
export interface TerraformJson {
  readonly resource?: Record<string, Record<string, JsonObject>>;
  readonly data?: Record<string, Record<string, JsonObject>>;
  readonly provider?: Record<string, JsonObject[]>;
  readonly terraform?: { readonly backend?: Record<string, JsonObject> };
}

/** URLs inside any string, including config files embedded in values. */
const URL_IN_TEXT = /\b(?:https?|s3|oci|smtps?|submission|imaps?|ldaps?|wss?|postgres(?:ql)?|redis|rediss|amqps?|turns?|stuns?|sftp|git\+https?):\/\/[^\s"'<>`,;)\]}]+/gi;
const HAS_URL = new RegExp(URL_IN_TEXT.source, 'i');
/** Keys whose value is a host name. */
const HOST_KEY = /^(host|hostname|endpoint|server|address|url|uri|registry)$|(Host|Hostname|Endpoint|Server|Url|Uri|_host|_endpoint|_server|_url)$/;
const HOST_VALUE = /^(?=.{4,253}$)[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?$/i;
const IMAGE_VALUE = /^[a-z0-9]+([._/:@-][a-z0-9_.-]+)*$/i;
/** Keys whose text is documentation, not configuration. */
const IGNORED_KEYS = new Set(['//', 'description', 'depends_on', 'lifecycle', 'provisioner', 'connection']);

/** Scans a whole configuration. */
export function scanTerraform(config: TerraformJson, stackPath: string): ScannedPlacement[] {
  const found: ScannedPlacement[] = [];
  const namespaceOf = namespaceNames(config);
  for (const [section, prefix] of [['resource', ''], ['data', 'data.']] as const) {
    for (const [type, blocks] of Object.entries(config[section] ?? {})) {
      for (const [name, block] of Object.entries(blocks)) {
        const ownerPath = ownerOf(block) ?? stackPath;
        const address = `${prefix}${type}.${name}`;
        const sink = (spec: PlacementSpec) => found.push({ ...spec, ownerPath, address });
        if (type === 'helm_release') scanHelmRelease(block, address, sink);
        else walk(block, [], address, sink);
        if (section === 'resource') scanStores(type, block, address, namespaceOf, sink);
        for (const setting of phoneHomeIn(JSON.stringify(block))) {
          sink({ kind: 'endpoint', target: setting.target, description: `${setting.description} in ${address}`, phoneHome: setting.setting });
        }
      }
    }
  }
  for (const [name, configs] of Object.entries(config.provider ?? {})) {
    configs.forEach((block, index) => {
      const address = `provider.${name}${configs.length > 1 ? `[${index}]` : ''}`;
      walk(block, [], address, (spec) => found.push({
        ...spec,
        kind: spec.kind === 'endpoint' && (name === 'kubernetes' || name === 'helm') ? 'cluster' : spec.kind,
        description: spec.kind === 'endpoint' && (name === 'kubernetes' || name === 'helm') ? `${name} provider API server` : spec.description,
        ownerPath: stackPath,
        address,
      }));
    });
  }
  for (const [type, block] of Object.entries(config.terraform?.backend ?? {})) {
    found.push({ ...stateTarget(type, block), ownerPath: stackPath, address: `terraform.backend.${type}` });
  }
  return dedupe(found);
}

/** Maps `${kubernetes_namespace_v1.x.metadata[0].name}` references (and plain names) to namespace names. */
function namespaceNames(config: TerraformJson): (value: Json | undefined) => string | undefined {
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

/** Data stores a team creates directly: volumes (PVCs, StatefulSet claims) and CloudNativePG clusters. */
function scanStores(type: string, block: JsonObject, address: string, namespaceOf: (v: Json | undefined) => string | undefined, sink: Sink): void {
  const metadata = first(block.metadata);
  const namespace = namespaceOf(metadata?.namespace) ?? 'default';
  if (type === 'kubernetes_persistent_volume_claim_v1' || type === 'kubernetes_persistent_volume_claim') {
    const name = String(metadata?.name ?? address);
    sink({ kind: 'volume', target: `k8s://pvc/${namespace}/${name}`, namespace, description: `volume ${name} (${address})` });
  }
  if (type === 'kubernetes_stateful_set_v1' || type === 'kubernetes_stateful_set') {
    const templates = first(block.spec)?.volume_claim_template;
    for (const template of Array.isArray(templates) ? templates : []) {
      const name = String(first((template as JsonObject).metadata)?.name ?? 'data');
      sink({ kind: 'volume', target: `k8s://pvc/${namespace}/${name}`, namespace, description: `volumes ${name} of ${address}` });
    }
  }
  const manifest = type === 'kubernetes_manifest' ? first(block.manifest) : undefined;
  if (manifest && manifest.kind === 'Cluster' && String(manifest.apiVersion ?? '').startsWith('postgresql.cnpg.io/')) {
    const name = String(first(manifest.metadata)?.name ?? address);
    const ns = namespaceOf(first(manifest.metadata)?.namespace) ?? 'default';
    const store = first(first(first(manifest.spec)?.backup)?.barmanObjectStore);
    const endpoint = typeof store?.endpointURL === 'string' ? store.endpointURL : undefined;
    sink({ kind: 'database', target: `k8s://cnpg/${ns}/${name}`, namespace: ns, description: `PostgreSQL cluster ${name} (${address})`, ...(endpoint ? { backups: [endpoint] } : {}) });
  }
}

function ownerOf(block: JsonObject): string | undefined {
  const meta = block['//'];
  if (meta && typeof meta === 'object' && !Array.isArray(meta)) {
    const metadata = meta.metadata;
    if (metadata && typeof metadata === 'object' && !Array.isArray(metadata) && typeof metadata.path === 'string') return metadata.path;
  }
  return undefined;
}

type Sink = (spec: PlacementSpec) => void;

function scanHelmRelease(block: JsonObject, address: string, sink: Sink): void {
  const repository = block.repository;
  const chart = block.chart;
  if (typeof repository === 'string' && repository.length > 0) {
    sink({ kind: 'chart-repository', target: repository, description: `chart repository of ${address}` });
  } else if (typeof chart === 'string' && /^(oci|https?):\/\//i.test(chart)) {
    sink({ kind: 'chart-repository', target: chart, description: `chart of ${address}` });
  }
  const values = Array.isArray(block.values) ? block.values : [];
  values.forEach((text, index) => {
    if (typeof text !== 'string') return;
    const documents = parseValues(text);
    if (documents) documents.forEach((doc) => walk(doc, ['values', String(index)], address, sink));
    else findUrls(text, `values[${index}]`, address, sink);
  });
  for (const key of ['set', 'set_list', 'set_sensitive', 'set_wo']) {
    const entries = block[key];
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      if (!entry || typeof entry !== 'object' || Array.isArray(entry) || typeof entry.name !== 'string') continue;
      const segments = entry.name.split('.');
      walk(entry.value ?? null, [key, ...segments], address, sink);
    }
  }
  const rest: JsonObject = {};
  for (const [key, value] of Object.entries(block)) {
    if (!['repository', 'chart', 'values', 'set', 'set_list', 'set_sensitive', 'set_wo'].includes(key)) rest[key] = value;
  }
  walk(rest, [], address, sink);
}

function parseValues(text: string): Json[] | undefined {
  try {
    const docs = parseAllDocuments(text);
    if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) return undefined;
    return docs.map((d) => d.toJS() as Json);
  } catch {
    return undefined;
  }
}

function walk(value: Json, path: readonly string[], address: string, sink: Sink): void {
  const key = path[path.length - 1] ?? '';
  if (typeof value === 'string') {
    scanString(value, key, path, address, sink);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, [...path, String(index)], address, sink));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const image = imageObject(value, key);
  if (image) sink({ kind: 'registry', target: image, description: `image ${image} in ${address}` });
  for (const [child, inner] of Object.entries(value)) {
    if (IGNORED_KEYS.has(child)) continue;
    if (image && (child === 'repository' || child === 'registry')) continue;
    walk(inner, [...path, child], address, sink);
  }
}

function scanString(value: string, key: string, path: readonly string[], address: string, sink: Sink): void {
  const field = path.join('.');
  if (/^image$/i.test(key) && IMAGE_VALUE.test(value) && !HAS_URL.test(value)) {
    sink({ kind: 'registry', target: value, description: `image ${value} in ${address}` });
    return;
  }
  if (findUrls(value, field, address, sink)) return;
  if (HOST_KEY.test(key) && HOST_VALUE.test(value) && !/^\d+(\.\d+)+$/.test(value.replace(/:\d+$/, ''))) {
    sink({ kind: 'endpoint', target: value, description: `host in ${address} (${field})` });
  }
}

function findUrls(text: string, field: string, address: string, sink: Sink): boolean {
  const matches = text.match(URL_IN_TEXT) ?? [];
  for (const match of matches) {
    const target = match.replace(/[.]+$/, '');
    const kind: PlacementKind = /^oci:\/\//i.test(target) ? 'chart-repository' : 'endpoint';
    sink({ kind, target, description: `${kind === 'endpoint' ? 'URL' : 'OCI artifact'} in ${address} (${field})` });
  }
  return matches.length > 0;
}

/** `{ registry?, repository, tag? }` under a key that names an image. */
function imageObject(value: JsonObject, key: string): string | undefined {
  const repository = value.repository;
  if (typeof repository !== 'string' || !IMAGE_VALUE.test(repository)) return undefined;
  const looksLikeImage = /image/i.test(key) || 'tag' in value || 'digest' in value || 'pullPolicy' in value;
  if (!looksLikeImage) return undefined;
  const registry = value.registry;
  return typeof registry === 'string' && registry.length > 0 ? `${registry.replace(/\/$/, '')}/${repository}` : repository;
}

function stateTarget(type: string, block: JsonObject): PlacementSpec {
  const text = (key: string) => (typeof block[key] === 'string' ? (block[key] as string) : undefined);
  const description = `Terraform state (${type} backend)`;
  switch (type) {
    case 'local':
      return { kind: 'state', backend: 'local', target: `local:${text('path') ?? 'terraform.tfstate'}`, description };
    case 'kubernetes':
      return { kind: 'state', backend: 'kubernetes', target: 'kubernetes.default.svc', description: 'Terraform state (Secret in the cluster)' };
    case 's3': {
      const endpoints = block.endpoints;
      const s3 = endpoints && typeof endpoints === 'object' && !Array.isArray(endpoints) && typeof endpoints.s3 === 'string' ? endpoints.s3 : undefined;
      const target = s3 ?? text('endpoint') ?? `https://s3.${text('region') ?? 'us-east-1'}.amazonaws.com`;
      return { kind: 'state', backend: 's3', target, description };
    }
    case 'gcs':
      return { kind: 'state', backend: type, target: 'https://storage.googleapis.com', description };
    case 'azurerm':
      return { kind: 'state', backend: type, target: `https://${text('storage_account_name') ?? 'unknown'}.blob.core.windows.net`, description };
    case 'remote':
    case 'cloud':
      return { kind: 'state', backend: type, target: `https://${text('hostname') ?? 'app.terraform.io'}`, description };
    default: {
      const url = Object.values(block).find((v): v is string => typeof v === 'string' && /:\/\//.test(v));
      return { kind: 'state', backend: type, target: url ?? `${type}-backend`, description };
    }
  }
}

function dedupe(found: readonly ScannedPlacement[]): ScannedPlacement[] {
  const seen = new Set<string>();
  return found.filter((p) => {
    const key = `${p.ownerPath}\u0000${p.address}\u0000${p.kind}\u0000${p.target}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
