/**
 * The sovereignty report as data: one deterministic structure per stack,
 * from which Markdown, JSON and SARIF are rendered.
 */
import { Location } from '../jurisdiction';
import type { Finding, PolicyResult } from '../policy/engine';
import { effectiveCustody, KeyCustody } from '../policy/key-custody';
import { leavesCluster, type Placement, type PlacementKind } from '../policy/placement';
import type { Severity } from '../policy/rule';
import { Capacity, CapacityEntry, capacityOf } from './capacity';
import { ComponentLicence, FrameworkView, FrameworkWeights, frameworkView } from './framework';

/** One row of the inventory table. */
export interface ReportPlacement {
  readonly kind: PlacementKind;
  /** Construct path without the stack name. */
  readonly owner: string;
  /** Application the owner belongs to (identity, files, …, platform, or the stack for team resources). */
  readonly app: string;
  /** Host, URL or region, with credentials and query strings removed. */
  readonly target: string;
  readonly field?: string;
  readonly address?: string;
  readonly description: string;
  /** Physical countries; empty when unproven. */
  readonly countries: readonly string[];
  readonly operator?: string;
  readonly parent?: string;
  readonly place?: string;
  /** How the location was proven. */
  readonly proof: Location['proof'] | 'unproven';
  readonly evidence: string;
  readonly status: 'ok' | Severity | 'suppressed';
  /** Data stores: where their backups are. */
  readonly backups?: readonly string[];
  readonly noBackupReason?: string;
  /** Data that leaves the cluster: who holds its keys, and what the target's operator can read. */
  readonly keyCustody?: ReportKeyCustody;
}

/** The key custody of one copy that leaves the cluster. */
export interface ReportKeyCustody {
  /** As judged: a claim the configuration does not back, or no claim, is `none`. */
  readonly custody: KeyCustody;
  /** What an operator of the target can read. */
  readonly readable: string;
  /** Where the keys are. */
  readonly keys?: string;
  /** For `customer-kms`: the KMS. */
  readonly kms?: string;
  /** The custody claimed, when the written configuration does not back it, and why. */
  readonly unbacked?: { readonly claimed: KeyCustody; readonly reason: string };
}

/** The key custody of a placement, for the report; `undefined` for data that stays in the cluster. */
export function keyCustodyOf(p: Placement): ReportKeyCustody | undefined {
  if (!leavesCluster(p)) return undefined;
  const custody = effectiveCustody(p.keys, p.custodyUnbacked);
  return {
    custody,
    readable: p.keys?.readable ?? 'everything: nothing declares how it is protected',
    ...(p.keys?.keys ? { keys: p.keys.keys } : {}),
    ...(p.keys?.kms ? { kms: redact(p.keys.kms) } : {}),
    ...(p.keys && p.custodyUnbacked !== undefined ? { unbacked: { claimed: p.keys.custody, reason: p.custodyUnbacked } } : {}),
  };
}

/** One finding, for the report. */
export interface ReportFinding {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly objective: string;
  readonly owner: string;
  readonly target: string;
  readonly field?: string;
  readonly problem: string;
  readonly fix: string;
  readonly explanation: string;
  /** For suppressed findings: the written reason. */
  readonly reason?: string;
}

/** The whole report of one stack. */
export interface SovereigntyReport {
  readonly stack: string;
  readonly verdict: 'pass' | 'fail';
  readonly jurisdiction: string;
  readonly operators: string;
  readonly profile: string;
  readonly counts: { readonly errors: number; readonly warnings: number; readonly suppressed: number; readonly placements: number };
  /** Where the Terraform state (every generated secret) is. */
  readonly state: string;
  readonly placements: readonly ReportPlacement[];
  readonly findings: readonly ReportFinding[];
  readonly suppressed: readonly ReportFinding[];
  readonly unusedSuppressions: readonly { readonly rule: string; readonly reason: string }[];
  readonly framework: FrameworkView;
  /** What the deployment asks of the cluster, per app and in total. */
  readonly capacity: Capacity;
  /** Where the stack sits in a fleet (absent for a stack on its own). */
  readonly fleet?: ReportFleet;
}

/** Options of {@link buildReport}. */
export interface ReportOptions {
  /** Weights of the EU Cloud Sovereignty Framework objectives. @default DEFAULT_WEIGHTS */
  readonly weights?: FrameworkWeights;
  /** Deployed components and their licences (SOV-6 evidence). @default - SOV-6 not evidenced */
  readonly components?: readonly ComponentLicence[];
  /** Declared capacity of the stack's components. @default - none */
  readonly capacity?: readonly CapacityEntry[];
  /** Where the stack sits in a fleet. @default - a stack on its own */
  readonly fleet?: ReportFleet;
}

/** A stack's place in a fleet: the shared cluster a Workplace runs on, or the Workplaces a Cluster hosts. */
export interface ReportFleet {
  /** The Cluster stack this Workplace runs on. @default - a cluster of its own */
  readonly cluster?: string;
  /** The Workplace stacks this Cluster hosts. @default - not a Cluster */
  readonly tenants?: readonly string[];
}

const APPS: readonly [RegExp, string][] = [
  [/^Workplace\/(Identity|IdentityDatabase)\b/, 'identity'],
  [/^Workplace\/(Files|FilesDatabase|FilesCache|FilesBucket|FilesBucketReplication)\b/, 'files'],
  [/^Workplace\/Office\b/, 'office'],
  [/^Workplace\/Mail\b/, 'mail'],
  [/^Workplace\/(Chat|ChatDatabase|AllowChatToDatabase)\b/, 'chat'],
  [/^(Workplace|Spec|Cluster)\b/, 'platform'],
];

/** The application a construct path belongs to. */
export function appOf(owner: string): string {
  return APPS.find(([pattern]) => pattern.test(owner))?.[1] ?? 'team';
}

/** Removes credentials and query strings from URLs, so no secret reaches a report. */
export function redact(target: string): string {
  return target
    .replace(/(^[a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1')
    .replace(/\?.*$/, '')
    .replace(/\$\{[^}]*\}/g, '${…}');
}

/** Builds the report of one stack from its proof. */
export function buildReport(stack: string, result: PolicyResult, options: ReportOptions = {}): SovereigntyReport {
  const strip = (path: string) => path.split('/').slice(1).join('/') || stack;
  const statusOf = (p: Placement): ReportPlacement['status'] => {
    const mine = (f: Finding) => f.placement === p;
    if (result.findings.some((f) => mine(f) && f.severity === 'error')) return 'error';
    if (result.findings.some((f) => mine(f) && f.severity === 'warning')) return 'warning';
    return result.suppressed.some(mine) ? 'suppressed' : 'ok';
  };
  const placements = result.placements.map((p): ReportPlacement => {
    const location = p.resolution.status === 'resolved' ? p.resolution.location : undefined;
    const custody = keyCustodyOf(p);
    return {
      kind: p.kind,
      owner: strip(p.ownerPath),
      app: appOf(strip(p.ownerPath)),
      target: redact(p.target),
      ...(p.field ? { field: p.field } : {}),
      ...(p.address ? { address: p.address } : {}),
      description: redact(p.description),
      countries: location ? [...location.countries] : [],
      ...(location ? { operator: location.operator, parent: location.parent, place: location.label } : {}),
      proof: location?.proof ?? 'unproven',
      evidence: p.resolution.status === 'resolved' ? p.resolution.location.evidence : p.resolution.reason,
      status: statusOf(p),
      ...(p.backupLocations ? { backups: p.backupLocations.map((b) => redact(b.target)) } : {}),
      ...(p.noBackupReason ? { noBackupReason: p.noBackupReason } : {}),
      ...(custody ? { keyCustody: custody } : {}),
    };
  });
  const finding = (f: Finding): ReportFinding => ({
    ruleId: f.ruleId,
    title: f.title,
    severity: f.severity,
    objective: f.objective,
    owner: strip(f.placement.ownerPath),
    target: redact(f.placement.target),
    ...(f.placement.field ? { field: f.placement.field } : {}),
    problem: redact(f.problem),
    fix: f.fix,
    explanation: f.explanation,
    ...(f.suppressedBy ? { reason: f.suppressedBy.reason } : {}),
  });
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const state = result.placements.find((p) => p.kind === 'state');
  return {
    stack,
    verdict: errors > 0 ? 'fail' : 'pass',
    jurisdiction: result.context.jurisdiction.toString(),
    operators: result.context.operators.toString(),
    profile: result.context.profile,
    counts: { errors, warnings: result.findings.length - errors, suppressed: result.suppressed.length, placements: result.placements.length },
    state: state
      ? `${state.description}: ${state.resolution.status === 'resolved' ? `${state.resolution.location.countries.join(', ')} (${state.resolution.location.label})` : 'not proven'}`
      : 'no backend declared',
    placements,
    findings: result.findings.map(finding),
    suppressed: result.suppressed.map(finding),
    unusedSuppressions: result.unusedSuppressions.map((s) => ({ rule: s.rule, reason: s.reason })),
    framework: frameworkView(result, options.weights, options.components),
    capacity: capacityOf(options.capacity ?? []),
    ...(options.fleet ? { fleet: options.fleet } : {}),
  };
}
