/**
 * SARIF 2.1.0: one result per finding (suppressed ones carry their
 * justification), so GitHub code scanning shows findings on the pull request.
 */
import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { ReportFinding, SovereigntyReport } from './data';

/** A rule, as SARIF describes it. */
export interface SarifRule {
  readonly id: string;
  readonly title: string;
  readonly explanation: string;
  readonly objective: string;
}

/** Options of {@link renderSarif}. */
export interface SarifOptions {
  /** Path of the deployment spec, relative to the repository root. */
  readonly specPath: string;
  /** The line of a spec field, when it can be found. @default - no line */
  readonly lineOf?: (field: string) => number | undefined;
  /** Every rule of the run (so results can point at their descriptors). */
  readonly rules: readonly SarifRule[];
}

const LEVEL = { error: 'error', warning: 'warning' } as const;

/** Where a rule's findings point when no named field has a line: the section the fix is about. */
const RULE_SECTIONS: Readonly<Record<string, string>> = {
  'SD-UNPROVEN': 'spec.locations', 'SD-BACKUP': 'spec.backup', 'SD-STATE': 'spec.state', 'SD-SUPPLY-CHAIN': 'spec.registry',
};

/** The spec fields a fix names, in order (`set spec.backup.endpoint to …` names spec.backup.endpoint). */
export function fieldsNamed(text: string): string[] {
  return [...text.matchAll(/\bspec(?:\.[A-Za-z][A-Za-z0-9]*|\[[^\]\s]+\])+/g)].map((m) => m[0]);
}

/**
 * The spec line a finding points at: the field its fix names, else its own
 * field, else its rule's section, else the stack's name; line 1 when the spec
 * has no such line (a stack written in TypeScript has no lineOf).
 */
export function findingLine(finding: ReportFinding, lineOf?: (field: string) => number | undefined): number {
  const candidates = [
    ...fieldsNamed(finding.fix), ...(finding.field ? [finding.field] : []), ...(RULE_SECTIONS[finding.ruleId] ? [RULE_SECTIONS[finding.ruleId]] : []), 'metadata.name',
  ];
  for (const field of candidates) {
    // A named field that is not written (e.g. a missing spec.backup) points at its closest written parent.
    for (let path = field; path; path = path.replace(/(\.[^.[\]]+|\[[^\]]*\])$/, '') || '') {
      const line = lineOf?.(path);
      if (line !== undefined && line >= 1) return line;
      if (!/[.[]/.test(path)) break;
    }
  }
  return 1;
}

/** Renders the SARIF log of one stack. */
export function renderSarif(report: SovereigntyReport, options: SarifOptions): Log {
  const rules: ReportingDescriptor[] = [...options.rules]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((r) => ({
      id: r.id,
      name: r.title.replace(/[^A-Za-z0-9]+/g, ' ').trim().replace(/ (\w)/g, (_, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase()),
      shortDescription: { text: r.title },
      fullDescription: { text: r.explanation },
      help: { text: r.explanation },
      properties: { tags: ['sovereignty', r.objective] },
    }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const result = (f: ReportFinding, suppressed: boolean): Result => {
    const line = findingLine(f, options.lineOf);
    return {
      ruleId: f.ruleId,
      ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
      level: LEVEL[f.severity],
      message: { text: `${f.problem}. Fix: ${f.fix}` },
      locations: [{
        physicalLocation: { artifactLocation: { uri: options.specPath }, region: { startLine: line } },
        logicalLocations: [{ fullyQualifiedName: `${report.stack}/${f.owner}`, kind: 'resource' }],
      }],
      partialFingerprints: { sovereignDesk: `${f.ruleId}|${f.owner}|${f.target}` },
      ...(suppressed ? { suppressions: [{ kind: 'external', justification: f.reason ?? '' }] } : {}),
    };
  };
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{
      tool: { driver: { name: 'sovereign-desk', rules } },
      automationDetails: { id: `sovereign-desk/${report.stack}` },
      results: [...report.findings.map((f) => result(f, false)), ...report.suppressed.map((f) => result(f, true))],
      ...(report.placements.some((p) => p.keyCustody) ? { properties: { keyCustody: keyCustodyProperties(report) } } : {}),
    }],
  };
}

/** The SARIF log of one stack, for {@link mergeSarif}. */
export interface StackSarif {
  readonly stack: string;
  readonly log: Log;
}

/**
 * One SARIF log with one run for several stacks: GitHub code scanning takes
 * one run per tool and category in an upload, so the results of every stack
 * go into one run. Rules are merged by id; fingerprints get the stack name,
 * so that the same finding in two stacks stays two alerts.
 */
export function mergeSarif(stacks: readonly StackSarif[]): Log {
  const runs = stacks.flatMap(({ stack, log }) => log.runs.map((run) => ({ stack, run })));
  const rules = new Map<string, ReportingDescriptor>();
  for (const { run } of runs) for (const rule of run.tool.driver.rules ?? []) if (!rules.has(rule.id)) rules.set(rule.id, rule);
  const sorted = [...rules.values()].sort((a, b) => a.id.localeCompare(b.id));
  const index = new Map(sorted.map((r, i) => [r.id, i]));
  const results = runs.flatMap(({ stack, run }) => (run.results ?? []).map((r): Result => {
    const { ruleIndex: _old, ...rest } = r;
    const ruleIndex = r.ruleId !== undefined ? index.get(r.ruleId) : undefined;
    return {
      ...rest,
      ...(ruleIndex !== undefined ? { ruleIndex } : {}),
      partialFingerprints: { ...r.partialFingerprints, sovereignDesk: `${stack}|${r.partialFingerprints?.sovereignDesk ?? ''}` },
    };
  }));
  const keyCustody = runs.flatMap(({ run }) => (Array.isArray(run.properties?.keyCustody) ? run.properties.keyCustody as unknown[] : []));
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{ tool: { driver: { name: 'sovereign-desk', rules: sorted } }, results, ...(keyCustody.length > 0 ? { properties: { keyCustody } } : {}) }],
  };
}

/** The key custody of every copy that leaves the cluster, as run properties (SARIF has no place for an inventory). */
function keyCustodyProperties(report: SovereigntyReport): Record<string, string>[] {
  return report.placements.filter((p) => p.keyCustody).map((p) => ({
    placement: `${report.stack}/${p.owner}`,
    target: p.target,
    custody: p.keyCustody?.custody ?? 'none',
    readable: p.keyCustody?.readable ?? '',
    ...(p.keyCustody?.unbacked ? { claimed: p.keyCustody.unbacked.claimed, unbacked: p.keyCustody.unbacked.reason } : {}),
  }));
}
