/**
 * Copies an object-storage bucket to the backup target on a schedule
 * (rclone sync in a CronJob), so the bucket has a second copy in the
 * jurisdiction.
 */
import { Construct } from 'constructs';
import { settingName } from '../jurisdiction';
import { DeclaredPlacement, SovereignStack } from '../proof';
import { AppNamespace } from './app-namespace';
import { CronJobV1 } from './cron-job';
import { IBackupTarget, IObjectStore } from './interfaces';
import { RegistryMirror } from './registry-mirror';

/** Props of {@link BucketReplication}. */
export interface BucketReplicationProps {
  readonly namespace: AppNamespace;
  readonly source: IObjectStore;
  readonly target: IBackupTarget;
  /** @default RegistryMirror.none() */
  readonly mirror?: RegistryMirror;
}

/** The rclone image that copies buckets. */
export const RCLONE_IMAGE = { upstream: 'docker.io/rclone/rclone', tag: '1.71.2' };

/**
 * A CronJob that syncs a bucket into `s3://<backup bucket>/objects/<bucket>`.
 *
 * @example
 * new BucketReplication(this, 'Replication', { namespace, source: bucket, target });
 */
export class BucketReplication extends Construct {
  /** Labels of the replication pods. */
  public readonly podLabels = { 'app.kubernetes.io/name': 'bucket-replication' };

  constructor(scope: Construct, id: string, props: BucketReplicationProps) {
    super(scope, id);
    const mirror = props.mirror ?? RegistryMirror.none();
    const image = mirror.image(RCLONE_IMAGE);
    const destination = `target:${props.target.bucket}/objects/${props.source.bucket}`;
    const remote = (name: string, endpoint: string, region: string, secret: string, idKey: string, keyKey: string) => [
      { name: `RCLONE_CONFIG_${name}_TYPE`, value: 's3' },
      { name: `RCLONE_CONFIG_${name}_PROVIDER`, value: 'Other' },
      { name: `RCLONE_CONFIG_${name}_ENDPOINT`, value: endpoint },
      { name: `RCLONE_CONFIG_${name}_REGION`, value: region },
      { name: `RCLONE_CONFIG_${name}_ACCESS_KEY_ID`, valueFrom: { secretKeyRef: { name: secret, key: idKey } } },
      { name: `RCLONE_CONFIG_${name}_SECRET_ACCESS_KEY`, valueFrom: { secretKeyRef: { name: secret, key: keyKey } } },
    ];
    new CronJobV1(this, 'CronJob', {
      metadata: { name: `replicate-${props.source.bucket}`.slice(0, 52), namespace: props.namespace.reference, labels: this.podLabels },
      spec: {
        schedule: props.target.schedule,
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels: this.podLabels },
          spec: {
            backoffLimit: 2,
            template: {
              metadata: { labels: this.podLabels },
              spec: {
                restartPolicy: 'OnFailure',
                automountServiceAccountToken: false,
                securityContext: { runAsNonRoot: true, runAsUser: '65532', runAsGroup: '65532', seccompProfile: { type: 'RuntimeDefault' } },
                container: [{
                  name: 'rclone',
                  image: `${image.reference}:${image.tag}`,
                  args: ['sync', `source:${props.source.bucket}`, destination, '--checksum', '--fast-list', '--log-level', 'INFO', '--use-json-log', '--config', '/tmp/rclone.conf'],
                  env: [
                    ...remote('SOURCE', props.source.endpoint, props.source.region, props.source.credentialsSecret, 'access-key', 'secret-key'),
                    ...remote('TARGET', props.target.endpoint, props.target.region, props.target.credentialsSecret, 'ACCESS_KEY_ID', 'ACCESS_SECRET_KEY'),
                  ],
                  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } },
                  volumeMount: [{ name: 'tmp', mountPath: '/tmp' }],
                }],
                volume: [{ name: 'tmp', emptyDir: {} }],
              },
            },
          },
        },
      },
    });
    new DeclaredPlacement(this, 'Image', { kind: 'registry', target: `${image.reference}:${image.tag}`, description: 'image of the bucket replication' });
    new DeclaredPlacement(this, 'Backup', {
      kind: 'backup', target: props.target.endpoint, namespace: props.namespace.name, field: settingName(SovereignStack.of(this).settingNames, 'spec.backup.endpoint', 'new BucketReplication(…, { target: { endpoint } })'),
      description: `copy of bucket ${props.source.bucket} (s3://${props.target.bucket}/objects/${props.source.bucket})`,
    });
  }
}
