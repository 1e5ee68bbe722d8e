/**
 * Placements: every place where data or metadata of the deployment goes.
 * Pure data; the cdktf glue collects them, the rules judge them.
 */
import { Location, LocationResolver, Resolution } from '../jurisdiction';
import { KEY_CUSTODY_KINDS, KeyCustodySpec } from './key-custody';

/** What a placement is. */
export const PLACEMENT_KINDS = [
  'cluster', 'volume', 'database', 'bucket', 'backup', 'log-sink', 'metrics-sink', 'state',
  'registry', 'chart-repository', 'module', 'provider-source', 'endpoint',
  'exec', 'stack',
] as const;
export type PlacementKind = (typeof PLACEMENT_KINDS)[number];

/**
 * Kinds that supply code (images, charts, Terraform modules and providers)
 * rather than hold the deployment's data.
 */
export const SUPPLY_CHAIN_KINDS: readonly PlacementKind[] = ['registry', 'chart-repository', 'module', 'provider-source'];

/**
 * Kinds that are not a place at all but something the proof cannot follow:
 * a program Terraform runs (`exec`: provisioners, the `external` data source)
 * and a stack of the same app that is not proven (`stack`). Judged by
 * SD-EXEC and SD-UNPOLICED only.
 */
export const OPAQUE_KINDS: readonly PlacementKind[] = ['exec', 'stack'];

/** What a construct declares about a place its data goes. */
export interface PlacementSpec {
  readonly kind: PlacementKind;
  /**
   * Where it goes: a URL, a host, an image reference (for `registry`), or a
   * catalogued `provider/region` (for `cluster`).
   */
  readonly target: string;
  /** What it is, for reviewers: "backup target", "Keycloak database". */
  readonly description: string;
  /** The spec field the target comes from, e.g. `spec.backup.endpoint`. @default - none */
  readonly field?: string;
  /** For `state`: the Terraform backend type. @default - none */
  readonly backend?: string;
  /** Kubernetes namespace whose pods use it (stores: where they live; endpoints: who calls them). @default - none */
  readonly namespace?: string;
  /** For data stores: targets (URLs) its backups are written to. @default - none */
  readonly backups?: readonly string[];
  /** For data stores without a backup: why none is needed. @default - a backup is required */
  readonly noBackupReason?: string;
  /** The setting that makes an application call its vendor, when this endpoint is such a call. @default - none */
  readonly phoneHome?: string;
  /**
   * For a certificate authority: the cert-manager issuer it stands for, so that
   * Ingresses naming that issuer by reference are judged by this placement.
   * @default - none
   */
  readonly issuer?: string;
  /**
   * The stack that provides this placement to this one (a shared cluster's
   * Cluster, in a tenant's proof): its findings are changed there, and no
   * suppression of this stack accepts them.
   * @default - this stack's own placement
   */
  readonly sharedBy?: string;
  /**
   * For data that leaves the cluster (backups, buckets, sinks, state): who
   * holds its keys, and what backs the claim in the configuration.
   * @default - none declared (SD-KEY-CUSTODY reads it as `none`)
   */
  readonly keys?: KeyCustodySpec;
  /**
   * The setting that sends data out without verified TLS (`tls.verify Off`,
   * `insecure_skip_verify: true`, a plain `http://` sink), when this endpoint
   * is such a sink. @default - none
   */
  readonly insecureTransport?: string;
}

/** Kinds of placement that hold the deployment's data and must be backed up. */
export const DATA_STORE_KINDS: readonly PlacementKind[] = ['database', 'volume', 'bucket'];

/** A backup target of a data store, resolved. */
export interface BackupLocation {
  readonly target: string;
  readonly resolution: Resolution;
}

/** A placement found in a stack, with its resolved location. */
export interface Placement extends PlacementSpec {
  /** Path of the construct that owns it. */
  readonly ownerPath: string;
  /** Declared by a construct, or found by the scan of the synthesized configuration. */
  readonly origin: 'declared' | 'scan';
  /** Terraform address of the resource it was found in (scan only). @default - none */
  readonly address?: string;
  readonly resolution: Resolution;
  /** For data stores: where their backups are, resolved. @default - none */
  readonly backupLocations?: readonly BackupLocation[];
  /** For `customer-kms` custody: where the KMS is, resolved. @default - none */
  readonly kmsResolution?: Resolution;
  /** Why the written configuration does not back the key custody claimed. @default - the claim is backed (or none is made) */
  readonly custodyUnbacked?: string;
}

/**
 * True when the placement's data leaves the cluster and so has a key custody:
 * a kind that holds data, at a location that is not the cluster itself
 * (unproven locations count as leaving), and not state kept in the cluster.
 */
export function leavesCluster(placement: Placement): boolean {
  if (!(KEY_CUSTODY_KINDS as readonly string[]).includes(placement.kind)) return false;
  if (placement.kind === 'state' && (placement.backend === 'kubernetes' || placement.backend === 'local')) return false;
  return !(placement.resolution.status === 'resolved' && placement.resolution.location.proof === 'cluster');
}

/**
 * The proven location of a placement that holds the deployment's data, or
 * `undefined` for supply-chain kinds, state (judged by SD-STATE) and unproven
 * placements (judged by SD-UNPROVEN).
 */
export function dataLocation(placement: Placement): Location | undefined {
  if (SUPPLY_CHAIN_KINDS.includes(placement.kind) || OPAQUE_KINDS.includes(placement.kind) || placement.kind === 'state') return undefined;
  return placement.resolution.status === 'resolved' ? placement.resolution.location : undefined;
}

/** Resolves a placement's target according to its kind. */
export function resolvePlacement(spec: PlacementSpec, resolver: LocationResolver): Resolution {
  if (spec.kind === 'registry' && !isBareHost(spec.target)) return resolver.resolveImage(spec.target);
  return resolver.resolve(spec.target);
}

function isBareHost(target: string): boolean {
  return !target.includes('/') && !target.includes(':') && target.includes('.');
}

/** Deterministic order: owner path, kind, target. */
export function comparePlacements(a: Placement, b: Placement): number {
  return a.ownerPath.localeCompare(b.ownerPath) || a.kind.localeCompare(b.kind) || a.target.localeCompare(b.target)
    || (a.field ?? '').localeCompare(b.field ?? '');
}

/**
 * The target of an API server a kubernetes connection reaches through its
 * kubeconfig (no `host`): whichever the file and context name when Terraform
 * runs. The resolver reports `kubeconfig:` targets unproven.
 */
export function kubeconfigTarget(configPath: string | undefined, context: string | undefined): string {
  return `kubeconfig:${configPath ?? 'KUBE_CONFIG_PATH'}${context ? `#${context}` : ''}`;
}
