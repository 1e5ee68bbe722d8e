/**
 * Metrics: Prometheus in agent mode (chart `prometheus`) that scrapes the
 * suite's components and remote-writes every sample over verified TLS to the
 * metrics sink. Nothing is stored or queried in the cluster.
 */
import { createHash } from 'node:crypto';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { parseEndpoint, printable, settingName } from '../jurisdiction';
import { DeclaredPlacement, SovereignStack } from '../proof';
import { AppNamespace } from './app-namespace';
import { ChartRelease, declareChartCapacity } from './chart-release';
import { Values } from './charts';
import { AllowIngress } from './network-policies';
import { RegistryMirror } from './registry-mirror';
import { SINK_CUSTODY } from './log-shipping';

/** One set of pods whose metrics endpoint is scraped (plain HTTP inside the cluster). */
export interface MetricsScrapeTarget {
  /** Namespace of the pods: the namespace construct (the allow into it waits for it), or the name of one that exists. */
  readonly namespace: AppNamespace | string;
  /**
   * Labels of the pods to scrape. Without `service`, pods are discovered by these labels; with it,
   * they only narrow the NetworkPolicy that lets the agent in.
   * @default - the pods behind `service`; the allow then opens `port` on every pod of the namespace
   */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** Name of a Service whose endpoints are scraped. @default - the pods matching `podLabels` */
  readonly service?: string;
  /** Container port of the metrics endpoint (the pod's port, also behind a Service). */
  readonly port: number;
  /** HTTP path of the metrics endpoint. @default '/metrics' */
  readonly path?: string;
  /**
   * Let the agent into the target's namespace with a NetworkPolicy here. A
   * namespace another stack creates (a tenant's, on a shared cluster) is
   * opened by that stack, with METRICS_AGENT_LABELS.
   * @default true
   */
  readonly allowIngress?: boolean;
}

/** Labels of the metrics agent's pods, for allows into the namespaces it scrapes. */
export const METRICS_AGENT_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'metrics', 'app.kubernetes.io/component': 'server',
};

/** Props of {@link Metrics}. */
export interface MetricsProps {
  /** Namespace of the agent (Pod Security `restricted` is enough). */
  readonly namespace: AppNamespace;
  /** `https://` URL of the sink's Prometheus remote-write receiver, e.g. `https://metrics.agency.example/api/v1/write`. */
  readonly endpoint: string;
  /** What to scrape; each target gets its own job and a NetworkPolicy allow into its namespace. */
  readonly targets: readonly MetricsScrapeTarget[];
  /** Secret in `namespace` with keys `username` and `password` for the sink (HTTP basic auth). @default - no authentication */
  readonly credentialsSecret?: string;
  /** Secret in `namespace` with key `ca.crt`: the CA that signed the sink's certificate. @default - the image's trust store */
  readonly caSecret?: string;
  /** Value of the `cluster` label added to every series, to tell clusters apart. @default - no cluster label */
  readonly cluster?: string;
  /** @default RegistryMirror.none() */
  readonly mirror?: RegistryMirror;
}

/** Release name of the agent. */
const RELEASE = 'metrics';
/** Where the Secrets are mounted in the agent's container. */
const CREDENTIALS_DIR = '/etc/metrics-sink/credentials';
const CA_DIR = '/etc/metrics-sink/ca';
const K8S_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const LABEL_KEY = /^([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$/;

/**
 * Scrapes the given targets and remote-writes their metrics to the sink;
 * the sink is a `metrics-sink` placement, judged as the log sink is.
 *
 * The agent (`--agent`) keeps only a write-ahead log of samples not yet sent,
 * in an emptyDir. Its default scrape jobs (every annotated pod, the API
 * server, the kubelets without TLS verification), the bundled exporters,
 * Alertmanager and the Pushgateway are off. It runs as non-root with a
 * read-only root filesystem; it receives no traffic, and reaches only DNS,
 * the API server (for discovery), its targets and the sink.
 *
 * @example
 * new Metrics(this, 'Metrics', {
 *   namespace, endpoint: 'https://metrics.agency.example/api/v1/write', cluster: 'agency-de',
 *   targets: [{ namespace: identityNamespace, podLabels: { 'app.kubernetes.io/name': 'keycloak' }, port: 9000 }],
 * });
 */
export class Metrics extends Construct {
  /** Labels of the agent's pods (for allows into other namespaces). */
  public readonly podLabels: Readonly<Record<string, string>> = METRICS_AGENT_LABELS;
  /** The sink as written into the agent's configuration (the endpoint's canonical form). */
  public readonly endpoint: string;
  /** The merged values of the release. */
  public readonly values: Values;

  constructor(scope: Construct, id: string, props: MetricsProps) {
    super(scope, id);
    this.endpoint = this.checkEndpoint(props.endpoint);
    if (props.targets.length === 0) {
      throw new Error(`Metrics ${this.node.path}: 'targets' is empty. Fix: name at least one { namespace, podLabels or service, port } to scrape.`);
    }
    const jobs = props.targets.map((target, index) => this.job(target, index));
    const names = jobs.map((j) => j.job_name);
    const twice = names.find((name, index) => names.indexOf(name) !== index);
    if (twice) {
      throw new Error(`Metrics ${this.node.path}: two targets scrape the same pods and port (job "${twice}"). Fix: list each target once.`);
    }
    const mounts = [
      ...(props.credentialsSecret ? [{ name: 'metrics-sink-credentials', mountPath: CREDENTIALS_DIR, subPath: '', secretName: props.credentialsSecret, readOnly: true }] : []),
      ...(props.caSecret ? [{ name: 'metrics-sink-ca', mountPath: CA_DIR, subPath: '', secretName: props.caSecret, readOnly: true }] : []),
    ];
    const release = new ChartRelease(this, 'Prometheus', {
      chart: 'prometheus',
      releaseName: RELEASE,
      namespace: props.namespace.reference,
      mirror: props.mirror,
      values: {
        server: {
          ...(props.cluster ? { global: { external_labels: { cluster: props.cluster } } } : {}),
          remoteWrite: [{
            name: 'metrics-sink',
            url: this.endpoint,
            // Verified TLS, written out so that a reader (and a test) sees it.
            tls_config: { insecure_skip_verify: false, ...(props.caSecret ? { ca_file: `${CA_DIR}/ca.crt` } : {}) },
            ...(props.credentialsSecret
              ? { basic_auth: { username_file: `${CREDENTIALS_DIR}/username`, password_file: `${CREDENTIALS_DIR}/password` } }
              : {}),
          }],
          extraSecretMounts: mounts,
        },
        serverFiles: { 'prometheus.yml': { scrape_configs: jobs } },
      },
    });
    declareChartCapacity(release, [
      { app: 'platform', component: 'Prometheus agent', resourcesPath: 'server' },
      { app: 'platform', component: 'Prometheus config reloader', resourcesPath: 'configmapReload.prometheus' },
    ]);
    this.values = release.values;
    this.allowScrapes(props);
    new DeclaredPlacement(this, 'MetricsSink', {
      kind: 'metrics-sink', target: this.endpoint, namespace: props.namespace.name,
      field: settingName(SovereignStack.of(this).settingNames, 'spec.monitoring.endpoint', 'new Metrics(…, { endpoint })'),
      description: `metrics sink (Prometheus remote write, ${props.targets.length} scrape target${props.targets.length === 1 ? '' : 's'})`,
      keys: SINK_CUSTODY,
    });
  }

  /** The endpoint in canonical form, or a thrown error naming what is wrong with it. */
  private checkEndpoint(endpoint: string): string {
    const where = `Metrics ${this.node.path}: 'endpoint'`;
    const example = 'e.g. "https://metrics.agency.example/api/v1/write"';
    if (Token.isUnresolved(endpoint)) {
      throw new Error(`${where} is a value computed at apply time. Fix: write the sink's URL, ${example}; the proof must see where metrics go.`);
    }
    const parsed = parseEndpoint(endpoint);
    if (!parsed.ok) throw new Error(`${where}: ${parsed.reason}. Fix: ${parsed.hint}, ${example}.`);
    const url = parsed.endpoint;
    if (url.scheme !== 'https') {
      throw new Error(`${where} ("${printable(endpoint)}") must use https://. Fix: send metrics over TLS, ${example}.`);
    }
    if (url.hasUserinfo) {
      throw new Error(`${where} ("${printable(url.canonical)}") carries credentials. Fix: put them in a Secret (keys username, password) and name it in 'credentialsSecret'.`);
    }
    // The chart passes the URL through Helm's tpl: braces would be read as a template.
    if (/[{}]/.test(url.canonical)) {
      throw new Error(`${where} ("${printable(url.canonical)}") contains { or }, which the chart would read as a template. Fix: percent-encode them (%7B, %7D).`);
    }
    return url.canonical;
  }

  /** A scrape job for one target, in Prometheus' own configuration format. */
  private job(target: MetricsScrapeTarget, index: number): Values {
    const where = `Metrics ${this.node.path}: targets[${index}]`;
    const namespace = namespaceName(target.namespace);
    const labels = Object.entries(target.podLabels ?? {}).sort(([a], [b]) => a.localeCompare(b));
    const path = target.path ?? '/metrics';
    if (!K8S_NAME.test(namespace)) throw new Error(`${where}: 'namespace' ("${namespace}") is not a Kubernetes namespace name. Fix: name the namespace of the pods.`);
    if (!target.service && labels.length === 0) {
      throw new Error(`${where} in ${namespace} names neither 'service' nor 'podLabels'. Fix: give the Service, or the labels of the pods, to scrape.`);
    }
    const badLabel = labels.find(([k, v]) => !LABEL_KEY.test(k) || !LABEL_VALUE.test(v));
    if (badLabel) {
      throw new Error(`${where}: 'podLabels' has ${badLabel[0]}="${printable(badLabel[1])}", which is not a Kubernetes label. Fix: copy the labels from the pods' metadata.labels.`);
    }
    if (target.service !== undefined && !K8S_NAME.test(target.service)) {
      throw new Error(`${where}: 'service' ("${target.service}") is not a Service name. Fix: use the Service's metadata.name.`);
    }
    if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) {
      throw new Error(`${where}: 'port' (${target.port}) must be a whole number from 1 to 65535. Fix: use the container port of the metrics endpoint.`);
    }
    if (!/^\/[A-Za-z0-9._~\-/]*$/.test(path)) {
      throw new Error(`${where}: 'path' ("${printable(path)}") must be a plain absolute path. Fix: use e.g. "/metrics".`);
    }
    // Targets are chosen by relabelling, not by discovery selectors: a selector's text (`app.kubernetes.io/name=x`,
    // `metadata.name=x`) reads as a host name to anyone scanning the values, and the namespace already bounds discovery.
    const keep = (label: string, value: string) => ({ source_labels: [label], regex: value, action: 'keep' });
    const copy = (label: string, to: string) => ({ source_labels: [label], target_label: to });
    const discovery = (role: string) => [{ role, namespaces: { names: [namespace] } }];
    const common = { metrics_path: path, scheme: 'http' };
    if (target.service) {
      return {
        job_name: `${namespace}/${target.service}:${target.port}`,
        ...common,
        kubernetes_sd_configs: discovery('endpointslice'),
        relabel_configs: [
          keep('__meta_kubernetes_service_name', target.service),
          keep('__meta_kubernetes_endpointslice_port', String(target.port)),
          copy('__meta_kubernetes_namespace', 'namespace'), copy('__meta_kubernetes_service_name', 'service'), copy('__meta_kubernetes_pod_name', 'pod'),
        ],
      };
    }
    return {
      job_name: `${namespace}/${labels.map(([, v]) => v).join('-')}:${target.port}`,
      ...common,
      kubernetes_sd_configs: discovery('pod'),
      relabel_configs: [
        keep('__meta_kubernetes_pod_phase', 'Running'),
        ...labels.map(([k, v]) => keep(`__meta_kubernetes_pod_label_${k.replace(/[^A-Za-z0-9_]/g, '_')}`, v.replace(/[.]/g, '\\.'))),
        keep('__meta_kubernetes_pod_container_port_number', String(target.port)),
        copy('__meta_kubernetes_namespace', 'namespace'), copy('__meta_kubernetes_pod_name', 'pod'),
      ],
    };
  }

  /**
   * Lets the agent reach its targets: an allow into each target's namespace
   * (which denies ingress by default), and an egress allow from the agent's
   * pods (for a namespace whose egress is denied by default).
   */
  private allowScrapes(props: MetricsProps): void {
    const egress: object[] = [];
    for (const target of props.targets) {
      const name = namespaceName(target.namespace);
      const key = `${name}\u0000${target.port}\u0000${JSON.stringify(Object.entries(target.podLabels ?? {}).sort())}`;
      const suffix = createHash('sha256').update(key).digest('hex').slice(0, 8);
      const id = `AllowScrape${suffix}`;
      if (this.node.tryFindChild(id)) continue;
      if (target.allowIngress !== false) new AllowIngress(this, id, {
        namespace: typeof target.namespace === 'string' ? target.namespace : target.namespace.reference,
        name: `allow-metrics-scrape-${target.port}-${suffix}`,
        podLabels: target.podLabels,
        from: [{ namespace: props.namespace.name, podLabels: this.podLabels }],
        ports: [target.port],
      });
      egress.push({
        to: [{
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
          ...(target.podLabels ? { podSelector: { matchLabels: { ...target.podLabels } } } : {}),
        }],
        ports: [{ port: String(target.port), protocol: 'TCP' }],
      });
    }
    new NetworkPolicyV1(this, 'AllowEgressToTargets', {
      metadata: { name: 'allow-metrics-egress-to-targets', namespace: props.namespace.reference },
      spec: { podSelector: { matchLabels: { ...this.podLabels } }, policyTypes: ['Egress'], egress },
    });
  }
}

function namespaceName(namespace: AppNamespace | string): string {
  return typeof namespace === 'string' ? namespace : namespace.name;
}
