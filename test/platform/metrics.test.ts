/**
 * Metrics: Prometheus in agent mode, composed by a team without the suite,
 * remote-writing to a metrics sink the proof places.
 */
import { Release } from '@cdktf/provider-helm/lib/release';
import { Fn } from 'cdktf';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { stringify } from 'yaml';
import { SPEC_SETTING_NAMES } from '../../constructs/jurisdiction';
import { AppNamespace, EgressPolicy, Metrics, MetricsProps } from '../../constructs/platform';
import { buildReport, renderMermaid } from '../../constructs/report';
import { minimalStack, releaseValues, resources, ruleIds, scope, synth, toKubernetes, workplace } from '../util';
import { upstreamChart } from './upstream-charts';
import { METRICS_SINK, metricsStack } from './metrics-fixture';

const fixture = metricsStack();
const out = synth(fixture.stack);
const values = releaseValues(out.json, 'Metrics/Prometheus/Release');
const sinkOf = (stack = fixture.stack) => stack.prove().placements.filter((p) => p.kind === 'metrics-sink');

describe('Metrics, composed by a team', () => {
  it('passes the proof with a declared sink and a registry mirror; the sink\'s operator reads what it receives (a custody warning)', () => {
    expect(out.errors).toEqual([]);
    expect(out.warnings.map((w) => [w.constructPath, w.message.split(' ')[0]])).toEqual([['test/Metrics/MetricsSink', 'SD-KEY-CUSTODY']]);
  });

  it('declares the sink as a metrics-sink placement of its namespace, named by the prop in code', () => {
    expect(sinkOf()).toEqual([expect.objectContaining({
      target: METRICS_SINK, origin: 'declared', namespace: 'team-metrics', field: 'new Metrics(…, { endpoint })',
      resolution: expect.objectContaining({ status: 'resolved' }),
    })]);
  });

  it('names the spec field when the stack is configured by a spec', () => {
    const stack = minimalStack({ settingNames: SPEC_SETTING_NAMES, locations: [{ pattern: 'metrics.agency.example', countries: ['DE'], operator: 'DE' }] });
    new Metrics(stack, 'Metrics', {
      namespace: new AppNamespace(stack, 'Ns', { name: 'metrics', app: 'metrics' }), endpoint: METRICS_SINK,
      targets: [{ namespace: 'files', podLabels: { app: 'nextcloud' }, port: 9205 }],
    });
    expect(sinkOf(stack).map((p) => p.field)).toEqual(['spec.monitoring.endpoint']);
  });

  it('is drawn on the map of the report', () => {
    expect(renderMermaid(buildReport('test', fixture.stack.prove()), ['DE'])).toContain('metrics-sink: metrics sink Prometheus remote write, 2 scrape targets');
  });
});

describe('the sink: remote write over verified TLS', () => {
  it('writes to the endpoint, verifying its certificate, with credentials from files of the Secret', () => {
    expect(values.server.remoteWrite).toEqual([{
      name: 'metrics-sink', url: METRICS_SINK, tls_config: { insecure_skip_verify: false },
      basic_auth: { username_file: '/etc/metrics-sink/credentials/username', password_file: '/etc/metrics-sink/credentials/password' },
    }]);
    expect(values.server.extraSecretMounts).toEqual([
      { name: 'metrics-sink-credentials', mountPath: '/etc/metrics-sink/credentials', subPath: '', secretName: 'metrics-sink', readOnly: true },
    ]);
    expect(out.text).not.toMatch(/insecure_skip_verify: true|"insecure_skip_verify":\s*true/);
  });

  it('trusts a private CA when given one, and sends no credentials without a Secret', () => {
    const { stack } = metricsStack({ credentialsSecret: undefined, caSecret: 'sink-ca' });
    const own = releaseValues(synth(stack).json, 'Metrics/Prometheus/Release').server;
    expect(own.remoteWrite[0]).toEqual({
      name: 'metrics-sink', url: METRICS_SINK, tls_config: { insecure_skip_verify: false, ca_file: '/etc/metrics-sink/ca/ca.crt' },
    });
    expect(own.extraSecretMounts).toEqual([{ name: 'metrics-sink-ca', mountPath: '/etc/metrics-sink/ca', subPath: '', secretName: 'sink-ca', readOnly: true }]);
  });

  it('writes the endpoint in canonical form', () => {
    const { metrics } = metricsStack({ endpoint: 'HTTPS://Metrics.Agency.Example./api/v1/write' });
    expect(metrics.endpoint).toBe(METRICS_SINK);
  });

  it('labels every series with the cluster', () => {
    expect(values.server.global.external_labels).toEqual({ cluster: 'team' });
  });

  it('lets the agent reach the sink, and only there, from its namespace', () => {
    const egress = fixture.namespace.node.findChild('Egress') as EgressPolicy;
    expect(egress.destinations()).toEqual([{ host: 'metrics.agency.example', port: 443, reason: expect.stringContaining('metrics sink') }]);
  });
});

describe('the agent', () => {
  const inventory = upstreamChart('prometheus', '29.27.0').inventory;

  it('runs in agent mode: no local storage, queries, rules or alerts', () => {
    expect(values.server.defaultFlagsOverride).toEqual(['--agent', '--config.file=/etc/config/prometheus.yml', '--storage.agent.path=/data', '--web.enable-lifecycle']);
    expect(values.server.persistentVolume).toEqual({ enabled: false });
    expect(values.server.emptyDir).toEqual({ sizeLimit: '2Gi' });
    expect(values.serverFiles['prometheus.yml'].rule_files).toEqual([]);
    expect(values.server.service).toEqual({ enabled: false });
    for (const subchart of ['alertmanager', 'kube-state-metrics', 'prometheus-node-exporter', 'prometheus-pushgateway']) {
      expect(values[subchart]).toEqual({ enabled: false });
    }
  });

  it('switches off every default scrape job of the chart (two skip TLS verification)', () => {
    const defaults = Object.keys(inventory.values).filter((k) => /^scrapeConfigs\.[^.]+$/.test(k)).map((k) => k.split('.')[1]);
    expect(defaults.length).toBeGreaterThan(5);
    expect(Object.keys(values.scrapeConfigs).sort()).toEqual(defaults.sort());
    for (const job of defaults) expect(values.scrapeConfigs[job]).toEqual({ enabled: false });
  });

  it('scrapes pods by their labels and Services by name, each in its namespace only', () => {
    const [pods, service] = values.serverFiles['prometheus.yml'].scrape_configs;
    expect(pods).toMatchObject({
      job_name: 'team-identity/keycloak:9000', metrics_path: '/metrics', scheme: 'http',
      kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: ['team-identity'] } }],
    });
    expect(pods.relabel_configs.filter((r: { action?: string }) => r.action === 'keep')).toEqual([
      { source_labels: ['__meta_kubernetes_pod_phase'], regex: 'Running', action: 'keep' },
      { source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'], regex: 'keycloak', action: 'keep' },
      { source_labels: ['__meta_kubernetes_pod_container_port_number'], regex: '9000', action: 'keep' },
    ]);
    expect(service).toMatchObject({
      job_name: 'traefik/traefik-metrics:9100', kubernetes_sd_configs: [{ role: 'endpointslice', namespaces: { names: ['traefik'] } }],
    });
    expect(service.relabel_configs.slice(0, 2)).toEqual([
      { source_labels: ['__meta_kubernetes_service_name'], regex: 'traefik-metrics', action: 'keep' },
      { source_labels: ['__meta_kubernetes_endpointslice_port'], regex: '9100', action: 'keep' },
    ]);
  });

  it('matches a label value literally', () => {
    const { metrics } = metricsStack({ targets: [{ namespace: 'files', podLabels: { release: 'v1.2' }, port: 9205 }] });
    const [job] = (metrics.values.serverFiles as Record<string, any>)['prometheus.yml'].scrape_configs;
    expect(job.relabel_configs[1]).toEqual({ source_labels: ['__meta_kubernetes_pod_label_release'], regex: 'v1\\.2', action: 'keep' });
  });

  it('runs non-root, read-only, without privileges, with requests and limits', () => {
    expect(values.server.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } });
    for (const container of [values.server, values.configmapReload.prometheus]) {
      expect(container.containerSecurityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true });
      expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(container.resources.limits).sort()).toEqual(['cpu', 'memory']);
    }
  });

  it('pulls pinned images and the chart through the mirror', () => {
    expect(values.server.image).toEqual({ repository: 'registry.agency.example/desk/quay.io/prometheus/prometheus', tag: 'v3.14.0' });
    expect(values.configmapReload.prometheus.image).toEqual({
      repository: 'registry.agency.example/desk/quay.io/prometheus-operator/prometheus-config-reloader', tag: 'v0.93.1',
    });
    expect(resources(out.json, 'helm_release').map((r) => r.repository)).toEqual(['oci://registry.agency.example/desk/charts']);
  });
});

describe('network policies', () => {
  const policies = resources(out.json, 'kubernetes_network_policy_v1')
    .filter((p) => ((p['//'] as { metadata: { path: string } }).metadata.path).startsWith('test/Metrics/'));
  const byName = (name: string) => policies.find((p) => (p.metadata as { name: string }).name.startsWith(name)) as Record<string, any>;
  const agent = { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'metrics', 'app.kubernetes.io/component': 'server' };

  it('are valid Kubernetes objects', () => {
    expect(policies).toHaveLength(3);
    for (const policy of policies) {
      const object = new NetworkPolicy({ metadata: { ...(toKubernetes(policy.metadata) as object), namespace: 'ns' }, spec: toKubernetes(policy.spec) } as never);
      expect(() => object.validate()).not.toThrow();
    }
  });

  it('let the agent into each target namespace, on the target port, to the target pods', () => {
    const identity = byName('allow-metrics-scrape-9000-');
    expect(identity.metadata.namespace).toMatch(/^\$\{kubernetes_namespace_v1\.IdentityNs_/);
    expect(identity.spec.pod_selector).toEqual({ match_labels: { 'app.kubernetes.io/name': 'keycloak' } });
    expect(identity.spec.ingress).toEqual([{
      from: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'team-metrics' } }, pod_selector: { match_labels: agent } }],
      ports: [{ port: '9000', protocol: 'TCP' }],
    }]);
    expect(byName('allow-metrics-scrape-9100-').metadata.namespace).toBe('traefik');
  });

  it('let the agent out to its targets only', () => {
    const egress = byName('allow-metrics-egress-to-targets');
    expect(egress.spec.pod_selector).toEqual({ match_labels: agent });
    expect(egress.spec.egress).toEqual([
      {
        to: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'team-identity' } }, pod_selector: { match_labels: { 'app.kubernetes.io/name': 'keycloak' } } }],
        ports: [{ port: '9000', protocol: 'TCP' }],
      },
      { to: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'traefik' } } }], ports: [{ port: '9100', protocol: 'TCP' }] },
    ]);
  });
});

describe('Metrics: fails if…', () => {
  const build = (props: Partial<MetricsProps>) => () => metricsStack(props);
  const target = { namespace: 'files', podLabels: { app: 'nextcloud' }, port: 9205 };

  it('the endpoint is plain http', () => {
    expect(build({ endpoint: 'http://metrics.agency.example/api/v1/write' })).toThrow(/'endpoint' \("http:\/\/metrics\.agency\.example\/api\/v1\/write"\) must use https:\/\//);
  });

  it('the endpoint carries credentials', () => {
    expect(build({ endpoint: 'https://user:secret@metrics.agency.example/api/v1/write' })).toThrow(/carries credentials\. Fix: put them in a Secret/);
  });

  it('the endpoint is not one every parser reads the same way', () => {
    expect(build({ endpoint: 'https://metrics.agency.example\\@evil.example/' })).toThrow(/Metrics test\/Metrics: 'endpoint': .*Fix: /);
  });

  it('the endpoint is computed at apply time', () => {
    expect(build({ endpoint: Fn.lower('https://metrics.agency.example') })).toThrow(/computed at apply time/);
  });

  it('the endpoint contains template braces', () => {
    expect(build({ endpoint: 'https://metrics.agency.example/{{.Release.Name}}' })).toThrow(/contains \{ or \}/);
  });

  it('there is nothing to scrape', () => {
    expect(build({ targets: [] })).toThrow(/'targets' is empty/);
  });

  it('a target names neither a Service nor pod labels', () => {
    expect(build({ targets: [{ namespace: 'files', port: 9205 }] })).toThrow(/targets\[0\] in files names neither 'service' nor 'podLabels'/);
    expect(build({ targets: [{ namespace: 'files', podLabels: {}, port: 9205 }] })).toThrow(/names neither/);
  });

  it('a target has a bad namespace, Service, port, path or label', () => {
    expect(build({ targets: [{ ...target, namespace: 'Files' }] })).toThrow(/'namespace' \("Files"\) is not a Kubernetes namespace name/);
    expect(build({ targets: [{ namespace: 'files', service: 'Next_Cloud', port: 9205 }] })).toThrow(/'service' \("Next_Cloud"\) is not a Service name/);
    expect(build({ targets: [{ ...target, port: 0 }] })).toThrow(/'port' \(0\) must be a whole number from 1 to 65535/);
    expect(build({ targets: [{ ...target, path: 'metrics?x=1' }] })).toThrow(/'path' \("metrics\?x=1"\) must be a plain absolute path/);
    expect(build({ targets: [{ ...target, podLabels: { app: 'next cloud' } }] })).toThrow(/'podLabels' has app="next cloud", which is not a Kubernetes label/);
  });

  it('two targets scrape the same pods and port', () => {
    expect(build({ targets: [target, { ...target, path: '/other' }] })).toThrow(/two targets scrape the same pods and port \(job "files\/nextcloud:9205"\)/);
  });
});

describe('Metrics: misplaced sinks fail the proof', () => {
  const findings = (endpoint: string) => synth(metricsStack({ endpoint }).stack).errors.filter((e) => e.constructPath === 'test/Metrics/MetricsSink');

  it('a sink in the US fails residency and names the prop to change', () => {
    const errors = findings('https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write');
    expect(ruleIds(errors).sort()).toEqual(['SD-OPERATOR', 'SD-RESIDENCY']);
    const residency = errors.find((e) => e.message.startsWith('SD-RESIDENCY')) as { message: string };
    expect(residency.message).toMatch(/metrics sink .* is outside the jurisdiction: data in US/);
    expect(residency.message).toContain('fix:          set new Metrics(…, { endpoint }) to a location in DE, e.g. https://');
  });

  it('a sink in Frankfurt run by a US company fails the operator rule', () => {
    expect(ruleIds(findings('https://aps-workspaces.eu-central-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write'))).toEqual(['SD-OPERATOR']);
  });

  it('an undeclared sink fails closed', () => {
    expect(ruleIds(findings('https://metrics.example.com/api/v1/write'))).toEqual(['SD-UNPROVEN']);
  });
});

describe('metrics outside the construct', () => {
  it("a team's own Prometheus remote-writing abroad is caught by the scan (as an endpoint, as a team's log shipper is)", () => {
    const stack = minimalStack({ locations: [{ pattern: 'registry.agency.example', countries: ['DE'], operator: 'DE' }] });
    const url = 'https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write';
    new Release(scope(stack), 'Agent', {
      name: 'agent', chart: 'prometheus', repository: 'oci://registry.agency.example/charts', namespace: 'team',
      values: [stringify({ server: { remoteWrite: [{ url }] } })],
    });
    const errors = synth(stack).errors;
    expect(ruleIds(errors).sort()).toEqual(['SD-OPERATOR', 'SD-RESIDENCY']);
    expect(errors[0].message).toContain(`URL in helm_release.Team_Agent_`);
    expect(errors[0].message).toContain(`(values.0.server.remoteWrite.0.url)`);
  });

  it('the suite sends no metrics anywhere until monitoring is configured', () => {
    const suite = workplace({ monitoring: undefined });
    expect(suite.prove().placements.filter((p) => p.kind === 'metrics-sink')).toEqual([]);
    expect(resources(synth(suite).json, 'helm_release').map((r) => r.chart)).not.toContain('prometheus');
  });

  it('with spec.monitoring, the suite remote-writes to the sink it declares, scraping the database operator and every PostgreSQL cluster', () => {
    const suite = workplace();
    const sinks = suite.prove().placements.filter((p) => p.kind === 'metrics-sink');
    expect(sinks.map((p) => [p.target, p.field])).toEqual([['https://metrics.agency.example/api/v1/write', 'spec.monitoring.endpoint']]);
    expect(sinks[0].resolution.status).toBe('resolved');
    expect(resources(synth(suite).json, 'helm_release').map((r) => r.chart)).toContain('prometheus');
  });
});
