/**
 * The stacks of a fleet in one cdktf App: a ClusterStack per shared cluster
 * and a WorkplaceStack per Workplace, each Workplace on a shared cluster
 * depending on its Cluster's stack.
 */
import { App } from 'cdktf';
import { Fleet } from '../constructs/deployment';
import { TerminalSink } from '../constructs/proof';
import { tenantLayout } from '../constructs/suite';
import { ClusterStack } from './cluster-stack';
import { WorkplaceStack } from './workplace-stack';

/** Options of {@link addFleet}. */
export interface FleetOptions {
  /** Write the sovereignty reports on synth. @default true */
  readonly report?: boolean;
  /** Where each stack prints its findings, or `false` for nowhere. @default - stdout and stderr */
  readonly terminal?: TerminalSink | false;
}

/** The stacks {@link addFleet} added, by name. */
export interface FleetStacks {
  readonly clusters: ReadonlyMap<string, ClusterStack>;
  readonly workplaces: ReadonlyMap<string, WorkplaceStack>;
}

/**
 * Adds the fleet's stacks to the app. `cdktf deploy '*'` deploys a shared
 * cluster's platform before the Workplaces on it (addDependency); every
 * stack has a state of its own.
 */
export function addFleet(app: App, fleet: Fleet, options: FleetOptions = {}): FleetStacks {
  const clusters = new Map<string, ClusterStack>();
  for (const cluster of fleet.clusters) {
    const tenants = fleet.workplaces.filter((w) => w.cluster === cluster).map((w) => tenantLayout(w.deployment));
    const name = cluster.cluster.metadata.name;
    clusters.set(name, new ClusterStack(app, name, { cluster, tenants, report: options.report, terminal: options.terminal }));
  }
  const workplaces = new Map<string, WorkplaceStack>();
  for (const { deployment, source, cluster } of fleet.workplaces) {
    const name = deployment.metadata.name;
    const stack = new WorkplaceStack(app, name, { deployment, source, cluster, report: options.report, terminal: options.terminal });
    const platform = cluster ? clusters.get(cluster.cluster.metadata.name) : undefined;
    if (platform) stack.addDependency(platform);
    workplaces.set(name, stack);
  }
  return { clusters, workplaces };
}
