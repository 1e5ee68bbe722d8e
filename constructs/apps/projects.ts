/**
 * Projects: OpenProject (chart `openproject`) on its own CloudNativePG
 * cluster, with login through the identity provider, attachments on S3 or a
 * volume, and every call home the chart and the app know of switched off.
 */
import { Construct } from 'constructs';
import {
  AllowIngress, AppNamespace, certificateAnnotations, ChartRelease, GeneratedSecret, IBackupTarget, ICertificateIssuer, IIngress, IObjectStore,
  PostgresCluster, IPostgresOperator, RegistryMirror, Values, declareChartCapacity } from '../platform';
import { DeclaredPlacement } from '../proof';
import { IIdentityProvider, OidcClient } from './identity-provider';

/** Props of {@link Projects}. */
export interface ProjectsProps {
  readonly namespace: AppNamespace;
  /** Public host, e.g. `projects.desk.agency.example`. */
  readonly host: string;
  /** The CloudNativePG operator the database cluster is created with. */
  readonly operator: IPostgresOperator;
  /** Where the database's WAL archive and base backups go (point-in-time recovery). @default - no backup: SD-BACKUP fails the proof */
  readonly backup?: IBackupTarget;
  readonly identity: IIdentityProvider;
  readonly ingress: IIngress;
  readonly issuer: ICertificateIssuer;
  /**
   * Bucket for attachments (OpenProject's fog storage). Without it,
   * attachments are kept on a ReadWriteMany volume, which the suite's volume
   * backups (Velero) must cover: add the namespace to `VolumeBackups`.
   * @default - a volume
   */
  readonly objectStore?: IObjectStore;
  /** Size of the attachments volume (without an object store), in GiB. @default 20 */
  readonly attachmentsGiB?: number;
  /** PostgreSQL instances (one primary, the rest replicas). @default 2 */
  readonly databaseInstances?: number;
  /** Volume size per PostgreSQL instance, in GiB. @default 10 */
  readonly databaseGiB?: number;
  /** Web (Puma) pods; plan 4–6 vCPU per 500 users across web and workers. @default 1 */
  readonly webReplicas?: number;
  /** Background worker pods. @default 1 */
  readonly workerReplicas?: number;
  /**
   * Where the help menu and the editor's formatting help point, instead of
   * openproject.org (e.g. the agency's service desk).
   * @default - OpenProject's own home page on `host`
   */
  readonly helpUrl?: string;
  /** @default RegistryMirror.none() */
  readonly mirror?: RegistryMirror;
}

/** Port of the OpenProject web container (Puma). */
export const OPENPROJECT_PORT = 8080;
/** Port of the real-time collaboration server (Hocuspocus). */
export const HOCUSPOCUS_PORT = 1234;
/** Port of the bundled memcached. */
export const MEMCACHED_PORT = 11211;
/** Name of the OIDC provider inside OpenProject: its routes are `/auth/<name>/…`. */
export const OPENPROJECT_OIDC_PROVIDER = 'keycloak';

const HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

/**
 * OpenProject as the suite's project management app.
 *
 * @example
 * const projects = new Projects(this, 'Projects', { namespace, host: 'projects.desk.agency.example', operator, backup, identity, ingress, issuer });
 */
export class Projects extends Construct {
  public readonly host: string;
  public readonly url: string;
  public readonly oidc: OidcClient;
  public readonly database: PostgresCluster;
  /** Labels every pod of the release carries (web, workers, seeder, Hocuspocus, memcached). */
  public readonly podLabels = { 'app.kubernetes.io/instance': 'openproject' };
  /** Labels of the web pods. */
  public readonly webPodLabels = { 'app.kubernetes.io/instance': 'openproject', 'openproject/process': 'web' };

  constructor(scope: Construct, id: string, props: ProjectsProps) {
    super(scope, id);
    const attachmentsGiB = props.attachmentsGiB ?? 20;
    const webReplicas = props.webReplicas ?? 1;
    const workerReplicas = props.workerReplicas ?? 1;
    if (!HOST.test(props.host)) {
      throw new Error(`Projects ${this.node.path}: 'host' ("${props.host}") is not a host name. Fix: give the bare host, e.g. "projects.desk.agency.example" (no scheme, no path).`);
    }
    for (const [name, value] of [['webReplicas', webReplicas], ['workerReplicas', workerReplicas]] as const) {
      if (!Number.isInteger(value) || value < 1 || value > 20) {
        throw new Error(`Projects ${this.node.path}: '${name}' (${value}) must be a whole number from 1 to 20. Fix: plan 4–6 vCPU per 500 users; 1 web and 1 worker pod serve a few hundred.`);
      }
    }
    if (!Number.isInteger(attachmentsGiB) || attachmentsGiB < 1) {
      throw new Error(`Projects ${this.node.path}: 'attachmentsGiB' (${attachmentsGiB}) must be a whole number of GiB, at least 1.`);
    }
    if (props.objectStore && props.attachmentsGiB !== undefined) {
      throw new Error(`Projects ${this.node.path}: 'attachmentsGiB' (${attachmentsGiB}) sizes the attachments volume, but attachments go to the object store. Fix: omit 'attachmentsGiB' or 'objectStore'.`);
    }
    if (props.helpUrl !== undefined && !/^https:\/\/[^/\s]+(\/\S*)?$/.test(props.helpUrl)) {
      throw new Error(`Projects ${this.node.path}: 'helpUrl' ("${props.helpUrl}") must be an https:// URL. Fix: e.g. "https://servicedesk.agency.example/projects".`);
    }
    this.host = props.host;
    this.url = `https://${props.host}`;
    const ns = props.namespace.reference;
    const store = props.objectStore;

    this.database = new PostgresCluster(this, 'Database', {
      namespace: props.namespace, operator: props.operator, name: 'openproject-db', database: 'openproject',
      instances: props.databaseInstances, storageGiB: props.databaseGiB,
      description: 'OpenProject database (projects, work packages, wiki, time tracking)', backup: props.backup, mirror: props.mirror, app: 'projects',
    });
    const callback = `${this.url}/auth/${OPENPROJECT_OIDC_PROVIDER}`;
    this.oidc = props.identity.registerClient(this, 'OidcClient', {
      clientId: 'openproject',
      name: 'Projects',
      rootUrl: this.url,
      redirectUris: [`${callback}/callback`],
      postLogoutRedirectUris: [`${this.url}/*`],
      backchannelLogoutUrl: `${callback}/backchannel-logout`,
      namespace: props.namespace,
    });
    const admin = new GeneratedSecret(this, 'Admin', { namespace: ns, name: 'openproject-admin', generated: ['password'] });

    const issuer = this.oidc.issuerUrl;
    const helpUrl = props.helpUrl ?? `${this.url}/`;
    const prefix = `OPENPROJECT_OPENID__CONNECT_${OPENPROJECT_OIDC_PROVIDER.toUpperCase()}`;
    const fromSecret = (name: string, secret: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
    const values: Values = {
      ingress: {
        enabled: true,
        ingressClassName: props.ingress.className,
        annotations: certificateAnnotations(props.issuer),
        host: props.host,
        tls: { enabled: true, secretName: 'openproject-tls' },
      },
      replicaCount: webReplicas,
      workers: { default: { replicaCount: workerReplicas } },
      postgresql: {
        connection: { host: this.database.host, port: this.database.port },
        auth: { username: this.database.database, database: this.database.database, existingSecret: this.database.credentialsSecret },
      },
      openproject: {
        host: props.host,
        admin_user: { secret: admin.secretName, secretKeys: { password: 'password' }, mail: `admin@${props.host}` },
        oidc: {
          enabled: true,
          provider: OPENPROJECT_OIDC_PROVIDER,
          displayName: 'Workplace login',
          host: props.identity.host,
          identifier: this.oidc.clientId,
          // Copied by the chart (Helm lookup); the env entry below also sets it where lookup cannot run.
          existingSecret: this.oidc.secretName,
          secretKeys: { identifier: 'client-id', secret: this.oidc.secretKey },
          authorizationEndpoint: `${issuer}/protocol/openid-connect/auth`,
          tokenEndpoint: `${issuer}/protocol/openid-connect/token`,
          userinfoEndpoint: `${issuer}/protocol/openid-connect/userinfo`,
          endSessionEndpoint: this.oidc.logoutUrl,
          scope: '[openid, email, profile]',
          attribute_map: { login: 'preferred_username' },
        },
      },
      environment: {
        [`${prefix}_ISSUER`]: issuer,
        [`${prefix}_JWKS__URI`]: `${issuer}/protocol/openid-connect/certs`,
        [`${prefix}_POST__LOGOUT__REDIRECT__URI`]: `${this.url}/`,
        // Sign in goes straight to the identity provider; /login/internal stays for the seeded admin.
        OPENPROJECT_OMNIAUTH__DIRECT__LOGIN__PROVIDER: OPENPROJECT_OIDC_PROVIDER,
        OPENPROJECT_FORCE__HELP__LINK: helpUrl,
        OPENPROJECT_FORCE__FORMATTING__HELP__LINK: helpUrl,
      },
      // Secrets reach the pods only as references; `env` wins over the chart's envFrom Secrets.
      extraEnvVars: [
        fromSecret(`${prefix}_SECRET`, this.oidc.secretName, this.oidc.secretKey),
        fromSecret('OPENPROJECT_SEED_ADMIN_USER_PASSWORD', admin.secretName, 'password'),
        ...(store
          ? [
            fromSecret('OPENPROJECT_FOG_CREDENTIALS_AWS__ACCESS__KEY__ID', store.credentialsSecret, 'access-key'),
            fromSecret('OPENPROJECT_FOG_CREDENTIALS_AWS__SECRET__ACCESS__KEY', store.credentialsSecret, 'secret-key'),
          ]
          : []),
      ],
      ...(store
        ? {
          persistence: { enabled: false },
          s3: {
            enabled: true, endpoint: store.endpoint, region: store.region, bucketName: store.bucket, pathStyle: true,
            // Uploads go through OpenProject: the bucket needs no CORS rules and browsers only follow signed download links.
            directUploads: false,
          },
        }
        : { persistence: { enabled: true, size: `${attachmentsGiB}Gi` }, s3: { enabled: false } }),
    };
    const capacityRelease = new ChartRelease(this, 'OpenProject', {
      chart: 'openproject',
      releaseName: 'openproject',
      namespace: ns,
      mirror: props.mirror,
      dependsOn: [admin.secret],
      values,
    });
    declareChartCapacity(capacityRelease, [
      { app: 'projects', component: 'OpenProject web', resourcesPath: '', replicas: webReplicas, sharedVolumeGiB: store ? 0 : attachmentsGiB },
      { app: 'projects', component: 'OpenProject worker', resourcesPath: 'workers.default', replicas: workerReplicas },
      { app: 'projects', component: 'Hocuspocus', resourcesPath: 'hocuspocus' },
      { app: 'projects', component: 'memcached', resourcesPath: 'memcached' },
    ]);

    // A bucket declares its own placement (and backup) where it is created, e.g. as an S3Bucket in this namespace.
    if (!store) {
      new DeclaredPlacement(this, 'Attachments', {
        kind: 'volume', target: `openproject.${props.namespace.name}.svc`, namespace: props.namespace.name,
        description: `OpenProject attachments volume (${attachmentsGiB} GiB, ReadWriteMany)`,
      });
    }

    new AllowIngress(this, 'AllowFromIngress', {
      namespace: ns, name: 'allow-ingress-to-openproject', podLabels: this.webPodLabels, from: [{ namespace: props.ingress.namespace }], ports: [OPENPROJECT_PORT],
    });
    new AllowIngress(this, 'AllowFromIngressToHocuspocus', {
      namespace: ns, name: 'allow-ingress-to-hocuspocus', podLabels: { ...this.podLabels, 'openproject/process': 'hocuspocus' },
      from: [{ namespace: props.ingress.namespace }], ports: [HOCUSPOCUS_PORT],
    });
    new AllowIngress(this, 'AllowToDatabase', {
      namespace: ns, name: 'allow-openproject-to-database', podLabels: this.database.podLabels, from: [{ podLabels: this.podLabels }], ports: [this.database.port],
    });
    new AllowIngress(this, 'AllowToCache', {
      namespace: ns, name: 'allow-openproject-to-memcached', podLabels: { ...this.podLabels, 'app.kubernetes.io/name': 'memcached' },
      from: [{ podLabels: this.podLabels }], ports: [MEMCACHED_PORT],
    });
  }
}
