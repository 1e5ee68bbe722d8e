/**
 * How large the suite is: `spec.size` picks, per component, the replicas and
 * the CPU and memory each replica requests and may use. The figures follow the
 * published ones in docs/sizing.md (openDesk's scaling guide); the table of
 * what each size is meant for is there too.
 *
 * Components with more than one replica get a PodDisruptionBudget and are
 * spread over nodes; components that cannot run more than one replica say why.
 */
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { Construct } from 'constructs';
import { DeclaredCapacity, PublishedPort, ResourceQuantities } from '../proof';

/** The sizes of the suite. */
export const SIZES = ['small', 'medium', 'large'] as const;
export type Size = (typeof SIZES)[number];

/** What a size is meant for. */
export interface SizeTarget {
  /** Named users. */
  readonly users: number;
  /** Users editing documents at the same time. */
  readonly editors: number;
  /** Participants in video calls at the same time. */
  readonly callParticipants: number;
}

/** What each size is meant for (docs/sizing.md derives every figure below from these). */
export const SIZE_TARGETS: Readonly<Record<Size, SizeTarget>> = {
  small: { users: 500, editors: 30, callParticipants: 50 },
  medium: { users: 2500, editors: 75, callParticipants: 200 },
  large: { users: 10000, editors: 200, callParticipants: 800 },
};

/** One component at one size. */
export interface ComponentSize {
  readonly replicas: number;
  readonly requests: ResourceQuantities;
  readonly limits: ResourceQuantities;
}

const size = (replicas: number, requests: [string, string], limits: [string, string]): ComponentSize => ({
  replicas, requests: { cpu: requests[0], memory: requests[1] }, limits: { cpu: limits[0], memory: limits[1] },
});

/** Components whose figures depend on the size. */
export type SizedComponent = 'keycloak' | 'nextcloud' | 'collabora' | 'synapse' | 'postgres' | 'mailserver';

/**
 * Per component and size: replicas, requests and limits of one replica.
 * `small` is what the suite ran before sizes existed.
 */
export const COMPONENT_SIZES: Readonly<Record<SizedComponent, Readonly<Record<Size, ComponentSize>>>> = {
  // Keycloak: stateless behind its database; clustered through its embedded cache.
  keycloak: {
    small: size(1, ['500m', '1Gi'], ['2', '2Gi']),
    medium: size(2, ['500m', '1Gi'], ['2', '2Gi']),
    large: size(3, ['1', '2Gi'], ['4', '4Gi']),
  },
  // Nextcloud: one pod per 5,000 users, one more for availability from medium on.
  nextcloud: {
    small: size(1, ['500m', '1Gi'], ['2', '2Gi']),
    medium: size(2, ['1', '2Gi'], ['4', '4Gi']),
    large: size(3, ['2', '4Gi'], ['4', '8Gi']),
  },
  // Collabora: about 1 vCPU per 15 concurrent editors; one pod (see singleReplicaReason).
  collabora: {
    small: size(1, ['500m', '1Gi'], ['4', '4Gi']),
    medium: size(1, ['2', '4Gi'], ['6', '8Gi']),
    large: size(1, ['6', '8Gi'], ['14', '16Gi']),
  },
  // Synapse: one main process up to 10,000 users.
  synapse: {
    small: size(1, ['200m', '512Mi'], ['2', '2Gi']),
    medium: size(1, ['1', '2Gi'], ['4', '4Gi']),
    large: size(1, ['2', '4Gi'], ['8', '8Gi']),
  },
  // PostgreSQL: a primary and a replica; a second replica at large.
  postgres: {
    small: size(2, ['250m', '512Mi'], ['2', '2Gi']),
    medium: size(2, ['1', '2Gi'], ['4', '4Gi']),
    large: size(3, ['2', '4Gi'], ['8', '8Gi']),
  },
  // docker-mailserver: one pod (see singleReplicaReason).
  mailserver: {
    small: size(1, ['1', '1536Mi'], ['2', '3Gi']),
    medium: size(1, ['2', '3Gi'], ['4', '6Gi']),
    large: size(1, ['4', '6Gi'], ['8', '12Gi']),
  },
};

/** Why some components run one replica at every size. */
export const SINGLE_REPLICA_REASONS: Readonly<Partial<Record<SizedComponent, string>>> = {
  collabora: 'every editor of a document must reach the pod that holds it; more pods need an ingress that routes by WOPISrc, so it grows by CPU',
  synapse: 'one main process (workers are not enabled); it grows by CPU and memory',
  mailserver: 'the mail store is one ReadWriteOnce volume and Dovecot keeps its indexes there; it grows by CPU and memory',
};

/** The figures of a component at a size. @throws Error naming the size when it is unknown */
export function componentSize(component: SizedComponent, which: Size = 'small'): ComponentSize {
  const sized = COMPONENT_SIZES[component][which];
  if (!sized) throw new Error(`size "${String(which)}" is unknown. Allowed: ${SIZES.join(', ')}. Fix: use small, medium or large.`);
  return sized;
}

/** Chart values `{ requests, limits }` of a component size. */
export function resourceValues(sized: ComponentSize): { requests: ResourceQuantities; limits: ResourceQuantities } {
  return { requests: { ...sized.requests }, limits: { ...sized.limits } };
}

/** Props of {@link SizedWorkload}. */
export interface SizedWorkloadProps {
  /** The app it belongs to, in the capacity report. */
  readonly app: string;
  /** Display name, e.g. `Nextcloud`. */
  readonly component: string;
  readonly sized: ComponentSize;
  /** Namespace of the pods (for the PodDisruptionBudget): pass the namespace's reference, so the budget waits for it. */
  readonly namespace: string;
  /** Labels of the pods. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Persistent volume of one replica, in GiB. @default 0 */
  readonly volumeGiB?: number;
  /** A persistent volume all replicas share, in GiB (counted once). @default 0 */
  readonly sharedVolumeGiB?: number;
  /** Ports the load balancer must publish. @default - none */
  readonly ports?: readonly PublishedPort[];
  /** Why it runs one replica at every size. @default - none */
  readonly singleReplicaReason?: string;
  /**
   * Whether this construct creates the PodDisruptionBudget when there is more
   * than one replica (false where the operator or chart creates its own).
   * @default true
   */
  readonly disruptionBudget?: boolean;
}

/**
 * Declares a component's capacity and, with more than one replica, keeps at
 * most one of them down at a time in voluntary disruptions (drains, upgrades).
 *
 * @example
 * const web = new SizedWorkload(this, 'Size', { app: 'files', component: 'Nextcloud', sized: componentSize('nextcloud', size), namespace, podLabels });
 * values.affinity = web.affinity;
 */
export class SizedWorkload extends Construct {
  /** Pod anti-affinity that spreads the replicas over nodes (empty with one replica). */
  public readonly affinity: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: SizedWorkloadProps) {
    super(scope, id);
    new DeclaredCapacity(this, 'Capacity', {
      app: props.app, component: props.component, replicas: props.sized.replicas, requests: props.sized.requests, limits: props.sized.limits,
      ...(props.volumeGiB ? { volumeGiB: props.volumeGiB } : {}),
      ...(props.sharedVolumeGiB ? { sharedVolumeGiB: props.sharedVolumeGiB } : {}),
      ...(props.ports ? { ports: props.ports } : {}),
      ...(props.singleReplicaReason ? { singleReplicaReason: props.singleReplicaReason } : {}),
    });
    const spread = props.sized.replicas > 1;
    this.affinity = spread ? antiAffinity(props.podLabels) : {};
    if (spread && props.disruptionBudget !== false) {
      new PodDisruptionBudgetV1(this, 'DisruptionBudget', {
        metadata: { name: `${Object.values(props.podLabels).join('-').slice(0, 50)}-pdb`.replace(/[^a-z0-9-]/g, '-'), namespace: props.namespace },
        spec: { maxUnavailable: '1', selector: { matchLabels: { ...props.podLabels } } },
      });
    }
  }
}

/** Prefer nodes that run no other replica of the same pods. */
export function antiAffinity(podLabels: Readonly<Record<string, string>>): Record<string, unknown> {
  return {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [{
        weight: 100,
        podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { ...podLabels } } },
      }],
    },
  };
}
