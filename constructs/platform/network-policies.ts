/**
 * Explicit allows on top of a namespace's default-deny ingress policy.
 */
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { Construct } from 'constructs';

/** Where allowed traffic comes from. */
export interface TrafficSource {
  /** An address range, e.g. `0.0.0.0/0` for the internet. @default - none (namespace and pods instead) */
  readonly cidr?: string;
  /** Namespace of the sources, by name. @default - the policy's own namespace */
  readonly namespace?: string;
  /** Labels of the source pods. @default - every pod of the namespace */
  readonly podLabels?: Readonly<Record<string, string>>;
}

/** Props of {@link AllowIngress}. */
export interface AllowIngressProps {
  readonly namespace: string;
  /** Name of the NetworkPolicy. */
  readonly name: string;
  /** Pods the allow applies to. @default - every pod of the namespace */
  readonly podLabels?: Readonly<Record<string, string>>;
  readonly from: readonly TrafficSource[];
  /** TCP ports. */
  readonly ports: readonly number[];
}

/**
 * Allows TCP traffic from named sources to some pods of a namespace.
 *
 * @example
 * new AllowIngress(this, 'FromIngress', { namespace: ns.name, name: 'allow-ingress-controller', from: [{ namespace: 'traefik' }], ports: [8080] });
 */
export class AllowIngress extends Construct {
  constructor(scope: Construct, id: string, props: AllowIngressProps) {
    super(scope, id);
    if (props.ports.length === 0 || props.from.length === 0) {
      throw new Error(`AllowIngress ${this.node.path}: 'ports' (${props.ports.length}) and 'from' (${props.from.length}) must not be empty. Fix: name at least one port and one source; the namespace already denies everything else.`);
    }
    new NetworkPolicyV1(this, 'Policy', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        // An empty selector (every pod) must still be rendered: the provider requires the block.
        podSelector: props.podLabels ? { matchLabels: { ...props.podLabels } } : {},
        policyTypes: ['Ingress'],
        ingress: [{
          from: props.from.map((source) => source.cidr ? { ipBlock: { cidr: source.cidr } } : ({
            namespaceSelector: source.namespace ? { matchLabels: { 'kubernetes.io/metadata.name': source.namespace } } : undefined,
            podSelector: source.podLabels ? { matchLabels: { ...source.podLabels } } : source.namespace ? undefined : {},
          })),
          ports: [...props.ports].sort((a, b) => a - b).map((port) => ({ port: String(port), protocol: 'TCP' })),
        }],
      },
    });
  }
}
