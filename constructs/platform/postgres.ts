/**
 * PostgreSQL through CloudNativePG: the operator once per cluster, and one
 * database cluster per application (see the README for why).
 */
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { settingName } from '../jurisdiction';
import type { KeyCustodySpec } from '../policy/key-custody';
import { DeclaredPlacement, SovereignStack } from '../proof';
import { AppNamespace } from './app-namespace';
import { ChartRelease, declareChartCapacity } from './chart-release';
import { AllowIngress } from './network-policies';
import { RegistryMirror } from './registry-mirror';
import { IBackupTarget, IDatabase } from './interfaces';
import { Size, SizedWorkload, componentSize, resourceValues } from './sizing';

/** The CloudNativePG operator database clusters are managed by. */
export interface IPostgresOperator {
  /** What database clusters wait for (the CRDs), when the operator is installed by the same stack. @default - installed before this stack is deployed */
  readonly dependable?: ITerraformDependable;
  /** Namespace of the operator, allowed to reach the database pods. */
  readonly namespaceName: string;
}

/** Props of {@link PostgresOperator}. */
export interface PostgresOperatorProps {
  readonly namespace: AppNamespace;
  /** @default RegistryMirror.none() */
  readonly mirror?: RegistryMirror;
}

/**
 * The CloudNativePG operator (chart `cloudnative-pg`), with its CRDs.
 *
 * @example
 * const operator = new PostgresOperator(this, 'Postgres', { namespace: platformNamespace });
 */
export class PostgresOperator extends Construct implements IPostgresOperator {
  /** Database clusters depend on it: the CRDs must exist first. */
  public readonly dependable: ITerraformDependable;
  /** Namespace of the operator, allowed to reach the database pods. */
  public readonly namespaceName: string;

  constructor(scope: Construct, id: string, props: PostgresOperatorProps) {
    super(scope, id);
    const chart = new ChartRelease(this, 'Chart', {
      chart: 'cloudnative-pg', releaseName: 'cnpg', namespace: props.namespace.reference, mirror: props.mirror,
    });
    this.dependable = chart.release;
    this.namespaceName = props.namespace.name;
    declareChartCapacity(chart, [{ app: 'platform', component: 'CloudNativePG operator', resourcesPath: '' }]);
    // The API server calls the operator's admission webhook from outside the pod network.
    new AllowIngress(this, 'AllowWebhook', {
      namespace: props.namespace.reference, name: 'allow-cnpg-webhook', podLabels: { 'app.kubernetes.io/name': 'cloudnative-pg' },
      from: [{ cidr: '0.0.0.0/0' }], ports: [9443],
    });
  }
}

/** Props of {@link PostgresCluster}. */
export interface PostgresClusterProps {
  readonly namespace: AppNamespace;
  readonly operator: IPostgresOperator;
  /** Name of the Cluster (its services are `<name>-rw`, its credentials Secret `<name>-app`). */
  readonly name: string;
  /** Database and owner role. */
  readonly database: string;
  /** More databases owned by the same role. @default - none */
  readonly extraDatabases?: readonly string[];
  /** PostgreSQL instances (one primary, the rest replicas). @default 2 */
  readonly instances?: number;
  /** Volume size per instance, in GiB. @default 10 */
  readonly storageGiB?: number;
  /** What uses it, for the inventory. */
  readonly description: string;
  /** WAL archiving and scheduled base backups with barman-cloud. @default - no backup (SD-BACKUP reports it) */
  readonly backup?: IBackupTarget;
  /** @default RegistryMirror.none() */
  readonly mirror?: RegistryMirror;
  /** How large the suite is: instances, CPU and memory (sizing.ts). @default 'small' */
  readonly size?: Size;
  /** The app it belongs to, in the capacity report. @default 'platform' */
  readonly app?: string;
}

/**
 * A CloudNativePG database cluster (chart `cluster`) in an application's namespace.
 *
 * @example
 * const db = new PostgresCluster(this, 'Database', { namespace: ns, operator, name: 'keycloak-db', database: 'keycloak', description: 'Keycloak database' });
 * db.host; // 'keycloak-db-rw.agency-de-identity.svc'
 */
export class PostgresCluster extends Construct implements IDatabase {
  public readonly host: string;
  public readonly port = 5432;
  public readonly database: string;
  public readonly credentialsSecret: string;
  public readonly podLabels: Readonly<Record<string, string>>;
  /** Namespace of the instances. */
  public readonly namespace: AppNamespace;

  constructor(scope: Construct, id: string, props: PostgresClusterProps) {
    super(scope, id);
    const sized = componentSize('postgres', props.size);
    const instances = props.instances ?? sized.replicas;
    const storageGiB = props.storageGiB ?? 10;
    if (!Number.isInteger(instances) || instances < 1 || instances > 9) {
      throw new Error(`PostgresCluster ${this.node.path}: 'instances' (${instances}) must be a whole number from 1 to 9. Fix: use 2 for a primary with one replica.`);
    }
    if (!Number.isInteger(storageGiB) || storageGiB < 1) {
      throw new Error(`PostgresCluster ${this.node.path}: 'storageGiB' (${storageGiB}) must be a whole number of GiB, at least 1.`);
    }
    this.database = props.database;
    this.host = `${props.name}-rw.${props.namespace.name}.svc`;
    this.credentialsSecret = `${props.name}-app`;
    this.podLabels = { 'cnpg.io/cluster': props.name };
    this.namespace = props.namespace;
    // CloudNativePG spreads the instances over nodes and keeps its own PodDisruptionBudgets.
    new SizedWorkload(this, 'Size', {
      app: props.app ?? 'platform', component: `PostgreSQL ${props.name}`, sized: { ...sized, replicas: instances }, namespace: props.namespace.name,
      podLabels: this.podLabels, volumeGiB: storageGiB, disruptionBudget: false,
    });
    new ChartRelease(this, 'Chart', {
      chart: 'cluster',
      releaseName: props.name,
      namespace: props.namespace.reference,
      mirror: props.mirror,
      dependsOn: props.operator.dependable ? [props.operator.dependable] : undefined,
      values: {
        fullnameOverride: props.name,
        cluster: {
          instances,
          resources: resourceValues(sized),
          storage: { size: `${storageGiB}Gi` },
          initdb: { database: props.database, owner: props.database },
        },
        databases: (props.extraDatabases ?? []).map((name) => ({ name, owner: props.database, ensure: 'present' })),
        ...(props.backup ? { backups: barmanBackups(props.name, props.backup) } : {}),
      },
    });
    new AllowIngress(this, 'AllowOperatorAndReplication', {
      namespace: props.namespace.reference, name: `allow-${props.name}-operator-and-replication`, podLabels: this.podLabels,
      from: [{ namespace: props.operator.namespaceName }, { podLabels: this.podLabels }], ports: [this.port, 8000],
    });
    const backups = props.backup ? [props.backup.endpoint] : undefined;
    const namespace = props.namespace.name;
    new DeclaredPlacement(this, 'Data', { kind: 'database', target: this.host, description: props.description, namespace, backups });
    new DeclaredPlacement(this, 'Volumes', {
      kind: 'volume', target: this.host, description: `volumes of ${props.description} (${instances} × ${storageGiB} GiB)`, namespace, backups,
    });
    if (props.backup) {
      new DeclaredPlacement(this, 'Backup', {
        kind: 'backup', target: props.backup.endpoint, namespace, field: settingName(SovereignStack.of(this).settingNames, 'spec.backup.endpoint', 'new PostgresCluster(…, { backup: { endpoint } })'),
        description: `WAL archive and base backups of ${props.description} (s3://${props.backup.bucket}/postgres/${props.name})`,
        keys: barmanCustody(props.name),
      });
    }
  }
}

/** Server-side encryption barman-cloud asks the storage service for: the provider's keys. */
export const BARMAN_ENCRYPTION = 'AES256';

/**
 * Who holds the keys of a barman-cloud backup: the storage provider.
 * barman-cloud (CloudNativePG 1.30, and the Barman Cloud Plugin) encrypts
 * nothing itself; `AES256` is SSE-S3, encryption at rest with the provider's
 * keys, which it undoes for every authorised read. `aws:kms` without a key id
 * (the chart has none) is the provider's default KMS key: the same custody.
 */
export function barmanCustody(release: string): KeyCustodySpec {
  return {
    custody: 'provider',
    readable: 'everything: barman-cloud uploads base backups and WAL segments unencrypted (gzip); the provider encrypts them at rest with its own keys (SSE-S3) and decrypts them on every read, so its operator can read every row, every change and the roles\' password hashes',
    keys: 'the storage provider',
    evidence: [
      { kind: 'values', release, path: 'backups.wal.encryption', equals: BARMAN_ENCRYPTION },
      { kind: 'values', release, path: 'backups.data.encryption', equals: BARMAN_ENCRYPTION },
    ],
  };
}

/** Values of the `cluster` chart for barman-cloud WAL archiving and a scheduled base backup. */
export function barmanBackups(name: string, target: IBackupTarget): Record<string, unknown> {
  return {
    enabled: true,
    method: 'barmanObjectStore',
    provider: 's3',
    endpointURL: target.endpoint,
    destinationPath: `s3://${target.bucket}/postgres/${name}`,
    s3: { region: target.region, bucket: target.bucket, path: `/postgres/${name}` },
    secret: { create: false, name: target.credentialsSecret },
    // barman-cloud has no client-side encryption: this asks the storage service to encrypt with its own keys (SSE-S3).
    wal: { compression: 'gzip', encryption: BARMAN_ENCRYPTION, maxParallel: 2 },
    data: { compression: 'gzip', encryption: BARMAN_ENCRYPTION, jobs: 2 },
    // CloudNativePG schedules have a seconds field in front of the five cron fields.
    scheduledBackups: [{ name: 'scheduled', schedule: `0 ${target.schedule}`, backupOwnerReference: 'self', method: 'barmanObjectStore' }],
    retentionPolicy: `${target.retentionDays}d`,
  };
}
