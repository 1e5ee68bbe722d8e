/**
 * The pull-request review's renderers: the comment always fits GitHub's
 * limit, however large the review; the job summary fits 1 MiB; the verdict
 * tells new errors from deployments that could not be reviewed.
 */
import type { Log } from 'sarif';
import {
  COMMENT_BUDGET, GITHUB_COMMENT_LIMIT, PullRequestReview, REVIEW_MARKER, ReportFinding, STEP_SUMMARY_BUDGET_BYTES, STEP_SUMMARY_LIMIT_BYTES,
  ReportPlacement, StackReview, mergeSarif, pullRequestVerdict, renderFullReview, renderPullRequestComment, renderStackReview, stackLine, stackReviewFile,
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
    expect(comment).toContain('The full review (resources by app, every placement, fixes) is in the job summary of this run and in its artifact `sovereignty-review`: `review.md`, and `stacks/<stack>.md` for each stack.');
    // The cut falls in the sovereignty delta: every stack keeps its line.
    for (const r of huge.reviews) expect(body).toContain(`- **FAIL** \`${r.stack}\` (\`deployments/${r.stack}.yaml\`): changed; new: **500 errors**`);
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

  it('names the spec of each stack, fencing backticks in file names', () => {
    const comment = renderPullRequestComment(pr([stack('odd', 1)], { specs: { odd: 'deployments/a|b`c.yaml' } }));
    expect(comment).toContain('- **FAIL** `odd` (`` deployments/a|b`c.yaml ``): changed; new: **1 error**, 0 warnings, 0 resolved\n');
  });

  it('links the run when it is given', () => {
    expect(renderPullRequestComment(pr([stack('a', 0)], { detailsUrl: 'https://github.com/o/r/actions/runs/7' })))
      .toContain('the job summary of [this run](<https://github.com/o/r/actions/runs/7>)');
  });

  it('fails if the budget cannot hold even the verdict, saying so', () => {
    expect(() => renderPullRequestComment(pr([stack('a', 3)]), 100)).toThrow(/a budget of 100 cannot hold even the verdict and the note \(\d+\); raise it/);
  });
});

describe('a fleet of many stacks', () => {
  const sink: ReportPlacement = {
    kind: 'log-sink', owner: 'Platform/Logs/Sink', app: 'platform', target: 'https://logs.example.com', description: 'log sink',
    countries: ['US'], proof: 'declaration', evidence: 'declared', status: 'error',
  };
  const unchanged = (name: string) => stack(name, 0, { status: 'unchanged', headCounts: { errors: 0, warnings: 1, suppressed: 0, placements: 70 } });
  /** 40 stacks; stack-31 adds errors, stack-07 only moves a placement, stack-19 only changes a resource. */
  const fleet = () => pr(Array.from({ length: 40 }, (_, i) => `stack-${String(i).padStart(2, '0')}`).map((name) => {
    if (name === 'stack-31') return stack(name, 3, { headCounts: { errors: 3, warnings: 1, suppressed: 0, placements: 71 }, placementsMoved: [{ placement: sink, from: 'https://logs.example.eu: DE', to: 'https://logs.example.com: US' }] });
    if (name === 'stack-07') return stack(name, 0, { headCounts: { errors: 0, warnings: 1, suppressed: 0, placements: 70 }, placementsMoved: [{ placement: sink, from: 'a: DE', to: 'b: DE' }] });
    if (name === 'stack-19') return stack(name, 0, { resources: [{ address: 'helm_release.x', app: 'files', change: 'changed', paths: ['values[0]:a'] }] });
    return unchanged(name);
  }));

  it('has a line per stack with its verdict and totals, the changed stacks first, the stack with new errors before them', () => {
    const comment = renderPullRequestComment(fleet());
    const lines = comment.split('\n').filter((l) => /^- \*\*(PASS|FAIL)\*\* `stack-/.test(l));
    expect(lines).toHaveLength(40);
    expect(lines.slice(0, 3)).toEqual([
      '- **FAIL** `stack-31` (`deployments/stack-31.yaml`): changed; 3 errors, 1 warning, 71 placements; new: **3 errors**, 0 warnings, 0 resolved; placements: 1 moved',
      '- **PASS** `stack-07` (`deployments/stack-07.yaml`): changed; 0 errors, 1 warning, 70 placements; new: 0 errors, 0 warnings, 0 resolved; placements: 1 moved',
      '- **PASS** `stack-19` (`deployments/stack-19.yaml`): changed; new: 0 errors, 0 warnings, 0 resolved; resources: 1 changed',
    ]);
    expect(lines[3]).toBe('- **PASS** `stack-00` (`deployments/stack-00.yaml`): unchanged; 0 errors, 1 warning, 70 placements');
    expect(lines.slice(3).map((l) => /`(stack-\d+)`/.exec(l)?.[1])).toEqual(fleet().reviews.map((r) => r.stack).filter((n) => !['stack-31', 'stack-07', 'stack-19'].includes(n)));
    expect(comment).toContain('### Stacks: 3 changed, 37 unchanged');
    expect(comment.length).toBeLessThan(COMMENT_BUDGET / 4);
    expect(comment).not.toContain('> **Shortened**');
  });

  it('shows the delta of the changed stacks only, and the job summary has only them in full', () => {
    const review = fleet();
    expect(renderPullRequestComment(review).match(/^### `stack-\d+`/gm)).toEqual(['### `stack-31`', '### `stack-07`']);
    const summary = renderFullReview(review);
    expect(summary.match(/^### Stack `stack-\d+`/gm)).toEqual(['### Stack `stack-31`', '### Stack `stack-07`', '### Stack `stack-19`']);
  });

  it('keeps every line of 400 stacks under the comment limit, cutting the delta first', () => {
    const many = pr(Array.from({ length: 400 }, (_, i) => stack(`tenant-${String(i).padStart(3, '0')}`, i % 10 === 0 ? 20 : 0, i % 10 === 0 ? {} : { status: 'unchanged' })));
    const comment = renderPullRequestComment(many);
    expect(comment.length).toBeLessThanOrEqual(COMMENT_BUDGET);
    expect(comment.split('\n').filter((l) => /^- \*\*(PASS|FAIL)\*\* `tenant-/.test(l))).toHaveLength(400);
    expect(comment).toContain('> **Shortened**: ');
  });

  it('writes each stack to a file of its own in the artifact: its line, then the stack in full', () => {
    const review = fleet();
    const changed = review.reviews.find((r) => r.stack === 'stack-31') as StackReview;
    const text = renderStackReview(review, changed);
    expect(text.startsWith(`# Stack \`stack-31\`\n\n${stackLine(changed, 'deployments/stack-31.yaml')}\n\n### Stack \`stack-31\` (changed; head: **FAIL**; **3 new errors**)`)).toBe(true);
    expect(text).toContain('- **moved** log-sink `Platform/Logs/Sink`: https://logs.example.eu: DE → https://logs.example.com: US');
    expect(renderStackReview(review, review.reviews[0])).toContain('No changes: the synthesized configuration and the placements are identical.');
  });

  it('names the file of a stack by its name, with the default\'s prefix and anything but a name character made _', () => {
    expect(stackReviewFile('agency-de')).toBe('stacks/agency-de.md');
    expect(stackReviewFile('default/agency-de')).toBe('stacks/default_agency-de.md');
    expect(stackReviewFile('../../etc/x')).toBe('stacks/.._.._etc_x.md');
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
