/**
 * A stack as a team composes the metrics agent without the suite: its own
 * namespace, two namespaces to scrape, a sink it declares, a registry mirror.
 */
import { AppNamespace, EgressPolicy, Metrics, MetricsProps, RegistryMirror } from '../../constructs/platform';
import { SovereignStack } from '../../constructs/proof';
import { minimalStack } from '../util';

/** The sink of the fixture: a declared host in DE. */
export const METRICS_SINK = 'https://metrics.agency.example/api/v1/write';

export interface MetricsFixture {
  readonly stack: SovereignStack;
  readonly metrics: Metrics;
  readonly namespace: AppNamespace;
}

/** The fixture's stack; `props` replace the defaults of the Metrics construct. */
export function metricsStack(props: Partial<MetricsProps> = {}): MetricsFixture {
  const stack = minimalStack({
    locations: [
      { pattern: 'metrics.agency.example', countries: ['DE'], operator: 'DE' },
      { pattern: 'registry.agency.example', countries: ['DE'], operator: 'DE' },
    ],
  });
  const namespace = new AppNamespace(stack, 'MetricsNs', { name: 'team-metrics', app: 'metrics' });
  const identity = new AppNamespace(stack, 'IdentityNs', { name: 'team-identity', app: 'identity' });
  const metrics = new Metrics(stack, 'Metrics', {
    namespace,
    endpoint: METRICS_SINK,
    credentialsSecret: 'metrics-sink',
    cluster: 'team',
    mirror: RegistryMirror.at('registry.agency.example/desk'),
    targets: [
      { namespace: identity, podLabels: { 'app.kubernetes.io/name': 'keycloak' }, port: 9000 },
      { namespace: 'traefik', service: 'traefik-metrics', port: 9100, path: '/metrics' },
    ],
    ...props,
  });
  new EgressPolicy(namespace, 'Egress', { namespace, ingressNamespace: 'traefik', cni: 'cilium' });
  return { stack, metrics, namespace };
}
