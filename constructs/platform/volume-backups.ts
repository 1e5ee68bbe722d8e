/**
 * Volume backups with Velero: a BackupStorageLocation on the backup target
 * and a schedule that copies every volume of the chosen namespaces (file-system
 * backup through the node agent, so any storage class works).
 */
import { Construct } from 'constructs';
import { settingName } from '../jurisdiction';
import { veleroCustody } from '../policy/scan-stores';
import { BackupCoverage, DeclaredPlacement, KUBERNETES_NAMESPACES, SovereignStack } from '../proof';
import { AppNamespace } from './app-namespace';
import { ChartRelease, declareChartCapacity } from './chart-release';
import { GeneratedSecret } from './generated-secret';
import { IBackupTarget } from './interfaces';
import { RegistryMirror } from './registry-mirror';

/** Velero's name for every namespace of the cluster. */
export const EVERY_NAMESPACE = '*';

/** Props of {@link VolumeBackups}. */
export interface VolumeBackupsProps {
  /** Namespace of Velero (Pod Security `privileged`: the node agent reads volumes from the host). */
  readonly namespace: AppNamespace;
  readonly target: IBackupTarget;
  /**
   * Namespaces whose volumes are backed up, or `['*']` for every namespace
   * of the cluster but Kubernetes' own (a shared cluster: every Workplace on
   * it, also those another synth adds later).
   */
  readonly namespaces: readonly string[];
  /** @default RegistryMirror.none() */
  readonly mirror?: RegistryMirror;
}

/**
 * The Secret Velero reads its Kopia repository password from
 * (`velero-repo-credentials`, key `repository-password`, in Velero's
 * namespace). Velero creates it with a built-in password, the same in every
 * installation, unless it exists before the first backup.
 */
export const VELERO_REPOSITORY_SECRET = { name: 'velero-repo-credentials', key: 'repository-password' } as const;

/**
 * Velero with one scheduled backup of the given namespaces. Its file-system
 * backups are encrypted by Kopia before they leave the cluster, with a
 * repository password generated here (kept in the Secret and the Terraform
 * state, never in the synthesized files).
 *
 * @example
 * new VolumeBackups(this, 'VolumeBackups', { namespace, target, namespaces: ['agency-de-mail'] });
 */
export class VolumeBackups extends Construct {
  constructor(scope: Construct, id: string, props: VolumeBackupsProps) {
    super(scope, id);
    if (props.namespaces.length === 0) {
      throw new Error(`VolumeBackups ${this.node.path}: 'namespaces' is empty. Fix: name the namespaces whose volumes must be backed up.`);
    }
    const target = props.target;
    // Created before Velero starts, so that Velero never writes its built-in password into the repository.
    const repository = new GeneratedSecret(this, 'RepositoryPassword', {
      namespace: props.namespace.name, name: VELERO_REPOSITORY_SECRET.name, generated: [VELERO_REPOSITORY_SECRET.key],
    });
    const release = new ChartRelease(this, 'Velero', {
      chart: 'velero',
      releaseName: 'velero',
      namespace: props.namespace.reference,
      mirror: props.mirror,
      dependsOn: [repository.secret],
      values: {
        credentials: { useSecret: true, existingSecret: target.credentialsSecret },
        configuration: {
          backupStorageLocation: [{
            name: 'default', provider: 'aws', bucket: target.bucket, prefix: 'velero', default: true,
            config: { region: target.region, s3Url: target.endpoint, s3ForcePathStyle: 'true', checksumAlgorithm: '' },
          }],
          volumeSnapshotLocation: [],
          defaultVolumesToFsBackup: true,
          uploaderType: 'kopia',
        },
        snapshotsEnabled: false,
        deployNodeAgent: true,
        schedules: {
          volumes: {
            disabled: false,
            schedule: target.schedule,
            useOwnerReferencesInBackup: false,
            template: {
              ttl: `${target.retentionDays * 24}h`,
              storageLocation: 'default',
              includedNamespaces: [...props.namespaces].sort(),
              ...(props.namespaces.includes(EVERY_NAMESPACE) ? { excludedNamespaces: [...KUBERNETES_NAMESPACES] } : {}),
              defaultVolumesToFsBackup: true,
              snapshotVolumes: false,
            },
          },
        },
      },
    });
    declareChartCapacity(release, [
      { app: 'platform', component: 'Velero', resourcesPath: '' },
      { app: 'platform', component: 'Velero node agent', resourcesPath: 'nodeAgent', replicas: 'per-node' },
    ]);
    new DeclaredPlacement(this, 'Backup', {
      kind: 'backup', target: target.endpoint, namespace: props.namespace.name, field: settingName(SovereignStack.of(this).settingNames, 'spec.backup.endpoint', 'new VolumeBackups(…, { target: { endpoint } })'),
      description: `volume backups (Velero, s3://${target.bucket}/velero, ${target.retentionDays} days)`,
      keys: veleroCustody(props.namespace.name),
    });
    new BackupCoverage(this, 'Coverage', { namespaces: props.namespaces, target: target.endpoint });
  }
}
