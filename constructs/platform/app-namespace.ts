/**
 * A namespace for one application, locked down by default.
 */
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { Construct } from 'constructs';

/** Pod Security Standard levels. */
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

/** Props of {@link AppNamespace}. */
export interface AppNamespaceProps {
  /** Kubernetes name of the namespace. */
  readonly name: string;
  /** The application it holds, as the `app.kubernetes.io/part-of` label. */
  readonly app: string;
  /**
   * Pod Security Standard enforced by the namespace (also audited and warned).
   * Lower it only for a chart that cannot comply, and say why in the README.
   * @default 'restricted'
   */
  readonly podSecurity?: PodSecurityLevel;
  /** Extra labels. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
}

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A namespace with restricted Pod Security and a default-deny ingress
 * NetworkPolicy: nothing reaches its pods until an explicit policy allows it.
 *
 * @example
 * const ns = new AppNamespace(stack, 'Identity', { name: 'agency-de-identity', app: 'identity' });
 * ns.name; // 'agency-de-identity'
 * ns.reference; // '${kubernetes_namespace_v1.….metadata[0].name}'
 */
export class AppNamespace extends Construct {
  /** The namespace's name, as written (for host names and placements). */
  public readonly name: string;
  /** The name as a reference to the namespace resource: resources that use it are created after it. */
  public readonly reference: string;
  public readonly namespace: NamespaceV1;

  constructor(scope: Construct, id: string, props: AppNamespaceProps) {
    super(scope, id);
    if (!NAME.test(props.name)) {
      throw new Error(
        `AppNamespace ${this.node.path}: 'name' ("${props.name}") is not a Kubernetes namespace name. ` +
        'Allowed: 1-63 lower-case letters, digits and dashes, starting and ending with a letter or digit. ' +
        `Fix: use e.g. "${props.name.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'desk-app'}".`,
      );
    }
    const level = props.podSecurity ?? 'restricted';
    this.namespace = new NamespaceV1(this, 'Namespace', {
      metadata: {
        name: props.name,
        labels: {
          'app.kubernetes.io/managed-by': 'sovereign-desk',
          'app.kubernetes.io/part-of': props.app,
          'pod-security.kubernetes.io/enforce': level,
          'pod-security.kubernetes.io/audit': level,
          'pod-security.kubernetes.io/warn': level,
          ...props.labels,
        },
      },
    });
    this.name = props.name;
    this.reference = this.namespace.metadata.name;
    new NetworkPolicyV1(this, 'DefaultDenyIngress', {
      metadata: { name: 'default-deny-ingress', namespace: this.reference },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    });
  }
}
