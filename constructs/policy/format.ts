/**
 * Readable text for findings: the message of each annotation, and the summary
 * line printed after synthesis.
 */
import { Finding, PolicyResult, Suppression } from './engine';
import { describeLocation } from '../jurisdiction';
import { PolicyContext, settingNames } from './rule';

/** "data DE; operators EU (27 countries); profile sovereign". */
export function describeBounds(context: PolicyContext): string {
  return `data ${context.jurisdiction}; operators ${context.operators}; profile ${context.profile}`;
}

/** The multi-line message of a finding's annotation (the CLI prefixes the level and construct path). */
export function formatFinding(finding: Finding, context: PolicyContext): string {
  const p = finding.placement;
  const value = p.field ? `${p.target} (${p.field})` : p.address ? `${p.target} (in ${p.address})` : p.target;
  const lines = [
    `${finding.ruleId} ${finding.title}: ${finding.problem}`,
    `    value:        ${value}`,
    `    bounds:       ${describeBounds(context)}`,
    `    fix:          ${finding.fix}`,
  ];
  if (finding.suppressedBy) lines.push(`    suppressed:   ${finding.suppressedBy.reason}`);
  return lines.join('\n');
}

/** The message for a suppression that matched nothing. */
export function formatUnusedSuppression(suppression: Suppression, context?: PolicyContext): string {
  const from = context ? settingNames(context).suppressions : 'spec.suppressions';
  return `SD-SUPPRESSION-UNUSED suppression of ${suppression.rule}${suppression.path ? ` at ${suppression.path}` : ''} matched no finding ("${suppression.reason}"); remove it from ${from}`;
}

/** Where the Terraform state (which holds every generated secret) is, for the summary. */
export function formatStateLocation(stackName: string, result: PolicyResult): string {
  const state = result.placements.find((p) => p.kind === 'state');
  if (!state) return `${stackName}: Terraform state: no backend declared`;
  const where = state.resolution.status === 'resolved' ? describeLocation(state.resolution.location) : `not proven (${state.resolution.reason})`;
  return `${stackName}: Terraform state (holds every generated secret): ${state.description}, ${where}`;
}

/** How many findings of each kind a stack reported. */
export interface FindingTally {
  readonly errors: number;
  /** Warning findings and suppressions that matched nothing (each is reported as a warning). */
  readonly warnings: number;
  readonly suppressed: number;
  /** Informational notes that are not findings (e.g. from other constructs). @default 0 */
  readonly notes?: number;
}

/** The tally of a proof: what the stack annotates, one annotation per finding and per unused suppression. */
export function tallyOf(result: PolicyResult): FindingTally {
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  return {
    errors,
    warnings: result.findings.length - errors + result.unusedSuppressions.length,
    suppressed: result.suppressed.length,
  };
}

/** `1 error`, `2 errors`, `0 warnings`. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * "agency-de: sovereignty FAIL: 1 error, 2 warnings, 0 suppressed, 97 placements (data DE; …)".
 * @param tally what was reported; @default - the proof's own findings and unused suppressions
 */
export function formatSummary(stackName: string, result: PolicyResult, tally: FindingTally = tallyOf(result)): string {
  const verdict = tally.errors > 0 ? 'FAIL' : 'PASS';
  const notes = tally.notes ? `, ${plural(tally.notes, 'note')}` : '';
  return `${stackName}: sovereignty ${verdict}: ${plural(tally.errors, 'error')}, ${plural(tally.warnings, 'warning')}, ${tally.suppressed} suppressed${notes}, ${plural(result.placements.length, 'placement')} (${describeBounds(result.context)})`;
}
