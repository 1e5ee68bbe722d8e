/**
 * The smallest stack a team would write around the video app: Keycloak on a
 * managed database, Jitsi beside it, images and charts from the team's
 * mirror, the load balancer's address declared where it is.
 */
import { Identity, Video, VideoProps } from '../../constructs/apps';
import { AppNamespace, EgressPolicy, ExistingIngress, ExistingIssuer, IDatabase, KubernetesBackend, RegistryMirror } from '../../constructs/platform';
import { Country } from '../../constructs/jurisdiction';
import { DeclaredPlacement, SovereignStack } from '../../constructs/proof';
import { TEST_API_SERVER, minimalStack } from '../util';

/** The load balancer's address in the examples (TEST-NET-1). */
export const PUBLIC_ADDRESS = '192.0.2.10';

export interface VideoStackOptions {
  /** Props of the Video construct to replace. */
  readonly video?: Partial<VideoProps>;
  /** Where the declaration says the load balancer's address is. @default 'DE' */
  readonly addressCountry?: Country;
}

/** A proven stack with Keycloak and Jitsi; `video` is the construct under test. */
export function videoStack(options: VideoStackOptions = {}): { stack: SovereignStack; video: Video } {
  const country: Country = options.addressCountry ?? 'DE';
  const stack = minimalStack({
    ownDomains: ['desk.agency.example'],
    locations: [
      { pattern: `${PUBLIC_ADDRESS}/32`, countries: [country], operator: country },
      { pattern: 'registry.agency.example', countries: ['DE'], operator: 'DE' },
    ],
  });
  new KubernetesBackend(stack, { secretSuffix: 'test', namespace: 'desk-system', host: `https://${TEST_API_SERVER.pattern}:6443` });
  new DeclaredPlacement(stack, 'InternalCa', {
    kind: 'endpoint', target: 'k8s://clusterissuer/internal-ca', issuer: 'internal-ca', description: 'CA of the ClusterIssuer internal-ca (keys in the cluster)',
  });
  const mirror = RegistryMirror.at('registry.agency.example/desk');
  const ingress = new ExistingIngress('traefik', 'traefik');
  const issuer = new ExistingIssuer('internal-ca');
  const managedDb: IDatabase = { host: 'pg-42.postgresql.eu01.onstackit.cloud', port: 5432, database: 'keycloak', credentialsSecret: 'keycloak-db', podLabels: {} };
  new DeclaredPlacement(stack, 'ManagedDb', {
    kind: 'database', target: managedDb.host, description: 'managed PostgreSQL', backups: ['stackit/eu01'],
    keys: { custody: 'provider', readable: 'everything: the provider runs the database and holds its keys' },
  });
  const identity = new Identity(stack, 'Keycloak', {
    namespace: new AppNamespace(stack, 'IdentityNamespace', { name: 'desk-identity', app: 'identity' }),
    host: 'id.desk.agency.example', database: managedDb, ingress, issuer, mirror,
  });
  const namespace = new AppNamespace(stack, 'VideoNamespace', { name: 'desk-video', app: 'video' });
  const video = new Video(stack, 'Video', {
    namespace, host: 'meet.desk.agency.example', identity, ingress, issuer, mirror, publicAddress: PUBLIC_ADDRESS, ...options.video,
  });
  new EgressPolicy(namespace, 'Egress', { namespace, ingressNamespace: ingress.namespace, cni: 'cilium' });
  return { stack, video };
}
