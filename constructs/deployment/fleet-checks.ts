/**
 * Checks across the stacks of a fleet: what a tenant may not say about its
 * shared cluster's services, and what two stacks may not share (domains,
 * hosts, namespaces, buckets, a cluster's API server).
 */
import { resolve as resolvePath } from 'node:path';
import { hostMatches, hostOf, parseEndpoint, parseRange, rangeContains } from '../jurisdiction';
import { SpecProblem } from './problems';
import { APPS, ClusterDeployment, Deployment, TenantDeployment } from './schema';

/** A host a Cluster's services send data to or take it from, and the Cluster's field it comes from. */
export interface ClusterServiceHost {
  readonly host: string;
  readonly field: string;
}

/** The host of a URL or `host[:port][/path]` without IPv6 brackets, or undefined when it is not one. */
function bareHostOf(value: string | undefined): string | undefined {
  return value === undefined ? undefined : hostOf(value)?.replace(/^\[|\]$/g, '');
}

/**
 * The hosts of a Cluster's services: its API server, cluster location (when
 * a host), volume backups, log and metrics sinks, registry mirror, CA,
 * provider mirror and state bucket.
 */
export function clusterServiceHosts(cluster: ClusterDeployment): ClusterServiceHost[] {
  const { spec } = cluster;
  const fields: [string, string | undefined][] = [
    ['spec.apiServer', spec.apiServer],
    ['spec.location', spec.location.includes('/') ? undefined : spec.location],
    ['spec.backup.endpoint', spec.backup?.endpoint],
    ['spec.logging.endpoint', spec.logging?.endpoint],
    ['spec.monitoring.endpoint', spec.monitoring?.endpoint],
    ['spec.registry.mirror', spec.registry?.mirror],
    ['spec.tls.acme', spec.tls.acme],
    ['spec.tls.issuerServer', spec.tls.issuerServer === 'in-cluster' ? undefined : spec.tls.issuerServer],
    ['spec.terraform.providerMirror', spec.terraform.providerMirror],
    ['spec.state.endpoint', spec.state.backend === 's3' ? spec.state.endpoint : undefined],
  ];
  return fields.flatMap(([field, value]) => {
    const host = bareHostOf(value);
    return host === undefined ? [] : [{ host, field }];
  });
}

/** True when a spec.locations pattern (host, *.domain or address range) places the host. */
function places(pattern: string, host: string): boolean {
  const range = parseRange(pattern);
  return range ? rangeContains(range, host) : hostMatches(pattern, host);
}

/** True when two location declarations state the same facts (fields left out count as absent). */
export function sameFacts(a: object, b: object): boolean {
  const canonical = (d: object) => JSON.stringify(Object.entries(d).filter(([, v]) => v !== undefined).sort(([x], [y]) => x.localeCompare(y)));
  return canonical(a) === canonical(b);
}

/**
 * What a tenant says about its Cluster's services, refused: a spec.domain
 * that holds one of their hosts (hosts under spec.domain count as in the
 * cluster, so the sink would pass as in-cluster), a spec.hosts entry that is
 * one of them (the tenant's ingress would take its traffic), and a
 * declaration that places one of them other than the Cluster's own
 * declarations do (the Cluster's services are placed by the Cluster).
 */
export function tenantServiceProblems(tenant: TenantDeployment, cluster: ClusterDeployment, clusterFile: string): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const name = cluster.metadata.name;
  const services = clusterServiceHosts(cluster);
  const of = (field: string) => `the Cluster "${name}" (${clusterFile}) uses for ${field}`;
  const domain = tenant.spec.domain.toLowerCase();
  for (const { host, field } of services.filter((s) => s.host === domain || s.host.endsWith(`.${domain}`))) {
    problems.push({
      path: 'spec.domain', value: tenant.spec.domain,
      message: `holds ${host}, which ${of(field)}: hosts under spec.domain count as in the cluster, so that service would be proven in the cluster wherever it is`,
      allowed: 'a domain of this Workplace\'s own that holds none of its Cluster\'s service hosts',
      fix: `use a domain of this Workplace's own, e.g. desk.${tenant.metadata.name}.example, or a subdomain beside ${host}`,
    });
  }
  for (const [app, host] of Object.entries(tenant.spec.hosts).filter(([, h]) => h !== undefined)) {
    const service = services.find((s) => s.host === (host as string).toLowerCase());
    if (!service) continue;
    problems.push({
      path: `spec.hosts.${app}`, value: host,
      message: `is ${service.host}, which ${of(service.field)}: the shared ingress would route its traffic to this Workplace`,
      allowed: 'a host of this Workplace\'s own',
      fix: `remove spec.hosts.${app} (the default is under spec.domain) or name a host of this Workplace's own`,
    });
  }
  const theirs = Object.entries(cluster.spec.locations);
  for (const [pattern, declaration] of Object.entries(tenant.spec.locations)) {
    for (const { host, field } of services.filter((s) => places(pattern, s.host))) {
      if (theirs.some(([other, d]) => places(other, host) && sameFacts(d, declaration))) continue;
      problems.push({
        path: `spec.locations.${pattern}`, value: declaration,
        message: `places ${host}, which ${of(field)}, and the Cluster's spec.locations does not place it so`,
        allowed: 'declarations of this Workplace\'s own hosts; the Cluster\'s service hosts are placed by the Cluster\'s spec.locations (or the catalogue)',
        fix: `remove "${pattern}" here, narrow it to this Workplace's own hosts, or have the Cluster declare ${host} in its spec.locations`,
      });
    }
  }
  return problems;
}

/** The field a stack's S3 state bucket is claimed by. */
const STATE_BUCKET = 'spec.state.bucket';

/** A stack of the fleet, as the checks across stacks see it. */
export interface FleetStack {
  readonly name: string;
  readonly path: string;
  /** The shared cluster it runs on, or its own name for a Cluster. @default - a cluster of its own */
  readonly cluster?: string;
  readonly deployment?: Deployment;
  readonly clusterDeployment?: ClusterDeployment;
}

/** A problem across stacks: the stacks to refuse, and what to say. */
export interface SharedProblem {
  readonly names: readonly string[];
  readonly problem: SpecProblem;
}

/** The namespaces a Cluster creates for its own services. */
const CLUSTER_NAMESPACES = ['platform', 'backup', 'logging', 'metrics'] as const;

/**
 * The namespaces a stack owns on its cluster, each with the stack that owns
 * it: a Workplace's for every app (so a later app cannot collide either); a
 * Cluster's service namespaces, and its ingress namespace as the controller's.
 */
function ownedNamespaces(stack: FleetStack): [string, FleetStack][] {
  if (!stack.clusterDeployment) return APPS.map((app) => [`${stack.name}-${app}`, stack]);
  const controller: FleetStack = { ...stack, name: `the ingress controller of ${stack.name}` };
  return [...CLUSTER_NAMESPACES.map((key): [string, FleetStack] => [`${stack.name}-${key}`, stack]), [stack.clusterDeployment.spec.ingress.namespace, controller]];
}

/**
 * Namespaces on one shared cluster that belong to one stack and are used by
 * another: a state namespace (the state holds every generated secret) or the
 * ingress namespace (every tenant lets it in) in another stack's namespace.
 */
export function namespaceProblems(stacks: readonly FleetStack[]): SharedProblem[] {
  const problems: SharedProblem[] = [];
  const byCluster = new Map<string, FleetStack[]>();
  for (const stack of stacks.filter((s) => s.cluster !== undefined)) byCluster.set(stack.cluster as string, [...(byCluster.get(stack.cluster as string) ?? []), stack]);
  for (const group of byCluster.values()) {
    const owners = new Map<string, FleetStack[]>();
    for (const stack of group) for (const [ns, owner] of ownedNamespaces(stack)) owners.set(ns, [...(owners.get(ns) ?? []), owner]);
    for (const stack of group) {
      const spec = stack.deployment?.spec ?? stack.clusterDeployment?.spec;
      const used: [string, string | undefined, string][] = [
        ['spec.state.namespace', spec?.state.backend === 'kubernetes' ? spec.state.namespace : undefined, 'its Terraform state (every generated secret)'],
        ['spec.ingress.namespace', stack.clusterDeployment?.spec.ingress.namespace, 'the ingress controller, which every tenant lets in'],
      ];
      for (const [field, namespace, what] of used) {
        // The ingress controller's own namespace is its to use; any other owner's is not.
        const user = field === 'spec.ingress.namespace' ? `the ingress controller of ${stack.name}` : stack.name;
        const other = namespace === undefined ? undefined : owners.get(namespace)?.find((o) => o.name !== user);
        if (!other) continue;
        problems.push({
          names: [stack.name],
          problem: {
            path: field, value: namespace,
            message: `of ${stack.name} (${stack.path}) puts ${what} in ${namespace}, a namespace of ${other.name} (${other.path}) on the same cluster`,
            allowed: 'a namespace no other stack of the cluster owns (tenants own <tenant>-<app>, the Cluster <cluster>-platform, -backup, -logging, -metrics and its ingress namespace)',
            fix: `set ${field} of ${stack.name} to a namespace of its own, e.g. desk-system`,
          },
        });
      }
    }
  }
  return problems;
}

/**
 * Domains, hosts and buckets two stacks share, and Workplaces with a cluster
 * of their own that name a Cluster's connection: each is refused.
 */
export function sharingProblems(stacks: readonly FleetStack[]): SharedProblem[] {
  const problems: SharedProblem[] = [];
  const claims = new Map<string, { stack: FleetStack; field: string }[]>();
  const claim = (key: string, stack: FleetStack, field: string) => claims.set(key, [...(claims.get(key) ?? []), { stack, field }]);
  for (const stack of stacks) {
    const spec = stack.deployment?.spec;
    if (spec) {
      claim(`domain\u0000${spec.domain.toLowerCase()}`, stack, 'spec.domain');
      if (spec.mail?.domain && spec.mail.domain.toLowerCase() !== spec.domain.toLowerCase()) claim(`domain\u0000${spec.mail.domain.toLowerCase()}`, stack, 'spec.mail.domain');
      for (const [app, host] of Object.entries(spec.hosts)) if (host !== undefined) claim(`host\u0000${host.toLowerCase()}`, stack, `spec.hosts.${app}`);
      if (spec.backup) claim(`bucket\u0000${bareHostOf(spec.backup.endpoint)}\u0000${spec.backup.bucket}`, stack, 'spec.backup.bucket');
      if (spec.objectStorage) claim(`bucket\u0000${bareHostOf(spec.objectStorage.endpoint)}\u0000${spec.objectStorage.bucket ?? `${stack.name}-files`}`, stack, 'spec.objectStorage.bucket');
    }
    const backup = stack.clusterDeployment?.spec.backup;
    if (backup) claim(`bucket\u0000${bareHostOf(backup.endpoint)}\u0000${backup.bucket}`, stack, 'spec.backup.bucket');
    const state = (spec ?? stack.clusterDeployment?.spec)?.state;
    if (state?.backend === 's3') claim(`bucket\u0000${bareHostOf(state.endpoint)}\u0000${state.bucket}`, stack, STATE_BUCKET);
  }
  // A host or domain under a Workplace's domain is that Workplace's too (its hosts by default, its DNS zone).
  const byDomain = new Map<string, FleetStack[]>();
  for (const stack of stacks) {
    const domain = stack.deployment?.spec.domain.toLowerCase();
    if (domain !== undefined) byDomain.set(domain, [...(byDomain.get(domain) ?? []), stack]);
  }
  for (const [key, entries] of claims) {
    const [what, name] = key.split('\u0000');
    if (what === 'bucket') continue;
    const labels = name.split('.');
    for (let index = 1; index < labels.length; index += 1) {
      for (const stack of byDomain.get(labels.slice(index).join('.')) ?? []) {
        if (!entries.some((e) => e.stack === stack)) entries.push({ stack, field: 'spec.domain' });
      }
    }
  }
  for (const [key, entries] of [...claims].sort(([a], [b]) => a.localeCompare(b))) {
    const names = [...new Set(entries.map((e) => e.stack.name))];
    // Stacks may keep their states in one bucket, each under its own key (the states are compared by key).
    if (names.length < 2 || entries.every((e) => e.field === STATE_BUCKET)) continue;
    const [what, ...value] = key.split('\u0000');
    const list = entries.map((e) => `${e.field} of ${e.stack.name} (${e.stack.path})`).join(', ');
    problems.push({ names, problem: SHARED[what as keyof typeof SHARED](value, list) });
  }
  const clusters = stacks.filter((s) => s.clusterDeployment);
  clusters.forEach((stack, index) => {
    const first = clusters.slice(0, index).find((c) => sameCluster(c.clusterDeployment?.spec ?? {}, stack.clusterDeployment?.spec ?? {}));
    if (!first) return;
    problems.push({
      names: [first.name, stack.name],
      problem: {
        path: 'spec.apiServer', value: stack.clusterDeployment?.spec.apiServer ?? stack.clusterDeployment?.spec.kubeconfig,
        message: `of ${stack.name} (${stack.path}) connects to the cluster of the Cluster ${first.name} (${first.path}): each would install the cluster-wide platform, and each one's log shipping and backups would carry the other's tenants' data unproven`,
        allowed: 'one Cluster document per cluster',
        fix: `merge the two into one Cluster and name it in every tenant's spec.cluster.ref; neither is synthesized until then`,
      },
    });
  });
  for (const stack of stacks.filter((s) => s.deployment && s.cluster === undefined)) {
    const own = stack.deployment?.spec.cluster ?? {};
    const shared = clusters.find((c) => sameCluster(own, c.clusterDeployment?.spec ?? {}));
    if (!shared) continue;
    problems.push({
      names: [stack.name],
      problem: {
        path: 'spec.cluster', value: stack.deployment?.spec.cluster.apiServer ?? stack.deployment?.spec.cluster.kubeconfig,
        message: `of ${stack.name} (${stack.path}) connects to the shared cluster of the Cluster ${shared.name} (${shared.path}), as a cluster of its own: the Cluster's log shipping, backups and metrics would carry its data unproven, and both would install the cluster-wide platform`,
        allowed: 'a cluster of its own (another spec.cluster.apiServer, or kubeconfig and context), or spec.cluster: { ref } for the shared one',
        fix: `write spec.cluster: { ref: ${shared.name} } to run ${stack.name} as a tenant of ${shared.name}`,
      },
    });
  }
  return problems;
}

type Connection = { readonly apiServer?: string; readonly kubeconfig?: string; readonly context?: string };

/**
 * True when two connections reach one cluster: the same API server, or, where
 * one of them leaves the server to its kubeconfig, the same kubeconfig and
 * context (a kubeconfig with the credentials of several API servers is fine).
 */
function sameCluster(a: Connection, b: Connection): boolean {
  if (a.apiServer !== undefined && b.apiServer !== undefined) return endpointKey(a.apiServer) === endpointKey(b.apiServer);
  return connectionKey(a) === connectionKey(b) || (a.kubeconfig !== undefined && a.kubeconfig === b.kubeconfig && a.context === b.context);
}

/** How a stack reaches its cluster, as one key: the API server in any spelling, or the kubeconfig and context. */
export function connectionKey(connection: Connection): string {
  return connection.apiServer !== undefined ? endpointKey(connection.apiServer) : `${connection.kubeconfig ?? '~/.kube/config'}#${connection.context ?? ''}`;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { https: 443, http: 80 };

/** A URL as one key: the same endpoint whether or not it spells the default port or a trailing slash. */
export function endpointKey(value: string): string {
  const parsed = parseEndpoint(value);
  if (!parsed.ok) return value;
  const { scheme, host, port, rest } = parsed.endpoint;
  return `${scheme ?? ''}://${host}:${port ?? (scheme ? DEFAULT_PORTS[scheme] : undefined) ?? ''}${rest.replace(/\/+$/, '')}`;
}

const SHARED = {
  domain: ([domain]: string[], list: string): SpecProblem => ({
    path: 'spec.domain', value: domain,
    message: `is the domain of more than one Workplace, or under another's: ${list}; each would serve the other's mail domain, Matrix server name or hosts`,
    allowed: 'a domain of its own for every Workplace of a fleet, none under another\'s',
    fix: 'give each Workplace a domain of its own (e.g. desk.<agency>.example); none of these Workplaces is synthesized until then',
  }),
  host: ([host]: string[], list: string): SpecProblem => ({
    path: 'spec.hosts', value: host,
    message: `is served by more than one Workplace, or under another's domain: ${list}; the ingress would send one Workplace's users to the other`,
    allowed: 'every host served by one Workplace of a fleet, under no other Workplace\'s domain',
    fix: 'remove the spec.hosts entry that names another Workplace\'s host; none of these Workplaces is synthesized until then',
  }),
  bucket: ([host, bucket]: string[], list: string): SpecProblem => ({
    path: 'spec.backup.bucket', value: `${bucket} at ${host}`,
    message: `is the bucket of more than one stack: ${list}; each holds the credentials to read and overwrite the other's copies (database archives are written to the same paths)`,
    allowed: 'a bucket of its own for every stack\'s backups and files',
    fix: 'give each stack a bucket of its own (e.g. <name>-backups, <name>-files); none of these stacks is synthesized until then',
  }),
} as const;

/** A local state file's path as one key: the same file in any spelling. */
export function localStateKey(path: string): string {
  return resolvePath(path);
}
