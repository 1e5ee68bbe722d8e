/**
 * Egress for one namespace: deny by default, then allow DNS, the namespace
 * itself, the ingress controller (the suite's own hosts), the Kubernetes API,
 * and exactly the external endpoints its placements declare.
 *
 * Standard NetworkPolicy matches addresses, not host names. An external host
 * is allowed by its address ranges when `spec.egress.cidrs` gives them; with
 * Cilium, by name (a CiliumNetworkPolicy with `toFQDNs`); otherwise by port
 * to any public address, and a warning says so.
 */
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { Annotations, Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { hostOf, settingName } from '../jurisdiction';
import { SovereignStack, declaredPlacements } from '../proof';
import { AppNamespace } from './app-namespace';

/** Props of {@link EgressPolicy}. */
export interface EgressPolicyProps {
  readonly namespace: AppNamespace;
  /** Namespace of the ingress controller (the suite's own hosts resolve to it). */
  readonly ingressNamespace: string;
  /** How external hosts are allowed. @default 'other' */
  readonly cni?: 'cilium' | 'other';
  /** Address ranges per external host. @default - none */
  readonly cidrs?: Readonly<Record<string, readonly string[]>>;
  /** Address ranges of the Kubernetes API server. @default - TCP 443 and 6443 to any address */
  readonly apiServerCidrs?: readonly string[];
}

/** An external destination of a namespace. */
export interface EgressDestination {
  readonly host: string;
  readonly port: number;
  /** What goes there, for reviewers. */
  readonly reason: string;
}

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10'];
const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'https:': 443, 'smtp:': 587, 'smtps:': 465, 'oci:': 443, 'http:': 80 };

/**
 * Default-deny egress with allows derived from the placements of the namespace.
 *
 * @example
 * new EgressPolicy(this, 'Egress', { namespace, ingressNamespace: 'traefik', cni: 'cilium' });
 */
export class EgressPolicy extends Construct {
  private readonly props: EgressPolicyProps;
  private computed?: EgressDestination[];

  constructor(scope: Construct, id: string, props: EgressPolicyProps) {
    super(scope, id);
    this.props = props;
    const ns = props.namespace.reference;
    const api = props.apiServerCidrs?.length
      ? props.apiServerCidrs.map((cidr) => ({ ipBlock: { cidr } }))
      : [{ ipBlock: { cidr: '0.0.0.0/0' } }];
    new NetworkPolicyV1(this, 'DefaultDeny', {
      metadata: { name: 'default-deny-egress', namespace: ns },
      spec: { podSelector: {}, policyTypes: ['Egress'] },
    });
    new NetworkPolicyV1(this, 'Cluster', {
      metadata: { name: 'allow-egress-in-cluster', namespace: ns },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }],
          },
          { to: [{ podSelector: {} }] },
          { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': props.ingressNamespace } } }] },
          { to: api, ports: [{ port: '443', protocol: 'TCP' }, { port: '6443', protocol: 'TCP' }] },
        ],
      },
    });
    if (props.cni === 'cilium') {
      new Manifest(this, 'Fqdn', {
        manifest: {
          apiVersion: 'cilium.io/v2',
          kind: 'CiliumNetworkPolicy',
          metadata: { name: 'allow-egress-external', namespace: props.namespace.name },
          spec: Lazy.anyValue({ produce: () => this.ciliumSpec() }),
        },
        // The manifest names the namespace literally; create it after the namespace.
        dependsOn: [props.namespace.namespace],
      });
    } else {
      new NetworkPolicyV1(this, 'External', {
        metadata: { name: 'allow-egress-external', namespace: ns },
        spec: { podSelector: {}, policyTypes: ['Egress'], egress: Lazy.anyValue({ produce: () => this.networkPolicyRules() }) as never },
      });
      this.node.addValidation({ validate: () => this.warnAboutOpenPorts() });
    }
  }

  /**
   * The external destinations declared for this namespace, sorted. Computed
   * once, at synthesis (when the tree is final): the lazy rules are resolved
   * several times per synth and the validation reads them too.
   */
  public destinations(): EgressDestination[] {
    this.computed ??= this.collectDestinations();
    return this.computed;
  }

  private collectDestinations(): EgressDestination[] {
    const stack = SovereignStack.of(this);
    const seen = new Map<string, EgressDestination>();
    for (const declared of declaredPlacements(stack)) {
      const p = declared.placement;
      if (p.namespace !== this.props.namespace.name || p.kind === 'registry' && !p.target.includes('://')) continue;
      const resolution = stack.resolver.resolve(p.target);
      if (resolution.status === 'resolved' && resolution.location.proof === 'cluster') continue;
      const host = hostOf(p.target);
      if (!host) continue;
      const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(p.target) ? new URL(p.target) : undefined;
      const port = url?.port ? Number(url.port) : DEFAULT_PORTS[url?.protocol ?? 'https:'] ?? 443;
      seen.set(`${host}:${port}`, { host, port, reason: p.description });
    }
    return [...seen.values()].sort((a, b) => a.host.localeCompare(b.host) || a.port - b.port);
  }

  /** Rules in the provider's own (snake_case) form: a lazy value is not converted by the generated bindings. */
  private networkPolicyRules(): object[] {
    return this.destinations().map((d) => {
      const cidrs = this.props.cidrs?.[d.host];
      return {
        to: cidrs ? cidrs.map((cidr) => ({ ip_block: { cidr } })) : [{ ip_block: { cidr: '0.0.0.0/0', except: PRIVATE_RANGES } }],
        ports: [{ port: String(d.port), protocol: 'TCP' }],
      };
    });
  }

  private warnAboutOpenPorts(): string[] {
    for (const d of this.destinations().filter((x) => !this.props.cidrs?.[x.host])) {
      Annotations.of(this).addWarning(
        `egress to ${d.host}:${d.port} (${d.reason}) is allowed to every public address on that port: NetworkPolicy cannot match host names. ` +
        `Fix: give its address ranges in ${settingName(SovereignStack.of(this).settingNames, `spec.egress.cidrs["${d.host}"]`, `new EgressPolicy(…, { cidrs: { "${d.host}": [...] } })`)}, ` +
        `or use Cilium (${settingName(SovereignStack.of(this).settingNames, 'spec.cluster.cni: cilium', "new EgressPolicy(…, { cni: 'cilium' })")}).`,
      );
    }
    return [];
  }

  private ciliumSpec(): object {
    const destinations = this.destinations();
    return {
      endpointSelector: {},
      egress: [
        {
          toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' } }],
          toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }],
        },
        ...destinations.map((d) => ({
          toFQDNs: [{ matchName: d.host }],
          toPorts: [{ ports: [{ port: String(d.port), protocol: 'TCP' }] }],
        })),
      ],
    };
  }
}
