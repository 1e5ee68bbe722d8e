/**
 * Video (Jitsi Meet): the stack a team would write passes the proof; login,
 * guests, the bridge's public address and ports, no calls home; every throw.
 */
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { Pod } from 'kubernetes-models/v1/Pod';
import { JVB_UDP_PORT, TURN_UDP_PORT } from '../../constructs/apps';
import { phoneHomeIn } from '../../constructs/policy/phone-home-settings';
import { releaseValues, resourceAt, ruleIds, synth, toKubernetes } from '../util';
import { PUBLIC_ADDRESS, VideoStackOptions, videoStack } from './video-stack';

const built = (options: VideoStackOptions = {}) => synth(videoStack(options).stack);
const jitsi = (options: VideoStackOptions = {}) => releaseValues(built(options).json, 'Video/Jitsi/Release');
const out = built();
const values = releaseValues(out.json, 'Video/Jitsi/Release');
const adapter = () => (values.web.extraContainers as Record<string, any>[]).find((c) => c.name === 'oidc-adapter') as Record<string, any>;

describe('video (Jitsi Meet): a stack a team would write', () => {
  it('passes the proof with images from the mirror and the load balancer address declared', () => {
    expect(out.errors).toEqual([]);
    // The provider holds the keys of the managed database: its one warning.
    expect(out.warnings.map((w) => [w.constructPath, w.message.split(' ')[0]])).toEqual([['test/ManagedDb', 'SD-KEY-CUSTODY']]);
  });

  it('serves the web app on its host through the ingress controller, with a certificate from the issuer', () => {
    expect(values.publicURL).toBe('https://meet.desk.agency.example');
    expect(values.web.ingress).toEqual({
      enabled: true, ingressClassName: 'traefik', annotations: { 'cert-manager.io/cluster-issuer': 'internal-ca' },
      hosts: [{ host: 'meet.desk.agency.example', paths: ['/'] }], tls: [{ secretName: 'jitsi-web-tls', hosts: ['meet.desk.agency.example'] }],
    });
  });

  it('pulls every image, the OIDC adapter too, through the mirror at pinned tags', () => {
    for (const component of ['web', 'prosody', 'jicofo', 'jvb']) {
      expect(values[component].image).toEqual({ repository: `registry.agency.example/desk/ghcr.io/jitsi/${component}`, tag: 'stable-11146-2' });
    }
    expect(values.coturn.image).toEqual({ repository: 'registry.agency.example/desk/docker.io/coturn/coturn', tag: '4.17.2' });
    expect(values.coturn.initContainers.busybox.image).toBe('registry.agency.example/desk/docker.io/library/busybox:1.38.0');
    expect(adapter().image).toBe('registry.agency.example/desk/ghcr.io/jitsi-contrib/jitsi-oidc-adapter:v20260328');
  });
});

describe('video: Keycloak login', () => {
  it('lets only token holders open rooms; the token is signed by the adapter with a generated key', () => {
    expect(values.enableAuth).toBe(true);
    expect(values.extraCommonEnvs.AUTH_TYPE).toBe('jwt');
    expect(values.prosody.jwt).toEqual({ existingSecretName: 'jitsi-jwt' });
    expect(values.prosody.extraEnvs).toMatchObject({ JWT_APP_ID: 'sovereign-desk', JWT_ACCEPTED_ISSUERS: 'sovereign-desk', JWT_ACCEPTED_AUDIENCES: 'sovereign-desk' });
    const secret = resourceAt(out.json, 'kubernetes_secret_v1', 'Video/JwtSecret/Secret') as { data: Record<string, string> };
    expect(secret.data.JWT_APP_SECRET).toMatch(/^\$\{random_password\.[\w-]+\.result\}$/);
  });

  it('sends users to the adapter, which the web container proxies on /oidc/', () => {
    expect(values.web.extraEnvs.TOKEN_AUTH_URL).toBe('https://meet.desk.agency.example/oidc/auth?state={state}');
    expect(values.web.extraFiles).toEqual([{ path: '/config/nginx-custom/oidc.conf', content: expect.stringContaining('proxy_pass http://127.0.0.1:9000;') }]);
  });

  it('registers the client jitsi with Keycloak, redirecting to /oidc/tokenize, without PKCE (the adapter sends none)', () => {
    const realm = resourceAt(out.json, 'kubernetes_secret_v1', 'Keycloak/Realm/Secret') as { data: Record<string, string> };
    const client = (JSON.parse(realm.data['desk.json']).clients as Record<string, any>[]).find((c) => c.clientId === 'jitsi');
    expect(client).toMatchObject({ redirectUris: ['https://meet.desk.agency.example/oidc/tokenize'], publicClient: false });
    expect(client?.attributes['pkce.code.challenge.method']).toBeUndefined();
  });

  it('runs the adapter non-root on a read-only root, its secrets from Secrets, valid as a Kubernetes container', () => {
    const container = adapter();
    const env = Object.fromEntries((container.env as { name: string; value?: string; valueFrom?: unknown }[]).map((e) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toMatchObject({
      OIDC_ISSUER_URL: 'https://id.desk.agency.example/realms/desk', OIDC_CLIENT_ID: 'jitsi', HOSTNAME: '127.0.0.1', ALLOW_UNSECURE_CERT: 'false',
      OIDC_CLIENT_SECRET: { secretKeyRef: { name: 'oidc-jitsi', key: 'client-secret' } }, JWT_APP_SECRET: { secretKeyRef: { name: 'jitsi-jwt', key: 'JWT_APP_SECRET' } },
    });
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(container.resources.limits).toEqual({ cpu: '200m', memory: '256Mi' });
    expect(() => new Pod({ metadata: { name: 'web' }, spec: { containers: [container as never] } }).validate()).not.toThrow();
  });

  it('lets guests join by link, waiting until a signed-in user opens the room', () => {
    expect(values.enableGuests).toBe(true);
    expect(values.prosody.extraEnvs).toMatchObject({ XMPP_MODULES: 'persistent_lobby', XMPP_MUC_MODULES: 'muc_wait_for_host' });
  });

  it('turns guests off when asked: everyone signs in', () => {
    const noGuests = jitsi({ video: { guests: false } });
    expect(noGuests.enableGuests).toBe(false);
    expect(noGuests.prosody.extraEnvs.XMPP_MUC_MODULES).toBeUndefined();
  });
});

describe('video: the bridge and TURN on the declared public address', () => {
  it('advertises the public address and asks the provider for it, with no STUN at all', () => {
    expect(values.jvb).toMatchObject({
      publicIPs: [PUBLIC_ADDRESS], disableStun: true, stunServers: '', useInternalStun: false, replicaCount: 1, UDPPort: JVB_UDP_PORT,
      service: { enabled: true, type: 'LoadBalancer', loadBalancerIP: PUBLIC_ADDRESS, externalTrafficPolicy: 'Local' },
    });
    expect(values.jvb.extraEnvs.JVB_ADVERTISE_PRIVATE_CANDIDATES).toBe('false');
  });

  it('runs coturn in the cluster on UDP 3478 of a LoadBalancer, at the public address unless turnHost says otherwise', () => {
    expect(values.coturn).toMatchObject({ enabled: true, turn: { transport: 'udp' }, turns: { enabled: false }, service: { type: 'LoadBalancer' } });
    expect(values.turnHost).toBe(PUBLIC_ADDRESS);
    expect(values.web.extraEnvs.P2P_STUN_SERVERS).toBe(`${PUBLIC_ADDRESS}:${TURN_UDP_PORT}`);
  });

  it('names the UDP ports the load balancer must publish', () => {
    expect(videoStack().video.udpPorts).toEqual([10000, 3478]);
  });

  it('sizes one bridge with requests and limits, 4 cores by default', () => {
    expect(values.jvb.resources).toEqual({ requests: { cpu: '2', memory: '2048Mi' }, limits: { cpu: '4', memory: '4Gi' } });
    expect(jitsi({ video: { bridgeCpus: 8, bridgeMemoryGiB: 8 } }).jvb.resources).toEqual({ requests: { cpu: '4', memory: '4096Mi' }, limits: { cpu: '8', memory: '8Gi' } });
  });

  it('passes annotations to both LoadBalancer Services (e.g. to share one address)', () => {
    const shared = jitsi({ video: { loadBalancerAnnotations: { 'metallb.universe.tf/allow-shared-ip': 'jitsi' } } });
    expect(shared.jvb.service.annotations).toEqual({ 'metallb.universe.tf/allow-shared-ip': 'jitsi' });
    expect(shared.coturn.service.annotations).toEqual({ 'metallb.universe.tf/allow-shared-ip': 'jitsi' });
  });

  it('opens UDP 10000 on the bridge and UDP 3478 on coturn to the internet, valid NetworkPolicies', () => {
    const bridge = toKubernetes(resourceAt(out.json, 'kubernetes_network_policy_v1', 'Video/AllowMedia')) as Record<string, any>;
    const turn = toKubernetes(resourceAt(out.json, 'kubernetes_network_policy_v1', 'Video/AllowTurn')) as Record<string, any>;
    for (const policy of [bridge, turn]) {
      expect(() => new NetworkPolicy({ ...policy, metadata: { ...policy.metadata, namespace: 'desk-video' } } as never).validate()).not.toThrow();
    }
    expect(bridge.spec.ingress[0]).toMatchObject({ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }, expect.anything()], ports: [{ port: '10000', protocol: 'UDP' }] });
    expect(turn.spec.ingress[0]).toMatchObject({ ports: [{ port: '3478', protocol: 'UDP' }] });
  });

  it('declares a separate TURN host as a placement of its own', () => {
    const result = built({ video: { turnHost: 'turn.desk.agency.example' } });
    expect(result.errors).toEqual([]);
    expect(releaseValues(result.json, 'Video/Jitsi/Release').turnHost).toBe('turn.desk.agency.example');
  });

  it('fails if the load balancer address is declared abroad', () => {
    const result = built({ addressCountry: 'US' });
    expect(result.errors.map((e) => [e.constructPath, ruleIds([e])[0]])).toEqual([
      ['test/Video/BridgeAddress', 'SD-OPERATOR'], ['test/Video/BridgeAddress', 'SD-RESIDENCY'],
    ]);
    expect(result.errors[1].message).toContain('new Video(…, { publicAddress })');
  });

  it('fails if the TURN host is nowhere proven', () => {
    const result = built({ video: { turnHost: 'turn.elsewhere.example' } });
    expect(result.errors.map((e) => [e.constructPath, ruleIds([e])[0]])).toContainEqual(['test/Video/TurnAddress', 'SD-UNPROVEN']);
  });
});

describe('video: no calls home', () => {
  it('switches off JaaS, P2P, deep links, gravatar, third-party requests and analytics', () => {
    expect(values.extraCommonEnvs).toMatchObject({ ENABLE_JAAS_COMPONENTS: '0', ENABLE_LETSENCRYPT: '0' });
    expect(values.web.extraEnvs).toMatchObject({ ENABLE_P2P: 'false', DISABLE_DEEP_LINKING: 'true' });
    const custom = values.web.custom.configs._custom_config_js as string;
    for (const line of ['disableThirdPartyRequests: true', 'gravatar: { disabled: true }', 'analytics: { disabled: true }', 'giphy: { enabled: false }']) {
      expect(custom).toContain(line);
    }
    expect(phoneHomeIn(values)).toEqual([]);
    expect(phoneHomeIn(out.text)).toEqual([]);
  });

  it('names no public STUN or TURN service, no jitsi.net, meet.jit.si or gravatar anywhere', () => {
    expect(out.text).not.toMatch(/jitsi\.net|jit\.si|gravatar\.com|google|amplitude/i);
  });

  it('keeps every optional component off (recording, SIP, transcription, whiteboard, etherpad)', () => {
    for (const component of ['etherpad', 'excalidraw', 'jibri', 'jigasi', 'transcriber', 'skynet', 'opusTranscriberProxy', 'octo']) {
      expect([component, values[component].enabled]).toEqual([component, false]);
    }
  });

  it('fails if a team turns analytics back on beside it', () => {
    const { stack } = videoStack();
    new ConfigMapV1(stack, 'TeamEnv', { metadata: { name: 'team-env', namespace: 'desk-video' }, data: { AMPLITUDE_ID: 'abc123' } });
    expect(ruleIds(synth(stack).errors)).toContain('SD-PHONE-HOME');
  });
});

describe('video: bad props', () => {
  it.each([
    [{ publicAddress: 'meet.desk.agency.example' }, /'publicAddress' \("meet\.desk\.agency\.example"\) is not an IPv4 address.*Fix: give the load balancer's public IPv4 address/],
    [{ publicAddress: '192.0.2.300' }, /'publicAddress' \("192\.0\.2\.300"\) is not an IPv4 address/],
    [{ turnHost: 'Turn_Host' }, /'turnHost' \("Turn_Host"\) is neither a lower-case host name nor an IPv4 address\. Fix: /],
    [{ bridgeCpus: 1 }, /'bridgeCpus' \(1\) must be a whole number of 2 or more cores\. Fix: size the bridge by its load \(about 8 cores per 200 concurrent users\)/],
    [{ bridgeCpus: 2.5 }, /'bridgeCpus' \(2\.5\) must be a whole number/],
    [{ bridgeMemoryGiB: 1 }, /'bridgeMemoryGiB' \(1\) must be a whole number of 2 or more GiB\. Fix: omit it for 4\./],
  ] as const)('fails if %p', (video, message) => {
    expect(() => videoStack({ video })).toThrow(message);
  });
});

describe('Video: an address no client can reach', () => {
  it.each(['127.0.0.1', '0.0.0.0', '169.254.0.9', '230.1.1.1'])('fails if publicAddress is %s, naming the prop and the fix', (publicAddress) => {
    expect(() => videoStack({ video: { publicAddress } })).toThrow(/'publicAddress' \(".*"\) is a loopback, unspecified, link-local or multicast address.*Fix: /);
  });
});
