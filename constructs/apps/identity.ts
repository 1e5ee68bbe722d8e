/**
 * Identity: Keycloak (chart `keycloakx`) with realm `desk`, one OIDC client
 * per application with its own client scope, back-channel logout and
 * brute-force protection; the admin console is not routed on the public host.
 */
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import {
  AllowIngress, certificateAnnotations, AppNamespace, ChartRelease, GeneratedSecret, ICertificateIssuer, IDatabase, IIngress, RegistryMirror, Size,
  SizedWorkload, componentSize, resourceValues,
} from '../platform';
import { IIdentityProvider, OidcClient, OidcClientRequest } from './identity-provider';
import { KeycloakClient, keycloakRealm } from './keycloak-realm';

/** Props of {@link Identity}. */
export interface IdentityProps {
  readonly namespace: AppNamespace;
  /** Public host, e.g. `id.desk.agency.example`. */
  readonly host: string;
  readonly database: IDatabase;
  readonly ingress: IIngress;
  readonly issuer: ICertificateIssuer;
  /** Realm name. @default 'desk' */
  readonly realm?: string;
  /** How large the suite is: replicas, requests and limits (constructs/platform/sizing.ts). @default 'small' */
  readonly size?: Size;
  /** Keycloak replicas. @default - the size's (1 at small) */
  readonly replicas?: number;
  /** @default RegistryMirror.none() */
  readonly mirror?: RegistryMirror;
}

const HTTP_PORT = 8080;

/**
 * Keycloak as the suite's OpenID Connect provider.
 *
 * @example
 * const identity = new Identity(this, 'Identity', { namespace, host: 'id.desk.agency.example', database, ingress, issuer });
 * identity.registerClient(this, 'FilesClient', { clientId: 'nextcloud', ... });
 */
export class Identity extends Construct implements IIdentityProvider {
  public readonly host: string;
  public readonly issuerUrl: string;
  public readonly realm: string;
  /** Name of the Secret holding the realm definition imported at start. */
  public readonly realmSecretName = 'keycloak-realm';
  /** Labels of the Keycloak pods. */
  public readonly podLabels = { 'app.kubernetes.io/name': 'keycloakx', 'app.kubernetes.io/instance': 'keycloak' };
  private readonly clients: KeycloakClient[] = [];

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    this.host = props.host;
    this.realm = props.realm ?? 'desk';
    this.issuerUrl = `https://${props.host}/realms/${this.realm}`;
    const ns = props.namespace.reference;

    const admin = new GeneratedSecret(this, 'Admin', { namespace: ns, name: 'keycloak-admin', generated: ['password'], data: { username: 'desk-admin' } });
    const realm = new GeneratedSecret(this, 'Realm', {
      namespace: ns,
      name: this.realmSecretName,
      data: { [`${this.realm}.json`]: Lazy.stringValue({ produce: () => JSON.stringify(keycloakRealm(this.realm, this.clients), null, 2) }) },
    });

    const sized = componentSize('keycloak', props.size);
    const replicas = props.replicas ?? sized.replicas;
    // The chart's default affinity already spreads Keycloak pods over nodes and zones.
    new SizedWorkload(this, 'Size', {
      app: 'identity', component: 'Keycloak', sized: { ...sized, replicas }, namespace: ns, podLabels: this.podLabels,
    });
    if (replicas > 1) {
      // Keycloak's pods form one cache cluster (JGroups, discovered through the headless Service).
      new AllowIngress(this, 'AllowCluster', {
        namespace: ns, name: 'allow-keycloak-cluster', podLabels: this.podLabels, from: [{ podLabels: this.podLabels }], ports: [7800],
      });
    }
    new ChartRelease(this, 'Keycloak', {
      chart: 'keycloakx',
      releaseName: 'keycloak',
      namespace: ns,
      mirror: props.mirror,
      dependsOn: [admin.secret, realm.secret],
      values: {
        fullnameOverride: 'keycloak',
        replicas,
        resources: resourceValues(sized),
        database: {
          vendor: 'postgres', hostname: props.database.host, port: props.database.port, database: props.database.database,
          username: props.database.database, existingSecret: props.database.credentialsSecret, existingSecretKey: 'password',
        },
        extraEnv: envYaml([
          { name: 'KC_HOSTNAME', value: `https://${props.host}` },
          // Login and admin events at INFO on stdout, as JSON, so the log shipper carries them.
          { name: 'KC_LOG_CONSOLE_OUTPUT', value: 'json' },
          { name: 'KC_SPI_EVENTS_LISTENER_JBOSS_LOGGING_SUCCESS_LEVEL', value: 'info' },
          { name: 'KC_SPI_EVENTS_LISTENER_JBOSS_LOGGING_ERROR_LEVEL', value: 'warn' },
          { name: 'KC_BOOTSTRAP_ADMIN_USERNAME', valueFrom: { secretKeyRef: { name: admin.secretName, key: 'username' } } },
          { name: 'KC_BOOTSTRAP_ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: admin.secretName, key: 'password' } } },
        ]),
        extraVolumes: envYaml([{ name: 'realm', secret: { secretName: this.realmSecretName } }]),
        extraVolumeMounts: envYaml([{ name: 'realm', mountPath: '/opt/keycloak/data/import', readOnly: true }]),
        ingress: {
          enabled: true,
          ingressClassName: props.ingress.className,
          annotations: certificateAnnotations(props.issuer),
          // Only the realm endpoints and static resources: /admin is not routed on the public host.
          rules: [{ host: props.host, paths: ['/realms/', '/resources/'].map((path) => ({ path, pathType: 'Prefix' })) }],
          tls: [{ hosts: [props.host], secretName: 'keycloak-tls' }],
          console: { enabled: false },
        },
      },
    });

    new AllowIngress(this, 'AllowFromIngress', {
      namespace: ns, name: 'allow-ingress-to-keycloak', podLabels: this.podLabels, from: [{ namespace: props.ingress.namespace }], ports: [HTTP_PORT],
    });
    new AllowIngress(this, 'AllowToDatabase', {
      namespace: ns, name: 'allow-keycloak-to-database', podLabels: props.database.podLabels, from: [{ podLabels: this.podLabels }], ports: [props.database.port],
    });
  }

  public registerClient(scope: Construct, id: string, request: OidcClientRequest): OidcClient {
    if (this.clients.some((c) => c.request.clientId === request.clientId)) {
      throw new Error(`Identity ${this.node.path}: client '${request.clientId}' is registered twice. Fix: give each application its own clientId.`);
    }
    const secretName = `oidc-${request.clientId}`;
    const home = new GeneratedSecret(scope, id, { namespace: request.namespace.reference, name: secretName, generated: ['client-secret'] });
    const secretReference = home.value('client-secret');
    this.clients.push({ request, secretReference });
    return {
      clientId: request.clientId,
      issuerUrl: this.issuerUrl,
      discoveryUrl: `${this.issuerUrl}/.well-known/openid-configuration`,
      logoutUrl: `${this.issuerUrl}/protocol/openid-connect/logout`,
      secretName,
      secretKey: 'client-secret',
      secretReference,
    };
  }
}

/** A list of Kubernetes objects as the YAML string keycloakx's templated values expect. */
function envYaml(items: readonly object[]): string {
  return JSON.stringify(items);
}
