/**
 * Log shipping: a Fluent Bit DaemonSet (chart `fluent-bit`) that reads every
 * container's log, adds Kubernetes metadata and sends it over TLS to the log
 * sink of the spec.
 */
import { Construct } from 'constructs';
import { settingName } from '../jurisdiction';
import { DeclaredPlacement, SovereignStack } from '../proof';
import type { LogOutput } from '../deployment';
import type { KeyCustodySpec } from '../policy/key-custody';
import { AppNamespace } from './app-namespace';
import { ChartRelease, declareChartCapacity } from './chart-release';
import { RegistryMirror } from './registry-mirror';

/**
 * Who holds the keys of what a sink receives: the sink's operator. A sink
 * must read what it stores to index and query it, so nothing can be
 * encrypted for it; records travel over verified TLS (SD-TLS checks it).
 */
export const SINK_CUSTODY: KeyCustodySpec = {
  custody: 'provider',
  readable: 'everything sent: the sink receives each record in plain form over verified TLS and stores it with its own keys, if any; a sink must read what it indexes',
  keys: 'the operator of the sink',
};

/** Props of {@link LogShipping}. */
export interface LogShippingProps {
  /** Namespace of Fluent Bit (Pod Security `privileged`: it reads /var/log on every node). */
  readonly namespace: AppNamespace;
  /** `https://` URL of the sink, with the push path (e.g. `/loki/api/v1/push`). */
  readonly endpoint: string;
  /** Protocol of the sink. @default 'loki' */
  readonly output?: LogOutput;
  /** Secret with keys `username` and `password` for the sink. @default - no authentication */
  readonly credentialsSecret?: string;
  /** Label added to every record, to tell clusters apart. */
  readonly cluster: string;
  /** @default RegistryMirror.none() */
  readonly mirror?: RegistryMirror;
}

/**
 * Ships all container logs, including the apps' audit events, to the sink.
 *
 * @example
 * new LogShipping(this, 'Logs', { namespace, endpoint: 'https://logs.agency.example/loki/api/v1/push', cluster: 'agency-de' });
 */
export class LogShipping extends Construct {
  constructor(scope: Construct, id: string, props: LogShippingProps) {
    super(scope, id);
    const url = new URL(props.endpoint);
    if (url.protocol !== 'https:') {
      throw new Error(`LogShipping ${this.node.path}: 'endpoint' ("${props.endpoint}") must use https://. Fix: ship logs over TLS, e.g. "https://logs.agency.example/loki/api/v1/push".`);
    }
    const output = props.output ?? 'loki';
    const release = new ChartRelease(this, 'FluentBit', {
      chart: 'fluent-bit',
      releaseName: 'fluent-bit',
      namespace: props.namespace.reference,
      mirror: props.mirror,
      values: {
        env: props.credentialsSecret
          ? [
            { name: 'LOG_SINK_USERNAME', valueFrom: { secretKeyRef: { name: props.credentialsSecret, key: 'username' } } },
            { name: 'LOG_SINK_PASSWORD', valueFrom: { secretKeyRef: { name: props.credentialsSecret, key: 'password' } } },
          ]
          : [],
        config: { outputs: fluentBitOutput(output, url, props.cluster, props.credentialsSecret !== undefined) },
      },
    });
    declareChartCapacity(release, [{ app: 'platform', component: 'Fluent Bit', resourcesPath: '', replicas: 'per-node' }]);
    new DeclaredPlacement(this, 'LogSink', {
      kind: 'log-sink', target: props.endpoint, namespace: props.namespace.name, field: settingName(SovereignStack.of(this).settingNames, 'spec.logging.endpoint', 'new LogShipping(…, { endpoint })'),
      description: `log sink (${output}, every container log with Kubernetes metadata)`,
      keys: SINK_CUSTODY,
    });
  }
}

/** The `[OUTPUT]` section for the chosen protocol. Fluent Bit expands `${VAR}` from its environment. */
export function fluentBitOutput(output: LogOutput, url: URL, cluster: string, authenticated: boolean): string {
  const common = [
    `    Match kube.*`,
    `    Host ${url.hostname}`,
    `    Port ${url.port || 443}`,
    '    tls On',
    '    tls.verify On',
    ...(authenticated ? ['    HTTP_User ${LOG_SINK_USERNAME}', '    HTTP_Passwd ${LOG_SINK_PASSWORD}'] : []),
  ];
  const path = url.pathname === '/' ? '' : url.pathname;
  const specific: Readonly<Record<LogOutput, string[]>> = {
    loki: [
      '    Name loki',
      `    Uri ${path || '/loki/api/v1/push'}`,
      `    Labels job=fluent-bit, cluster=${cluster}`,
      "    Label_Keys $kubernetes['namespace_name'],$kubernetes['pod_name'],$kubernetes['container_name']",
      '    Line_Format json',
    ],
    opentelemetry: ['    Name opentelemetry', `    Logs_uri ${path || '/v1/logs'}`, `    Add_label cluster ${cluster}`],
    http: ['    Name http', `    Uri ${path || '/'}`, '    Format json_lines', `    Header X-Cluster ${cluster}`],
  };
  return ['[OUTPUT]', ...specific[output], ...common, ''].join('\n');
}
