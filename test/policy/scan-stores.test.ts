import { PlacementSpec } from '../../constructs/policy';
import { declaredPlacements } from '../../constructs/proof';
import {
  JsonObject, UNRESOLVED_NAMESPACE, goTruthy, helmSetValues, mergeValues, scanStores, storesInHelmValues,
} from '../../constructs/policy/scan-stores';
import { synth, workplace } from '../util';

const NS_REF = '${kubernetes_namespace_v1.Team_ABC.metadata[0].name}';
/** Resolves the one namespace resource of these tests, and plain names. */
const namespaceOf = (value: unknown) => (value === NS_REF ? 'team-tools' : typeof value === 'string' && !value.includes('${') ? value : undefined);

function scan(type: string, block: JsonObject, address = `${type}.x`): PlacementSpec[] {
  const found: PlacementSpec[] = [];
  scanStores(type, block, address, namespaceOf, (spec) => found.push(spec));
  return found;
}
const brief = (specs: PlacementSpec[]) => specs.map((s) => [s.kind, s.target, s.namespace, s.backups ?? []]);

function values(documents: unknown[], release = 'team', namespace: string | null = 'team-tools'): PlacementSpec[] {
  const found: PlacementSpec[] = [];
  storesInHelmValues(documents, namespace ?? undefined, release, 'helm_release.team', (spec) => found.push(spec));
  return found;
}

describe('scanStores: Terraform resources', () => {
  it('finds a PVC, with its namespace resolved from the namespace resource', () => {
    const found = scan('kubernetes_persistent_volume_claim_v1', { metadata: { name: 'scratch', namespace: NS_REF } }, 'kubernetes_persistent_volume_claim_v1.TeamScratch');
    expect(brief(found)).toEqual([['volume', 'k8s://pvc/team-tools/scratch', 'team-tools', []]]);
    expect(found[0].description).toBe('volume scratch (kubernetes_persistent_volume_claim_v1.TeamScratch)');
  });

  it('puts a PVC without a namespace in default, and leaves an unresolved one without a namespace (no coverage applies)', () => {
    expect(brief(scan('kubernetes_persistent_volume_claim', { metadata: [{ name: 'a' }] }))).toEqual([['volume', 'k8s://pvc/default/a', 'default', []]]);
    expect(brief(scan('kubernetes_persistent_volume_claim_v1', { metadata: { name: 'b', namespace: '${var.namespace}' } })))
      .toEqual([['volume', `k8s://pvc/${UNRESOLVED_NAMESPACE}/b`, undefined, []]]);
  });

  it('finds the claim templates of a StatefulSet resource', () => {
    const found = scan('kubernetes_stateful_set_v1', {
      metadata: { name: 'queue', namespace: NS_REF },
      spec: { volume_claim_template: [{ metadata: { name: 'data' } }, { metadata: { name: 'wal' } }] },
    });
    expect(brief(found)).toEqual([
      ['volume', 'k8s://pvc/team-tools/data-queue', 'team-tools', []],
      ['volume', 'k8s://pvc/team-tools/wal-queue', 'team-tools', []],
    ]);
  });

  it('finds nothing in resources that hold no data', () => {
    expect(scan('kubernetes_config_map_v1', { metadata: { name: 'c' }, data: { 'pvc.yaml': 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: x}\n' } })).toEqual([]);
    expect(scan('kubernetes_manifest', { manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } } })).toEqual([]);
  });
});

describe('scanStores: manifests', () => {
  const manifest = (m: JsonObject) => brief(scan('kubernetes_manifest', { manifest: m }));

  it.each([
    ['PersistentVolumeClaim', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'scratch', namespace: NS_REF } }, [['volume', 'k8s://pvc/team-tools/scratch', 'team-tools', []]]],
    ['StatefulSet', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'kafka', namespace: 'team-tools' }, spec: { volumeClaimTemplates: [{ metadata: { name: 'logs' } }] } }, [['volume', 'k8s://pvc/team-tools/logs-kafka', 'team-tools', []]]],
    ['CloudNativePG Cluster with backup', {
      apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'team-db', namespace: NS_REF },
      spec: { backup: { barmanObjectStore: { endpointURL: 'https://fsn1.your-objectstorage.com', destinationPath: 's3://b/x' } } },
    }, [['database', 'team-db-rw.team-tools.svc', 'team-tools', ['https://fsn1.your-objectstorage.com']]]],
    ['CloudNativePG Cluster without backup', { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'db' } }, [['database', 'db-rw.default.svc', 'default', []]]],
    ['Crunchy PostgresCluster with pgBackRest on S3', {
      apiVersion: 'postgres-operator.crunchydata.com/v1beta1', kind: 'PostgresCluster', metadata: { name: 'hippo', namespace: 'team-tools' },
      spec: { backups: { pgbackrest: { repos: [{ name: 'repo1', s3: { endpoint: 's3.eu-central-1.amazonaws.com', bucket: 'b', region: 'eu-central-1' } }] } } },
    }, [['database', 'hippo-primary.team-tools.svc', 'team-tools', ['https://s3.eu-central-1.amazonaws.com']]]],
    ['Zalando postgresql', { apiVersion: 'acid.zalan.do/v1', kind: 'postgresql', metadata: { name: 'acid-team', namespace: 'team-tools' } }, [['database', 'acid-team.team-tools.svc', 'team-tools', []]]],
    ['MariaDB (mmontes)', { apiVersion: 'mariadb.mmontes.io/v1alpha1', kind: 'MariaDB', metadata: { name: 'maria', namespace: 'team-tools' } }, [['database', 'maria.team-tools.svc', 'team-tools', []]]],
    ['MariaDB (k8s.mariadb.com)', { apiVersion: 'k8s.mariadb.com/v1alpha1', kind: 'MariaDB', metadata: { name: 'maria', namespace: 'team-tools' } }, [['database', 'maria.team-tools.svc', 'team-tools', []]]],
    ['MySQL InnoDBCluster', { apiVersion: 'mysql.oracle.com/v2', kind: 'InnoDBCluster', metadata: { name: 'mycluster', namespace: 'team-tools' } }, [['database', 'mycluster.team-tools.svc', 'team-tools', []]]],
    ['Redis (OT operator)', { apiVersion: 'redis.redis.opstreelabs.in/v1beta2', kind: 'RedisCluster', metadata: { name: 'cache', namespace: 'team-tools' } }, [['database', 'cache.team-tools.svc', 'team-tools', []]]],
    ['MinIO tenant', { apiVersion: 'minio.min.io/v2', kind: 'Tenant', metadata: { name: 'objects', namespace: 'team-tools' } }, [['bucket', 'objects-hl.team-tools.svc', 'team-tools', []]]],
    ['List of manifests', { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'a' } }] }, [['volume', 'k8s://pvc/default/a', 'default', []]]],
  ] as const)('%s', (_name, m, expected) => {
    expect(manifest(m as unknown as JsonObject)).toEqual(expected);
  });

  it('does not take a kind of another API group for a database', () => {
    expect(manifest({ apiVersion: 'example.com/v1', kind: 'Cluster', metadata: { name: 'c' } })).toEqual([]);
    expect(manifest({ apiVersion: 'example.com/v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' } })).toEqual([]);
  });

  it('reads every document of a kubectl_manifest', () => {
    const yaml_body = [
      'apiVersion: v1', 'kind: PersistentVolumeClaim', 'metadata:', '  name: a', '  namespace: team-tools',
      '---', 'apiVersion: k8s.mariadb.com/v1alpha1', 'kind: MariaDB', 'metadata:', '  name: m', '  namespace: team-tools',
    ].join('\n');
    expect(brief(scan('kubectl_manifest', { yaml_body }))).toEqual([
      ['volume', 'k8s://pvc/team-tools/a', 'team-tools', []],
      ['database', 'm.team-tools.svc', 'team-tools', []],
    ]);
  });
});

describe('scanStores: helm_release', () => {
  const release = (block: JsonObject) => brief(scan('helm_release', { name: 'wiki', namespace: NS_REF, chart: 'wiki', ...block }, 'helm_release.Wiki'));

  it('finds a chart volume in the release namespace, resolved from the namespace resource', () => {
    expect(release({ values: ['persistence:\n  enabled: true\n  size: 5Gi\n'] })).toEqual([['volume', 'wiki.team-tools.svc', 'team-tools', []]]);
  });

  it('merges values documents in order, with set entries last, typed as Helm types them', () => {
    expect(release({ values: ['persistence:\n  enabled: true\n', 'persistence:\n  enabled: false\n'] })).toEqual([]);
    expect(release({ values: ['persistence:\n  enabled: false\n'], set: [{ name: 'persistence.enabled', value: 'true' }] })).toEqual([['volume', 'wiki.team-tools.svc', 'team-tools', []]]);
    expect(release({ values: ['persistence:\n  enabled: true\n'], set: [{ name: 'persistence.enabled', value: 'false' }] })).toEqual([]);
    expect(release({ set: [{ name: 'postgresql.enabled', value: 'true' }] })).toEqual([['database', 'wiki-postgresql.team-tools.svc', 'team-tools', []]]);
  });

  it('finds manifests embedded in values strings and objects, in the release namespace unless they name one', () => {
    const pvc = 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: uploads\n';
    expect(release({ values: [`extraManifests:\n  - |\n${pvc.replace(/^/gm, '    ')}`] })).toEqual([['volume', 'k8s://pvc/team-tools/uploads', 'team-tools', []]]);
    expect(release({ values: [JSON.stringify({ extraObjects: [JSON.stringify({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'j' } })] })] }))
      .toEqual([['volume', 'k8s://pvc/team-tools/j', 'team-tools', []]]);
    expect(release({
      values: [JSON.stringify({ extraDeploy: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'cache', namespace: 'other' }, spec: { volumeClaimTemplates: [{ metadata: { name: 'data' } }] } }] })],
    })).toEqual([['volume', 'k8s://pvc/other/data-cache', 'other', []]]);
  });
});

describe('storesInHelmValues', () => {
  it.each([
    ['persistence.enabled', { persistence: { enabled: true } }, [['volume', 'team.team-tools.svc']]],
    ['persistence.enabled "false" is truthy in a Go template', { persistence: { enabled: 'false' } }, [['volume', 'team.team-tools.svc']]],
    ['persistence off', { persistence: { enabled: false, size: '8Gi' } }, []],
    ['persistence without enabled but with a size', { persistence: { size: '8Gi' } }, [['volume', 'team.team-tools.svc']]],
    ['persistence with only other keys', { persistence: { annotations: {} } }, []],
    ['primary.persistence is the release', { primary: { persistence: { enabled: true } } }, [['volume', 'team.team-tools.svc']]],
    ['master and replica persistence are the release', { master: { persistence: { enabled: true } }, replica: { persistence: { enabled: true } } }, [['volume', 'team.team-tools.svc'], ['volume', 'team.team-tools.svc']]],
    ['a component persistence is <release>-<component>', { gitaly: { persistence: { enabled: true } } }, [['volume', 'team-gitaly.team-tools.svc']]],
    ['fullnameOverride names the release stores', { fullnameOverride: 'wiki', persistence: { enabled: true } }, [['volume', 'wiki.team-tools.svc']]],
    ['storage with a size (ESS synapse.media.storage)', { synapse: { media: { storage: { size: '20Gi' } } } }, [['volume', 'team-synapse.team-tools.svc']]],
    ['dataStorage off (valkey)', { dataStorage: { enabled: false } }, []],
    ['a map of named volumes (docker-mailserver)', { persistent_volume_claims: { 'mail-data': { size: '50Gi' }, 'mail-state': { size: '1Gi' } } }, [['volume', 'team.team-tools.svc'], ['volume', 'team.team-tools.svc']]],
    ['a map of named volumes, one off', { persistence: { data: { enabled: false }, logs: { enabled: true } } }, [['volume', 'team.team-tools.svc']]],
    ['volumeClaimTemplates', { server: { volumeClaimTemplates: [{ metadata: { name: 'data' } }] } }, [['volume', 'team.team-tools.svc']]],
    ['bundled postgresql', { postgresql: { enabled: true } }, [['database', 'team-postgresql.team-tools.svc']]],
    ['bundled postgresql with its own fullnameOverride', { postgresql: { enabled: true, fullnameOverride: 'pg' } }, [['database', 'pg.team-tools.svc']]],
    ['bundled postgresql with persistence', { postgresql: { enabled: true, primary: { persistence: { enabled: true } } } }, [['database', 'team-postgresql.team-tools.svc'], ['volume', 'team-postgresql.team-tools.svc']]],
    ['bundled mariadb off: its persistence does not count', { mariadb: { enabled: false, primary: { persistence: { enabled: true } } } }, []],
    ['a subchart condition that is not a boolean leaves the subchart on', { mysql: { enabled: 'false' } }, [['database', 'team-mysql.team-tools.svc']]],
    ['bundled redis, mongodb, valkey', { redis: { enabled: true }, mongodb: { enabled: true }, valkey: { enabled: true } }, [['database', 'team-redis.team-tools.svc'], ['database', 'team-mongodb.team-tools.svc'], ['database', 'team-valkey.team-tools.svc']]],
    ['bundled minio is a bucket', { minio: { enabled: true } }, [['bucket', 'team-minio.team-tools.svc']]],
    ['a subchart without enabled is left to the chart default', { postgresql: { auth: { database: 'x' } } }, []],
    ['an external database is not a store', { externalDatabase: { enabled: true, host: 'db.example' }, internalDatabase: { enabled: false } }, []],
  ] as const)('%s', (_name, document, expected) => {
    expect(values([document]).map((s) => [s.kind, s.target])).toEqual(expected);
  });

  it('recognises the CloudNativePG cluster chart as a database with its backups', () => {
    const found = values([{ fullnameOverride: 'team-db', type: 'postgresql', cluster: { instances: 2, storage: { size: '10Gi' } }, backups: { enabled: true, endpointURL: 'https://fsn1.your-objectstorage.com' } }], 'team-db');
    expect(brief(found)).toEqual([
      ['database', 'team-db-rw.team-tools.svc', 'team-tools', ['https://fsn1.your-objectstorage.com']],
      ['volume', 'team-db-rw.team-tools.svc', 'team-tools', ['https://fsn1.your-objectstorage.com']],
    ]);
    expect(brief(values([{ type: 'postgresql', cluster: { instances: 1 }, backups: { enabled: false, endpointURL: 'https://x.example' } }], 'db')))
      .toEqual([['database', 'db-rw.team-tools.svc', 'team-tools', []], ['volume', 'db-rw.team-tools.svc', 'team-tools', []]]);
  });

  it('keeps an unresolved namespace out of the placement', () => {
    expect(brief(values([{ persistence: { enabled: true } }], 'team', null))).toEqual([['volume', `team.${UNRESOLVED_NAMESPACE}.svc`, undefined, []]]);
  });

  it('reads documents given as YAML text', () => {
    expect(values(['persistence:\n  enabled: true\n']).map((s) => s.target)).toEqual(['team.team-tools.svc']);
  });
});

describe('value helpers', () => {
  it('merges values as Helm does', () => {
    expect(mergeValues([{ a: { b: 1, c: 2 }, d: [1] }, { a: { c: 3 }, d: [2] }, { a: { b: null } }])).toEqual({ a: { c: 3 }, d: [2] });
  });

  it('types set entries as Helm types --set', () => {
    expect(helmSetValues({
      set: [{ name: 'a.b', value: 'true' }, { name: 'a.c', value: '010' }, { name: 'a.d', value: '10' }, { name: 'x\\.y', value: 'false', type: 'string' }, { name: 'l[1].n', value: 'null' }],
      set_list: [{ name: 'm', value: ['1'] }],
    })).toEqual({ a: { b: true, c: '010', d: 10 }, 'x.y': 'false', l: [undefined, { n: null }], m: ['1'] });
  });

  it('reads truthiness as a Go template does', () => {
    expect([true, 'false', 1, [0], { a: 1 }].map(goTruthy)).toEqual([true, true, true, true, true]);
    expect([false, 0, '', null, [], {}].map(goTruthy)).toEqual([false, false, false, false, false, false]);
  });
});

describe('the suite: every store its charts create is a store it declares', () => {
  it('finds the same kind, target and namespace for each chart store as the constructs declare', () => {
    const stack = workplace();
    const out = synth(stack);
    const json = out.json as { resource: Record<string, Record<string, JsonObject>> };
    const namespaces = new Map(Object.entries(json.resource.kubernetes_namespace_v1).map(([id, b]) => [
      `\${kubernetes_namespace_v1.${id}.metadata[0].name}`, (b.metadata as JsonObject).name as string,
    ]));
    const scanned: PlacementSpec[] = [];
    for (const [type, blocks] of Object.entries(json.resource)) {
      for (const [name, block] of Object.entries(blocks)) {
        scanStores(type, block, `${type}.${name}`, (v) => (typeof v === 'string' ? namespaces.get(v) ?? v : undefined), (spec) => scanned.push(spec));
      }
    }
    const declared = new Set(declaredPlacements(stack).map((d) => `${d.placement.kind} ${d.placement.target} ${d.placement.namespace}`));
    expect(scanned.map((s) => s.target).sort()).toEqual([
      'ess-synapse.agency-de-chat.svc',
      'https://fsn1.your-objectstorage.com', // Velero's backup storage location, from its chart values
      'keycloak-db-rw.agency-de-identity.svc', 'keycloak-db-rw.agency-de-identity.svc',
      'mailserver.agency-de-mail.svc',
      'nextcloud-db-rw.agency-de-files.svc', 'nextcloud-db-rw.agency-de-files.svc',
      'nextcloud.agency-de-files.svc',
      'openproject-db-rw.agency-de-projects.svc', 'openproject-db-rw.agency-de-projects.svc',
      'openproject.agency-de-projects.svc',
      'synapse-db-rw.agency-de-chat.svc', 'synapse-db-rw.agency-de-chat.svc',
      'xwiki-db-rw.agency-de-wiki.svc', 'xwiki-db-rw.agency-de-wiki.svc',
      'xwiki.agency-de-wiki.svc',
    ]);
    for (const spec of scanned) expect([spec.description, declared.has(`${spec.kind} ${spec.target} ${spec.namespace}`)]).toEqual([spec.description, true]);
  });
});
