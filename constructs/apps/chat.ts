/**
 * Chat: Synapse, Element Web and the Matrix Authentication Service (chart
 * `matrix-stack`), with Keycloak as MAS's upstream OIDC provider, federation
 * off, and `.well-known` delegation on the base domain.
 */
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { Construct } from 'constructs';
import { AllowIngress, AppNamespace, ChartRelease, ICertificateIssuer, IDatabase, IIngress, RegistryMirror, SINGLE_REPLICA_REASONS, Size, SizedWorkload, componentSize, declareChartCapacity, resourceValues, toYaml } from '../platform';
import { DeclaredPlacement } from '../proof';
import { IIdentityProvider, OidcClient } from './identity-provider';

/** Props of {@link Chat}. */
export interface ChatProps {
  readonly namespace: AppNamespace;
  /** Matrix server name: the base domain user ids end in (`@alice:<serverName>`). */
  readonly serverName: string;
  /** Element Web host, e.g. `chat.desk.agency.example`. */
  readonly host: string;
  /** Synapse host, e.g. `matrix.desk.agency.example`. */
  readonly matrixHost: string;
  /** Matrix Authentication Service host, e.g. `account.desk.agency.example`. */
  readonly accountHost: string;
  /** Database cluster with databases `synapse` and `mas`, owned by role `synapse`. */
  readonly database: IDatabase;
  readonly identity: IIdentityProvider;
  readonly ingress: IIngress;
  readonly issuer: ICertificateIssuer;
  /** Federation with other Matrix servers. @default false */
  readonly federation?: boolean;
  /** Media volume size in GiB. @default 20 */
  readonly mediaGiB?: number;
  /** @default RegistryMirror.none() */
  readonly mirror?: RegistryMirror;
  /** How large the suite is: CPU and memory of Synapse (constructs/platform/sizing.ts). @default 'small' */
  readonly size?: Size;
}

/** ULID of the upstream provider in MAS (fixed, so redirect URIs stay stable). */
export const MAS_PROVIDER_ID = '01JDESK0KEYC10AK0PR0V1DER0';

/**
 * Matrix chat for the suite.
 *
 * @example
 * new Chat(this, 'Chat', { namespace, serverName: 'desk.agency.example', host: 'chat.desk.agency.example', matrixHost: 'matrix.desk.agency.example', accountHost: 'account.desk.agency.example', database, identity, ingress, issuer });
 */
export class Chat extends Construct {
  public readonly oidc: OidcClient;
  public readonly url: string;

  constructor(scope: Construct, id: string, props: ChatProps) {
    super(scope, id);
    const ns = props.namespace.reference;
    const account = `https://${props.accountHost}`;
    this.url = `https://${props.host}`;
    const mediaGiB = props.mediaGiB ?? 20;

    this.oidc = props.identity.registerClient(this, 'OidcClient', {
      clientId: 'matrix',
      name: 'Chat',
      rootUrl: account,
      redirectUris: [`${account}/upstream/callback/${MAS_PROVIDER_ID}`],
      postLogoutRedirectUris: [`${this.url}/*`, `${account}/*`],
      backchannelLogoutUrl: `${account}/upstream/backchannel-logout/${MAS_PROVIDER_ID}`,
      namespace: props.namespace,
    });
    const upstream = new SecretV1(this, 'UpstreamOidc', {
      metadata: { name: 'mas-upstream-oidc', namespace: ns },
      data: {
        'upstream.yaml': toYaml({
          passwords: { enabled: false },
          upstream_oauth2: {
            providers: [{
              id: MAS_PROVIDER_ID,
              human_name: 'Workplace login',
              issuer: this.oidc.issuerUrl,
              client_id: this.oidc.clientId,
              client_secret: this.oidc.secretReference,
              token_endpoint_auth_method: 'client_secret_basic',
              scope: 'openid profile email',
              discovery_mode: 'oidc',
              pkce_method: 'always',
              claims_imports: {
                localpart: { action: 'require', template: '{{ user.preferred_username }}' },
                displayname: { action: 'suggest', template: '{{ user.name }}' },
                email: { action: 'suggest', template: '{{ user.email }}', set_email_verification: 'always' },
              },
            }],
          },
        }),
      },
    });

    // No calls home: no usage statistics, no matrix.org key server, no URL previews fetched by the server.
    const privacy = { report_stats: false, trusted_key_servers: [], suppress_key_server_warning: true, url_preview_enabled: false };
    const synapseConfig = toYaml(props.federation
      ? privacy
      : { ...privacy, federation_domain_whitelist: [], allow_public_rooms_over_federation: false, allow_public_rooms_without_auth: false });
    // Element Web: no integration manager, no bug reports to the vendor, no fallback to the matrix.org TURN server.
    const elementConfig = JSON.stringify({
      integrations_ui_url: '',
      integrations_rest_url: '',
      integrations_widgets_urls: [],
      bug_report_endpoint_url: '',
      disable_guests: true,
      setting_defaults: { fallbackICEServerAllowed: false, 'UIFeature.feedback': false },
    });
    const postgres = (database: string) => ({
      host: props.database.host, port: props.database.port, user: props.database.database, database, sslMode: 'require',
      password: { secret: props.database.credentialsSecret, secretKey: 'password' },
    });

    const sized = componentSize('synapse', props.size);
    new SizedWorkload(this, 'Size', {
      app: 'chat', component: 'Synapse', sized, namespace: props.namespace.name, podLabels: { 'app.kubernetes.io/name': 'synapse-main' },
      volumeGiB: mediaGiB, singleReplicaReason: SINGLE_REPLICA_REASONS.synapse,
    });
    const release = new ChartRelease(this, 'MatrixStack', {
      chart: 'matrix-stack',
      releaseName: 'ess',
      namespace: ns,
      mirror: props.mirror,
      dependsOn: [upstream],
      values: {
        serverName: props.serverName,
        certManager: { clusterIssuer: props.issuer.clusterIssuer },
        ingress: { className: props.ingress.className, tlsEnabled: true },
        synapse: {
          resources: resourceValues(sized),
          ingress: { host: props.matrixHost },
          postgres: postgres(props.database.database),
          media: { storage: { size: `${mediaGiB}Gi` } },
          additional: { 'desk.yaml': { config: synapseConfig } },
        },
        matrixAuthenticationService: {
          ingress: { host: props.accountHost },
          postgres: postgres('mas'),
          additional: { 'desk-upstream.yaml': { configSecret: 'mas-upstream-oidc', configSecretKey: 'upstream.yaml' } },
        },
        elementWeb: { ingress: { host: props.host }, additional: { 'desk.json': elementConfig } },
        wellKnownDelegation: { enabled: true },
      },
    });
    declareChartCapacity(release, [
      { app: 'chat', component: 'Matrix Authentication Service', resourcesPath: 'matrixAuthenticationService' },
      { app: 'chat', component: 'Element Web', resourcesPath: 'elementWeb' },
      { app: 'chat', component: 'HAProxy', resourcesPath: 'haproxy' },
    ]);

    new DeclaredPlacement(this, 'Media', {
      kind: 'volume', target: `ess-synapse.${props.namespace.name}.svc`, namespace: props.namespace.name, description: `Synapse media store (${mediaGiB} GiB)`,
    });
    new AllowIngress(this, 'AllowFromIngress', {
      namespace: ns, name: 'allow-ingress-to-chat', from: [{ namespace: props.ingress.namespace }], ports: [8008, 8080, 8081],
    });
    new AllowIngress(this, 'AllowWithinChat', {
      namespace: ns, name: 'allow-chat-components', from: [{ namespace: props.namespace.name }], ports: [8008, 8080, 8081, 8083, 9093],
    });
  }
}
