/**
 * An S3-compatible bucket outside the cluster, with its placement declared.
 */
import { Construct } from 'constructs';
import type { KeyCustodySpec } from '../policy/key-custody';
import { DeclaredPlacement } from '../proof';
import { IObjectStore } from './interfaces';

/** Props of {@link S3Bucket}. */
export interface S3BucketProps {
  /** `https://` endpoint of the S3 service. */
  readonly endpoint: string;
  readonly bucket: string;
  /** Signing region (S3 services outside AWS mostly ignore it). @default 'eu-central-1' */
  readonly region?: string;
  /** Secret with keys `access-key` and `secret-key` in the namespace that uses the bucket. */
  readonly credentialsSecret: string;
  readonly description: string;
  /** The spec field the endpoint comes from. @default - none */
  readonly field?: string;
  /** Namespace of the pods that use the bucket (for egress policies). @default - none */
  readonly namespace?: string;
  /** Targets its copies are written to. @default - none */
  readonly backups?: readonly string[];
  /** Why the bucket needs no backup (e.g. it is the primary copy and the provider replicates it). @default - a backup is required */
  readonly noBackupReason?: string;
  /**
   * Who holds the keys of the objects. The suite's apps write them
   * unencrypted, so the provider can read them, whatever it does at rest.
   * @default BUCKET_CUSTODY (provider)
   */
  readonly keys?: KeyCustodySpec;
}

/** The custody of a bucket whose objects the application writes unencrypted. */
export const BUCKET_CUSTODY: KeyCustodySpec = {
  custody: 'provider',
  readable: 'everything: the application writes objects unencrypted over verified TLS; the provider stores them with its own keys (if it encrypts at rest; STACKIT does, with AES256) and decrypts them on every read',
  keys: 'the storage provider',
};

/**
 * A bucket the suite stores data in. The bucket and its credentials are the
 * operator's: they are referenced, never created or written here.
 *
 * @example
 * const files = new S3Bucket(this, 'FilesBucket', { endpoint: 'https://object.storage.eu01.onstackit.cloud', bucket: 'agency-files', credentialsSecret: 'desk-object-storage', description: 'files' });
 */
export class S3Bucket extends Construct implements IObjectStore {
  public readonly endpoint: string;
  public readonly bucket: string;
  public readonly region: string;
  public readonly credentialsSecret: string;

  constructor(scope: Construct, id: string, props: S3BucketProps) {
    super(scope, id);
    if (!/^https:\/\/[^/]+\/?$/.test(props.endpoint)) {
      throw new Error(`S3Bucket ${this.node.path}: 'endpoint' ("${props.endpoint}") must be an https:// URL without a path. Fix: e.g. "https://object.storage.eu01.onstackit.cloud".`);
    }
    this.endpoint = props.endpoint.replace(/\/$/, '');
    this.bucket = props.bucket;
    this.region = props.region ?? 'eu-central-1';
    this.credentialsSecret = props.credentialsSecret;
    new DeclaredPlacement(this, 'Bucket', {
      kind: 'bucket', target: this.endpoint, description: `${props.description} (bucket ${props.bucket})`, field: props.field,
      backups: props.backups, noBackupReason: props.noBackupReason, namespace: props.namespace, keys: props.keys ?? BUCKET_CUSTODY,
    });
  }

  /** The host of the endpoint, e.g. `object.storage.eu01.onstackit.cloud`. */
  public get host(): string {
    return new URL(this.endpoint).hostname;
  }
}
