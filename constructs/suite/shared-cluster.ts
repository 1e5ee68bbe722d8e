/**
 * A cluster shared by several Workplaces: the cluster-wide platform its
 * Cluster stack installs once (ClusterPlatform), and what each tenant's stack
 * takes from it (SharedServices): names only — never a construct of another
 * stack, which would make one stack read another's state.
 */
import { Construct } from 'constructs';
import { regionOfUrl } from '../jurisdiction';
import { AppName, ClusterDeployment, ClusterSpec, Deployment, WorkplaceSpec } from '../deployment';
import { veleroCustody } from '../policy/scan-stores';
import { ACME_ISSUER, installClusterBasics, restrictEgress, shipLogs } from './cluster-platform-parts';
import { BackupCoverage, DeclaredPlacement } from '../proof';
import {
  AppNamespace, ExistingIngress, IBackupTarget, ICertificateIssuer, IIngress,
  EVERY_NAMESPACE, Metrics, SINK_CUSTODY, MetricsScrapeTarget, PostgresOperator, RegistryMirror, VolumeBackups,
} from '../platform';

/** The namespaces a Cluster stack creates for its cluster-wide services. */
export type ClusterNamespace = 'platform' | 'backup' | 'logging' | 'metrics';

/** Pod Security of the cluster-wide namespaces (Velero's node agent and Fluent Bit read the nodes' filesystems). */
const CLUSTER_POD_SECURITY = { platform: 'restricted', backup: 'privileged', logging: 'privileged', metrics: 'restricted' } as const;

/** The name of a cluster-wide namespace: `<cluster>-<key>`, as a Workplace's are `<workplace>-<app>`. */
export function clusterNamespace(cluster: string, key: ClusterNamespace): string {
  return `${cluster}-${key}`;
}

/** The PostgreSQL database cluster each app creates, by name (the suite's constructs use these names). */
export const APP_DATABASES: Readonly<Partial<Record<AppName, string>>> = {
  identity: 'keycloak-db', files: 'nextcloud-db', chat: 'synapse-db', projects: 'openproject-db', wiki: 'xwiki-db',
};

/** Apps whose namespaces hold volumes that Velero backs up. */
export const VOLUME_APPS: readonly AppName[] = ['files', 'mail', 'chat', 'projects', 'wiki'];

/** What a Cluster stack needs to know of a tenant: its namespaces, the ones with volumes, its databases. */
export interface TenantLayout {
  readonly name: string;
  readonly volumeNamespaces: readonly string[];
  readonly databases: readonly { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>> }[];
}

/** A tenant's layout, from its spec alone. */
export function tenantLayout(deployment: { readonly metadata: Deployment['metadata']; readonly spec: Pick<Deployment['spec'], 'apps'> }): TenantLayout {
  const name = deployment.metadata.name;
  const apps = deployment.spec.apps;
  return {
    name,
    volumeNamespaces: VOLUME_APPS.filter((app) => apps.includes(app)).map((app) => `${name}-${app}`),
    databases: apps.filter((app) => APP_DATABASES[app]).map((app) => ({ namespace: `${name}-${app}`, podLabels: { 'cnpg.io/cluster': APP_DATABASES[app] as string } })),
  };
}

/** A spec field of a Cluster, as a tenant's findings name it. */
export function clusterField(cluster: string, source: string, field: string): string {
  return `${field} of the Cluster ${cluster} (${source})`;
}

/** The ClusterIssuer a Cluster with spec.tls.acme creates. */
export const SHARED_ACME_ISSUER = ACME_ISSUER;

/**
 * What a tenant's stack takes from its shared cluster, by name: the ingress,
 * the ClusterIssuer and its CA, the operator's namespace, the registry mirror,
 * and the sinks of the cluster-wide agents that carry the tenant's data.
 */
export interface SharedServices {
  /** The Cluster's stack name. */
  readonly cluster: string;
  /** Its spec file, for the fields findings name. */
  readonly source: string;
  readonly ingress: IIngress;
  readonly issuer: {
    readonly clusterIssuer: string;
    /** The CA: an ACME directory, a URL, `in-cluster`, or undefined when the Cluster does not say. */
    readonly server?: string;
    readonly acme: boolean;
    readonly field: string;
  };
  /** Namespace of the CloudNativePG operator. */
  readonly operatorNamespace: string;
  /** Registry mirror every image is pulled through. @default - none */
  readonly mirror?: string;
  /** Velero's target, for the tenant's volumes. @default - no volume backups */
  readonly backup?: { readonly target: IBackupTarget; readonly namespace: string; readonly field: string };
  /** Fluent Bit's sink, for the tenant's logs. @default - no log shipping */
  readonly logging?: { readonly endpoint: string; readonly output: string; readonly namespace: string; readonly field: string };
  /** The metrics agent's sink, for the tenant's database metrics. @default - no metrics */
  readonly metrics?: { readonly endpoint: string; readonly namespace: string; readonly field: string };
}

/** The IBackupTarget of a spec's backup section (a Workplace's or a Cluster's: the same fields). */
export function backupTarget(backup: NonNullable<ClusterSpec['backup'] | WorkplaceSpec['backup']>): IBackupTarget {
  return {
    endpoint: backup.endpoint, bucket: backup.bucket, region: backup.region ?? regionOfUrl(backup.endpoint) ?? 'eu-central-1',
    credentialsSecret: backup.credentialsSecret, schedule: backup.schedule, retentionDays: backup.retentionDays,
  };
}

/** The services of a Cluster, for its tenants' stacks. */
export function sharedServices(cluster: ClusterDeployment, source: string): SharedServices {
  const { spec } = cluster;
  const name = cluster.metadata.name;
  const field = (f: string) => clusterField(name, source, f);
  return {
    cluster: name,
    source,
    ingress: new ExistingIngress(spec.ingress.className, spec.ingress.namespace),
    issuer: spec.tls.acme
      ? { clusterIssuer: SHARED_ACME_ISSUER, server: spec.tls.acme, acme: true, field: field('spec.tls.acme') }
      : { clusterIssuer: spec.tls.issuer ?? '', server: spec.tls.issuerServer, acme: false, field: field(spec.tls.issuerServer ? 'spec.tls.issuerServer' : 'spec.tls.issuer') },
    operatorNamespace: clusterNamespace(name, 'platform'),
    mirror: spec.registry?.mirror,
    backup: spec.backup ? { target: backupTarget(spec.backup), namespace: clusterNamespace(name, 'backup'), field: field('spec.backup.endpoint') } : undefined,
    logging: spec.logging
      ? { endpoint: spec.logging.endpoint, output: spec.logging.output, namespace: clusterNamespace(name, 'logging'), field: field('spec.logging.endpoint') }
      : undefined,
    metrics: spec.monitoring
      ? { endpoint: spec.monitoring.endpoint, namespace: clusterNamespace(name, 'metrics'), field: field('spec.monitoring.endpoint') }
      : undefined,
  };
}

/** Props of {@link ClusterPlatform}. */
export interface ClusterPlatformProps {
  /** The Cluster's name: prefix of its namespaces, and the `cluster` label of its logs and metrics. */
  readonly name: string;
  readonly spec: ClusterSpec;
  /** The Workplaces on the cluster: Velero backs up their volumes, the metrics agent scrapes their databases. @default - none */
  readonly tenants?: readonly TenantLayout[];
}

/**
 * The cluster-wide platform of a shared cluster, installed once: the
 * CloudNativePG operator, cert-manager and its ClusterIssuer (with
 * spec.tls.acme), Traefik (with spec.ingress.install), Velero over every
 * tenant's volumes (with spec.backup), Fluent Bit (spec.logging) and the
 * metrics agent (spec.monitoring).
 *
 * @example
 * new ClusterPlatform(stack, 'Platform', { name: 'shared-de', spec: cluster.spec, tenants: [tenantLayout(agency)] });
 */
export class ClusterPlatform extends Construct {
  public readonly ingress: IIngress;
  public readonly issuer: ICertificateIssuer;
  public readonly operator: PostgresOperator;
  public readonly namespaces: Readonly<Partial<Record<ClusterNamespace, AppNamespace>>>;

  constructor(scope: Construct, id: string, props: ClusterPlatformProps) {
    super(scope, id);
    const { spec, name } = props;
    const tenants = props.tenants ?? [];
    const mirror = spec.registry?.mirror ? RegistryMirror.at(spec.registry.mirror) : RegistryMirror.none();
    const namespaces: Partial<Record<ClusterNamespace, AppNamespace>> = {};
    const namespace = (key: ClusterNamespace): AppNamespace => {
      namespaces[key] ??= new AppNamespace(this, `${key.charAt(0).toUpperCase()}${key.slice(1)}Namespace`, {
        name: clusterNamespace(name, key), app: key, podSecurity: CLUSTER_POD_SECURITY[key],
      });
      return namespaces[key];
    };
    const platform = namespace('platform');
    ({ ingress: this.ingress, issuer: this.issuer, operator: this.operator } = installClusterBasics(this, spec, platform, mirror));

    // Every namespace: a Workplace's volumes are backed up whether or not this synth read its spec
    // (a synth of some of the fleet's files would otherwise drop the others' volumes from the schedule).
    if (spec.backup) {
      new VolumeBackups(this, 'VolumeBackups', { namespace: namespace('backup'), target: backupTarget(spec.backup), namespaces: [EVERY_NAMESPACE], mirror });
    }
    if (spec.logging) {
      shipLogs(this, spec.logging, namespace('logging'), name, mirror);
    }
    if (spec.monitoring) {
      // The tenants' stacks let the agent into their namespaces (an allow there must wait for the namespace).
      const targets: MetricsScrapeTarget[] = [
        { namespace: platform, podLabels: { 'app.kubernetes.io/name': 'cloudnative-pg' }, port: 8080 },
        ...tenants.flatMap((t) => t.databases.map((db) => ({ namespace: db.namespace, podLabels: db.podLabels, port: 9187, allowIngress: false }))),
      ];
      new Metrics(this, 'Metrics', {
        namespace: namespace('metrics'), endpoint: spec.monitoring.endpoint, credentialsSecret: spec.monitoring.credentialsSecret, cluster: name, targets, mirror,
      });
    }
    this.namespaces = namespaces;
    restrictEgress(Object.values(namespaces), this.ingress.namespace, spec, spec.egress.cidrs);
  }
}

/** Props of {@link TenantServices}. */
export interface TenantServicesProps {
  readonly shared: SharedServices;
  readonly layout: TenantLayout;
}

/**
 * In a tenant's stack, the shared cluster's services that carry the
 * tenant's data, declared as the tenant's own placements and so judged by
 * the tenant's bounds (and never suppressed by the tenant): Velero's target
 * covers the tenant's volumes, the log sink receives its logs, the metrics
 * sink its databases' metrics.
 */
export class TenantServices extends Construct {
  constructor(scope: Construct, id: string, props: TenantServicesProps) {
    super(scope, id);
    const { shared, layout } = props;
    if (shared.backup && layout.volumeNamespaces.length > 0) {
      const { target } = shared.backup;
      new DeclaredPlacement(this, 'VolumeBackups', {
        kind: 'backup', target: target.endpoint, namespace: shared.backup.namespace, field: shared.backup.field, sharedBy: shared.cluster,
        // Backed by the Cluster stack's configuration (its Velero repository password), which the proof reads there.
        keys: veleroCustody(shared.backup.namespace),
        description: `volume backups of the shared cluster ${shared.cluster} (Velero, s3://${target.bucket}/velero, ${target.retentionDays} days)`,
      });
      new BackupCoverage(this, 'VolumeBackupCoverage', { namespaces: layout.volumeNamespaces, target: target.endpoint });
    }
    if (shared.logging) {
      new DeclaredPlacement(this, 'LogSink', {
        kind: 'log-sink', target: shared.logging.endpoint, namespace: shared.logging.namespace, field: shared.logging.field, sharedBy: shared.cluster,
        keys: SINK_CUSTODY,
        description: `log sink of the shared cluster ${shared.cluster} (${shared.logging.output}, every container log of this Workplace)`,
      });
    }
    if (shared.metrics) {
      new DeclaredPlacement(this, 'MetricsSink', {
        kind: 'metrics-sink', target: shared.metrics.endpoint, namespace: shared.metrics.namespace, field: shared.metrics.field, sharedBy: shared.cluster,
        keys: SINK_CUSTODY,
        description: `metrics sink of the shared cluster ${shared.cluster} (this Workplace's database metrics)`,
      });
    }
  }
}
