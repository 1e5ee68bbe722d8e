/**
 * The pull-request review of every deployment of a repository: its verdict,
 * the comment (a line per stack, the changed first, that always fits GitHub's size limit) and
 * the full report (for the job summary and the artifact).
 *
 * @example
 * const pr: PullRequestReview = { reviews, specs: { 'default/agency-de': 'stacks/default-deployment.yaml' }, problems: [] };
 * const { exitCode, message } = pullRequestVerdict(pr);
 * const comment = renderPullRequestComment(pr); // ≤ COMMENT_BUDGET characters
 */
import { REVIEW_MARKER, StackReview, byChange, code, inert, nothingChanged, renderStackLines, renderStackReviews, stackLine } from './review';

/** GitHub refuses comments longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/**
 * The characters the comment may use: GitHub's limit less a margin, as
 * GitHub may store line ends as CR LF and counts characters differently
 * from JavaScript's UTF-16 length for some scripts.
 */
export const COMMENT_BUDGET = 60_000;

/** GitHub refuses a job summary (`$GITHUB_STEP_SUMMARY`) larger than 1 MiB per step. */
export const STEP_SUMMARY_LIMIT_BYTES = 1_048_576;

/** The bytes the job summary may use: the limit less a margin. */
export const STEP_SUMMARY_BUDGET_BYTES = 1_000_000;

/** The name of the workflow artifact that holds the full review. */
export const REVIEW_ARTIFACT = 'sovereignty-review';

/** The file of the full review in the artifact. */
export const FULL_REVIEW_FILE = 'review.md';

/** Which checkout a deployment was synthesized from. */
export type Side = 'base' | 'head';

/** A deployment that could not be reviewed. */
export interface ReviewProblem {
  readonly side: Side;
  /** The spec file, relative to the repository root. */
  readonly file: string;
  /** One line: what went wrong and how to fix it. */
  readonly summary: string;
  /** What the synth printed (its end), shown as a code block. @default - nothing shown */
  readonly output?: string;
}

/** The review of a pull request: every stack of every deployment, and what could not be reviewed. */
export interface PullRequestReview {
  readonly reviews: readonly StackReview[];
  /** The spec file of each reviewed stack, by stack name (the head's file, else the base's). */
  readonly specs: Readonly<Record<string, string>>;
  readonly problems: readonly ReviewProblem[];
  /**
   * Errors the reviewing code's own proof finds in a head's configuration
   * that the head's report does not list (the head's code may have changed
   * the proof). @default - none
   */
  readonly disagreements?: readonly Disagreement[];
  /** The page of the run, where the job summary is. @default - the comment names no link */
  readonly detailsUrl?: string;
}

/** An error the reviewing code finds in the head's configuration. */
export interface DisagreementFinding {
  readonly ruleId: string;
  readonly owner: string;
  readonly target: string;
  readonly problem: string;
}

/** Errors the reviewing code finds in one stack of the head that the head's own report does not list. */
export interface Disagreement {
  readonly stack: string;
  /** The head's spec file. */
  readonly file: string;
  readonly findings: readonly DisagreementFinding[];
}

/** The exit code of the review and the one line that says why. */
export interface ReviewVerdict {
  /** 0: no new error findings; 1: the head adds error findings; 2: a deployment could not be reviewed. */
  readonly exitCode: 0 | 1 | 2;
  readonly message: string;
}

/** Longest text of a finding or placement in one comment line. */
const LINE_TEXT_MAX = 500;

/** Lines of a synth's output shown per problem: in the comment, in the full report. */
const OUTPUT_LINES = { comment: 25, full: 200 } as const;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const newErrors = (r: StackReview) => r.newFindings.filter((f) => f.severity === 'error').length;
const newWarnings = (r: StackReview) => r.newFindings.filter((f) => f.severity === 'warning').length;

/** The verdict: 2 when any deployment could not be reviewed, else 1 when the head adds error findings, else 0. */
export function pullRequestVerdict(pr: PullRequestReview): ReviewVerdict {
  const failing = pr.reviews.filter((r) => newErrors(r) > 0).sort(byChange);
  const disagreements = pr.disagreements ?? [];
  const errors = failing.reduce((sum, r) => sum + newErrors(r), 0) + disagreements.reduce((sum, d) => sum + d.findings.length, 0);
  const where = [
    ...failing.map((r) => `${r.stack} (${pr.specs[r.stack] ?? 'no spec'}): ${newErrors(r)}`),
    ...disagreements.map((d) => `${d.stack} (${d.file}): ${d.findings.length} the head's own proof does not report`),
  ].join(', ');
  if (pr.problems.length > 0) {
    const problems = pr.problems.map((p) => `${p.side} ${p.file}: ${p.summary}`).join('; ');
    const besides = errors > 0 ? `; besides, the head adds ${plural(errors, 'error finding')} (${where})` : '';
    return { exitCode: 2, message: `could not review ${plural(pr.problems.length, 'deployment')}: ${problems}${besides}` };
  }
  if (errors > 0) {
    return { exitCode: 1, message: `FAIL: the head adds ${plural(errors, 'error finding')} the base does not have (${where}); each finding names its fix` };
  }
  return { exitCode: 0, message: `PASS: no new error findings in ${plural(pr.reviews.length, 'stack')}` };
}

/** The headline of the comment and the full report. */
function headline(pr: PullRequestReview): string {
  const verdict = pullRequestVerdict(pr);
  const stacks = plural(pr.reviews.length, 'stack');
  if (verdict.exitCode === 2) {
    const others = `${plural(pr.reviews.length, 'other stack')} ${pr.reviews.length === 1 ? 'was' : 'were'} compared`;
    return `**Could not review** ${plural(pr.problems.length, 'deployment')} (see below); ${others}.`;
  }
  const failing = new Set([...pr.reviews.filter((r) => newErrors(r) > 0).map((r) => r.stack), ...(pr.disagreements ?? []).map((d) => d.stack)]).size;
  if (verdict.exitCode === 1) {
    const errors = pr.reviews.reduce((sum, r) => sum + newErrors(r), 0) + (pr.disagreements ?? []).reduce((sum, d) => sum + d.findings.length, 0);
    return `**FAIL**: the head adds ${plural(errors, 'error finding')} in ${failing} of ${stacks}.`;
  }
  return nothingChanged(pr.reviews) ? `**PASS**: no changes in ${stacks}.` : `**PASS**: no new error findings in ${stacks}.`;
}

/** The blocks of the problems: a line each, with the end of the synth's output as a code block. */
function problemBlocks(pr: PullRequestReview, outputLines: number): string[] {
  if (pr.problems.length === 0) return [];
  return ['### Could not review', ...pr.problems.map((p) => {
    const line = `- **${p.side}** ${code(p.file)}: ${clip(inert(p.summary), LINE_TEXT_MAX * 2)}`;
    return p.output ? `${line}\n\n${codeBlock(lastLines(p.output, outputLines))}\n` : line;
  })];
}

/** Errors the reviewing code finds that the head's own proof does not report. */
function disagreementBlocks(pr: PullRequestReview): string[] {
  const disagreements = pr.disagreements ?? [];
  if (disagreements.length === 0) return [];
  return [
    "### The base's proof finds errors the head's does not report",
    "The head's configuration was proven again by the code of the base; the head changes the proof itself, or its report is wrong. Review the change to the proof before anything else.",
    ...disagreements.flatMap((d) => d.findings.map((f) => `- ${code(d.stack)} (${code(d.file)}): ${code(f.ruleId)} at ${code(f.owner)}: ${clip(inert(f.problem), LINE_TEXT_MAX)}`)),
  ];
}

/** The sovereignty delta of each stack that has one, a line per item, most important stacks first. */
function deltaBlocks(pr: PullRequestReview): string[] {
  return [...pr.reviews].sort(byChange).flatMap((r) => {
    const lines = deltaLines(r);
    if (lines.length === 0) return [];
    const counts = [plural(newErrors(r), 'new error'), plural(newWarnings(r), 'new warning'), `${r.resolvedFindings.length} resolved`].join(', ');
    return [`### ${code(r.stack)} (${code(pr.specs[r.stack] ?? 'no spec')}): ${counts}`, ...lines];
  });
}

function deltaLines(r: StackReview): string[] {
  const at = (owner: string) => code(owner);
  const finding = (label: string) => (f: StackReview['newFindings'][number]) => `- **${label}** ${code(f.ruleId)} at ${at(f.owner)}: ${clip(inert(f.problem), LINE_TEXT_MAX)}`;
  return [
    ...r.newFindings.filter((f) => f.severity === 'error').map(finding('new error')),
    ...r.newFindings.filter((f) => f.severity !== 'error').map(finding('new warning')),
    ...r.newSuppressions.map((f) => `- **new suppression** ${code(f.ruleId)} at ${at(f.owner)}: ${clip(inert(f.reason ?? ''), LINE_TEXT_MAX)}`),
    ...r.placementsMoved.map((m) => `- **moved** ${m.placement.kind} ${at(m.placement.owner)}: ${clip(inert(`${m.from} → ${m.to}`), LINE_TEXT_MAX)}`),
    ...r.custodyChanged.map((c) => `- **keys changed** ${c.placement.kind} ${at(c.placement.owner)}: ${clip(inert(`${c.from} → ${c.to}`), LINE_TEXT_MAX)}`),
    ...r.placementsAdded.map((p) => `- **added** ${p.kind} ${at(p.owner)}: ${clip(inert(`${p.target}: ${p.countries.join(', ') || 'unproven'}${p.keyCustody ? `; keys: ${p.keyCustody.custody}` : ''}`), LINE_TEXT_MAX)}`),
    ...r.placementsRemoved.map((p) => `- **removed** ${p.kind} ${at(p.owner)}: ${clip(inert(p.target), LINE_TEXT_MAX)}`),
    ...r.resolvedFindings.map(finding('resolved')),
    ...(r.capacity !== 'no change' ? [`- **capacity** ${r.capacity}`] : []),
  ];
}

/** Where the full review is, for the end of the comment. */
function whereFull(pr: PullRequestReview): string {
  const run = pr.detailsUrl ? `[this run](<${pr.detailsUrl}>)` : 'this run';
  return `The full review (resources by app, every placement, fixes) is in the job summary of ${run} and in its artifact ${code(REVIEW_ARTIFACT)}: ${code(FULL_REVIEW_FILE)}, and ${code(`${STACK_REVIEWS_DIR}/<stack>.md`)} for each stack.`;
}

/** The folder of the artifact that holds a file per stack. */
export const STACK_REVIEWS_DIR = 'stacks';

/**
 * The file of a stack's review in the artifact, relative to it: the stack
 * name with every character but letters, digits, `.`, `_` and `-` made `_`
 * (the default's `default/agency-de` is `stacks/default_agency-de.md`).
 */
export function stackReviewFile(stack: string): string {
  return `${STACK_REVIEWS_DIR}/${stack.replace(/[^A-Za-z0-9._-]/g, '_')}.md`;
}

/** The review of one stack in full, for its file in the artifact: its line, then its delta and resources. */
export function renderStackReview(pr: PullRequestReview, r: StackReview): string {
  return [`# Stack ${code(r.stack)}`, '', stackLine(r, pr.specs[r.stack]), '', ...renderStackReviews([r])].join('\n');
}

/**
 * The pull-request comment: the marker, the verdict, a line per stack (the
 * changed ones first), what could not be reviewed, and the sovereignty delta
 * of each changed stack, cut at a
 * whole line with a note when it would exceed {@link COMMENT_BUDGET}.
 */
export function renderPullRequestComment(pr: PullRequestReview, budget = COMMENT_BUDGET): string {
  const blocks = [...renderStackLines(pr.reviews, pr.specs), ...problemBlocks(pr, OUTPUT_LINES.comment), ...disagreementBlocks(pr), ...deltaBlocks(pr)];
  const tail = (omitted: number) => ['', ...(omitted > 0 ? [`> **Shortened**: ${plural(omitted, 'more line')} not shown; a comment holds at most ${GITHUB_COMMENT_LIMIT.toLocaleString('en')} characters.`, ''] : []), whereFull(pr), ''];
  return fitBlocks([REVIEW_MARKER, '## Sovereignty review', '', headline(pr), ''], blocks, tail, budget, (text) => text.length);
}

/**
 * The full review for the job summary and the artifact: the verdict, a line
 * per stack, every problem with more of the synth's output, and every
 * changed stack in full. With `budgetBytes`, cut at a whole block with a note pointing at
 * {@link FULL_REVIEW_FILE} in the artifact.
 */
export function renderFullReview(pr: PullRequestReview, budgetBytes = Number.POSITIVE_INFINITY): string {
  const blocks = [
    ...renderStackLines(pr.reviews, pr.specs),
    ...problemBlocks(pr, OUTPUT_LINES.full),
    ...disagreementBlocks(pr),
    '## Stacks in full', '',
    ...groupDetails(renderStackReviews(pr.reviews)),
  ];
  const tail = (omitted: number) => (omitted > 0
    ? ['', `> **Shortened**: ${plural(omitted, 'more line')} not shown; a job summary holds at most 1 MiB. The whole review is ${code(FULL_REVIEW_FILE)} in the artifact ${code(REVIEW_ARTIFACT)}.`, '']
    : ['']);
  return fitBlocks(['# Sovereignty review', '', headline(pr), ''], blocks, tail, budgetBytes, (text) => Buffer.byteLength(text, 'utf8'));
}

/** Keeps each `<details>` … `</details>` span in one block, so that a cut never leaves one open. */
function groupDetails(lines: readonly string[]): string[] {
  const blocks: string[] = [];
  let open: string[] | undefined;
  for (const line of lines) {
    if (open) {
      open.push(line);
      if (line === '</details>') {
        blocks.push(open.join('\n'));
        open = undefined;
      }
    } else if (line.startsWith('<details>')) {
      open = [line];
    } else {
      blocks.push(line);
    }
  }
  if (open) blocks.push(...open);
  return blocks;
}

/**
 * Joins the head, as many whole blocks as fit and the tail (told how many
 * blocks were left out), so that the text measures at most `budget`.
 * @throws Error when even the head and the tail do not fit (a budget far too small)
 */
function fitBlocks(head: readonly string[], blocks: readonly string[], tail: (omitted: number) => string[], budget: number, measure: (text: string) => number): string {
  const all = [...head, ...blocks, ...tail(0)].join('\n');
  if (measure(all) <= budget) return all;
  const reserve = measure([...head, ...tail(blocks.length)].join('\n')) + 1;
  if (reserve > budget) throw new Error(`a budget of ${budget} cannot hold even the verdict and the note (${reserve}); raise it`);
  let used = reserve;
  let kept = 0;
  while (kept < blocks.length && used + measure(blocks[kept]) + 1 <= budget) {
    used += measure(blocks[kept]) + 1;
    kept += 1;
  }
  const omitted = blocks.slice(kept).reduce((lines, block) => lines + block.split('\n').length, 0);
  return [...head, ...blocks.slice(0, kept), ...tail(omitted)].join('\n');
}

/** A fenced code block longer than any backtick run inside. */
function codeBlock(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${text}\n${fence}`;
}

/** At most `max` characters of one line, ending in … when cut (never inside a surrogate pair). */
function clip(text: string, max: number): string {
  const line = text.replace(/[\r\n]+/g, ' ');
  if (line.length <= max) return line;
  const chars = [...line];
  return chars.length <= max ? line : `${chars.slice(0, max - 1).join('')}…`;
}

/** The last `count` lines, each at most 300 characters, without terminal colours or control characters. */
function lastLines(text: string, count: number): string {
  // eslint-disable-next-line no-control-regex
  const plain = text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
  const lines = plain.trimEnd().split('\n');
  const shown = lines.slice(-count).map((l) => clip(l, 300));
  return lines.length > count ? [`… (${lines.length - count} earlier lines)`, ...shown].join('\n') : shown.join('\n');
}
