/**
 * The workplace suite composed from a deployment spec: platform pieces
 * (namespaces, PostgreSQL, Valkey, cert-manager, ingress) and the five
 * applications, wired together with single sign-on.
 */
import { Construct } from 'constructs';
import { Chat, Files, Identity, Mail, Office, Projects, Video, Wiki } from '../apps';
import { regionOfUrl } from '../jurisdiction';
import {
  AllowIngress, AppNamespace, BucketReplication, DeclaredIssuer, IBackupTarget, ICertificateIssuer, IIngress, IPostgresOperator,
  METRICS_AGENT_LABELS, Metrics, MetricsScrapeTarget, PodSecurityLevel, PostgresCluster, RegistryMirror, S3Bucket, Size, Valkey, VolumeBackups,
} from '../platform';
import { AppName, WorkplaceSpec } from '../deployment';
import { SuiteHosts, suiteHosts } from './hosts';
import { installClusterBasics, restrictEgress, shipLogs } from './cluster-platform-parts';
import { SharedServices, TenantServices, VOLUME_APPS, backupTarget, tenantLayout } from './shared-cluster';

/** Namespaces of the suite: one per application, plus the platform, backup and logging namespaces. */
export type SuiteNamespace = AppName | 'platform' | 'backup' | 'logging' | 'metrics';

/** Jitsi's one videobridge per size: about 8 vCPU per 200 participants in calls (docs/sizing.md). */
const BRIDGE: Readonly<Record<Size, { bridgeCpus: number; bridgeMemoryGiB: number }>> = {
  small: { bridgeCpus: 4, bridgeMemoryGiB: 4 },
  medium: { bridgeCpus: 8, bridgeMemoryGiB: 8 },
  large: { bridgeCpus: 16, bridgeMemoryGiB: 16 },
};

/** Props of {@link Workplace}. */
export interface WorkplaceProps {
  /** Prefix of namespace names, e.g. the stack name. */
  readonly name: string;
  readonly spec: WorkplaceSpec;
  /**
   * The shared cluster's services, for a Workplace on a shared cluster: its
   * Cluster stack installs the ingress, the issuer, the PostgreSQL operator,
   * Velero, the log shipper and the metrics agent, and this Workplace declares
   * the sinks that carry its data as its own placements.
   * @default - a cluster of its own: the Workplace installs them itself
   */
  readonly shared?: SharedServices;
}

/**
 * Pod Security level per application namespace. Lower than `restricted` only
 * where the upstream image cannot comply; the README says why for each.
 */
export const POD_SECURITY: Readonly<Record<SuiteNamespace, PodSecurityLevel>> = {
  platform: 'restricted',
  // Velero's node agent and Fluent Bit read volumes and logs from the nodes' filesystems (hostPath).
  backup: 'privileged',
  logging: 'privileged',
  metrics: 'restricted',
  identity: 'restricted',
  chat: 'restricted',
  // The nextcloud (Apache) image starts as root to bind port 80 and switch to www-data.
  files: 'baseline',
  // coolwsd needs CHOWN, FOWNER and SYS_CHROOT to build its per-document jails.
  office: 'baseline',
  // docker-mailserver starts as root (Postfix, Dovecot and supervisord drop privileges themselves).
  mail: 'baseline',
  video: 'restricted',
  projects: 'restricted',
  // The xwiki image runs Tomcat as root and rewrites its configuration files at start.
  wiki: 'baseline',
};

/**
 * The whole suite.
 *
 * @example
 * new Workplace(stack, 'Workplace', { name: 'agency-de', spec: deployment.spec });
 */
export class Workplace extends Construct {
  public readonly hosts: SuiteHosts;
  public readonly namespaces: Readonly<Partial<Record<SuiteNamespace, AppNamespace>>>;
  public readonly identity?: Identity;
  public readonly files?: Files;
  public readonly office?: Office;
  public readonly mail?: Mail;
  public readonly chat?: Chat;
  public readonly video?: Video;
  public readonly projects?: Projects;
  public readonly wiki?: Wiki;

  constructor(scope: Construct, id: string, props: WorkplaceProps) {
    super(scope, id);
    const { spec, name } = props;
    const apps = new Set(spec.apps);
    const enabled = (app: AppName) => apps.has(app);
    this.hosts = suiteHosts(spec);
    const shared = props.shared;
    const mirrorHost = shared ? shared.mirror : spec.registry?.mirror;
    const mirror = mirrorHost ? RegistryMirror.at(mirrorHost) : RegistryMirror.none();
    const size = spec.size;

    const namespaces: Partial<Record<SuiteNamespace, AppNamespace>> = {};
    const namespace = (key: SuiteNamespace): AppNamespace => {
      namespaces[key] ??= new AppNamespace(this, `${key.charAt(0).toUpperCase()}${key.slice(1)}Namespace`, {
        name: `${name}-${key}`, app: key, podSecurity: POD_SECURITY[key],
      });
      return namespaces[key];
    };
    // On a shared cluster the platform namespace and its operators belong to the Cluster's stack.
    const platform = shared ? undefined : namespace('platform');
    for (const app of spec.apps) namespace(app);
    this.namespaces = namespaces;

    const { ingress, issuer, operator: postgres }: { ingress: IIngress; issuer: ICertificateIssuer; operator: IPostgresOperator } = shared
      ? {
        ingress: shared.ingress,
        // The Cluster's ClusterIssuer, with its CA declared here: the tenant's certificates come from it.
        issuer: new DeclaredIssuer(this, 'Issuer', { clusterIssuer: shared.issuer.clusterIssuer, server: shared.issuer.server, field: shared.issuer.field, sharedBy: shared.cluster }),
        operator: { namespaceName: shared.operatorNamespace },
      }
      : installClusterBasics(this, spec, platform as AppNamespace, mirror);
    if (shared ? shared.issuer.acme : spec.tls.acme) {
      for (const app of spec.apps) this.allowAcmeSolver(namespaces[app] as AppNamespace, ingress);
    }
    const backup: IBackupTarget | undefined = spec.backup ? backupTarget(spec.backup) : undefined;

    let identity: Identity | undefined;
    if (enabled('identity')) {
      const ns = namespace('identity');
      const database = new PostgresCluster(this, 'IdentityDatabase', {
        namespace: ns, operator: postgres, name: 'keycloak-db', database: 'keycloak', description: 'Keycloak database (users, sessions, events)', backup, mirror, size, app: 'identity',
      });
      identity = new Identity(this, 'Identity', { namespace: ns, host: this.hosts.identity, database, ingress, issuer, mirror, size });
    }
    this.identity = identity;
    const requireIdentity = (app: AppName): Identity => {
      if (!identity) {
        throw new Error(`spec.apps: ${app} signs users in through identity, which is not enabled. Allowed: ${app} together with identity. Fix: add identity to spec.apps.`);
      }
      return identity;
    };

    if (enabled('files')) {
      const ns = namespace('files');
      const database = new PostgresCluster(this, 'FilesDatabase', {
        namespace: ns, operator: postgres, name: 'nextcloud-db', database: 'nextcloud', description: 'Nextcloud database (metadata, shares, calendars, contacts)', backup, mirror, size, app: 'files',
      });
      const cache = new Valkey(this, 'FilesCache', { namespace: ns, description: 'Nextcloud cache and file locks', mirror, app: 'files' });
      const storage = spec.objectStorage;
      const replicate = storage?.backup.mode === 'replicate' && backup !== undefined;
      const objectStore = storage
        ? new S3Bucket(this, 'FilesBucket', {
          endpoint: storage.endpoint, bucket: storage.bucket ?? `${name}-files`, region: storage.region ?? regionOfUrl(storage.endpoint),
          credentialsSecret: storage.credentialsSecret, description: 'Nextcloud primary storage (every file)', field: 'spec.objectStorage.endpoint',
          namespace: ns.name,
          backups: replicate && backup ? [backup.endpoint] : undefined,
          noBackupReason: storage.backup.mode === 'primary' ? `declared the primary copy: ${storage.backup.reason}` : undefined,
        })
        : undefined;
      if (objectStore && replicate && backup) {
        new BucketReplication(this, 'FilesBucketReplication', { namespace: ns, source: objectStore, target: backup, mirror });
      }
      this.files = new Files(this, 'Files', {
        namespace: ns, host: this.hosts.files, database, cache, objectStore, identity: requireIdentity('files'), ingress, issuer, mirror, size,
        officeUrl: enabled('office') ? `https://${this.hosts.office}` : undefined,
      });
    }

    if (enabled('office')) {
      if (!this.files) {
        throw new Error('spec.apps: office edits documents stored in files, which is not enabled. Allowed: office together with files. Fix: add files to spec.apps.');
      }
      this.office = new Office(this, 'Office', {
        namespace: namespace('office'), host: this.hosts.office, wopiHost: this.files.url,
        filesNamespace: namespace('files').name, filesPodLabels: this.files.podLabels, ingress, issuer, mirror, size,
      });
      this.files.allowOffice(namespace('office').name, this.office.podLabels);
    }

    if (enabled('mail')) {
      this.mail = new Mail(this, 'Mail', {
        namespace: namespace('mail'), host: this.hosts.mail, domain: spec.mail?.domain ?? spec.domain, issuer,
        relay: spec.mail?.relay, relayCredentialsSecret: spec.mail?.relayCredentialsSecret, clamavMirror: spec.mail?.clamavMirror,
        webmailNamespace: namespaces.files?.name, mirror, size,
      });
    }

    if (enabled('chat')) {
      const ns = namespace('chat');
      const database = new PostgresCluster(this, 'ChatDatabase', {
        namespace: ns, operator: postgres, name: 'synapse-db', database: 'synapse', extraDatabases: ['mas'],
        description: 'Synapse and MAS databases (messages, rooms, accounts)', backup, mirror, size, app: 'chat',
      });
      new AllowIngress(this, 'AllowChatToDatabase', {
        namespace: ns.reference, name: 'allow-chat-to-database', podLabels: database.podLabels, from: [{ namespace: ns.name }], ports: [database.port],
      });
      this.chat = new Chat(this, 'Chat', {
        namespace: ns, serverName: spec.domain, host: this.hosts.chat, matrixHost: this.hosts.matrix, accountHost: this.hosts.account,
        database, identity: requireIdentity('chat'), ingress, issuer, mirror, size,
      });
    }

    if (enabled('video')) {
      if (!spec.video) {
        throw new Error('spec.apps: video publishes its media on the load balancer\'s public address, and spec.video is not set. '
          + 'Allowed: video together with spec.video.publicAddress. Fix: add spec.video: { publicAddress: <IPv4 of the load balancer> } and declare it in spec.locations.');
      }
      this.video = new Video(this, 'Video', {
        namespace: namespace('video'), host: this.hosts.video, identity: requireIdentity('video'), ingress, issuer, mirror,
        publicAddress: spec.video.publicAddress, turnHost: spec.video.turnHost, guests: spec.video.guests, ...BRIDGE[size],
      });
    }
    if (enabled('projects')) {
      this.projects = new Projects(this, 'Projects', {
        namespace: namespace('projects'), host: this.hosts.projects, operator: postgres, backup, identity: requireIdentity('projects'), ingress, issuer, mirror,
      });
    }
    if (enabled('wiki')) {
      this.wiki = new Wiki(this, 'Wiki', {
        namespace: namespace('wiki'), host: this.hosts.wiki, operator: postgres, backup, identity: requireIdentity('wiki'), ingress, issuer, mirror,
        extensionRepository: spec.wiki?.extensionRepository,
      });
    }

    if (shared) {
      this.useSharedServices(shared, props);
    } else {
      this.installClusterServices(spec, name, backup, namespace, platform as AppNamespace, mirror);
    }
    // Last, once every namespace exists: egress follows the placements declared above.
    restrictEgress(Object.values(namespaces), ingress.namespace, spec.cluster, spec.egress.cidrs);
  }

  /**
   * On a shared cluster: the Cluster's Velero, log shipper and metrics agent
   * carry this Workplace's data, so their sinks are declared here and judged
   * by this Workplace's bounds; the metrics agent is let into its database
   * namespaces.
   */
  private useSharedServices(shared: SharedServices, props: WorkplaceProps): void {
    const layout = tenantLayout({ metadata: { name: props.name }, spec: props.spec });
    new TenantServices(this, 'SharedCluster', { shared, layout });
    const metrics = shared.metrics;
    if (!metrics) return;
    for (const database of this.node.findAll().filter((c): c is PostgresCluster => c instanceof PostgresCluster)) {
      new AllowIngress(database, 'AllowClusterMetrics', {
        namespace: database.namespace.reference, name: `allow-${database.podLabels['cnpg.io/cluster']}-cluster-metrics`, podLabels: database.podLabels,
        from: [{ namespace: metrics.namespace, podLabels: METRICS_AGENT_LABELS }], ports: [9187],
      });
    }
  }

  /** On a cluster of its own: Velero, the log shipper and the metrics agent. */
  private installClusterServices(
    spec: WorkplaceSpec, name: string, backup: IBackupTarget | undefined, namespace: (key: SuiteNamespace) => AppNamespace, platform: AppNamespace, mirror: RegistryMirror,
  ): void {
    const enabled = (app: AppName) => spec.apps.includes(app);
    const volumeNamespaces = VOLUME_APPS.filter(enabled).map((app) => namespace(app).name);
    if (backup && volumeNamespaces.length > 0) {
      new VolumeBackups(this, 'VolumeBackups', { namespace: namespace('backup'), target: backup, namespaces: volumeNamespaces, mirror });
    }
    if (spec.logging) {
      shipLogs(this, spec.logging, namespace('logging'), name, mirror);
    }
    if (spec.monitoring) {
      // Every PostgreSQL instance serves its metrics on 9187 (CloudNativePG's exporter), the operator on 8080.
      const databases = this.node.findAll().filter((c): c is PostgresCluster => c instanceof PostgresCluster);
      const targets: MetricsScrapeTarget[] = [
        { namespace: platform, podLabels: { 'app.kubernetes.io/name': 'cloudnative-pg' }, port: 8080 },
        ...databases.map((db) => ({ namespace: db.namespace, podLabels: db.podLabels, port: 9187 })),
      ];
      new Metrics(this, 'Metrics', {
        namespace: namespace('metrics'), endpoint: spec.monitoring.endpoint, credentialsSecret: spec.monitoring.credentialsSecret,
        cluster: name, targets, mirror,
      });
    }
  }

  /** cert-manager's HTTP-01 solver pods answer the CA through the ingress controller. */
  private allowAcmeSolver(namespace: AppNamespace, ingress: IIngress): void {
    new AllowIngress(namespace, 'AllowAcmeSolver', {
      namespace: namespace.reference, name: 'allow-acme-http01-solver', podLabels: { 'acme.cert-manager.io/http01-solver': 'true' },
      from: [{ namespace: ingress.namespace }], ports: [8089],
    });
  }
}
