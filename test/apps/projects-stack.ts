/**
 * The Projects construct as a team composes it on its own: a SovereignStack
 * with the operator, the identity provider, a backup target, a registry
 * mirror and egress, as a real user would give them (all in Germany).
 */
import { Identity, Projects, ProjectsProps } from '../../constructs/apps';
import {
  AppNamespace, BucketReplication, DeclaredIssuer, EgressPolicy, ExistingIngress, IBackupTarget, PostgresCluster, PostgresOperator, RegistryMirror,
  S3Bucket, VolumeBackups,
} from '../../constructs/platform';
import { SovereignStack } from '../../constructs/proof';
import { minimalStack } from '../util';

export interface ProjectsStackOptions {
  /** Attachments on a bucket (replicated to the backup target) instead of a volume. @default false */
  readonly objectStore?: boolean;
  /** Backup target endpoint. @default Hetzner Falkenstein */
  readonly backupEndpoint?: string;
  /** Cover the attachments volume with Velero. @default true */
  readonly volumeBackups?: boolean;
  /** More props of Projects. @default - none */
  readonly props?: Partial<ProjectsProps>;
}

export interface ProjectsStack {
  readonly stack: SovereignStack;
  readonly projects: Projects;
  readonly namespace: AppNamespace;
}

export const PROJECTS_HOST = 'projects.desk.agency.example';

/** A stack holding Projects and what it needs. */
export function projectsStack(options: ProjectsStackOptions = {}): ProjectsStack {
  const stack = minimalStack({ locations: [{ pattern: '*.agency.example', countries: ['DE'], operator: 'DE' }] });
  const mirror = RegistryMirror.at('registry.agency.example/desk');
  const ingress = new ExistingIngress('traefik', 'traefik');
  const issuer = new DeclaredIssuer(stack, 'Issuer', { clusterIssuer: 'corp-ca', server: 'in-cluster' });
  const backup: IBackupTarget = {
    endpoint: options.backupEndpoint ?? 'https://fsn1.your-objectstorage.com', bucket: 'agency-de-backups', region: 'fsn1',
    credentialsSecret: 'desk-backup', schedule: '0 2 * * *', retentionDays: 30,
  };
  const platform = new AppNamespace(stack, 'PlatformNamespace', { name: 'agency-de-platform', app: 'platform' });
  const operator = new PostgresOperator(stack, 'PostgresOperator', { namespace: platform, mirror });

  const identityNamespace = new AppNamespace(stack, 'IdentityNamespace', { name: 'agency-de-identity', app: 'identity' });
  const identityDatabase = new PostgresCluster(stack, 'IdentityDatabase', {
    namespace: identityNamespace, operator, name: 'keycloak-db', database: 'keycloak', description: 'Keycloak database', backup, mirror,
  });
  const identity = new Identity(stack, 'Identity', { namespace: identityNamespace, host: 'id.desk.agency.example', database: identityDatabase, ingress, issuer, mirror });

  const namespace = new AppNamespace(stack, 'ProjectsNamespace', { name: 'agency-de-projects', app: 'projects' });
  const objectStore = options.objectStore
    ? new S3Bucket(stack, 'ProjectsBucket', {
      endpoint: 'https://object.storage.eu01.onstackit.cloud', bucket: 'agency-de-projects', credentialsSecret: 'desk-object-storage',
      description: 'OpenProject attachments', namespace: namespace.name, backups: [backup.endpoint],
    })
    : undefined;
  if (objectStore) new BucketReplication(stack, 'ProjectsBucketReplication', { namespace, source: objectStore, target: backup, mirror });
  const projects = new Projects(stack, 'Projects', {
    namespace, host: PROJECTS_HOST, operator, backup, identity, ingress, issuer, objectStore, mirror, ...options.props,
  });
  if (!objectStore && options.volumeBackups !== false) {
    const backupNamespace = new AppNamespace(stack, 'BackupNamespace', { name: 'agency-de-backup', app: 'backup', podSecurity: 'privileged' });
    new VolumeBackups(stack, 'VolumeBackups', { namespace: backupNamespace, target: backup, namespaces: [namespace.name], mirror });
  }
  for (const ns of [platform, identityNamespace, namespace]) {
    new EgressPolicy(ns, 'Egress', { namespace: ns, ingressNamespace: ingress.namespace, cni: 'cilium' });
  }
  return { stack, projects, namespace };
}
