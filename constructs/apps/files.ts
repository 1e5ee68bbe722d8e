/**
 * Files: Nextcloud (chart `nextcloud`) on PostgreSQL and Valkey, with S3
 * primary storage, OIDC login through the identity provider, and Nextcloud's
 * Mail, Calendar, Contacts and Office (richdocuments) apps.
 */
import { Construct } from 'constructs';
import {
  AllowIngress, certificateAnnotations, AppNamespace, ChartRelease, GeneratedSecret, ICache, ICertificateIssuer, IDatabase, IIngress, IObjectStore, RegistryMirror,
  Size, SizedWorkload, componentSize, resourceValues,
} from '../platform';
import { DeclaredPlacement } from '../proof';
import { IIdentityProvider, OidcClient } from './identity-provider';

/** Props of {@link Files}. */
export interface FilesProps {
  readonly namespace: AppNamespace;
  /** Public host, e.g. `files.desk.agency.example`. */
  readonly host: string;
  readonly database: IDatabase;
  readonly cache: ICache;
  /** Primary storage; without it, files are kept on a volume. @default - a volume */
  readonly objectStore?: IObjectStore;
  readonly identity: IIdentityProvider;
  readonly ingress: IIngress;
  readonly issuer: ICertificateIssuer;
  /** URL of the office server (Collabora) to open documents with. @default - no office integration */
  readonly officeUrl?: string;
  /** Volume size (config and apps; all files when there is no object store), in GiB. @default 10 */
  readonly volumeGiB?: number;
  /**
   * How large the suite is (constructs/platform/sizing.ts). More than one
   * replica shares the volume: the cluster's default StorageClass must then
   * offer ReadWriteMany.
   * @default 'small'
   */
  readonly size?: Size;
  /** @default RegistryMirror.none() */
  readonly mirror?: RegistryMirror;
}

/** Port of the Nextcloud container (Apache). */
export const NEXTCLOUD_PORT = 80;

/**
 * Nextcloud as the suite's files app and web front end for mail, calendar
 * and contacts.
 *
 * @example
 * const files = new Files(this, 'Files', { namespace, host: 'files.desk.agency.example', database, cache, identity, ingress, issuer });
 */
export class Files extends Construct {
  public readonly host: string;
  public readonly url: string;
  public readonly oidc: OidcClient;
  /** Labels of the Nextcloud pods. */
  public readonly podLabels = { 'app.kubernetes.io/name': 'nextcloud', 'app.kubernetes.io/component': 'app' };
  private readonly namespaceReference: string;

  constructor(scope: Construct, id: string, props: FilesProps) {
    super(scope, id);
    this.host = props.host;
    this.url = `https://${props.host}`;
    const ns = props.namespace.reference;
    const volumeGiB = props.volumeGiB ?? 10;

    this.oidc = props.identity.registerClient(this, 'OidcClient', {
      clientId: 'nextcloud',
      name: 'Files',
      rootUrl: this.url,
      redirectUris: [`${this.url}/apps/user_oidc/code`],
      postLogoutRedirectUris: [`${this.url}/*`],
      backchannelLogoutUrl: `${this.url}/apps/user_oidc/backchannel-logout/keycloak`,
      namespace: props.namespace,
    });
    const admin = new GeneratedSecret(this, 'Admin', {
      namespace: ns, name: 'nextcloud-admin', generated: ['password'], data: { username: 'desk-admin' },
    });

    const store = props.objectStore;
    this.namespaceReference = ns;
    const sized = componentSize('nextcloud', props.size);
    const workload = new SizedWorkload(this, 'Size', {
      app: 'files', component: 'Nextcloud', sized, namespace: ns, podLabels: this.podLabels, sharedVolumeGiB: volumeGiB,
    });
    new ChartRelease(this, 'Nextcloud', {
      chart: 'nextcloud',
      releaseName: 'nextcloud',
      namespace: ns,
      mirror: props.mirror,
      dependsOn: [admin.secret],
      values: {
        replicaCount: sized.replicas,
        resources: resourceValues(sized),
        ...(sized.replicas > 1 ? { affinity: workload.affinity } : {}),
        nextcloud: {
          host: props.host,
          trustedDomains: [props.host],
          existingSecret: { enabled: true, secretName: admin.secretName, usernameKey: 'username', passwordKey: 'password' },
          // With a mirror, the apps come in the image: the app store stays off.
          ...(props.mirror?.mirror ? { configs: { 'desk-appstore.config.php': "<?php\n$CONFIG = array ('appstoreenabled' => false);\n" } } : {}),
          objectStore: {
            s3: store
              ? {
                enabled: true, host: new URL(store.endpoint).hostname, ssl: true, port: '443', region: store.region, bucket: store.bucket,
                usePathStyle: true, autoCreate: false, existingSecret: store.credentialsSecret, secretKeys: { accessKey: 'access-key', secretKey: 'secret-key' },
              }
              : { enabled: false },
          },
          extraEnv: [
            { name: 'OIDC_CLIENT_ID', value: this.oidc.clientId },
            { name: 'OIDC_CLIENT_SECRET', valueFrom: { secretKeyRef: { name: this.oidc.secretName, key: this.oidc.secretKey } } },
            { name: 'OIDC_DISCOVERY_URL', value: this.oidc.discoveryUrl },
            { name: 'OIDC_LOGOUT_URL', value: this.oidc.logoutUrl },
            ...(props.officeUrl ? [{ name: 'COLLABORA_URL', value: props.officeUrl }] : []),
          ],
        },
        externalDatabase: {
          enabled: true, type: 'postgresql', host: `${props.database.host}:${props.database.port}`, database: props.database.database,
          existingSecret: { enabled: true, secretName: props.database.credentialsSecret, usernameKey: 'username', passwordKey: 'password' },
        },
        externalRedis: {
          enabled: true, host: props.cache.host, port: String(props.cache.port),
          existingSecret: { enabled: true, secretName: props.cache.passwordSecret, passwordKey: props.cache.passwordKey },
        },
        ingress: {
          enabled: true,
          className: props.ingress.className,
          annotations: certificateAnnotations(props.issuer),
          tls: [{ secretName: 'nextcloud-tls', hosts: [props.host] }],
        },
        // Every replica mounts the one volume: with more than one, it must be ReadWriteMany.
        persistence: { enabled: true, size: `${volumeGiB}Gi`, ...(sized.replicas > 1 ? { accessMode: 'ReadWriteMany' } : {}) },
      },
    });

    new DeclaredPlacement(this, 'Volume', {
      kind: 'volume', target: `nextcloud.${props.namespace.name}.svc`, namespace: props.namespace.name,
      description: `Nextcloud volume (${volumeGiB} GiB: config and apps${store ? '' : ', and all files'})`,
    });
    if (!props.mirror?.mirror) {
      // Without a mirror, the apps the suite needs come from the app store at first installation.
      new DeclaredPlacement(this, 'AppStore', {
        kind: 'registry', target: 'https://apps.nextcloud.com', namespace: props.namespace.name,
        description: 'Nextcloud app store (user_oidc, richdocuments, mail, calendar, contacts)',
        phoneHome: "Nextcloud app store ('appstoreenabled' stays on without a registry mirror)",
      });
    }
    new AllowIngress(this, 'AllowFromIngress', {
      namespace: ns, name: 'allow-ingress-to-nextcloud', podLabels: this.podLabels, from: [{ namespace: props.ingress.namespace }], ports: [NEXTCLOUD_PORT],
    });
    new AllowIngress(this, 'AllowToDatabase', {
      namespace: ns, name: 'allow-nextcloud-to-database', podLabels: props.database.podLabels, from: [{ podLabels: this.podLabels }], ports: [props.database.port],
    });
    new AllowIngress(this, 'AllowToCache', {
      namespace: ns, name: 'allow-nextcloud-to-cache', podLabels: props.cache.podLabels, from: [{ podLabels: this.podLabels }], ports: [props.cache.port],
    });
  }

  /**
   * Lets the office server (Collabora) reach Nextcloud's WOPI endpoints in-cluster.
   * @param namespace the office namespace
   * @param podLabels labels of the office pods
   */
  public allowOffice(namespace: string, podLabels: Readonly<Record<string, string>>): void {
    new AllowIngress(this, 'AllowFromOffice', {
      namespace: this.namespaceReference, name: 'allow-office-to-nextcloud', podLabels: this.podLabels,
      from: [{ namespace, podLabels }], ports: [NEXTCLOUD_PORT],
    });
  }
}
