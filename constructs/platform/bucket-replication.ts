/**
 * Copies an object-storage bucket to the backup target on a schedule
 * (rclone sync in a CronJob), so the bucket has a second copy in the
 * jurisdiction, encrypted before it leaves the cluster (rclone's `crypt`
 * remote over the target).
 */
import { Construct } from 'constructs';
import { settingName } from '../jurisdiction';
import { DeclaredPlacement, SovereignStack } from '../proof';
import { AppNamespace } from './app-namespace';
import { CronJobV1 } from './cron-job';
import { GeneratedSecret } from './generated-secret';
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

/** Keys of the Secret with the copy's encryption keys: rclone crypt's password and its salt (`password2`). */
export const CRYPT_KEYS = { password: 'password', salt: 'password2' } as const;

/**
 * Writes the crypt remote's passwords into rclone's config file, obscured as
 * rclone expects them there. `rclone obscure -` reads the first line of
 * stdin, so the values never appear in a command line; an empty or unset
 * value stops the job instead of obscuring "-". (No `${…}` here: Terraform
 * would read it as a template.)
 */
export const CRYPT_CONFIG_SCRIPT = [
  'set -eu',
  'umask 077',
  '[ -n "$CRYPT_PASSWORD" ] && [ -n "$CRYPT_SALT" ] || { echo "crypt keys missing" >&2; exit 1; }',
  'obscured_key=$(printf \'%s\\n\' "$CRYPT_PASSWORD" | rclone obscure -)',
  'obscured_salt=$(printf \'%s\\n\' "$CRYPT_SALT" | rclone obscure -)',
  'printf \'[backup]\\npassword = %s\\npassword2 = %s\\n\' "$obscured_key" "$obscured_salt" > /tmp/rclone.conf',
].join('\n');

/** The rclone image that copies buckets. */
export const RCLONE_IMAGE = { upstream: 'docker.io/rclone/rclone', tag: '1.71.2' };

/**
 * A CronJob that syncs a bucket into `s3://<backup bucket>/objects/<bucket>`,
 * through a crypt remote: object names and contents are encrypted in the
 * cluster with keys generated here (Secret `<job>-crypt` and the Terraform
 * state), so the backup target holds ciphertext only.
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
    const copy = `${props.target.bucket}/objects/${props.source.bucket}`;
    const name = `replicate-${props.source.bucket}`.slice(0, 52);
    const keys = new GeneratedSecret(this, 'CryptKeys', {
      namespace: props.namespace.name, name: `${name}-crypt`, generated: [CRYPT_KEYS.password, CRYPT_KEYS.salt],
    });
    const args = ['sync', `source:${props.source.bucket}`, 'backup:', '--checksum', '--fast-list', '--log-level', 'INFO', '--use-json-log', '--config', '/tmp/rclone.conf'];
    const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };
    const secretEnv = (variable: string, key: string) => ({ name: variable, valueFrom: { secretKeyRef: { name: keys.secretName, key } } });
    const remote = (name: string, endpoint: string, region: string, secret: string, idKey: string, keyKey: string) => [
      { name: `RCLONE_CONFIG_${name}_TYPE`, value: 's3' },
      { name: `RCLONE_CONFIG_${name}_PROVIDER`, value: 'Other' },
      { name: `RCLONE_CONFIG_${name}_ENDPOINT`, value: endpoint },
      { name: `RCLONE_CONFIG_${name}_REGION`, value: region },
      { name: `RCLONE_CONFIG_${name}_ACCESS_KEY_ID`, valueFrom: { secretKeyRef: { name: secret, key: idKey } } },
      { name: `RCLONE_CONFIG_${name}_SECRET_ACCESS_KEY`, valueFrom: { secretKeyRef: { name: secret, key: keyKey } } },
    ];
    new CronJobV1(this, 'CronJob', {
      metadata: { name, namespace: props.namespace.reference, labels: this.podLabels },
      dependsOn: [keys.secret],
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
                initContainer: [{
                  name: 'crypt-config',
                  image: `${image.reference}:${image.tag}`,
                  command: ['/bin/sh', '-c', CRYPT_CONFIG_SCRIPT],
                  env: [secretEnv('CRYPT_PASSWORD', CRYPT_KEYS.password), secretEnv('CRYPT_SALT', CRYPT_KEYS.salt)],
                  securityContext,
                  resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
                  volumeMount: [{ name: 'tmp', mountPath: '/tmp' }],
                }],
                container: [{
                  name: 'rclone',
                  image: `${image.reference}:${image.tag}`,
                  args,
                  env: [
                    ...remote('SOURCE', props.source.endpoint, props.source.region, props.source.credentialsSecret, 'access-key', 'secret-key'),
                    ...remote('TARGET', props.target.endpoint, props.target.region, props.target.credentialsSecret, 'ACCESS_KEY_ID', 'ACCESS_SECRET_KEY'),
                    // The crypt remote over the copy's folder; its passwords are in /tmp/rclone.conf (written by crypt-config).
                    { name: 'RCLONE_CONFIG_BACKUP_TYPE', value: 'crypt' },
                    { name: 'RCLONE_CONFIG_BACKUP_REMOTE', value: `target:${copy}` },
                    { name: 'RCLONE_CONFIG_BACKUP_FILENAME_ENCRYPTION', value: 'standard' },
                    { name: 'RCLONE_CONFIG_BACKUP_DIRECTORY_NAME_ENCRYPTION', value: 'true' },
                  ],
                  securityContext,
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
      description: `copy of bucket ${props.source.bucket} (s3://${copy})`,
      keys: {
        custody: 'client-side',
        readable: 'ciphertext only: rclone crypt encrypts object contents and names (NaCl secretbox, scrypt-derived keys); the operator sees object sizes, times and how many there are',
        keys: `Secret ${props.namespace.name}/${keys.secretName} (keys ${CRYPT_KEYS.password}, ${CRYPT_KEYS.salt}) and the Terraform state`,
        evidence: [
          { kind: 'secret', namespace: props.namespace.name, name: keys.secretName, keys: [CRYPT_KEYS.password, CRYPT_KEYS.salt] },
          { kind: 'env', resource: name, variable: 'RCLONE_CONFIG_BACKUP_TYPE', equals: 'crypt' },
          { kind: 'env', resource: name, variable: 'RCLONE_CONFIG_BACKUP_REMOTE', equals: `target:${copy}` },
          { kind: 'args', resource: name, equals: args },
        ],
      },
    });
  }
}
