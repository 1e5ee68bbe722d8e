/**
 * The pull-request review of two checkouts: synthesizes every deployment of
 * the base and of the head, compares them stack by stack, and writes the
 * comment, the full review, the merged SARIF and the verdict.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Log } from 'sarif';
import {
  Disagreement, FULL_REVIEW_FILE, PullRequestReview, REPORT_DIR, ReviewInputError, ReviewProblem, ReviewVerdict, STEP_SUMMARY_BUDGET_BYTES, Side,
  SynthesizedStack, mergeSarif, pullRequestVerdict, readSynthDir, renderFullReview, renderPullRequestComment, review,
} from '../../constructs/report';
import { CheckoutDeployments, DEPLOYMENTS_FOLDER, readCheckout } from './deployments';
import { secondOpinion } from './second-opinion';
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
  for (const entry of ['base', 'head', ...Object.values(REVIEW_FILES)]) rmSync(join(out, entry), { recursive: true, force: true });
}

/**
 * Compares the synthesized stacks of both sides. A spec whose synth failed
 * on either side, and a stack name that two specs of one side share, are
 * problems, and their stacks are compared on neither side.
 */
function compare(checkouts: readonly CheckoutDeployments[], outcomes: readonly SynthOutcome[], detailsUrl?: string): PullRequestReview {
  const problems: ReviewProblem[] = checkouts.flatMap((c) => c.problems);
  const failedFiles = new Set<string>();
  for (const o of outcomes.filter((x) => x.status === 'failed')) {
    problems.push({ side: o.checkout.side, file: o.deployment.file, summary: o.summary ?? 'synth failed', output: o.output });
    failedFiles.add(o.deployment.file);
  }
  const collided = new Set<string>();
  for (const side of ['base', 'head'] as const) {
    for (const [stack, files] of stackOwners(outcomes, side)) {
      if (files.length < 2) continue;
      collided.add(stack);
      problems.push({
        side, file: files[0],
        summary: `defines stack "${stack}", and so does ${files.slice(1).join(' and ')}; every deployment needs its own metadata.name (the stack name): rename one of them`,
      });
    }
  }
  const compared = outcomes.filter((o) => o.status === 'synthesized' && !failedFiles.has(o.deployment.file));
  const stacks = { base: new Map<string, SynthesizedStack>(), head: new Map<string, SynthesizedStack>() };
  const specs: Record<string, string> = {};
  for (const o of compared) {
    try {
      for (const [name, stack] of readSynthDir(o.outdir, `${o.checkout.side} ${o.deployment.file}`)) {
        if (collided.has(name)) continue;
        stacks[o.checkout.side].set(name, stack);
        if (o.checkout.side === 'head' || !specs[name]) specs[name] = o.deployment.file;
      }
    } catch (error) {
      if (!(error instanceof ReviewInputError)) throw error;
      problems.push({ side: o.checkout.side, file: o.deployment.file, summary: error.message });
    }
  }
  const disagreements: Disagreement[] = [];
  for (const o of compared.filter((x) => x.checkout.side === 'head')) {
    for (const name of o.stacks.filter((n) => stacks.head.has(n))) {
      const opinion = secondOpinion(join(o.checkout.root, o.deployment.file), name, join(o.outdir, 'stacks', name, 'cdk.tf.json'), stacks.head.get(name)?.report);
      if (opinion.status === 'disagrees') disagreements.push({ stack: name, file: o.deployment.file, findings: opinion.findings });
      if (opinion.status === 'cannot-judge') {
        problems.push({ side: 'head', file: o.deployment.file, summary: `the reviewing code cannot prove stack "${name}" again (${opinion.reason}); a reviewer must read the head's change to the proof` });
      }
    }
  }
  return {
    reviews: review(stacks.base, stacks.head), specs, problems: sortProblems(problems),
    ...(disagreements.length ? { disagreements } : {}), ...(detailsUrl ? { detailsUrl } : {}),
  };
}

/** The spec files of each stack name on one side. */
function stackOwners(outcomes: readonly SynthOutcome[], side: Side): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  for (const o of outcomes.filter((x) => x.checkout.side === side && x.status === 'synthesized')) {
    for (const stack of o.stacks) owners.set(stack, [...(owners.get(stack) ?? []), o.deployment.file]);
  }
  return owners;
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
    .flatMap((o) => o.stacks.filter((s) => reviewed.has(s)).map((stack) => ({ stack, file: join(o.outdir, REPORT_DIR, `${stack}.sarif`) })))
    .filter(({ file }) => existsSync(file))
    .map(({ stack, file }) => ({ stack, log: JSON.parse(readFileSync(file, 'utf8')) as Log }));
  return mergeSarif(logs);
}
