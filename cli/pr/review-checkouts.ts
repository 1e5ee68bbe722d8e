/**
 * The pull-request review of two checkouts: synthesizes every deployment of
 * the base and of the head, compares them stack by stack, and writes the
 * comment, the full review, the merged SARIF and the verdict.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Log } from 'sarif';
import {
  Disagreement, FULL_REVIEW_FILE, PullRequestReview, REPORT_DIR, ReviewProblem, ReviewVerdict, STEP_SUMMARY_BUDGET_BYTES, STACK_REVIEWS_DIR,
  SynthesizedStack, mergeSarif, pullRequestVerdict, renderFullReview, renderPullRequestComment, renderStackReview, review, stackReviewFile,
} from '../../constructs/report';
import { CheckoutDeployments, DEPLOYMENTS_FOLDER, readCheckout } from './deployments';
import { secondOpinions } from './second-opinion';
import { synthStacks } from './synth-stacks';
import { SynthJob, SynthOptions, SynthOutcome, synthesizeAll } from './synthesize';

/** The files the review writes into its output folder. */
export const REVIEW_FILES = {
  /** The pull-request comment (under GitHub's limit). */
  comment: 'comment.md',
  /** The job summary (under its 1 MiB limit). */
  summary: 'summary.md',
  /** The whole review, never shortened. */
  full: FULL_REVIEW_FILE,
  /** The head's findings, one run for code scanning. */
  sarif: 'sovereign-desk.sarif',
  /** The verdict and the stacks, for tools. */
  result: 'result.json',
} as const;

/** Options of {@link reviewCheckouts}. */
export interface ReviewCheckoutsProps extends SynthOptions {
  /** A checkout of the base (dependencies installed). */
  readonly base: string;
  /** A checkout of the head (dependencies installed). */
  readonly head: string;
  /** Where the synth outputs and the review's files go. */
  readonly out: string;
  /** The folder of further specs in each checkout. @default DEPLOYMENTS_FOLDER */
  readonly deployments?: string;
  /** The page of the CI run, linked from the comment. @default - no link */
  readonly detailsUrl?: string;
}

/** What the review found and where it wrote it. */
export interface ReviewCheckoutsResult {
  readonly verdict: ReviewVerdict;
  readonly review: PullRequestReview;
  /** Absolute paths of the files written, by {@link REVIEW_FILES} key. */
  readonly files: Readonly<Record<keyof typeof REVIEW_FILES, string>>;
}

/**
 * Reviews the head against the base.
 * @throws ReviewSetupError when a checkout is missing or is not one of this project (nothing is written)
 */
export async function reviewCheckouts(props: ReviewCheckoutsProps): Promise<ReviewCheckoutsResult> {
  const folder = props.deployments ?? DEPLOYMENTS_FOLDER;
  const checkouts = [readCheckout('base', props.base, '--base', folder), readCheckout('head', props.head, '--head', folder)];
  const out = resolve(props.out);
  clearOutput(out);
  const jobs: SynthJob[] = checkouts.flatMap((checkout) => checkout.deployments.map((deployment) => ({
    checkout, deployment, outdir: join(out, checkout.side, deployment.key),
  })));
  const outcomes = await synthesizeAll(jobs, props);
  const pr = compare(checkouts, outcomes, props.detailsUrl);
  const verdict = pullRequestVerdict(pr);
  const files = writeReview(out, pr, verdict, outcomes);
  return { verdict, review: pr, files };
}

/** Removes the review's own files from an earlier run (and nothing else of the folder). */
function clearOutput(out: string): void {
  mkdirSync(out, { recursive: true });
  for (const entry of ['base', 'head', STACK_REVIEWS_DIR, ...Object.values(REVIEW_FILES)]) rmSync(join(out, entry), { recursive: true, force: true });
}

/**
 * Compares the synthesized stacks of both sides. A spec file that has no
 * stack on either side (it cannot be read, or shares its stack name with
 * another) is a problem, and its stack is compared on neither side.
 */
function compare(checkouts: readonly CheckoutDeployments[], outcomes: readonly SynthOutcome[], detailsUrl?: string): PullRequestReview {
  const problems: ReviewProblem[] = checkouts.flatMap((c) => c.problems);
  const read = outcomes.map((o) => ({ o, ...synthStacks(o) }));
  const withheld = new Set(read.flatMap((r) => r.withheld));
  const stacks = { base: new Map<string, SynthesizedStack>(), head: new Map<string, SynthesizedStack>() };
  const specs: Record<string, string> = {};
  for (const r of read) {
    problems.push(...r.problems);
    for (const s of r.stacks.filter((x) => !withheld.has(x.key))) {
      stacks[r.o.checkout.side].set(s.key, s.stack);
      if (r.o.checkout.side === 'head' || !specs[s.key]) specs[s.key] = s.spec;
    }
  }
  const disagreements: Disagreement[] = [];
  for (const r of read.filter((x) => x.o.checkout.side === 'head')) {
    const judged = r.stacks.filter((s) => stacks.head.has(s.key));
    if (judged.length === 0) continue;
    const { root } = r.o.checkout;
    const opinions = secondOpinions(join(root, r.o.deployment.target), judged.map((s) => ({
      name: s.name, configFile: join(r.o.outdir, 'stacks', s.name, 'cdk.tf.json'), report: s.stack.report,
    })));
    for (const s of judged) {
      const opinion = opinions.get(s.name);
      if (opinion?.status === 'disagrees') disagreements.push({ stack: s.key, file: s.spec, findings: opinion.findings });
      if (opinion?.status === 'cannot-judge') {
        problems.push({ side: 'head', file: s.spec, summary: `the reviewing code cannot prove stack "${s.key}" again (${opinion.reason}); a reviewer must read the head's change to the proof` });
      }
    }
  }
  return {
    reviews: review(stacks.base, stacks.head), specs, problems: sortProblems(problems),
    ...(disagreements.length ? { disagreements } : {}), ...(detailsUrl ? { detailsUrl } : {}),
  };
}

/** Head first (that is what the pull request can fix), then by file. */
function sortProblems(problems: readonly ReviewProblem[]): ReviewProblem[] {
  return [...problems].sort((a, b) => (a.side === b.side ? a.file.localeCompare(b.file) : a.side === 'head' ? -1 : 1));
}

function writeReview(out: string, pr: PullRequestReview, verdict: ReviewVerdict, outcomes: readonly SynthOutcome[]): ReviewCheckoutsResult['files'] {
  const files = Object.fromEntries(Object.entries(REVIEW_FILES).map(([key, name]) => [key, join(out, name)])) as ReviewCheckoutsResult['files'];
  writeFileSync(files.comment, renderPullRequestComment(pr));
  writeFileSync(files.summary, renderFullReview(pr, STEP_SUMMARY_BUDGET_BYTES));
  writeFileSync(files.full, renderFullReview(pr));
  writeFileSync(files.sarif, `${JSON.stringify(headSarif(pr, outcomes), null, 2)}\n`);
  mkdirSync(join(out, STACK_REVIEWS_DIR));
  for (const r of pr.reviews) writeFileSync(join(out, stackReviewFile(r.stack)), `${renderStackReview(pr, r)}\n`);
  writeFileSync(files.result, `${JSON.stringify({
    exitCode: verdict.exitCode,
    message: verdict.message,
    stacks: pr.reviews.map((r) => ({ stack: r.stack, spec: pr.specs[r.stack], status: r.status, head: r.headVerdict ?? null, newFindings: r.newFindings.length })),
    problems: pr.problems.map(({ side, file, summary }) => ({ side, file, summary })),
  }, null, 2)}\n`);
  return files;
}

/** The SARIF of every head stack that was compared, as one run. */
function headSarif(pr: PullRequestReview, outcomes: readonly SynthOutcome[]): Log {
  const reviewed = new Set(pr.reviews.filter((r) => r.status !== 'removed').map((r) => r.stack));
  const logs = outcomes
    .filter((o) => o.checkout.side === 'head' && o.status === 'synthesized')
    .flatMap((o) => o.stacks.filter((s) => reviewed.has(`${o.deployment.prefix}${s}`))
      .map((s) => ({ stack: `${o.deployment.prefix}${s}`, file: join(o.outdir, REPORT_DIR, `${s}.sarif`) })))
    .filter(({ file }) => existsSync(file))
    .map(({ stack, file }) => ({ stack, log: JSON.parse(readFileSync(file, 'utf8')) as Log }));
  return mergeSarif(logs);
}
