/**
 * Plan review for pull requests: compares two synth output directories (base
 * and head) — resources added, removed and changed, and what the change does
 * to sovereignty — and renders a Markdown comment.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ReportFinding, ReportPlacement, SovereigntyReport, appOf } from './data';
import { capacityDelta } from './capacity';
import { REPORT_DIR } from './write';

/**
 * A problem with the review's input, said plainly (the CLI prints the message
 * and exits 2).
 *
 * @example
 * throw new ReviewInputError('--base out/base: no such directory.');
 */
export class ReviewInputError extends Error {}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Blocks = Record<string, Record<string, Record<string, Json>>>;

/** One synthesized stack. */
export interface SynthesizedStack {
  readonly resources: Blocks;
  readonly report?: SovereigntyReport;
}

/** Reads a synth output directory (`cdktf.out`). */
export function readSynthDir(dir: string, flag: string): Map<string, SynthesizedStack> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ReviewInputError(`${flag} ${dir}: no such directory. Expected the output directory of a synth (cdktf.out), e.g. run \`npx cdktf synth --output ${dir}\` first.`);
  }
  const manifest = readJson(join(dir, 'manifest.json'), flag, 'manifest.json is missing: this is not the output directory of a synth') as {
    stacks?: Record<string, { synthesizedStackPath?: string }>;
  };
  if (!manifest.stacks || typeof manifest.stacks !== 'object') {
    throw new ReviewInputError(`${flag} ${dir}: manifest.json has no "stacks". Expected the output directory of a synth (cdktf.out).`);
  }
  const stacks = new Map<string, SynthesizedStack>();
  for (const [name, entry] of Object.entries(manifest.stacks)) {
    const config = readJson(join(dir, entry.synthesizedStackPath ?? join('stacks', name, 'cdk.tf.json')), flag, `the configuration of stack ${name} is missing`) as { resource?: Blocks };
    const reportFile = join(dir, REPORT_DIR, `${name}.json`);
    stacks.set(name, {
      resources: config.resource ?? {},
      report: existsSync(reportFile) ? (readJson(reportFile, flag, '') as SovereigntyReport) : undefined,
    });
  }
  return stacks;
}

function readJson(file: string, flag: string, missing: string): unknown {
  if (!existsSync(file)) throw new ReviewInputError(`${flag}: ${file}: ${missing}.`);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ReviewInputError(`${flag}: ${file} is not valid JSON (${(error as Error).message}).`);
  }
}

export interface ResourceChange {
  readonly address: string;
  readonly app: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** Attribute paths that changed (values are not shown: they may be secret). */
  readonly paths: readonly string[];
}

export interface PlacementMove {
  readonly placement: ReportPlacement;
  readonly from: string;
  readonly to: string;
}

/** A copy that leaves the cluster whose key custody changed (e.g. client-side → provider). */
export interface CustodyChange {
  readonly placement: ReportPlacement;
  readonly from: string;
  readonly to: string;
}

export interface StackReview {
  readonly stack: string;
  readonly status: 'added' | 'removed' | 'changed' | 'unchanged';
  readonly resources: readonly ResourceChange[];
  readonly placementsAdded: readonly ReportPlacement[];
  readonly placementsRemoved: readonly ReportPlacement[];
  readonly placementsMoved: readonly PlacementMove[];
  /** Copies that stay where they are but whose keys someone else now holds (or no longer holds). */
  readonly custodyChanged: readonly CustodyChange[];
  readonly newFindings: readonly ReportFinding[];
  readonly resolvedFindings: readonly ReportFinding[];
  readonly newSuppressions: readonly ReportFinding[];
  readonly headVerdict?: 'pass' | 'fail';
  /** The head's totals: errors, warnings, suppressed, placements. @default - none (a removed stack, or a head without a report) */
  readonly headCounts?: SovereigntyReport['counts'];
  /** What the change adds to or takes from the cluster, e.g. `+6 vCPU requests, +12 GiB memory requests`; `no change`. */
  readonly capacity: string;
}

/** Compares base and head. */
export function review(base: Map<string, SynthesizedStack>, head: Map<string, SynthesizedStack>): StackReview[] {
  const names = [...new Set([...base.keys(), ...head.keys()])].sort();
  return names.map((stack) => reviewStack(stack, base.get(stack), head.get(stack)));
}

function reviewStack(stack: string, base: SynthesizedStack | undefined, head: SynthesizedStack | undefined): StackReview {
  const resources = diffResources(base?.resources ?? {}, head?.resources ?? {});
  const placementKey = (p: ReportPlacement) => `${p.kind}|${p.owner}|${p.field ?? ''}|${p.address ?? ''}`;
  const located = (p: ReportPlacement) => `${p.countries.join(', ') || 'unproven'} (${p.place ?? p.evidence})`;
  const basePlacements = new Map((base?.report?.placements ?? []).map((p) => [`${placementKey(p)}|${p.target}`, p]));
  const headPlacements = new Map((head?.report?.placements ?? []).map((p) => [`${placementKey(p)}|${p.target}`, p]));
  const added = [...headPlacements].filter(([k]) => !basePlacements.has(k)).map(([, p]) => p);
  const removed = [...basePlacements].filter(([k]) => !headPlacements.has(k)).map(([, p]) => p);
  const moved: PlacementMove[] = [];
  for (const p of [...added]) {
    const before = removed.find((r) => placementKey(r) === placementKey(p));
    if (!before) continue;
    moved.push({ placement: p, from: `${before.target}: ${located(before)}`, to: `${p.target}: ${located(p)}` });
    added.splice(added.indexOf(p), 1);
    removed.splice(removed.indexOf(before), 1);
  }
  const custodyOf = (p: ReportPlacement) => (p.keyCustody
    ? `${p.keyCustody.custody}${p.keyCustody.unbacked ? ` (claimed ${p.keyCustody.unbacked.claimed}, not backed)` : ''}` : 'stays in the cluster');
  const custodyChanged: CustodyChange[] = [...headPlacements]
    .filter(([k, p]) => basePlacements.has(k) && custodyOf(basePlacements.get(k) as ReportPlacement) !== custodyOf(p))
    .map(([k, p]) => ({ placement: p, from: custodyOf(basePlacements.get(k) as ReportPlacement), to: custodyOf(p) }));
  for (const m of moved) {
    const before = (base?.report?.placements ?? []).find((b) => placementKey(b) === placementKey(m.placement) && `${b.target}: ${located(b)}` === m.from);
    if (before && custodyOf(before) !== custodyOf(m.placement)) custodyChanged.push({ placement: m.placement, from: custodyOf(before), to: custodyOf(m.placement) });
  }
  const findingKey = (f: ReportFinding) => `${f.ruleId}|${f.owner}|${f.target}`;
  // A finding whose severity changed (a warning that is now an error) is new at its new severity.
  const severeKey = (f: ReportFinding) => `${f.severity}|${findingKey(f)}`;
  const baseFindings = new Set((base?.report?.findings ?? []).map(severeKey));
  const headFindings = new Set((head?.report?.findings ?? []).map(severeKey));
  const baseSuppressed = new Set((base?.report?.suppressed ?? []).map(findingKey));
  const changed = resources.length + added.length + removed.length + moved.length + custodyChanged.length > 0;
  return {
    stack,
    status: !base ? 'added' : !head ? 'removed' : changed ? 'changed' : 'unchanged',
    resources,
    placementsAdded: added,
    placementsRemoved: removed,
    placementsMoved: moved,
    custodyChanged,
    newFindings: (head?.report?.findings ?? []).filter((f) => !baseFindings.has(severeKey(f))),
    resolvedFindings: (base?.report?.findings ?? []).filter((f) => !headFindings.has(severeKey(f))),
    newSuppressions: (head?.report?.suppressed ?? []).filter((f) => !baseSuppressed.has(findingKey(f))),
    headVerdict: head?.report?.verdict,
    ...(head?.report?.counts ? { headCounts: head.report.counts } : {}),
    // Reports written before the capacity section have none: then nothing is compared.
    capacity: base?.report && !base.report.capacity || head?.report && !head.report.capacity
      ? 'no change' : capacityDelta(base?.report?.capacity, head?.report?.capacity),
  };
}

function diffResources(base: Blocks, head: Blocks): ResourceChange[] {
  const flatten = (blocks: Blocks) => new Map(Object.entries(blocks).flatMap(([type, named]) =>
    Object.entries(named).map(([name, body]) => [`${type}.${name}`, body] as const)));
  const before = flatten(base);
  const after = flatten(head);
  const appOfBody = (body: Record<string, Json>) => {
    const path = ((body['//'] as { metadata?: { path?: string } } | undefined)?.metadata?.path ?? '').split('/').slice(1).join('/');
    return appOf(path);
  };
  const changes: ResourceChange[] = [];
  for (const address of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const b = before.get(address);
    const a = after.get(address);
    if (!b && a) changes.push({ address, app: appOfBody(a), change: 'added', paths: [] });
    else if (b && !a) changes.push({ address, app: appOfBody(b), change: 'removed', paths: [] });
    else if (a && b) {
      const paths = changedPaths(strip(b), strip(a), '');
      if (paths.length > 0) changes.push({ address, app: appOfBody(a), change: 'changed', paths });
    }
  }
  return changes;
}

function strip(body: Record<string, Json>): Json {
  const { '//': _meta, ...rest } = body;
  return rest;
}

/** Attribute paths whose values differ; YAML documents inside strings (Helm values) are compared key by key. */
export function changedPaths(before: Json | undefined, after: Json | undefined, path: string): string[] {
  if (typeof before === 'string' && typeof after === 'string' && before !== after) {
    const b = asYamlMap(before);
    const a = asYamlMap(after);
    if (b && a) return changedPaths(b, a, `${path}:`).map((p) => p.replace(/:\./, ':'));
  }
  if (isMap(before) && isMap(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => changedPaths(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item, i) => changedPaths(item, after[i], `${path}[${i}]`));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [path || '(root)'];
}

function isMap(v: Json | undefined): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asYamlMap(text: string): Json | undefined {
  if (!text.includes(':') || !text.includes('\n')) return undefined;
  try {
    const parsed = parse(text) as Json;
    return isMap(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** 1 when the head has error findings the base did not have (so CI can block the merge), else 0. */
export function reviewExitCode(reviews: readonly StackReview[]): 0 | 1 {
  return reviews.some((r) => r.newFindings.some((f) => f.severity === 'error')) ? 1 : 0;
}

/** The marker that finds the review's one comment on a pull request again. */
export const REVIEW_MARKER = '<!-- sovereign-desk-review -->';

/**
 * The review `npm run review` prints: a line per stack, the changed ones
 * first, then every changed stack in full.
 */
export function renderReview(reviews: readonly StackReview[]): string {
  return [REVIEW_MARKER, '## Sovereignty review', '', ...renderStackLines(reviews), ...renderStackReviews(reviews)].join('\n');
}

/** True when no stack changed: same configuration, same placements, same findings. */
export function nothingChanged(reviews: readonly StackReview[]): boolean {
  return !reviews.some(hasDelta);
}

/** True when the stack was added or removed, or a resource, placement, finding or suppression changed. */
export function hasDelta(r: StackReview): boolean {
  return r.status !== 'unchanged' || r.newFindings.length + r.resolvedFindings.length + r.newSuppressions.length > 0;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const countOf = (r: StackReview, severity: ReportFinding['severity']) => r.newFindings.filter((f) => f.severity === severity).length;

/** Stacks with a delta first (more new errors, then more new warnings first), then the unchanged ones; by name within each. */
export function byChange(a: StackReview, b: StackReview): number {
  return Number(hasDelta(b)) - Number(hasDelta(a)) || countOf(b, 'error') - countOf(a, 'error') || countOf(b, 'warning') - countOf(a, 'warning')
    || a.stack.localeCompare(b.stack);
}

/**
 * One line of a stack: the head's verdict and totals, and for a changed
 * stack what changed, e.g.
 * `- **FAIL** \`eu-body\` (\`deployments/eu-body.yaml\`): changed; 3 errors, 0 warnings, 68 placements; new: **3 errors**, 0 warnings, 0 resolved; placements: 1 moved; resources: 1 changed`.
 */
export function stackLine(r: StackReview, spec?: string): string {
  const verdict = r.headVerdict ? `**${r.headVerdict.toUpperCase()}**` : '—';
  const totals = r.headCounts ? `; ${plural(r.headCounts.errors, 'error')}, ${plural(r.headCounts.warnings, 'warning')}, ${plural(r.headCounts.placements, 'placement')}` : '';
  const parts: string[] = [];
  if (hasDelta(r)) {
    const errors = countOf(r, 'error');
    parts.push(`new: ${errors ? `**${plural(errors, 'error')}**` : '0 errors'}, ${plural(countOf(r, 'warning'), 'warning')}, ${r.resolvedFindings.length} resolved${r.newSuppressions.length ? `, ${plural(r.newSuppressions.length, 'suppression')}` : ''}`);
    const placements = [[r.placementsMoved.length, 'moved'], [r.placementsAdded.length, 'added'], [r.placementsRemoved.length, 'removed']] as const;
    if (placements.some(([n]) => n > 0)) parts.push(`placements: ${placements.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`).join(', ')}`);
    const resources = (['added', 'changed', 'removed'] as const).map((change) => [r.resources.filter((c) => c.change === change).length, change] as const);
    if (resources.some(([n]) => n > 0)) parts.push(`resources: ${resources.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`).join(', ')}`);
  }
  return `- ${verdict} ${code(r.stack)}${spec ? ` (${code(spec)})` : ''}: ${r.status}${totals}${parts.map((p) => `; ${p}`).join('')}`;
}

/** The heading and a line per stack, the changed ones first (see {@link byChange}). */
export function renderStackLines(reviews: readonly StackReview[], specs: Readonly<Record<string, string>> = {}): string[] {
  const changed = reviews.filter(hasDelta).length;
  return [
    `### Stacks: ${changed} changed, ${reviews.length - changed} unchanged`, '',
    ...[...reviews].sort(byChange).map((r) => stackLine(r, specs[r.stack])), '',
  ];
}

/** Inline code that survives any text: backticks inside get a longer fence. */
export function code(text: string): string {
  const clean = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return longest > 0 ? `${fence} ${clean} ${fence}` : `${fence}${clean}${fence}`;
}

/**
 * Text from a spec or a finding, made inert for GitHub Markdown: no HTML (an
 * open `<!--` would hide the rest of a comment, a tag would render), no
 * mention of a user or team (`@` is followed by a word joiner), no line breaks.
 */
export function inert(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/@/g, '@\u2060');
}

/**
 * The lines of every changed stack's review in full (sovereignty delta, then
 * resources by app), the changed stacks in the order of {@link byChange}; or
 * one line saying that nothing changed. An unchanged stack has no detail
 * beyond its {@link stackLine}.
 */
export function renderStackReviews(reviews: readonly StackReview[]): string[] {
  const out: string[] = [];
  if (nothingChanged(reviews)) {
    out.push('No changes: the synthesized configuration and the placements are identical.', '');
    return out;
  }
  for (const r of [...reviews].filter(hasDelta).sort(byChange)) {
    const blocking = r.newFindings.filter((f) => f.severity === 'error').length;
    out.push(`### Stack \`${r.stack}\` (${r.status}${r.headVerdict ? `; head: **${r.headVerdict.toUpperCase()}**` : ''}${blocking ? `; **${blocking} new error${blocking === 1 ? '' : 's'}**` : ''})`, '');
    if (r.capacity !== 'no change') out.push(`Capacity: ${r.capacity}.`, '');
    out.push('#### Sovereignty delta', '');
    const delta: string[] = [
      ...r.placementsMoved.map((m) => `- **moved** ${m.placement.kind} \`${m.placement.owner}\`${m.placement.field ? ` (\`${m.placement.field}\`)` : ''}: ${inert(m.from)} → ${inert(m.to)}`),
      ...r.custodyChanged.map((c) => `- **keys changed** ${c.placement.kind} \`${c.placement.owner}\`: ${inert(c.from)} → ${inert(c.to)}`),
      ...r.placementsAdded.map((p) => `- **added** ${p.kind} \`${p.owner}\`: ${inert(p.target)}: ${p.countries.join(', ') || 'unproven'}${p.place ? ` (${inert(p.place)})` : ''}${p.keyCustody ? `; keys: ${p.keyCustody.custody}` : ''}`),
      ...r.placementsRemoved.map((p) => `- **removed** ${p.kind} \`${p.owner}\`: ${inert(p.target)}`),
      ...r.newFindings.map((f) => `- **new ${f.severity}** \`${f.ruleId}\` at \`${f.owner}\`: ${inert(f.problem)}. Fix: ${inert(f.fix)}`),
      ...r.resolvedFindings.map((f) => `- **resolved** \`${f.ruleId}\` at \`${f.owner}\`: ${inert(f.problem)}`),
      ...r.newSuppressions.map((f) => `- **new suppression** \`${f.ruleId}\` at \`${f.owner}\`: ${inert(f.problem)}. Reason: ${inert(f.reason ?? '')}`),
    ];
    out.push(...(delta.length ? delta : ['No change to placements or findings.']), '');
    out.push('#### Resources', '');
    if (r.resources.length === 0) out.push('No resource changes.', '');
    const apps = [...new Set(r.resources.map((c) => c.app))].sort();
    for (const app of apps) {
      out.push(`<details><summary><b>${app}</b>: ${summary(r.resources.filter((c) => c.app === app))}</summary>`, '');
      for (const c of r.resources.filter((x) => x.app === app)) {
        out.push(`- ${c.change} \`${c.address}\`${c.paths.length ? `: ${c.paths.slice(0, 12).map((p) => `\`${p}\``).join(', ')}${c.paths.length > 12 ? `, … (${c.paths.length - 12} more)` : ''}` : ''}`);
      }
      out.push('', '</details>', '');
    }
  }
  return out;
}

function summary(changes: readonly ResourceChange[]): string {
  const count = (kind: ResourceChange['change']) => changes.filter((c) => c.change === kind).length;
  return `${count('added')} added, ${count('changed')} changed, ${count('removed')} removed`;
}
