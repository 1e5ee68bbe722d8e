/**
 * Data stores the scan finds in synthesized Terraform JSON, in any form: PVC
 * and StatefulSet resources, raw manifests (also YAML embedded in strings,
 * e.g. a chart's `extraManifests`), database operators' custom resources, and
 * the volumes and bundled databases a Helm chart creates from its values.
 * SD-BACKUP then requires a backup of each.
 *
 * Targets are chosen so that a store a construct also declares is the same
 * placement: a chart's store is `<fullname>[-<component>].<namespace>.svc`,
 * as the suite's constructs declare theirs. A store's namespace is resolved
 * (`${kubernetes_namespace_v1.x.metadata[0].name}`), so that BackupCoverage
 * of its namespace applies.
 *
 * Pure: no cdktf imports.
 */
import { yamlDocuments } from './yaml-documents';
import { helmSetValue } from './phone-home-settings';
import type { KeyCustodySpec } from './key-custody';
import { PlacementKind, PlacementSpec } from './placement';

/** A JSON value of a Terraform configuration. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A JSON object of a Terraform configuration. */
export type JsonObject = { [key: string]: Json };
/** Receives each placement found. */
export type StoreSink = (spec: PlacementSpec) => void;
/**
 * Resolves a namespace as written in a block (a name, or a reference to a
 * `kubernetes_namespace(_v1)` resource) to its name; `undefined` when it
 * cannot be resolved.
 */
export type NamespaceOf = (value: Json | undefined) => string | undefined;

/** The namespace segment of targets whose namespace the scan cannot resolve. */
export const UNRESOLVED_NAMESPACE = 'unresolved-namespace';

/** Where a store lives: the namespace name when resolved, and the segment used in targets. */
export interface StoreNamespace {
  /** Resolved name; `undefined` when the scan cannot tell (no BackupCoverage applies then). */
  readonly name: string | undefined;
  /** For targets and descriptions. */
  readonly segment: string;
}

/**
 * Data stores a resource creates directly, or through a chart's values:
 *
 * - `kubernetes_persistent_volume_claim(_v1)`: volume `k8s://pvc/<ns>/<name>`.
 * - `kubernetes_stateful_set(_v1)` `volume_claim_template`: volume `k8s://pvc/<ns>/<template>-<statefulset>`.
 * - `kubernetes_manifest` (`manifest`) and `kubectl_manifest` (`yaml_body`): see {@link storesInManifest}.
 * - `helm_release`: its `values` (YAML documents, merged in order) and `set`
 *   entries (merged last, typed as Helm types them): see {@link storesInHelmValues}.
 *
 * A namespace left out is `default`, as for Kubernetes and Helm.
 */
export function scanStores(type: string, block: JsonObject, address: string, namespaceOf: NamespaceOf, sink: StoreSink): void {
  const metadata = first(block.metadata);
  switch (type) {
    case 'kubernetes_persistent_volume_claim_v1':
    case 'kubernetes_persistent_volume_claim': {
      const namespace = namespaceIn(metadata?.namespace, namespaceOf);
      const name = String(metadata?.name ?? address);
      sink(store('volume', `k8s://pvc/${namespace.segment}/${name}`, namespace, `volume ${name} (${address})`));
      return;
    }
    case 'kubernetes_stateful_set_v1':
    case 'kubernetes_stateful_set': {
      const namespace = namespaceIn(metadata?.namespace, namespaceOf);
      const statefulSet = String(metadata?.name ?? address);
      for (const template of list(first(block.spec)?.volume_claim_template)) {
        const name = String(first(template.metadata)?.name ?? 'data');
        sink(store('volume', `k8s://pvc/${namespace.segment}/${name}-${statefulSet}`, namespace, `volumes ${name} of ${address}`));
      }
      return;
    }
    case 'kubernetes_manifest': {
      const manifest = first(block.manifest);
      if (manifest) storesInManifest(manifest, namespaceIn(undefined, namespaceOf), address, namespaceOf, sink);
      return;
    }
    case 'kubectl_manifest': {
      const body = typeof block.yaml_body === 'string' ? block.yaml_body : undefined;
      for (const manifest of body ? parseYaml(body) ?? [] : []) {
        if (isObject(manifest)) storesInManifest(manifest, namespaceIn(undefined, namespaceOf), address, namespaceOf, sink);
      }
      return;
    }
    case 'helm_release': {
      const documents: unknown[] = [];
      for (const text of Array.isArray(block.values) ? block.values : []) {
        if (typeof text === 'string') documents.push(...(parseYaml(text) ?? []));
      }
      documents.push(helmSetValues(block));
      const namespace = namespaceIn(block.namespace, namespaceOf);
      storesInHelmValues(documents, namespace.name, typeof block.name === 'string' ? block.name : address, address, sink);
      return;
    }
    default:
  }
}

/**
 * Data stores in one Kubernetes manifest (or a `List` of them):
 *
 * - PersistentVolumeClaim: volume `k8s://pvc/<ns>/<name>`.
 * - StatefulSet `spec.volumeClaimTemplates`: volume `k8s://pvc/<ns>/<template>-<statefulset>`.
 * - A database operator's resource (see {@link DATABASE_RESOURCES}): database
 *   `<service>.<ns>.svc`; CloudNativePG and Crunchy clusters with their
 *   object-store backups; MinIO tenants are buckets.
 * - A Velero BackupStorageLocation: a backup target where its plugin writes
 *   (see {@link veleroLocationTarget}).
 *
 * @param defaultNamespace where a manifest without `metadata.namespace` goes
 *   (the release's namespace for a chart's manifests; `default` otherwise)
 */
export function storesInManifest(
  manifest: JsonObject, defaultNamespace: StoreNamespace, address: string, namespaceOf: NamespaceOf, sink: StoreSink,
): void {
  const kind = typeof manifest.kind === 'string' ? manifest.kind : '';
  const apiVersion = typeof manifest.apiVersion === 'string' ? manifest.apiVersion : '';
  if (kind === 'List' || kind.endsWith('List')) {
    for (const item of list(manifest.items)) storesInManifest(item, defaultNamespace, address, namespaceOf, sink);
    return;
  }
  const metadata = first(manifest.metadata);
  const namespace = metadata?.namespace === undefined || metadata.namespace === null || metadata.namespace === ''
    ? defaultNamespace
    : namespaceIn(metadata.namespace, namespaceOf);
  const name = untemplated(String(metadata?.name ?? address));
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  if (kind === 'PersistentVolumeClaim' && group === '') {
    sink(store('volume', `k8s://pvc/${namespace.segment}/${name}`, namespace, `volume ${name} (${address})`));
    return;
  }
  if (kind === 'StatefulSet' && group === 'apps') {
    for (const template of list(first(manifest.spec)?.volumeClaimTemplates)) {
      const claim = untemplated(String(first(template.metadata)?.name ?? 'data'));
      sink(store('volume', `k8s://pvc/${namespace.segment}/${claim}-${name}`, namespace, `volumes ${claim} of StatefulSet ${name} (${address})`));
    }
    return;
  }
  if (kind === 'BackupStorageLocation' && group === 'velero.io') {
    const target = veleroLocationTarget(first(manifest.spec) ?? {});
    sink({ kind: 'backup', target, description: `Velero backup storage location ${name} (${address})`, keys: veleroCustody(namespace.name) });
    return;
  }
  const resource = DATABASE_RESOURCES.find((r) => r.groups.includes(group) && r.kinds.includes(kind));
  if (!resource) return;
  const spec = first(manifest.spec) ?? {};
  const backups = resource.backups?.(spec) ?? [];
  sink(store(resource.store ?? 'database', `${resource.service(name)}.${namespace.segment}.svc`, namespace,
    `${resource.label} ${name} (${address})`, backups));
}

/**
 * Where a Velero BackupStorageLocation writes: the AWS plugin to `config.s3Url`
 * when set, else to AWS S3 in `config.region` (us-east-1 when unset); the GCP
 * plugin to Google Cloud Storage (an s3Url beside it is ignored); the Azure plugin to the
 * storage account's blob host. Any other plugin is unproven.
 */
function veleroLocationTarget(spec: JsonObject): string {
  const config = first(spec.config) ?? {};
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
  const provider = (text(spec.provider) ?? '').replace(/^velero\.io\//, '');
  // Only the AWS (S3-compatible) plugin reads s3Url; the GCP and Azure plugins ignore it.
  if (provider === 'aws') return text(config.s3Url) ?? `https://s3.${text(config.region) ?? 'us-east-1'}.amazonaws.com`;
  if (provider === 'gcp') return 'https://storage.googleapis.com';
  if (provider === 'azure') return `https://${text(config.storageAccount) ?? 'account'}.blob.core.windows.net`;
  return `provider:${text(spec.provider) ?? 'unset'} (Velero object store plugin)`;
}

/** A database operator's custom resource: which groups and kinds, how its service is named, where its backups go. */
export interface DatabaseResource {
  /** API groups (`apiVersion` before the `/`). */
  readonly groups: readonly string[];
  readonly kinds: readonly string[];
  /** For descriptions, e.g. `PostgreSQL cluster (CloudNativePG)`. */
  readonly label: string;
  /** The service clients connect to, from the resource name. */
  readonly service: (name: string) => string;
  /** @default 'database' */
  readonly store?: PlacementKind;
  /** Object-store URLs the resource itself writes backups to. @default - none: back it up otherwise, or suppress with the reason */
  readonly backups?: (spec: JsonObject) => string[];
}

/** Database operators whose resources the scan recognises. */
export const DATABASE_RESOURCES: readonly DatabaseResource[] = [
  {
    groups: ['postgresql.cnpg.io'], kinds: ['Cluster'], label: 'PostgreSQL cluster (CloudNativePG)', service: (name) => `${name}-rw`,
    backups: (spec) => strings(first(first(spec.backup)?.barmanObjectStore)?.endpointURL),
  },
  {
    groups: ['postgres-operator.crunchydata.com'], kinds: ['PostgresCluster'], label: 'PostgreSQL cluster (Crunchy)', service: (name) => `${name}-primary`,
    backups: (spec) => list(first(first(spec.backups)?.pgbackrest)?.repos).flatMap((repo) => strings(first(repo.s3)?.endpoint).map((e) => (e.includes('://') ? e : `https://${e}`))),
  },
  { groups: ['acid.zalan.do'], kinds: ['postgresql'], label: 'PostgreSQL cluster (Zalando)', service: (name) => name },
  { groups: ['stackgres.io'], kinds: ['SGCluster', 'SGShardedCluster'], label: 'PostgreSQL cluster (StackGres)', service: (name) => name },
  { groups: ['pgv2.percona.com'], kinds: ['PerconaPGCluster'], label: 'PostgreSQL cluster (Percona)', service: (name) => `${name}-primary` },
  { groups: ['mariadb.mmontes.io', 'k8s.mariadb.com'], kinds: ['MariaDB'], label: 'MariaDB (mariadb-operator)', service: (name) => name },
  { groups: ['mysql.oracle.com'], kinds: ['InnoDBCluster'], label: 'MySQL InnoDB cluster', service: (name) => name },
  { groups: ['moco.cybozu.com'], kinds: ['MySQLCluster'], label: 'MySQL cluster (MOCO)', service: (name) => `moco-${name}-primary` },
  { groups: ['pxc.percona.com'], kinds: ['PerconaXtraDBCluster'], label: 'MySQL cluster (Percona XtraDB)', service: (name) => `${name}-pxc` },
  { groups: ['ps.percona.com'], kinds: ['PerconaServerMySQL'], label: 'MySQL cluster (Percona Server)', service: (name) => `${name}-mysql-primary` },
  { groups: ['psmdb.percona.com'], kinds: ['PerconaServerMongoDB'], label: 'MongoDB (Percona)', service: (name) => `${name}-rs0` },
  { groups: ['mongodbcommunity.mongodb.com'], kinds: ['MongoDBCommunity'], label: 'MongoDB (community operator)', service: (name) => `${name}-svc` },
  { groups: ['mongodb.com'], kinds: ['MongoDB'], label: 'MongoDB (enterprise operator)', service: (name) => `${name}-svc` },
  {
    groups: ['redis.redis.opstreelabs.in'], kinds: ['Redis', 'RedisCluster', 'RedisReplication'], label: 'Redis (OT operator)',
    service: (name) => name,
  },
  { groups: ['databases.spotahome.com'], kinds: ['RedisFailover'], label: 'Redis failover (Spotahome)', service: (name) => `rfrm-${name}` },
  { groups: ['dragonflydb.io'], kinds: ['Dragonfly'], label: 'Dragonfly', service: (name) => name },
  {
    groups: ['kubedb.com'], kinds: ['Postgres', 'MySQL', 'MariaDB', 'MongoDB', 'Redis', 'Elasticsearch', 'PerconaXtraDB', 'Cassandra', 'ClickHouse', 'SingleStore', 'MSSQLServer', 'FerretDB'],
    label: 'database (KubeDB)', service: (name) => name,
  },
  { groups: ['clickhouse.altinity.com'], kinds: ['ClickHouseInstallation'], label: 'ClickHouse (Altinity)', service: (name) => `clickhouse-${name}` },
  { groups: ['elasticsearch.k8s.elastic.co'], kinds: ['Elasticsearch'], label: 'Elasticsearch (ECK)', service: (name) => `${name}-es-http` },
  { groups: ['opensearch.opster.io'], kinds: ['OpenSearchCluster'], label: 'OpenSearch cluster', service: (name) => name },
  { groups: ['cassandra.datastax.com'], kinds: ['CassandraDatacenter'], label: 'Cassandra datacenter (cass-operator)', service: (name) => `${name}-service` },
  { groups: ['minio.min.io'], kinds: ['Tenant'], label: 'MinIO tenant', service: (name) => `${name}-hl`, store: 'bucket' },
];

/**
 * Subcharts that bundle a database: `<key>.enabled` turns one on (as Helm
 * reads a dependency's condition: on unless it is the boolean `false`).
 * Each is a database at `<fullname>-<key>.<ns>.svc` (or its own
 * `fullnameOverride`); `minio` is a bucket.
 */
export const DATABASE_SUBCHARTS: Readonly<Record<string, PlacementKind>> = {
  'postgresql': 'database', 'postgresql-ha': 'database', 'postgres': 'database',
  'mariadb': 'database', 'mariadb-galera': 'database', 'mysql': 'database',
  'redis': 'database', 'redis-cluster': 'database', 'valkey': 'database', 'valkey-cluster': 'database',
  'mongodb': 'database', 'mongodb-sharded': 'database', 'cassandra': 'database', 'couchdb': 'database',
  'clickhouse': 'database', 'elasticsearch': 'database', 'opensearch': 'database', 'etcd': 'database',
  'influxdb': 'database', 'influxdb2': 'database', 'neo4j': 'database', 'keydb': 'database', 'dragonfly': 'database',
  'minio': 'bucket',
};

/**
 * Keys whose block is a volume (or a map of named volumes): Bitnami-style
 * `persistence`, `persistentVolume`, `dataStorage`, ESS `storage`,
 * docker-mailserver `persistent_volume_claims`, and claim templates.
 */
const VOLUME_KEYS = new Set([
  'persistence', 'persistentVolume', 'persistentVolumeClaim', 'persistentVolumeClaims', 'persistent_volume_claims',
  'storage', 'dataStorage', 'volumeClaimTemplate', 'volumeClaimTemplates',
]);
/** Keys of a volume block that only a volume has. */
const CLAIM_KEYS = ['size', 'existingClaim', 'storageClass', 'storageClassName', 'accessModes', 'accessMode', 'spec'];
/** Top-level keys that configure the release's own workload, not a component: stores under them are the release's. */
const ROLE_KEYS = new Set([
  'primary', 'master', 'replica', 'replicas', 'secondary', 'readReplicas', 'server', 'controller', 'statefulset', 'statefulSet',
  'deployment', 'app', 'main', 'global',
]);
/** The `cluster` chart of CloudNativePG: `type` and a `cluster` block. */
const CNPG_CHART_TYPES = new Set(['postgresql', 'postgis', 'timescaledb']);

/**
 * Who holds the keys of Velero's backups: whoever holds the Kopia repository
 * password. Velero reads it from the Secret `velero-repo-credentials` (key
 * `repository-password`) in its namespace and, where none exists before the
 * first backup, writes one with its built-in password, the same in every
 * installation. So the custody is client-side only where the configuration
 * creates that Secret with a generated password.
 */
export function veleroCustody(namespace: string | undefined): KeyCustodySpec {
  return {
    custody: 'client-side',
    readable: 'volume data as ciphertext (Kopia encrypts it with the repository password before upload); Velero\'s own metadata (the Kubernetes objects of the backed-up namespaces, Secrets included) in plain form',
    keys: `Secret ${namespace ?? '<Velero\'s namespace>'}/velero-repo-credentials (key repository-password) and the Terraform state`,
    evidence: [{ kind: 'secret', namespace: namespace ?? '', name: 'velero-repo-credentials', keys: ['repository-password'] }],
  };
}

/**
 * Data stores a chart creates from its values. `documents` are merged in
 * order as Helm merges values files (maps merge, anything else replaces,
 * `null` removes). Targets are `<fullname>.<ns>.svc` for the release's own
 * stores and `<fullname>-<component>.<ns>.svc` for those of a top-level
 * component (`synapse.media.storage` of release `ess` is `ess-synapse`),
 * where `<fullname>` is `fullnameOverride` or the release name.
 *
 * - A volume block (`persistence`, `storage`, …) that is on: `enabled` is
 *   truthy as a Go template reads it (not `false`, `0`, `''`, `null`, empty),
 *   or absent while the block has a claim key (`size`, `existingClaim`,
 *   `storageClass`, `accessModes`, …); a map of named volumes counts each;
 *   `volumeClaimTemplates` entries count each.
 * - A bundled database subchart ({@link DATABASE_SUBCHARTS}) with `enabled`
 *   set to anything but `false`.
 * - The CloudNativePG `cluster` chart: a database and its volumes at
 *   `<fullname>-rw.<ns>.svc`, backed up to `backups.endpointURL` when
 *   `backups.enabled`.
 * - Manifests in the values (objects with `apiVersion` and `kind`, or strings
 *   of YAML documents, e.g. `extraManifests`): {@link storesInManifest}, in
 *   the release's namespace unless they name one.
 *
 * @param namespace the release's namespace; `undefined` when it cannot be resolved
 */
export function storesInHelmValues(documents: unknown[], namespace: string | undefined, release: string, address: string, sink: StoreSink): void {
  const values = mergeValues(documents.map((d) => (typeof d === 'string' ? parseYaml(d) ?? [] : [d])).flat());
  // The velero chart's backup storage locations, as its values configure them.
  const configuration = isObject(values.configuration) ? (values.configuration as JsonObject) : undefined;
  const locations = configuration?.backupStorageLocation;
  for (const location of Array.isArray(locations) ? locations : isObject(locations) ? [locations] : []) {
    if (!isObject(location) || (location.provider === undefined && location.bucket === undefined)) continue;
    const name = typeof location.name === 'string' ? location.name : 'default';
    sink({
      kind: 'backup', target: veleroLocationTarget(location as JsonObject), description: `Velero backup storage location ${name} in the values of ${address}`,
      ...(namespace ? { namespace } : {}), keys: veleroCustody(namespace),
    });
  }
  const ns: StoreNamespace = { name: namespace, segment: namespace ?? UNRESOLVED_NAMESPACE };
  const fullname = nonEmpty(values.fullnameOverride) ?? release;
  const where = (component: string | undefined) => `${component ?? fullname}.${ns.segment}.svc`;
  const skip = new Set<string>();
  if (typeof values.type === 'string' && CNPG_CHART_TYPES.has(values.type) && isObject(values.cluster)) {
    const backup = first(values.backups as Json);
    const backups = backup && goTruthy(backup.enabled) ? strings(backup.endpointURL) : [];
    const target = `${fullname}-rw.${ns.segment}.svc`;
    sink(store('database', target, ns, `PostgreSQL cluster ${fullname} (${address})`, backups));
    sink(store('volume', target, ns, `volumes of PostgreSQL cluster ${fullname} (${address})`, backups));
    skip.add('cluster').add('backups');
  }
  const found = (kind: PlacementKind, component: string | undefined, what: string) => {
    sink(store(kind, where(component), ns, `${what} of release ${release} (${address})`));
  };
  for (const [key, value] of Object.entries(values)) {
    if (skip.has(key)) continue;
    const component = ROLE_KEYS.has(key) || VOLUME_KEYS.has(key) ? undefined : componentName(fullname, key, value);
    walkValues(value, [key], component, found, 0);
  }
  for (const manifest of manifestsIn(values)) {
    storesInManifest(manifest, ns, address, (v) => (typeof v === 'string' && !v.includes('{{') ? v : undefined), sink);
  }
}

function componentName(fullname: string, key: string, value: unknown): string {
  return (isObject(value) ? nonEmpty(value.fullnameOverride) : undefined) ?? `${fullname}-${key}`;
}

type Found = (kind: PlacementKind, component: string | undefined, what: string) => void;

function walkValues(value: unknown, path: readonly string[], component: string | undefined, found: Found, depth: number): void {
  if (depth > 32) return;
  const key = path[path.length - 1];
  if (Array.isArray(value)) {
    if (key === 'volumeClaimTemplates') {
      value.forEach((entry, index) => {
        if (isObject(entry)) found('volume', component, `volume ${nonEmpty(first(entry.metadata as Json)?.name) ?? nonEmpty(entry.name) ?? `${path.join('.')}[${index}]`}`);
      });
    }
    return;
  }
  if (!isObject(value) || isManifest(value)) return;
  if (VOLUME_KEYS.has(key)) {
    volumeBlock(value, path, component, found);
    return;
  }
  if (Object.prototype.hasOwnProperty.call(DATABASE_SUBCHARTS, key) && 'enabled' in value) {
    if (value.enabled === false) return;
    found(DATABASE_SUBCHARTS[key], component, `bundled ${key} (${path.join('.')}.enabled)`);
  }
  for (const [child, inner] of Object.entries(value)) walkValues(inner, [...path, child], component, found, depth + 1);
}

/** A volume block: one volume, a map of named volumes, or off. */
function volumeBlock(block: Record<string, unknown>, path: readonly string[], component: string | undefined, found: Found): void {
  const field = path.join('.');
  if ('enabled' in block) {
    if (goTruthy(block.enabled)) found('volume', component, `volume ${field}`);
    return;
  }
  if (CLAIM_KEYS.some((k) => k in block)) {
    found('volume', component, `volume ${field}`);
    return;
  }
  for (const [name, inner] of Object.entries(block)) {
    if (!isObject(inner)) continue;
    if ('enabled' in inner ? goTruthy(inner.enabled) : CLAIM_KEYS.some((k) => k in inner)) found('volume', component, `volume ${field}.${name}`);
  }
}

/** Truthiness in a Go template (`{{ if .Values.x }}`): off for false, 0, '', null and empty collections; `'false'` is on. */
export function goTruthy(value: unknown): boolean {
  if (value === false || value === null || value === undefined || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value as object).length > 0;
  return true;
}

/** Kubernetes manifests anywhere in values: objects with `apiVersion` and `kind`, and strings of YAML documents with them. */
function manifestsIn(value: unknown, depth = 0): JsonObject[] {
  if (depth > 32) return [];
  if (typeof value === 'string') {
    if (!/\bapiVersion["']?\s*:/.test(value) || !/\bkind["']?\s*:/.test(value)) return [];
    return (parseYaml(value) ?? []).filter(isObject).filter(isManifest) as JsonObject[];
  }
  if (Array.isArray(value)) return value.flatMap((item) => manifestsIn(item, depth + 1));
  if (!isObject(value)) return [];
  if (isManifest(value)) return [value as JsonObject];
  return Object.values(value).flatMap((item) => manifestsIn(item, depth + 1));
}

function isManifest(value: Record<string, unknown>): boolean {
  return typeof value.apiVersion === 'string' && typeof value.kind === 'string';
}

/**
 * Values merged as Helm merges values files: maps merge key by key, anything
 * else replaces, and `null` removes a key.
 */
export function mergeValues(documents: readonly unknown[]): JsonObject {
  let merged: JsonObject = {};
  for (const document of documents) {
    if (isObject(document)) merged = mergeInto(merged, document);
  }
  return merged;
}

function mergeInto(base: JsonObject, overlay: Record<string, unknown>): JsonObject {
  const result: JsonObject = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    if (value === null) delete result[key];
    else if (isObject(value) && isObject(result[key])) result[key] = mergeInto(result[key] as JsonObject, value);
    else result[key] = value as Json;
  }
  return result;
}

/** A `helm_release`'s `set`, `set_list` and `set_sensitive` entries as one values document. */
export function helmSetValues(block: JsonObject): JsonObject {
  const values: JsonObject = {};
  for (const key of ['set', 'set_sensitive', 'set_wo', 'set_list']) {
    for (const entry of list(block[key])) {
      if (typeof entry.name !== 'string') continue;
      const raw = entry.value ?? null;
      const value = key === 'set_list' || typeof raw !== 'string' || entry.type === 'string' ? raw : helmSetValue(raw) as Json;
      setPath(values, entry.name, value);
    }
  }
  return values;
}

/** Sets `a.b\.c[0].d` in a values object: unescaped dots nest, `[n]` indexes a list. */
function setPath(values: JsonObject, name: string, value: Json): void {
  const segments: (string | number)[] = [];
  let current = '';
  const push = () => {
    const index = /^(.*?)((?:\[\d+\])+)$/.exec(current);
    if (index) {
      if (index[1] !== '') segments.push(index[1]);
      for (const n of index[2].matchAll(/\[(\d+)\]/g)) segments.push(Number(n[1]));
    } else {
      segments.push(current);
    }
    current = '';
  };
  for (let i = 0; i < name.length; i++) {
    if (name[i] === '\\' && i + 1 < name.length) current += name[++i];
    else if (name[i] === '.') push();
    else current += name[i];
  }
  push();
  let node: Json = values;
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    const next: Json = typeof segments[i + 1] === 'number' ? [] : {};
    if (Array.isArray(node) && typeof segment === 'number') {
      if (last) node[segment] = value;
      else node = (node[segment] ??= next);
    } else if (node && typeof node === 'object' && !Array.isArray(node)) {
      const key = String(segment);
      if (last) node[key] = value;
      else node = (node[key] = node[key] && typeof node[key] === 'object' ? node[key] : next);
    }
  });
}

function store(kind: PlacementKind, target: string, namespace: StoreNamespace, description: string, backups: readonly string[] = []): PlacementSpec {
  return {
    kind, target, description,
    ...(namespace.name !== undefined ? { namespace: namespace.name } : {}),
    ...(backups.length > 0 ? { backups: [...backups] } : {}),
  };
}

/** A namespace as written: left out means `default`; a reference the scan cannot resolve stays unresolved. */
function namespaceIn(value: Json | undefined, namespaceOf: NamespaceOf): StoreNamespace {
  if (value === undefined || value === null || value === '') return { name: 'default', segment: 'default' };
  const name = namespaceOf(value);
  return name !== undefined ? { name, segment: name } : { name: undefined, segment: UNRESOLVED_NAMESPACE };
}

/** A name from a chart template with `{{ … }}` parts: they are not known before install. */
function untemplated(name: string): string {
  return name.replace(/\{\{.*?\}\}/g, 'x').replace(/\s+/g, '');
}

function parseYaml(text: string): unknown[] | undefined {
  return yamlDocuments(text)?.filter((d) => d !== null);
}

function first(value: Json | undefined): JsonObject | undefined {
  const item = Array.isArray(value) ? value[0] : value;
  return isObject(item) ? (item as JsonObject) : undefined;
}

function list(value: Json | undefined): JsonObject[] {
  return (Array.isArray(value) ? value : []).filter(isObject) as JsonObject[];
}

function strings(value: Json | undefined): string[] {
  return typeof value === 'string' && value.length > 0 ? [value] : [];
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
