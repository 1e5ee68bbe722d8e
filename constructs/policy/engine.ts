/**
 * Runs the rules over the placement inventory. Pure: no framework import.
 * A rule that throws becomes a finding of its own; nothing here crashes synthesis.
 */
import { Placement, comparePlacements } from './placement';
import { Objective, PolicyContext, Rule, Severity } from './rule';
import { ALL_RULES } from './rules';

/** A spec suppression: a rule id and the written reason. */
export interface Suppression {
  readonly rule: string;
  readonly reason: string;
  /**
   * Only findings of the construct at this path or below it, matched by whole
   * segments: `team/Data` matches `team/Data` and `team/Data/x`, not `team/Database`.
   * @default - every finding of the rule
   */
  readonly path?: string;
}

/** One rule's verdict against one placement. */
export interface Finding {
  readonly ruleId: string;
  readonly title: string;
  readonly explanation: string;
  readonly objective: Objective;
  readonly severity: Severity;
  readonly placement: Placement;
  readonly problem: string;
  readonly fix: string;
  /** Set when a suppression in the spec accepted this finding. */
  readonly suppressedBy?: Suppression;
}

/** Everything one evaluation produced. */
export interface PolicyResult {
  readonly context: PolicyContext;
  /** Sorted deterministically. */
  readonly placements: readonly Placement[];
  /** Findings that count, sorted: errors first. */
  readonly findings: readonly Finding[];
  /** Findings accepted by a suppression; always reported. */
  readonly suppressed: readonly Finding[];
  /** Suppressions that matched no finding. */
  readonly unusedSuppressions: readonly Suppression[];
}

/** Id of the finding reported when a rule throws. */
export const RULE_FAILED = 'SD-RULE-FAILED';

/** Every rule id a suppression may name. */
export const RULE_IDS: readonly string[] = [...ALL_RULES.map((r) => r.id), RULE_FAILED];

/** Evaluates every rule against every placement and applies suppressions. */
export function evaluate(
  placements: readonly Placement[],
  context: PolicyContext,
  suppressions: readonly Suppression[] = [],
  rules: readonly Rule[] = ALL_RULES,
): PolicyResult {
  const sorted = [...placements].sort(comparePlacements);
  const raw: Finding[] = [];
  for (const rule of rules) {
    const severity = rule.severity[context.profile];
    if (severity === 'off') continue;
    for (const placement of sorted) {
      const finding = runRule(rule, severity, placement, context);
      if (finding) raw.push(finding);
    }
  }
  const used = new Set<Suppression>();
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const finding of raw) {
    const suppression = suppressions.find((s) => suppresses(s, finding));
    if (suppression) {
      used.add(suppression);
      suppressed.push({ ...finding, suppressedBy: suppression });
    } else {
      findings.push(finding);
    }
  }
  return {
    context,
    placements: sorted,
    findings: findings.sort(compareFindings),
    suppressed: suppressed.sort(compareFindings),
    unusedSuppressions: suppressions.filter((s) => !used.has(s)),
  };
}

/**
 * True when the suppression names the finding's rule and, if it has a path,
 * the finding's construct or one of its ancestors; never for a placement
 * another stack provides (a shared cluster's services in a tenant's proof).
 */
export function suppresses(suppression: Suppression, finding: Finding): boolean {
  return finding.placement.sharedBy === undefined && suppression.rule === finding.ruleId && (suppression.path === undefined || isAtOrBelow(finding.placement.ownerPath, suppression.path));
}

/** True when `path` is `scope` or below it, comparing whole `/`-separated segments. */
export function isAtOrBelow(path: string, scope: string): boolean {
  const trimmed = scope.replace(/\/+$/, '');
  return path === trimmed || path.startsWith(`${trimmed}/`);
}

function runRule(rule: Rule, severity: Severity, placement: Placement, context: PolicyContext): Finding | undefined {
  try {
    const outcome = rule.check(placement, context);
    if (outcome.status !== 'non-compliant') return undefined;
    // An outcome may lower the rule's severity (SD-KEY-CUSTODY: provider keys are a warning in sovereign), never raise it.
    const level = outcome.severity && SEVERITY_ORDER[outcome.severity] > SEVERITY_ORDER[severity] ? outcome.severity : severity;
    return { ruleId: rule.id, title: rule.title, explanation: rule.explanation, objective: rule.objective, severity: level, placement, problem: outcome.problem, fix: outcome.fix };
  } catch (error) {
    return {
      ruleId: RULE_FAILED,
      title: 'A policy rule failed',
      explanation: 'A rule threw instead of returning a verdict, so the placement is not proven. This is a defect in the rule.',
      objective: rule.objective,
      severity: 'error',
      placement,
      problem: `rule ${rule.id} threw on ${placement.description}: ${error instanceof Error ? error.message : String(error)}`,
      fix: `report the defect in rule ${rule.id}; until it is fixed, suppress ${RULE_FAILED} for this path with a reason`,
    };
  }
}

const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { error: 0, warning: 1 };

function compareFindings(a: Finding, b: Finding): number {
  return SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.ruleId.localeCompare(b.ruleId)
    || comparePlacements(a.placement, b.placement);
}

/** True when the result has an unsuppressed error. */
export function hasErrors(result: PolicyResult): boolean {
  return result.findings.some((f) => f.severity === 'error');
}
