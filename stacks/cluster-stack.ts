/**
 * Turns a Cluster spec into a SovereignStack: the cluster-wide platform of a
 * shared cluster, installed once, proven against the Cluster's own bounds.
 * Each Workplace on it is a stack of its own that depends on this one.
 */
import { Construct } from 'constructs';
import { CLUSTER_SPEC_SETTING_NAMES } from '../constructs/jurisdiction';
import { DeclaredPlacement, SovereignStack, TerminalSink } from '../constructs/proof';
import { CHARTS, ClusterConnection } from '../constructs/platform';
import { FleetCluster, fieldLines } from '../constructs/deployment';
import { ClusterPlatform, TenantLayout } from '../constructs/suite';
import { configureState, statePlacement } from './workplace-stack';

/** Props of {@link ClusterStack}. */
export interface ClusterStackProps {
  /** A validated Cluster spec, its file and the Workplaces it hosts. */
  readonly cluster: FleetCluster;
  /**
   * The hosted Workplaces' namespaces and databases, for Velero and the
   * metrics agent: one layout for each of `cluster.tenants`, no more, no fewer.
   * @default - none (only for a Cluster that hosts no Workplace)
   */
  readonly tenants?: readonly TenantLayout[];
  /** Write the sovereignty report on synth. @default true */
  readonly report?: boolean;
  /** Where findings, verdict and state location are printed, or `false` for nowhere. @default - stdout and stderr */
  readonly terminal?: TerminalSink | false;
}

/**
 * The stack of one shared cluster.
 *
 * @example
 * const fleet = loadFleet('deployments');
 * const cluster = new ClusterStack(app, 'shared-de', { cluster: fleet.clusters[0] });
 */
export class ClusterStack extends SovereignStack {
  public readonly platform: ClusterPlatform;

  constructor(scope: Construct, id: string, props: ClusterStackProps) {
    const { cluster: { cluster, source, tenants } } = props;
    const { metadata, spec } = cluster;
    const laidOut = (props.tenants ?? []).map((t) => t.name).sort();
    if (laidOut.join('\u0000') !== [...tenants].sort().join('\u0000')) {
      throw new Error(`ClusterStack ${id}: props.tenants (${laidOut.join(', ') || 'none'}) are not the Workplaces the Cluster hosts (tenants: ${[...tenants].sort().join(', ') || 'none'}). `
        + 'The metrics agent scrapes only the databases of the tenants given, while each tenant\'s stack lets it in and declares its sink. '
        + 'Allowed: the layout of every Workplace on the cluster. Fix: pass tenants: fleet.workplaces.filter((w) => w.cluster === cluster).map((w) => tenantLayout(w.deployment)), as addFleet does.');
    }
    super(scope, id, {
      jurisdiction: spec.jurisdiction,
      operators: spec.operators,
      profile: spec.profile,
      clusterLocation: spec.location,
      locations: Object.entries(spec.locations).map(([pattern, d]) => ({
        pattern, countries: d.country, operator: d.operator, parent: d.parent,
      })),
      suppressions: spec.suppressions,
      clusterCidrs: [...(spec.podCidrs ?? []), ...(spec.serviceCidrs ?? [])],
      providerMirror: spec.terraform.providerMirror,
      settingNames: CLUSTER_SPEC_SETTING_NAMES,
      report: props.report === false ? false : {
        specPath: source.path,
        lineOf: fieldLines(source.text),
        weights: spec.report?.weights,
        components: Object.values(CHARTS).map((c) => ({ name: `${c.name}@${c.version}`, license: c.license })),
        fleet: { tenants },
      },
      terminal: props.terminal,
    });

    new ClusterConnection(this, 'Connection', {
      apiServer: spec.apiServer, kubeconfig: spec.kubeconfig, context: spec.context,
      state: spec.state.backend === 'kubernetes' ? { namespace: spec.state.namespace, secretSuffix: spec.state.secretSuffix ?? metadata.name } : false,
    });
    configureState(this, metadata.name, spec.state);

    const placements = new Construct(this, 'Spec');
    if (spec.registry?.mirror) {
      new DeclaredPlacement(placements, 'RegistryMirror', { kind: 'registry', target: spec.registry.mirror, description: 'registry mirror', field: 'spec.registry.mirror' });
    }
    new DeclaredPlacement(placements, 'State', statePlacement(metadata.name, spec.state, spec, this, 'spec.apiServer'));

    this.platform = new ClusterPlatform(this, 'Platform', { name: metadata.name, spec, tenants: props.tenants });
  }
}
