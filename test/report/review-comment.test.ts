/**
 * The pull-request review's renderers: the comment always fits GitHub's
 * limit, however large the review; the job summary fits 1 MiB; the verdict
 * tells new errors from deployments that could not be reviewed.
 */
import type { Log } from 'sarif';
import {
  COMMENT_BUDGET, GITHUB_COMMENT_LIMIT, PullRequestReview, REVIEW_MARKER, ReportFinding, STEP_SUMMARY_BUDGET_BYTES, STEP_SUMMARY_LIMIT_BYTES,
  StackReview, mergeSarif, pullRequestVerdict, renderFullReview, renderPullRequestComment,
} from '../../constructs/report';

function finding(i: number, severity: ReportFinding['severity'] = 'error', problemLength = 120): ReportFinding {
  return {
    ruleId: i % 2 ? 'SD-RESIDENCY' : 'SD-BACKUP', title: 'Data stays in the jurisdiction', severity, objective: 'SOV-3',
    owner: `Workplace/Store${i}/Backup`, target: `https://s3.us-east-${i}.amazonaws.com`, field: 'spec.backup.endpoint',
    problem: `store ${i} is outside the jurisdiction: ${'data in US '.repeat(problemLength / 11)}`.slice(0, problemLength), fix: 'set spec.backup.endpoint to a location in DE', explanation: 'why',
  };
}

function stack(name: string, errors: number, props: Partial<StackReview> = {}): StackReview {
  return {
    stack: name, status: 'changed', resources: [], placementsAdded: [], placementsRemoved: [], placementsMoved: [], custodyChanged: [],
    newFindings: Array.from({ length: errors }, (_, i) => finding(i)), resolvedFindings: [], newSuppressions: [], headVerdict: errors ? 'fail' : 'pass', capacity: 'no change', ...props,
  };
}

function pr(reviews: StackReview[], props: Partial<PullRequestReview> = {}): PullRequestReview {
  return { reviews, specs: Object.fromEntries(reviews.map((r) => [r.stack, `deployments/${r.stack}.yaml`])), problems: [], ...props };
}

/** The text before the note that says what was left out, and the number it gives. */
function shortened(comment: string): { body: string; omitted: number } {
  const at = comment.indexOf('\n\n> **Shortened**: ');
  const omitted = Number(/> \*\*Shortened\*\*: (\d+) more lines?/.exec(comment)?.[1]);
  return { body: comment.slice(0, at), omitted };
}

const fences = (text: string) => text.split('\n').filter((l) => /^`{3,}/.test(l)).length;

describe('pull-request comment', () => {
  it('fits GitHub\'s limit for a huge review, cut at whole lines, and says how many lines it left out', () => {
    const huge = pr(Array.from({ length: 40 }, (_, i) => stack(`stack-${String(i).padStart(2, '0')}`, 500)));
    const comment = renderPullRequestComment(huge);
    expect(comment.length).toBeLessThanOrEqual(COMMENT_BUDGET);
    expect(comment.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(comment.startsWith(`${REVIEW_MARKER}\n## Sovereignty review\n\n**FAIL**: the head adds 20000 error findings in 40 of 40 stacks.`)).toBe(true);
    const whole = renderPullRequestComment(huge, Number.POSITIVE_INFINITY);
    expect(whole.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
    const { body, omitted } = shortened(comment);
    const wholeBody = whole.slice(0, whole.lastIndexOf('\n\nThe full review'));
    expect(wholeBody.startsWith(`${body}\n`)).toBe(true);
    expect(omitted).toBe(wholeBody.split('\n').length - body.split('\n').length);
    expect(comment).toContain('The full review (resources by app, every placement, fixes) is in the job summary of this run and in its artifact `sovereignty-review`.');
  });

  it('fits even when one finding and one synth\'s output are megabytes long, with code blocks closed', () => {
    const review = pr([stack('big', 0, { newFindings: [finding(1, 'error', 2_000_000)] })], {
      problems: [{ side: 'head', file: 'deployments/x.yaml', summary: 'synth failed', output: `${'```\n'.repeat(10)}${'line\n'.repeat(200_000)}` }],
    });
    const comment = renderPullRequestComment(review);
    expect(comment.length).toBeLessThanOrEqual(COMMENT_BUDGET);
    expect(fences(comment) % 2).toBe(0);
    expect(comment).toContain('… (199985 earlier lines)');
    expect(comment).toMatch(/- \*\*new error\*\* `SD-RESIDENCY` at `Workplace\/Store1\/Backup`: store 1 is outside the jurisdiction: [^\n]{400,}…\n/);
  });

  it('names the spec of each stack, escaping pipes and backticks in file names', () => {
    const comment = renderPullRequestComment(pr([stack('odd', 1)], { specs: { odd: 'deployments/a|b`c.yaml' } }));
    expect(comment).toContain('| `odd` | `` deployments/a\\|b`c.yaml `` | changed | FAIL | 1 | 0 | 0 |');
  });

  it('links the run when it is given', () => {
    expect(renderPullRequestComment(pr([stack('a', 0)], { detailsUrl: 'https://github.com/o/r/actions/runs/7' })))
      .toContain('the job summary of [this run](<https://github.com/o/r/actions/runs/7>)');
  });

  it('fails if the budget cannot hold even the verdict, saying so', () => {
    expect(() => renderPullRequestComment(pr([stack('a', 3)]), 100)).toThrow(/a budget of 100 cannot hold even the verdict and the note \(\d+\); raise it/);
  });
});

describe('job summary', () => {
  it('fits 1 MiB for a review with thousands of changed resources, never leaving <details> open', () => {
    const resources = Array.from({ length: 3000 }, (_, i) => ({ address: `helm_release.r${i}`, app: `app${i % 7}`, change: 'changed' as const, paths: Array.from({ length: 12 }, (_, j) => `values[0]:key${j}.${'x'.repeat(20)}`) }));
    const review = pr(Array.from({ length: 10 }, (_, i) => stack(`s${i}`, 50, { resources })));
    const summary = renderFullReview(review, STEP_SUMMARY_BUDGET_BYTES);
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(STEP_SUMMARY_LIMIT_BYTES);
    expect(summary).toContain('> **Shortened**: ');
    expect(summary).toContain('The whole review is `review.md` in the artifact `sovereignty-review`.');
    expect(summary.split('<details>').length).toBe(summary.split('</details>').length);
    expect(Buffer.byteLength(renderFullReview(review))).toBeGreaterThan(STEP_SUMMARY_LIMIT_BYTES);
  });
});

describe('verdict', () => {
  it('passes (0) when the head adds no error findings, even with new warnings', () => {
    expect(pullRequestVerdict(pr([stack('a', 0, { newFindings: [finding(1, 'warning')] })]))).toEqual({ exitCode: 0, message: 'PASS: no new error findings in 1 stack' });
  });

  it('fails (1) when the head adds error findings, naming the stacks and their specs', () => {
    expect(pullRequestVerdict(pr([stack('a', 2), stack('b', 0)]))).toEqual({
      exitCode: 1, message: 'FAIL: the head adds 2 error findings the base does not have (a (deployments/a.yaml): 2); each finding names its fix',
    });
  });

  it('fails (2) when a deployment could not be reviewed, naming side and file, and still tells of new errors', () => {
    const verdict = pullRequestVerdict(pr([stack('a', 1)], { problems: [{ side: 'head', file: 'deployments/x.yaml', summary: 'synth failed (exit 1) before writing any file' }] }));
    expect(verdict).toEqual({
      exitCode: 2,
      message: 'could not review 1 deployment: head deployments/x.yaml: synth failed (exit 1) before writing any file; besides, the head adds 1 error finding (a (deployments/a.yaml): 1)',
    });
  });
});

describe('SARIF of several stacks', () => {
  const log = (ruleIds: string[]): Log => ({
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'sovereign-desk', rules: ruleIds.map((id) => ({ id })) } },
      results: ruleIds.map((ruleId, i) => ({ ruleId, ruleIndex: i, message: { text: ruleId }, partialFingerprints: { sovereignDesk: `${ruleId}|Workplace/X|t` } })),
    }],
  });

  it('becomes one run, rules merged by id, results pointing at them, fingerprints told apart by stack', () => {
    const merged = mergeSarif([{ stack: 'a', log: log(['SD-STATE', 'SD-BACKUP']) }, { stack: 'b', log: log(['SD-BACKUP']) }]);
    expect(merged.runs).toHaveLength(1);
    const [run] = merged.runs;
    expect(run.tool.driver.rules?.map((r) => r.id)).toEqual(['SD-BACKUP', 'SD-STATE']);
    expect(run.results?.map((r) => [r.ruleId, r.ruleIndex, r.partialFingerprints?.sovereignDesk])).toEqual([
      ['SD-STATE', 1, 'a|SD-STATE|Workplace/X|t'], ['SD-BACKUP', 0, 'a|SD-BACKUP|Workplace/X|t'], ['SD-BACKUP', 0, 'b|SD-BACKUP|Workplace/X|t'],
    ]);
  });

  it('is one empty run when no stack has findings, so that code scanning closes earlier alerts', () => {
    expect(mergeSarif([]).runs).toEqual([{ tool: { driver: { name: 'sovereign-desk', rules: [] } }, results: [] }]);
  });
});

describe('the capacity a change adds', () => {
  it('is a line of the stack in the comment when it changes, and none when it does not', () => {
    const grown = renderPullRequestComment(pr([stack('agency-de', 0, { capacity: '+6 vCPU requests, +12 GiB memory requests' })]));
    expect(grown).toContain('- **capacity** +6 vCPU requests, +12 GiB memory requests');
    expect(renderPullRequestComment(pr([stack('agency-de', 0)]))).not.toContain('**capacity**');
  });
});
