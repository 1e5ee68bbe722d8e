/**
 * What applications need from the platform, as interfaces: a team can swap
 * any piece (e.g. a managed PostgreSQL in the same jurisdiction) by
 * implementing one, without touching the apps.
 */

/** A PostgreSQL database an application connects to. */
export interface IDatabase {
  /** Service host name, e.g. `keycloak-db-rw.agency-de-identity.svc`. */
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** Secret in the application's namespace with keys `username` and `password`. */
  readonly credentialsSecret: string;
  /** Labels of the database pods, for NetworkPolicy allows. */
  readonly podLabels: Readonly<Record<string, string>>;
}

/** A Redis-compatible cache. */
export interface ICache {
  readonly host: string;
  readonly port: number;
  /** Secret with the password of the default user, and its key. */
  readonly passwordSecret: string;
  readonly passwordKey: string;
  readonly podLabels: Readonly<Record<string, string>>;
}

/** An S3-compatible bucket. */
export interface IObjectStore {
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  /** Secret with keys `access-key` and `secret-key`, created by the operator in the namespace that uses it. */
  readonly credentialsSecret: string;
}

/** Issues TLS certificates for Ingresses. */
export interface ICertificateIssuer {
  /** Name of the cert-manager ClusterIssuer. */
  readonly clusterIssuer: string;
}

/** The ingress controller the web apps are published through. */
export interface IIngress {
  /** IngressClass name. */
  readonly className: string;
  /** Namespace of the controller's pods, allowed by the apps' NetworkPolicies. */
  readonly namespace: string;
}

/** Where backups go: an S3 bucket inside the jurisdiction. */
export interface IBackupTarget {
  /** `https://` endpoint of the S3 service. */
  readonly endpoint: string;
  readonly bucket: string;
  /** Signing region. */
  readonly region: string;
  /**
   * Secret, in every namespace that backs up, with keys `ACCESS_KEY_ID` and
   * `ACCESS_SECRET_KEY` (and `cloud`, an AWS credentials file, for Velero).
   */
  readonly credentialsSecret: string;
  /** Five-field cron schedule of full backups. */
  readonly schedule: string;
  readonly retentionDays: number;
}
