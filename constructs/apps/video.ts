/**
 * Video: Jitsi Meet (chart `jitsi-meet`) with one Videobridge and coturn in
 * the cluster, published on a declared public address; rooms are opened by
 * users signed in through the identity provider (the Jitsi OIDC adapter turns
 * the login into a Jitsi token), guests join by link.
 */
import { NetworkPolicyV1, NetworkPolicyV1SpecIngress } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { Construct } from 'constructs';
import { settingName } from '../jurisdiction';
import {
  AllowIngress, AppNamespace, ChartRelease, GeneratedSecret, ICertificateIssuer, IIngress, RegistryMirror, certificateAnnotations, declareChartCapacity } from '../platform';
import { DeclaredPlacement, SovereignStack } from '../proof';
import { IIdentityProvider, OidcClient } from './identity-provider';

/** Props of {@link Video}. */
export interface VideoProps {
  readonly namespace: AppNamespace;
  /** Public host of the web app, e.g. `meet.desk.agency.example`. */
  readonly host: string;
  readonly identity: IIdentityProvider;
  readonly ingress: IIngress;
  readonly issuer: ICertificateIssuer;
  /**
   * Public IPv4 address of the load balancer that publishes the bridge's media
   * port (UDP 10000). The bridge advertises it to every client, and the
   * bridge's LoadBalancer Service asks the provider for it.
   */
  readonly publicAddress: string;
  /** Host name or IPv4 address clients reach the TURN server (UDP 3478) at. @default - the publicAddress */
  readonly turnHost?: string;
  /**
   * Annotations of both LoadBalancer Services, e.g. the provider's annotation
   * that lets the bridge and TURN share one address. @default - none
   */
  readonly loadBalancerAnnotations?: Readonly<Record<string, string>>;
  /** Guests may join a room by its link once a signed-in user has opened it; false: everyone signs in. @default true */
  readonly guests?: boolean;
  /** CPU limit of the bridge in cores; it requests half. @default 4 */
  readonly bridgeCpus?: number;
  /** Memory limit of the bridge in GiB; it requests half. @default 4 */
  readonly bridgeMemoryGiB?: number;
  /** @default RegistryMirror.none() */
  readonly mirror?: RegistryMirror;
}

/** The bridge's media port (UDP), published by its LoadBalancer Service. */
export const JVB_UDP_PORT = 10000;
/** coturn's STUN/TURN port (UDP), published by its LoadBalancer Service. */
export const TURN_UDP_PORT = 3478;
/** Port of the web container (nginx). */
export const JITSI_WEB_PORT = 8000;
/** Prosody's XMPP client port, BOSH port and component port; the bridge's and jicofo's REST ports. */
export const JITSI_INTERNAL_PORTS = [5222, 5280, 5347, 8080, 8888] as const;
/** Issuer and audience of the tokens the adapter signs and prosody accepts. */
export const JITSI_JWT_APP_ID = 'sovereign-desk';
/** The Jitsi OIDC adapter (jitsi-contrib), run beside the web container. */
export const OIDC_ADAPTER_IMAGE = { upstream: 'ghcr.io/jitsi-contrib/jitsi-oidc-adapter', tag: 'v20260328' } as const;
/** The adapter's user in its image (denoland/deno's `deno`). */
const DENO_UID = 1993;

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * Jitsi Meet for the suite: web, prosody, jicofo, one Videobridge and coturn,
 * with no STUN, analytics or gravatar calls to outside services.
 *
 * @example
 * new Video(this, 'Video', { namespace, host: 'meet.desk.agency.example', identity, ingress, issuer, publicAddress: '192.0.2.10' });
 */
export class Video extends Construct {
  public readonly host: string;
  public readonly url: string;
  public readonly oidc: OidcClient;
  /** Where clients reach the bridge and TURN. */
  public readonly publicAddress: string;
  public readonly turnHost: string;
  /** UDP ports the load balancer must publish: the bridge's media port and TURN. */
  public readonly udpPorts: readonly number[] = [JVB_UDP_PORT, TURN_UDP_PORT];
  public readonly webPodLabels = { 'app.kubernetes.io/name': 'jitsi-meet', 'app.kubernetes.io/component': 'web' };
  public readonly bridgePodLabels = { 'app.kubernetes.io/name': 'jitsi-meet', 'app.kubernetes.io/component': 'jvb' };
  public readonly turnPodLabels = { 'app.kubernetes.io/name': 'jitsi-meet', 'app.kubernetes.io/component': 'coturn' };

  constructor(scope: Construct, id: string, props: VideoProps) {
    super(scope, id);
    const names = SovereignStack.of(this).settingNames;
    const field = (prop: string) => settingName(names, `spec.video.${prop}`, `new Video(…, { ${prop} })`);
    if (!IPV4.test(props.publicAddress)) {
      throw new Error(
        `Video ${this.node.path}: 'publicAddress' ("${props.publicAddress}") is not an IPv4 address. The bridge advertises it to clients as it is, and a host name cannot be advertised. ` +
        "Fix: give the load balancer's public IPv4 address, e.g. \"192.0.2.10\"; a host name for TURN goes in 'turnHost'.",
      );
    }
    if (/^(0|127)\.|^169\.254\.|^(22[4-9]|2[3-5]\d)\./.test(props.publicAddress)) {
      throw new Error(
        `Video ${this.node.path}: 'publicAddress' ("${props.publicAddress}") is a loopback, unspecified, link-local or multicast address, which no client can reach. ` +
        'Allowed: the public IPv4 of the load balancer. Fix: give the address your provider assigned to the load balancer, e.g. "192.0.2.10".',
      );
    }
    const turnHost = props.turnHost ?? props.publicAddress;
    if (!IPV4.test(turnHost) && !HOST.test(turnHost)) {
      throw new Error(`Video ${this.node.path}: 'turnHost' ("${turnHost}") is neither a lower-case host name nor an IPv4 address. Fix: use e.g. "turn.desk.agency.example", or omit it to use the publicAddress.`);
    }
    const bridgeCpus = props.bridgeCpus ?? 4;
    const bridgeMemoryGiB = props.bridgeMemoryGiB ?? 4;
    if (!Number.isInteger(bridgeCpus) || bridgeCpus < 2) {
      throw new Error(`Video ${this.node.path}: 'bridgeCpus' (${bridgeCpus}) must be a whole number of 2 or more cores. Fix: size the bridge by its load (about 8 cores per 200 concurrent users), or omit it for 4.`);
    }
    if (!Number.isInteger(bridgeMemoryGiB) || bridgeMemoryGiB < 2) {
      throw new Error(`Video ${this.node.path}: 'bridgeMemoryGiB' (${bridgeMemoryGiB}) must be a whole number of 2 or more GiB. Fix: omit it for 4.`);
    }
    this.host = props.host;
    this.url = `https://${props.host}`;
    this.publicAddress = props.publicAddress;
    this.turnHost = turnHost;
    const ns = props.namespace.reference;
    const guests = props.guests ?? true;
    const mirror = props.mirror ?? RegistryMirror.none();

    this.oidc = props.identity.registerClient(this, 'OidcClient', {
      clientId: 'jitsi',
      name: 'Video',
      rootUrl: this.url,
      redirectUris: [`${this.url}/oidc/tokenize`],
      postLogoutRedirectUris: [`${this.url}/*`],
      // The adapter sends no PKCE challenge; it authenticates with the client secret (basic auth).
      pkce: false,
      namespace: props.namespace,
    });
    // The key shared by the adapter (signs) and prosody (verifies); prosody reads it as JWT_APP_SECRET.
    const jwt = new GeneratedSecret(this, 'JwtSecret', { namespace: ns, name: 'jitsi-jwt', generated: ['JWT_APP_SECRET'] });
    const adapterImage = mirror.image(OIDC_ADAPTER_IMAGE);

    const annotations = props.loadBalancerAnnotations ? { ...props.loadBalancerAnnotations } : {};
    const capacityRelease = new ChartRelease(this, 'Jitsi', {
      chart: 'jitsi-meet',
      releaseName: 'jitsi',
      namespace: ns,
      mirror: props.mirror,
      dependsOn: [jwt.secret],
      values: {
        publicURL: this.url,
        turnHost,
        enableGuests: guests,
        web: {
          ingress: {
            enabled: true,
            ingressClassName: props.ingress.className,
            annotations: certificateAnnotations(props.issuer),
            hosts: [{ host: props.host, paths: ['/'] }],
            tls: [{ secretName: 'jitsi-web-tls', hosts: [props.host] }],
          },
          extraEnvs: {
            // Sign-in: the web app sends users to the adapter, which returns them with a token.
            TOKEN_AUTH_URL: `${this.url}/oidc/auth?state={state}`,
            P2P_STUN_SERVERS: `${turnHost}:${TURN_UDP_PORT}`,
          },
          extraFiles: [{ path: '/config/nginx-custom/oidc.conf', content: ADAPTER_PROXY_CONF }],
          extraContainers: [this.adapterContainer(`${adapterImage.reference}:${adapterImage.tag}`)],
        },
        prosody: {
          jwt: { existingSecretName: jwt.secretName },
          extraEnvs: {
            JWT_APP_ID: JITSI_JWT_APP_ID,
            JWT_ACCEPTED_ISSUERS: JITSI_JWT_APP_ID,
            JWT_ACCEPTED_AUDIENCES: JITSI_JWT_APP_ID,
            // Guests wait in the lobby until a signed-in user has opened the room.
            ...(guests ? { XMPP_MODULES: 'persistent_lobby', XMPP_MUC_MODULES: 'muc_wait_for_host' } : {}),
          },
        },
        jvb: {
          publicIPs: [props.publicAddress],
          service: { loadBalancerIP: props.publicAddress, annotations },
          resources: {
            requests: { cpu: String(bridgeCpus / 2), memory: `${(bridgeMemoryGiB * 1024) / 2}Mi` },
            limits: { cpu: String(bridgeCpus), memory: `${bridgeMemoryGiB}Gi` },
          },
        },
        coturn: { service: { annotations } },
      },
    });
    declareChartCapacity(capacityRelease, [
      { app: 'video', component: 'Jitsi web', resourcesPath: 'web' },
      { app: 'video', component: 'Prosody', resourcesPath: 'prosody' },
      { app: 'video', component: 'Jicofo', resourcesPath: 'jicofo' },
      {
        app: 'video', component: 'Jitsi videobridge', resourcesPath: 'jvb', ports: [{ port: JVB_UDP_PORT, protocol: 'UDP', purpose: 'call media (videobridge)' }],
        singleReplicaReason: 'one bridge: more need Octo and a bridge per address, which the suite does not set up yet; it grows by CPU',
      },
      { app: 'video', component: 'coturn', resourcesPath: 'coturn', ports: [{ port: TURN_UDP_PORT, protocol: 'UDP', purpose: 'TURN/STUN' }] },
    ]);

    new DeclaredPlacement(this, 'AdapterImage', {
      kind: 'registry', target: `${adapterImage.reference}:${adapterImage.tag}`, description: `image ${OIDC_ADAPTER_IMAGE.upstream} (Keycloak login for Jitsi)`,
    });
    new DeclaredPlacement(this, 'BridgeAddress', {
      kind: 'endpoint', target: props.publicAddress, field: field('publicAddress'),
      description: `Jitsi Videobridge public address (call media, UDP ${JVB_UDP_PORT}${turnHost === props.publicAddress ? `; TURN, UDP ${TURN_UDP_PORT}` : ''})`,
    });
    if (turnHost !== props.publicAddress) {
      new DeclaredPlacement(this, 'TurnAddress', {
        kind: 'endpoint', target: turnHost, field: field('turnHost'), description: `TURN relay public address (coturn, UDP ${TURN_UDP_PORT})`,
      });
    }

    new AllowIngress(this, 'AllowFromIngress', {
      namespace: ns, name: 'allow-ingress-to-jitsi-web', podLabels: this.webPodLabels, from: [{ namespace: props.ingress.namespace }], ports: [JITSI_WEB_PORT],
    });
    new AllowIngress(this, 'AllowWithinVideo', {
      namespace: ns, name: 'allow-jitsi-components', from: [{ namespace: props.namespace.name }], ports: [...JITSI_INTERNAL_PORTS],
    });
    // Media from the internet, and from coturn's relay (in the cluster, after the load balancer's address is translated).
    this.allowUdp('AllowMedia', ns, 'allow-media-to-jitsi-bridge', this.bridgePodLabels, [
      { from: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { podSelector: { matchLabels: { ...this.turnPodLabels } } }], ports: [{ port: String(JVB_UDP_PORT), protocol: 'UDP' }] },
    ]);
    // TURN from the internet; the bridge answers on coturn's relay ports.
    this.allowUdp('AllowTurn', ns, 'allow-turn-to-coturn', this.turnPodLabels, [
      { from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: String(TURN_UDP_PORT), protocol: 'UDP' }] },
      { from: [{ podSelector: { matchLabels: { ...this.bridgePodLabels } } }], ports: [{ protocol: 'UDP' }] },
    ]);
  }

  private adapterContainer(image: string): Record<string, unknown> {
    return {
      name: 'oidc-adapter',
      image,
      imagePullPolicy: 'IfNotPresent',
      env: [
        { name: 'OIDC_ISSUER_URL', value: this.oidc.issuerUrl },
        { name: 'OIDC_CLIENT_ID', value: this.oidc.clientId },
        { name: 'OIDC_CLIENT_SECRET', valueFrom: { secretKeyRef: { name: this.oidc.secretName, key: this.oidc.secretKey } } },
        { name: 'OIDC_SCOPES', value: 'openid profile email' },
        { name: 'JWT_APP_ID', value: JITSI_JWT_APP_ID },
        { name: 'JWT_APP_SECRET', valueFrom: { secretKeyRef: { name: 'jitsi-jwt', key: 'JWT_APP_SECRET' } } },
        { name: 'ALLOW_UNSECURE_CERT', value: 'false' },
        // Reached only by the web container's nginx, in the same pod.
        { name: 'HOSTNAME', value: '127.0.0.1' },
        { name: 'PORT', value: '9000' },
      ],
      resources: { requests: { cpu: '20m', memory: '64Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
      securityContext: {
        allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true,
        runAsNonRoot: true, runAsUser: DENO_UID, runAsGroup: DENO_UID, seccompProfile: { type: 'RuntimeDefault' },
      },
    };
  }

  private allowUdp(id: string, namespace: string, name: string, podLabels: Readonly<Record<string, string>>, ingress: NetworkPolicyV1SpecIngress[]): void {
    new NetworkPolicyV1(this, id, {
      metadata: { name, namespace },
      spec: { podSelector: { matchLabels: { ...podLabels } }, policyTypes: ['Ingress'], ingress },
    });
  }
}

/** nginx in the web container passes `/oidc/` to the adapter beside it. */
const ADAPTER_PROXY_CONF = [
  'location ~ ^/oidc/ {',
  '    proxy_pass http://127.0.0.1:9000;',
  '    proxy_http_version 1.1;',
  '    proxy_set_header X-Forwarded-For $remote_addr;',
  '    proxy_set_header Host $http_host;',
  '}',
  '',
].join('\n');
