/**
 * A fleet: the documents of a deployment folder (or list of files) read
 * together. Workplaces with a cluster of their own stand alone; a Workplace
 * on a shared cluster (`spec.cluster: { ref }`) is completed with its
 * Cluster's location, connection and cluster-wide services, and its Cluster
 * learns which tenants it hosts.
 */
import { hostMatches, parseRange, rangesOverlap } from '../jurisdiction';
import { SpecError, SpecProblem } from './problems';
import { ClusterDeployment, Deployment, TenantDeployment } from './schema';
import { ParsedDocument } from './load';
import { FleetStack, SharedProblem, connectionKey, endpointKey, localStateKey, namespaceProblems, sameFacts, sharingProblems, tenantServiceProblems } from './fleet-checks';

/** The file a document was read from. */
export interface DocumentSource {
  /** Path relative to the working directory (the repository root in CI). */
  readonly path: string;
  readonly text: string;
}

/** A document read from a file. */
export interface SourcedDocument {
  readonly source: DocumentSource;
  readonly document: ParsedDocument;
}

/** A Cluster of the fleet and the Workplaces it hosts. */
export interface FleetCluster {
  readonly cluster: ClusterDeployment;
  readonly source: DocumentSource;
  /** Names of the Workplaces on it, sorted. */
  readonly tenants: readonly string[];
}

/** A Workplace of the fleet: on a cluster of its own, or on a shared one. */
export interface FleetWorkplace {
  /**
   * The Workplace as a complete deployment. On a shared cluster, spec.cluster,
   * spec.ingress, spec.tls and spec.registry are its Cluster's, and spec.locations
   * holds the Cluster's declarations besides its own.
   */
  readonly deployment: Deployment;
  readonly source: DocumentSource;
  /** The shared cluster it runs on. @default - a cluster of its own */
  readonly cluster?: FleetCluster;
}

/** The valid stacks of a fleet, and the errors of the documents that are not. */
export interface Fleet {
  readonly clusters: readonly FleetCluster[];
  readonly workplaces: readonly FleetWorkplace[];
  /** One per file with problems, and one for stack names used twice. */
  readonly errors: readonly SpecError[];
}

/**
 * Puts a fleet together: refuses stack names used twice (every document with
 * such a name is left out, and one error lists their files), resolves every
 * tenant's spec.cluster.ref, and refuses a tenant whose location
 * declarations contradict its Cluster's.
 */
export function assembleFleet(documents: readonly SourcedDocument[], errors: readonly SpecError[] = [], setting = 'DESK_DEPLOYMENT'): Fleet {
  const found: SpecError[] = [...errors];
  const byName = new Map<string, SourcedDocument[]>();
  for (const entry of documents) {
    const name = nameOf(entry.document);
    byName.set(name, [...(byName.get(name) ?? []), entry]);
  }
  const duplicates = [...byName].filter(([, entries]) => entries.length > 1).sort(([a], [b]) => a.localeCompare(b));
  if (duplicates.length > 0) {
    found.push(new SpecError(`(${setting}: stack names)`, duplicates.map(([name, entries]) => ({
      path: 'metadata.name', value: name,
      message: `names ${entries.length} stacks, in ${entries.map((e) => e.source.path).join(', ')}`,
      allowed: 'one stack per name: every Workplace and Cluster of a fleet has a metadata.name of its own',
      fix: `rename all but one of them (the stack name is the state's name too); none of the ${entries.length} is synthesized until then`,
    }))));
  }
  const unique = documents.filter((entry) => byName.get(nameOf(entry.document))?.length === 1);

  const tenantsOf = new Map<string, string[]>();
  for (const { document } of unique) {
    if (document.kind === 'Tenant') {
      const ref = document.tenant.spec.cluster.ref;
      tenantsOf.set(ref, [...(tenantsOf.get(ref) ?? []), document.tenant.metadata.name]);
    }
  }
  const clusters = new Map<string, FleetCluster>();
  for (const { document, source } of unique) {
    if (document.kind !== 'Cluster') continue;
    const name = document.cluster.metadata.name;
    clusters.set(name, { cluster: document.cluster, source, tenants: [...(tenantsOf.get(name) ?? [])].sort() });
  }

  const workplaces: FleetWorkplace[] = [];
  for (const { document, source } of unique) {
    if (document.kind === 'Workplace') workplaces.push({ deployment: document.deployment, source });
    if (document.kind !== 'Tenant') continue;
    const ref = document.tenant.spec.cluster.ref;
    const cluster = clusters.get(ref);
    if (!cluster) {
      found.push(new SpecError(source.path, [missingCluster(ref, byName.get(ref), [...clusters.keys()])]));
      continue;
    }
    const conflicts = [...declarationConflicts(document.tenant, cluster), ...tenantServiceProblems(document.tenant, cluster.cluster, cluster.source.path)];
    if (conflicts.length > 0) {
      found.push(new SpecError(source.path, conflicts));
      continue;
    }
    workplaces.push({ deployment: onSharedCluster(document.tenant, cluster.cluster), source, cluster });
  }
  const shared = sharedStates([
    ...[...clusters.values()].map((c) => ({ name: c.cluster.metadata.name, path: c.source.path, state: c.cluster.spec.state, connection: c.cluster.spec })),
    ...workplaces.map((w) => ({ name: w.deployment.metadata.name, path: w.source.path, state: w.deployment.spec.state, connection: w.deployment.spec.cluster })),
  ]);
  if (shared.length > 0) found.push(new SpecError(`(${setting}: Terraform states)`, shared.map((s) => s.problem)));
  const stacks: FleetStack[] = [
    ...[...clusters.values()].map((c) => ({ name: c.cluster.metadata.name, path: c.source.path, cluster: c.cluster.metadata.name, clusterDeployment: c.cluster })),
    ...workplaces.map((w) => ({ name: w.deployment.metadata.name, path: w.source.path, cluster: w.cluster?.cluster.metadata.name, deployment: w.deployment })),
  ];
  const across: [string, SharedProblem[]][] = [['namespaces on a shared cluster', namespaceProblems(stacks)], ['shared by stacks', sharingProblems(stacks)]];
  for (const [what, problems] of across.filter(([, p]) => p.length > 0)) found.push(new SpecError(`(${setting}: ${what})`, problems.map((p) => p.problem)));
  const refused = new Set([...shared, ...across.flatMap(([, p]) => p)].flatMap((s) => s.names));
  return {
    clusters: [...clusters.values()].filter((c) => !refused.has(c.cluster.metadata.name)),
    workplaces: workplaces.filter((w) => !refused.has(w.deployment.metadata.name) && !(w.cluster && refused.has(w.cluster.cluster.metadata.name))),
    errors: found,
  };
}

interface StackState {
  readonly name: string;
  readonly path: string;
  readonly state: Deployment['spec']['state'];
  readonly connection: { readonly apiServer?: string; readonly kubeconfig?: string; readonly context?: string };
}

/**
 * Where a stack's Terraform state is, as one key: two stacks with the same
 * key would read and write one state, and each would destroy what the other
 * deployed.
 */
function stateKey({ name, state, connection }: StackState): string {
  switch (state.backend) {
    case 'kubernetes':
      return ['kubernetes', connectionKey(connection), state.namespace, state.secretSuffix ?? name].join('\u0000');
    case 'local':
      return ['local', localStateKey(state.path ?? `terraform.${name}.tfstate`)].join('\u0000');
    case 's3':
      return ['s3', endpointKey(state.endpoint), state.bucket, state.key ?? `sovereign-desk/${name}.tfstate`].join('\u0000');
  }
}

/** Stacks of the fleet that would share a Terraform state: each such group is refused, with one problem naming the files. */
function sharedStates(stacks: readonly StackState[]): { readonly names: readonly string[]; readonly problem: SpecProblem }[] {
  const byKey = new Map<string, StackState[]>();
  for (const stack of stacks) byKey.set(stateKey(stack), [...(byKey.get(stateKey(stack)) ?? []), stack]);
  return [...byKey.values()].filter((group) => group.length > 1).map((group) => ({
    names: group.map((s) => s.name),
    problem: {
      path: 'spec.state', value: group[0].state,
      message: `is the same Terraform state for ${group.length} stacks: ${group.map((s) => `${s.name} (${s.path})`).join(', ')}`,
      allowed: 'a state of its own for every stack (on one cluster: a secretSuffix of its own; the default is the stack name)',
      fix: 'remove spec.state.secretSuffix, path or key so each stack uses its name, or give each a different one; none of these stacks is synthesized until then',
    },
  }));
}

function nameOf(document: ParsedDocument): string {
  switch (document.kind) {
    case 'Workplace': return document.deployment.metadata.name;
    case 'Tenant': return document.tenant.metadata.name;
    case 'Cluster': return document.cluster.metadata.name;
  }
}

function missingCluster(ref: string, named: readonly SourcedDocument[] | undefined, clusters: readonly string[]): SpecProblem {
  const what = named === undefined ? `no Cluster of the fleet is named "${ref}"`
    : named.length > 1 ? `"${ref}" names more than one document (see the stack names error)`
      : `"${ref}" is a Workplace (${named[0].source.path}), not a Cluster`;
  return {
    path: 'spec.cluster.ref', value: ref,
    message: `${what}; a Cluster whose file has problems is not part of the fleet either`,
    allowed: clusters.length > 0 ? `the metadata.name of a valid Cluster of the fleet: ${clusters.join(', ')}` : 'the metadata.name of a Cluster (kind: Cluster) read together with this file',
    fix: 'fix the Cluster\'s file, add it to the folder or list DESK_DEPLOYMENT names, or correct the name',
  };
}

/**
 * A tenant's location declarations may not contradict its Cluster's: the
 * Cluster's services are placed by the Cluster's declarations, and a tenant
 * cannot move them by declaring the same hosts or ranges elsewhere.
 */
function declarationConflicts(tenant: TenantDeployment, cluster: FleetCluster): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const theirs = Object.entries(cluster.cluster.spec.locations);
  for (const [pattern, declaration] of Object.entries(tenant.spec.locations)) {
    for (const [other, clusterDeclaration] of theirs) {
      if (!patternsOverlap(pattern, other) || sameFacts(declaration, clusterDeclaration)) continue;
      problems.push({
        path: `spec.locations.${pattern}`, value: declaration,
        message: `contradicts the Cluster "${cluster.cluster.metadata.name}" (${cluster.source.path}), whose spec.locations declares "${other}" as ${JSON.stringify(clusterDeclaration)}`,
        allowed: 'declarations of hosts and ranges the Cluster does not declare, or the same facts for the ones it does',
        fix: `remove "${pattern}" here, or declare it exactly as the Cluster does; the Cluster's spec.locations is where its hosts are declared`,
      });
    }
  }
  return problems;
}

/** True when some host or address matches both patterns (hosts, *.domain patterns or address ranges). */
export function patternsOverlap(a: string, b: string): boolean {
  const rangeA = parseRange(a);
  const rangeB = parseRange(b);
  if (rangeA || rangeB) return rangeA !== undefined && rangeB !== undefined && rangeA.family === rangeB.family && rangesOverlap(rangeA, rangeB);
  const host = (pattern: string) => (pattern.startsWith('*.') ? pattern.slice(2) : pattern);
  return a === b || hostMatches(a, host(b)) || hostMatches(b, host(a))
    || (a.startsWith('*.') && b.startsWith('*.') && (hostMatches(a, `x.${host(b)}`) || hostMatches(b, `x.${host(a)}`)));
}

/**
 * The tenant as a complete deployment on its Cluster: the Cluster's location,
 * API server, kubeconfig, CNI and ranges; its ingress (never installed by a
 * tenant), issuer and registry mirror; the Cluster's location declarations
 * besides the tenant's. Log shipping and metrics stay unset: the Cluster's
 * agents ship the tenant's logs and metrics, and the tenant's stack declares
 * their sinks as placements of its own.
 */
export function onSharedCluster(tenant: TenantDeployment, cluster: ClusterDeployment): Deployment {
  const c = cluster.spec;
  return {
    ...tenant,
    spec: {
      ...tenant.spec,
      cluster: {
        location: c.location, apiServer: c.apiServer, kubeconfig: c.kubeconfig, context: c.context, cni: c.cni,
        apiServerCidrs: c.apiServerCidrs, podCidrs: c.podCidrs, serviceCidrs: c.serviceCidrs,
      },
      ingress: { ...c.ingress, install: false },
      tls: c.tls,
      registry: c.registry,
      logging: undefined,
      monitoring: undefined,
      locations: { ...c.locations, ...tenant.spec.locations },
    },
  };
}
