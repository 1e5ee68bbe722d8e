/**
 * A construct's declaration of a place its data goes.
 */
import { Construct, IConstruct } from 'constructs';
import { PlacementSpec } from '../policy/placement';

const DECLARED_PLACEMENT = Symbol.for('sovereign-desk.DeclaredPlacement');

/** Props of {@link DeclaredPlacement}: what it is and where it goes. */
export type DeclaredPlacementProps = PlacementSpec;

/**
 * Declares a placement in the construct tree. It synthesizes nothing; the
 * SovereignStack's final proof collects every declaration in the tree.
 *
 * @example
 * new DeclaredPlacement(this, 'BackupTarget', {
 *   kind: 'backup',
 *   target: 'https://fsn1.your-objectstorage.com',
 *   description: 'backup target',
 *   field: 'spec.backup.endpoint',
 * });
 */
export class DeclaredPlacement extends Construct {
  /** True for a DeclaredPlacement from any installed copy of this package. */
  public static isDeclaredPlacement(x: unknown): x is DeclaredPlacement {
    return typeof x === 'object' && x !== null && DECLARED_PLACEMENT in x;
  }

  public readonly placement: PlacementSpec;

  constructor(scope: Construct, id: string, props: DeclaredPlacementProps) {
    super(scope, id);
    Object.defineProperty(this, DECLARED_PLACEMENT, { value: true });
    // Frozen: the proof reads it at synthesis, and a placement changed after it was declared would be judged as changed.
    this.placement = Object.freeze({ ...props, ...(props.backups ? { backups: Object.freeze([...props.backups]) } : {}) });
  }
}

const BACKUP_COVERAGE = Symbol.for('sovereign-desk.BackupCoverage');

/** Kubernetes' own namespaces, which a backup of every namespace (`*`) leaves out. */
export const KUBERNETES_NAMESPACES: readonly string[] = ['kube-node-lease', 'kube-public', 'kube-system'];

/** Props of {@link BackupCoverage}. */
export interface BackupCoverageProps {
  /** Namespaces whose volumes are backed up; `*` is every namespace but Kubernetes' own. */
  readonly namespaces: readonly string[];
  /** Where the backups go (URL). */
  readonly target: string;
}

/**
 * Declares that the volumes of some namespaces are backed up to a target (e.g.
 * by a Velero schedule). Volumes found in those namespaces, declared or
 * scanned, count as backed up there.
 *
 * @example
 * new BackupCoverage(this, 'Coverage', { namespaces: ['agency-de-mail'], target: 'https://fsn1.your-objectstorage.com' });
 */
export class BackupCoverage extends Construct {
  /** True for a BackupCoverage from any installed copy of this package. */
  public static isBackupCoverage(x: unknown): x is BackupCoverage {
    return typeof x === 'object' && x !== null && BACKUP_COVERAGE in x;
  }

  public readonly namespaces: readonly string[];
  public readonly target: string;

  constructor(scope: Construct, id: string, props: BackupCoverageProps) {
    super(scope, id);
    Object.defineProperty(this, BACKUP_COVERAGE, { value: true });
    this.namespaces = [...props.namespaces];
    this.target = props.target;
  }

  /** True when the volumes of `namespace` are backed up by this coverage. */
  public covers(namespace: string): boolean {
    return this.namespaces.includes(namespace) || (this.namespaces.includes('*') && !KUBERNETES_NAMESPACES.includes(namespace));
  }
}

/** Every placement declared at or below `root`. */
export function declaredPlacements(root: IConstruct): DeclaredPlacement[] {
  return root.node.findAll().filter(DeclaredPlacement.isDeclaredPlacement);
}
