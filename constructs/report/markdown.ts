/**
 * The Markdown report a reviewer reads: verdict first, then the inventory,
 * findings, suppressions, the map and the indicative framework view.
 */
import { renderCapacity } from './capacity';
import type { ReportFinding, ReportPlacement, SovereigntyReport } from './data';
import { renderMermaid } from './mermaid';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const cell = (text: string | undefined) => (text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
const ICON: Readonly<Record<ReportPlacement['status'], string>> = { ok: 'ok', error: '**error**', warning: 'warning', suppressed: 'suppressed' };

/** The shared cluster a Workplace runs on, or the Workplaces a Cluster hosts. */
function fleetLines(report: SovereigntyReport): string[] {
  const fleet = report.fleet;
  if (!fleet) return [];
  const lines: string[] = [];
  if (fleet.cluster) lines.push(`Runs on the shared cluster **${fleet.cluster}**: its log, metrics and volume backup sinks are placements of this stack.`, '');
  if (fleet.tenants) {
    lines.push(fleet.tenants.length === 0 ? 'Hosts no Workplace.' : `Hosts ${plural(fleet.tenants.length, 'Workplace')}: ${fleet.tenants.map((t) => `**${t}**`).join(', ')}.`, '');
  }
  return lines;
}

/** Renders the report of one stack as GitHub-flavoured Markdown. */
export function renderMarkdown(report: SovereigntyReport, jurisdiction: readonly string[]): string {
  const c = report.counts;
  const out: string[] = [
    `# Sovereignty report: ${report.stack}`,
    '',
    `**${report.verdict === 'pass' ? 'PASS' : 'FAIL'}**: ${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')}, ${c.suppressed} suppressed, ${plural(c.placements, 'placement')}.`,
    '',
    `Jurisdiction **${report.jurisdiction}** (where data is) · operators **${report.operators}** (whose law controls them) · profile **${report.profile}**`,
    '',
    `Terraform state (holds every generated secret): ${report.state}`,
    '',
    ...fleetLines(report),
  ];
  if (report.findings.length > 0) {
    out.push('## Findings', '', ...report.findings.flatMap(findingBlock), '');
  }
  out.push('## Suppressions', '');
  if (report.suppressed.length === 0 && report.unusedSuppressions.length === 0) out.push('None.', '');
  for (const f of report.suppressed) out.push(`- \`${f.ruleId}\` at \`${f.owner}\` (${f.target}): ${f.problem}. **Reason:** ${f.reason}`);
  for (const s of report.unusedSuppressions) out.push(`- \`${s.rule}\` matched nothing (reason given: ${s.reason})`);
  if (report.suppressed.length + report.unusedSuppressions.length > 0) out.push('');
  out.push(
    '## Inventory',
    '',
    '| status | kind | owner | target | countries | operator / parent | keys | proven by |',
    '|---|---|---|---|---|---|---|---|',
    ...report.placements.map((p) => `| ${ICON[p.status]} | ${p.kind} | \`${cell(p.owner)}\` | ${cell(p.target)}${p.field ? ` (\`${p.field}\`)` : ''} | ${p.countries.join(', ') || '—'} | ${p.operator ? `${p.operator} / ${p.parent}` : '—'} | ${p.keyCustody?.custody ?? '—'} | ${cell(p.proof === 'unproven' ? `unproven: ${p.evidence}` : p.evidence)} |`),
    '',
    ...renderKeyCustody(report.placements),
    ...renderCapacity(report.capacity),
    '## Map',
    '',
    '```mermaid',
    renderMermaid(report, jurisdiction),
    '```',
    '',
    '## EU Cloud Sovereignty Framework (indicative)',
    '',
    `> ${report.framework.disclaimer}`,
    '',
    `Indicative overall: **SEAL-${report.framework.overallSeal}** (weakest evidenced objective) · weighted score ${report.framework.score}/100 over the evidenced objectives. Weights: ${report.framework.weightsSource}.`,
    '',
    '| objective | weight | indicative level | evidence |',
    '|---|---|---|---|',
    ...report.framework.objectives.map((o) => `| ${o.id} ${o.name} | ${o.weight} | ${o.seal === undefined ? 'not evidenced' : `SEAL-${o.seal}`} | ${cell(o.evidence.join('; '))} |`),
    '',
  );
  return out.join('\n');
}

/**
 * Every copy that leaves the cluster: who holds its keys and what an
 * operator of its target can read (SD-KEY-CUSTODY judges it).
 */
export function renderKeyCustody(placements: readonly ReportPlacement[]): string[] {
  const leaving = placements.filter((p) => p.keyCustody);
  if (leaving.length === 0) return [];
  return [
    '## Key custody',
    '',
    'Who holds the keys of each copy that leaves the cluster, and what an operator of its target can read.',
    '',
    '| keys | owner | target | what its operator can read | where the keys are |',
    '|---|---|---|---|---|',
    ...leaving.map((p) => {
      const k = p.keyCustody as NonNullable<ReportPlacement['keyCustody']>;
      const custody = k.unbacked ? `${k.custody} (claimed ${k.unbacked.claimed}; not backed: ${k.unbacked.reason})` : k.custody;
      return `| ${cell(custody)} | \`${cell(p.owner)}\` | ${cell(p.target)} | ${cell(k.readable)} | ${cell([k.keys, k.kms ? `KMS ${k.kms}` : undefined].filter(Boolean).join('; ') || '—')} |`;
    }),
    '',
  ];
}

function findingBlock(f: ReportFinding): string[] {
  return [
    `### ${f.severity === 'error' ? 'Error' : 'Warning'} \`${f.ruleId}\`: ${f.title}`,
    '',
    `- **Where:** \`${f.owner}\`${f.field ? ` (\`${f.field}\`)` : ''}: ${f.target}`,
    `- **Problem:** ${f.problem}`,
    `- **Fix:** ${f.fix}`,
    `- **Why:** ${f.explanation} (${f.objective})`,
    '',
  ];
}
