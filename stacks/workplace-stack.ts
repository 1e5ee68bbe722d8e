/**
 * Turns a deployment spec into a SovereignStack: providers and state backend
 * configured from the spec, every spec endpoint declared as a placement, and
 * one locked-down namespace per enabled application.
 */
import { LocalBackend, S3Backend } from 'cdktf';
import { Construct } from 'constructs';
import { SPEC_SETTING_NAMES, matchHost } from '../constructs/jurisdiction';

import { PlacementSpec, STATE_PROVIDER_KEYS, kubeconfigTarget } from '../constructs/policy';
import { DeclaredPlacement, SovereignStack, TerminalSink, projectStatePath } from '../constructs/proof';
import { CHARTS, ClusterConnection } from '../constructs/platform';
import { Deployment, FleetCluster, StateSpec, WorkplaceSpec, fieldLines } from '../constructs/deployment';
import { DeploymentSource } from './load-deployment';
import { Workplace, clusterField, sharedServices } from '../constructs/suite';

/** Props of {@link WorkplaceStack}. */
export interface WorkplaceStackProps {
  /** A validated deployment spec (see `readDeployment`). */
  readonly deployment: Deployment;
  /** The spec's file, so reports point at its lines. @default - reports point at main.ts */
  readonly source?: DeploymentSource;
  /** Write the sovereignty report on synth. @default true */
  readonly report?: boolean;
  /** Where findings, verdict and state location are printed, or `false` for nowhere. @default - stdout and stderr */
  readonly terminal?: TerminalSink | false;
  /**
   * The shared cluster the Workplace runs on (its spec.cluster.ref), for a
   * Workplace of a fleet: `deployment` is then the Workplace completed with
   * the Cluster's fields (see onSharedCluster).
   * @default - a cluster of its own
   */
  readonly cluster?: FleetCluster;
}

/** A Workplace's fields that a shared cluster's spec provides, and the Cluster's field. */
const FROM_CLUSTER: Readonly<Record<string, string>> = { 'spec.registry.mirror': 'spec.registry.mirror', 'spec.cluster.apiServer': 'spec.apiServer' };

/**
 * The stack of one deployment spec.
 *
 * @example
 * const deployment = readDeployment('desk.yaml');
 * new WorkplaceStack(app, deployment.metadata.name, { deployment });
 */
export class WorkplaceStack extends SovereignStack {
  /** The suite. */
  public readonly workplace: Workplace;

  constructor(scope: Construct, id: string, props: WorkplaceStackProps) {
    const { metadata, spec } = props.deployment;
    if (props.cluster && !props.cluster.tenants.includes(metadata.name)) {
      throw new Error(`WorkplaceStack ${id}: props.cluster is the Cluster ${props.cluster.cluster.metadata.name}, which hosts ${props.cluster.tenants.join(', ') || 'no Workplace'}, not ${metadata.name}: `
        + 'its Velero would not back up this Workplace\'s volumes, which this stack counts as backed up. '
        + 'Allowed: the FleetCluster of the fleet this Workplace was assembled in. Fix: pass the cluster of the same fleet (fleet.workplaces[i].cluster), as addFleet does.');
    }
    const shared = props.cluster ? sharedServices(props.cluster.cluster, props.cluster.source.path) : undefined;
    super(scope, id, {
      jurisdiction: spec.jurisdiction,
      operators: spec.operators,
      profile: spec.profile,
      clusterLocation: spec.cluster.location,
      clusterLocationField: shared ? clusterField(shared.cluster, shared.source, 'spec.location') : undefined,
      clusterSharedBy: shared?.cluster,
      locations: Object.entries(spec.locations).map(([pattern, d]) => ({
        pattern, countries: d.country, operator: d.operator, parent: d.parent,
      })),
      suppressions: spec.suppressions,
      ownDomains: [spec.domain],
      clusterCidrs: [...(spec.cluster.podCidrs ?? []), ...(spec.cluster.serviceCidrs ?? [])],
      providerMirror: spec.terraform.providerMirror,
      settingNames: SPEC_SETTING_NAMES,
      report: props.report === false ? false : {
        specPath: props.source?.path,
        lineOf: props.source ? fieldLines(props.source.text) : undefined,
        weights: spec.report?.weights,
        components: Object.values(CHARTS).map((c) => ({ name: `${c.name}@${c.version}`, license: c.license })),
        fleet: shared ? { cluster: shared.cluster } : undefined,
      },
      terminal: props.terminal,
    });

    new ClusterConnection(this, 'Connection', {
      apiServer: spec.cluster.apiServer, kubeconfig: spec.cluster.kubeconfig, context: spec.cluster.context,
      state: spec.state.backend === 'kubernetes' ? { namespace: spec.state.namespace, secretSuffix: spec.state.secretSuffix ?? metadata.name } : false,
    });
    configureState(this, metadata.name, spec.state);

    const placements = new Construct(this, 'Spec');
    for (const [id, placement] of specPlacements(props.deployment, this)) {
      // On a shared cluster, the registry mirror and the API server are the Cluster's fields.
      const clusterOwn = placement.field === undefined ? undefined : FROM_CLUSTER[placement.field];
      const field = shared && clusterOwn ? clusterField(shared.cluster, shared.source, clusterOwn) : placement.field;
      new DeclaredPlacement(placements, id, { ...placement, field, ...(shared && clusterOwn ? { sharedBy: shared.cluster } : {}) });
    }

    this.workplace = new Workplace(this, 'Workplace', { name: metadata.name, spec, shared });
  }
}

/**
 * Endpoints of the spec that no construct of the suite owns (the suite's
 * constructs declare object storage, backups, the log sink, the mail relay
 * and the ACME server).
 */
export function specPlacements(deployment: Deployment, stack: SovereignStack): [string, PlacementSpec][] {
  const { spec } = deployment;
  const found: [string, PlacementSpec][] = [];
  if (spec.registry?.mirror) {
    found.push(['RegistryMirror', { kind: 'registry', target: spec.registry.mirror, description: 'registry mirror', field: 'spec.registry.mirror' }]);
  }
  found.push(['State', statePlacement(deployment.metadata.name, spec.state, spec.cluster, stack, 'spec.cluster.apiServer')]);
  return found;
}

/** How a stack connects to its cluster. */
export type ClusterConnectionSpec = Pick<WorkplaceSpec['cluster'], 'apiServer' | 'kubeconfig' | 'context'>;

/** The state's placement: in the cluster, a local file or a bucket. */
export function statePlacement(name: string, state: StateSpec, cluster: ClusterConnectionSpec, stack: SovereignStack, apiServerField: string): PlacementSpec {
  switch (state.backend) {
    case 'kubernetes':
      return {
        kind: 'state', backend: 'kubernetes', description: 'Terraform state (Secret in the cluster)',
        target: cluster.apiServer ?? kubeconfigTarget(cluster.kubeconfig, cluster.context),
        field: cluster.apiServer ? apiServerField : 'spec.state.backend',
      };
    case 'local':
      return {
        kind: 'state', backend: 'local', target: `local:${projectStatePath(stack, state.path ?? `terraform.${name}.tfstate`)}`,
        description: 'Terraform state (local file, in the project folder)', field: 'spec.state.backend',
      };
    case 's3':
      // The backend is written with encrypt = true (configureState): server-side, with the provider's keys.
      return { kind: 'state', backend: 's3', target: state.endpoint, description: `Terraform state (bucket ${state.bucket})`, field: 'spec.state.endpoint', keys: STATE_PROVIDER_KEYS };
  }
}


/** The state backends other than the cluster's (which ClusterConnection configures, with the providers' API server and context). */
export function configureState(stack: SovereignStack, name: string, state: StateSpec): void {
  switch (state.backend) {
    case 'kubernetes':
      return;
    case 'local':
      // In the project folder, not in the output folder that `rm -rf cdktf.out` deletes.
      new LocalBackend(stack, { path: projectStatePath(stack, state.path ?? `terraform.${name}.tfstate`) });
      return;
    case 's3': {
      const match = matchHost(new URL(state.endpoint).hostname);
      const isAws = match?.type === 'provider' && match.provider.id === 'aws';
      const region = state.region ?? (match?.type === 'provider' ? match.region : undefined) ?? 'eu-central-1';
      new S3Backend(stack, {
        bucket: state.bucket,
        key: state.key ?? `sovereign-desk/${name}.tfstate`,
        region,
        endpoints: { s3: state.endpoint },
        encrypt: true,
        ...(isAws ? {} : {
          skipCredentialsValidation: true,
          skipRegionValidation: true,
          skipRequestingAccountId: true,
          skipMetadataApiCheck: true,
          skipS3Checksum: true,
          usePathStyle: true,
        }),
      });
      return;
    }
  }
}
