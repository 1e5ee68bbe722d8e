/**
 * How Terraform reaches the cluster: the Kubernetes and Helm providers and,
 * by default, the state backend, all pointed at one named API server, so the
 * proof can place where Terraform connects and where the state is kept.
 */
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { TerraformProvider, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { parseEndpoint } from '../jurisdiction';
import { KubernetesBackend } from './kubernetes-backend';

/** Where the Terraform state Secret goes in the cluster. */
export interface ClusterStateProps {
  /** Namespace of the state Secret (create it before the first `cdktf deploy`). @default 'desk-system' */
  readonly namespace?: string;
  /** Suffix of the Secret name `tfstate-default-<suffix>`. @default - the stack's name */
  readonly secretSuffix?: string;
}

/** Props of {@link ClusterConnection}. */
export interface ClusterConnectionProps {
  /**
   * URL of the cluster's Kubernetes API server (`https://…`). Written as the
   * `host` of the providers and of the state backend, so they reach this
   * server whatever the kubeconfig's current context says; the proof places it
   * (declare its host in the stack's `locations` or serve it under `ownDomains`).
   * @default - the kubeconfig's server, read when Terraform runs: not provable, so SD-UNPROVEN fails the synth
   */
  readonly apiServer?: string;
  /** Path of the kubeconfig that holds the credentials. @default - KUBE_CONFIG_PATH, as the providers read it */
  readonly kubeconfig?: string;
  /** Context in that kubeconfig. @default - its current context */
  readonly context?: string;
  /**
   * Keep the Terraform state as a Secret in the same cluster, or `false` to
   * configure a backend yourself (an S3Backend inside the bounds).
   * @default - { namespace: 'desk-system', secretSuffix: <stack name> }
   */
  readonly state?: ClusterStateProps | false;
}

/**
 * The providers (and state backend) of a stack that deploys to one cluster.
 *
 * @example
 * new ClusterConnection(stack, 'Connection', { apiServer: 'https://api.k8s.agency.example:6443' });
 */
export class ClusterConnection extends Construct {
  public readonly kubernetes: KubernetesProvider;
  public readonly helm: HelmProvider;

  constructor(scope: Construct, id: string, props: ClusterConnectionProps) {
    super(scope, id);
    const apiServer = props.apiServer === undefined ? undefined : apiServerUrl(id, props.apiServer);
    const kube = { host: apiServer, configPath: props.kubeconfig, configContext: props.context };
    this.kubernetes = new KubernetesProvider(this, 'Kubernetes', kube);
    this.helm = new HelmProvider(this, 'Helm', { kubernetes: kube });
    if (props.state !== false) {
      const stack = TerraformStack.of(this);
      new KubernetesBackend(stack, {
        secretSuffix: props.state?.secretSuffix ?? stack.node.id,
        namespace: props.state?.namespace ?? 'desk-system',
        configPath: props.kubeconfig, configContext: props.context, host: apiServer,
      });
    }
  }
}

/**
 * The API server URL in canonical form (the form the proof judges), refusing
 * anything but `https://host[:port]`: a user or password in the URL would be
 * written into the configuration, which is no place for credentials.
 */
function apiServerUrl(id: string, value: string): string {
  const parsed = parseEndpoint(value);
  const problem = !parsed.ok ? parsed.reason
    : parsed.endpoint.scheme !== 'https' ? `the scheme is ${parsed.endpoint.scheme ?? 'missing'}`
      : parsed.endpoint.hasUserinfo ? 'it holds a user name or password, which would be written into cdk.tf.json' : undefined;
  if (problem !== undefined || !parsed.ok) {
    throw new Error(
      `new ClusterConnection(…, '${id}', { apiServer }): "${value}" is not an https:// URL of an API server (${problem}). ` +
      "Fix: give the server of your kubeconfig's cluster, e.g. https://api.k8s.agency.example:6443; credentials stay in the kubeconfig.",
    );
  }
  return parsed.endpoint.canonical;
}

/** The stack's provider of a type, created at the stack's root the first time a construct needs it. */
function ensureProvider(scope: IConstruct, type: string, create: (stack: TerraformStack) => TerraformProvider): void {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.findAll().some((c) => c instanceof TerraformProvider && c.terraformResourceType === type);
  if (!existing) create(stack);
}

/** The `random` provider the generated passwords need (no settings, no network). */
export function ensureRandomProvider(scope: IConstruct): void {
  ensureProvider(scope, 'random', (stack) => new RandomProvider(stack, 'Random'));
}

/** The `tls` provider the generated keys need (no settings, no network). */
export function ensureTlsProvider(scope: IConstruct): void {
  ensureProvider(scope, 'tls', (stack) => new TlsProvider(stack, 'Tls'));
}
