/**
 * A component's declaration of what it asks of the cluster: replicas, CPU and
 * memory requests and limits per replica, volumes, and ports the load
 * balancer must publish. The report adds them up, per app and in total.
 */
import { Construct, IConstruct } from 'constructs';

const DECLARED_CAPACITY = Symbol.for('sovereign-desk.DeclaredCapacity');

/** CPU (Kubernetes quantity, e.g. `500m`, `2`) and memory (e.g. `512Mi`, `2Gi`). */
export interface ResourceQuantities {
  readonly cpu: string;
  readonly memory: string;
}

/** A port the cluster's load balancer must publish. */
export interface PublishedPort {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
  /** What it is for, e.g. `SMTP`. */
  readonly purpose: string;
}

/** Props of {@link DeclaredCapacity}. */
export interface DeclaredCapacityProps {
  /** The app it belongs to (`files`, `platform`, …). */
  readonly app: string;
  /** The component, e.g. `Nextcloud`. */
  readonly component: string;
  /** Pods of the component. `per-node` for a DaemonSet (counted once per node). */
  readonly replicas: number | 'per-node';
  /** Requests of one replica. */
  readonly requests: ResourceQuantities;
  /** Limits of one replica. @default - no limits */
  readonly limits?: Partial<ResourceQuantities>;
  /** Persistent volume size of one replica, in GiB. @default 0 */
  readonly volumeGiB?: number;
  /** A persistent volume all replicas share (ReadWriteMany), in GiB: counted once. @default 0 */
  readonly sharedVolumeGiB?: number;
  /** Ports the load balancer must publish. @default - none */
  readonly ports?: readonly PublishedPort[];
  /** Why the component runs a single replica however large the size, when it does. @default - none */
  readonly singleReplicaReason?: string;
}

/**
 * Declares a component's capacity in the construct tree. It synthesizes
 * nothing; the SovereignStack's report collects every declaration.
 *
 * @example
 * new DeclaredCapacity(this, 'Capacity', { app: 'files', component: 'Nextcloud', replicas: 2, requests: { cpu: '1', memory: '2Gi' } });
 */
export class DeclaredCapacity extends Construct {
  /** True for a DeclaredCapacity from any installed copy of this package. */
  public static isDeclaredCapacity(x: unknown): x is DeclaredCapacity {
    return typeof x === 'object' && x !== null && DECLARED_CAPACITY in x;
  }

  public readonly capacity: DeclaredCapacityProps;

  constructor(scope: Construct, id: string, props: DeclaredCapacityProps) {
    super(scope, id);
    Object.defineProperty(this, DECLARED_CAPACITY, { value: true });
    if (props.replicas !== 'per-node' && (!Number.isInteger(props.replicas) || props.replicas < 1)) {
      throw new Error(`DeclaredCapacity ${this.node.path}: 'replicas' (${props.replicas}) must be a whole number of at least 1, or 'per-node'.`);
    }
    this.capacity = Object.freeze({ ...props });
  }
}

/** Every capacity declared at or below `root`, in tree order. */
export function declaredCapacities(root: IConstruct): DeclaredCapacity[] {
  return root.node.findAll().filter(DeclaredCapacity.isDeclaredCapacity);
}
