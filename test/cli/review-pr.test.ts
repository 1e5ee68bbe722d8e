/**
 * `npm run review:pr` end to end, as the workflow runs it: a temporary git
 * repository of this project with its deployments/ fleet (a shared Cluster,
 * two Workplaces on it, one on a cluster of its own), a base commit checked
 * out beside it, and head commits that move the shared cluster's log sink
 * abroad, move one tenant's backup within the jurisdiction, turn the rules
 * off, or break specs. Then the workflow that wires the script to GitHub.
 * Each review synthesizes the default and the fleet on both sides (four
 * processes), so the cases are few and each checks much.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Log } from 'sarif';
import { parse } from 'yaml';
import { GITHUB_COMMENT_LIMIT, REVIEW_ARTIFACT, REVIEW_MARKER } from '../../constructs/report';
import { REVIEW_FILES } from '../../cli/pr/review-checkouts';

const ROOT = resolve(__dirname, '..', '..');
const CLUSTER = 'deployments/shared-de.yaml';
const TENANT = 'deployments/eu-body.yaml';
const OWN_CLUSTER = 'deployments/agency-at.yaml';
const LOGS = 'https://logs.it-service.example/loki/api/v1/push';
const US_LOGS = 'https://logs.us-east-1.amazonaws.com/loki/api/v1/push';
const DE_BACKUP = 'https://fsn1.your-objectstorage.com';

interface Run { readonly status: number | null; readonly stdout: string; readonly stderr: string; readonly out: string }

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=Review Test', '-c', 'user.email=review@test.example', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });

/** A git repository of this project's files (as they are now, deployments/ with them), its node_modules linked, committed. */
function projectRepository(dir: string): string {
  const repo = join(dir, 'repo');
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files.filter((f) => existsSync(join(ROOT, f)))) {
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    cpSync(join(ROOT, file), join(repo, file), { dereference: false });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(repo, 'node_modules'));
  git(repo, 'init', '-q', '-b', 'main');
  // A linked node_modules is no folder to .gitignore's `node_modules/`.
  writeFileSync(join(repo, '.git', 'info', 'exclude'), 'node_modules\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'base');
  return repo;
}

/** The base commit checked out beside the repository, as the workflow checks it out. */
function baseCheckout(repo: string, dir: string): string {
  const base = join(dir, 'base');
  git(repo, 'worktree', 'add', '-q', '--detach', base, 'HEAD');
  symlinkSync(join(ROOT, 'node_modules'), join(base, 'node_modules'));
  return base;
}

let dir: string;
let repo: string;
let base: string;
let runs = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'desk-review-pr-'));
  repo = projectRepository(dir);
  base = baseCheckout(repo, dir);
});

/** Commits the head (files relative to the repository; null removes one), then runs the base's review:pr on it, as the workflow does. */
function reviewHead(files: Record<string, string | null>, ...flags: string[]): Run {
  git(repo, 'checkout', '-q', '--force', '-B', 'pull-request', 'main');
  for (const [file, text] of Object.entries(files)) {
    if (text === null) rmSync(join(repo, file));
    else writeFileSync(join(repo, file), text);
  }
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'head', '--allow-empty');
  const out = join(dir, `out-${++runs}`);
  const r = spawnSync('npm', ['run', '--silent', 'review:pr', '--', '--base', '.', '--head', repo, '--out', out, ...flags], { cwd: base, encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, out };
}

const read = (run: Run, file: keyof typeof REVIEW_FILES) => readFileSync(join(run.out, REVIEW_FILES[file]), 'utf8');
/** A spec as the base has it. */
const spec = (file: string) => git(repo, 'show', `main:${file}`);
/** The lines of the stacks in the comment, in order. */
const stackLines = (comment: string) => comment.split('\n').filter((l) => /^- (\*\*(PASS|FAIL)\*\*|—) `/.test(l));
const stackOf = (line: string) => /`([\w/-]+)`/.exec(line)?.[1];

describe('review:pr on a base and a head commit of a fleet', () => {
  it("fails (exit 1) if the head moves the shared cluster's log sink abroad: its tenants and the Cluster first, the comment fits, the SARIF points at the line", () => {
    const r = reviewHead({ [CLUSTER]: spec(CLUSTER).replace(LOGS, US_LOGS) }, '--details-url', 'https://github.com/o/r/actions/runs/42');
    expect(r.stderr).toMatch(/^review:pr: FAIL: the head adds 5 error findings the base does not have \(agency-de \(deployments\/agency-de\.yaml\): 2, shared-de \(deployments\/shared-de\.yaml\): 2, eu-body \(deployments\/eu-body\.yaml\): 1\); each finding names its fix$/m);
    expect(r.status).toBe(1);
    const comment = read(r, 'comment');
    expect(comment.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(comment.startsWith(`${REVIEW_MARKER}\n`)).toBe(true);
    expect(comment).toContain('**FAIL**: the head adds 5 error findings in 3 of 5 stacks.');
    // The tenant with the most new errors first, the Cluster and the other tenant after it, the unchanged stacks last.
    const lines = stackLines(comment);
    expect(lines.map(stackOf)).toEqual(['agency-de', 'shared-de', 'eu-body', 'agency-at', 'default/agency-de']);
    expect(lines[0]).toMatch(/^- \*\*FAIL\*\* `agency-de` \(`deployments\/agency-de\.yaml`\): changed; 2 errors, \d+ warnings, \d+ placements; new: \*\*2 errors\*\*, \d+ warnings?, \d+ resolved; placements: [1-9]\d* moved/);
    expect(lines[4]).toMatch(/^- \*\*PASS\*\* `default\/agency-de` \(`stacks\/default-deployment\.yaml`\): unchanged; 0 errors, \d+ warnings, \d+ placements$/);
    // docs/review.md shows these lines.
    const docs = readFileSync(join(ROOT, 'docs', 'review.md'), 'utf8').split('\n').map((l) => l.replace(/^ {3}/, ''));
    const shown = docs.slice(docs.indexOf('### Stacks: 3 changed, 2 unchanged') + 2, docs.indexOf('### Stacks: 3 changed, 2 unchanged') + 7);
    expect(shown).toEqual(lines);
    expect(comment).toContain('- **new error** `SD-RESIDENCY` at `Workplace/SharedCluster/LogSink`: log sink of the shared cluster shared-de (loki, every container log of this Workplace) is outside the jurisdiction: data in US (AWS us-east-1, N. Virginia)');
    expect(comment).toContain(`- **moved** log-sink \`Platform/LogShipping/LogSink\`: ${LOGS}: DE (declared *.it-service.example) → ${US_LOGS}: US (AWS us-east-1, N. Virginia)`);
    expect(comment).toContain('[this run](<https://github.com/o/r/actions/runs/42>)');
    // Each stack has its file in the artifact; the SARIF points at the Cluster's line.
    expect(readFileSync(join(r.out, 'stacks', 'eu-body.md'), 'utf8')).toMatch(/^# Stack `eu-body`\n\n- \*\*FAIL\*\* `eu-body`/);
    expect(readFileSync(join(r.out, 'stacks', 'default_agency-de.md'), 'utf8')).toContain('No changes: the synthesized configuration and the placements are identical.');
    const sarif = JSON.parse(read(r, 'sarif')) as Log;
    expect(sarif.runs).toHaveLength(1);
    const residency = sarif.runs[0].results?.find((x) => x.ruleId === 'SD-RESIDENCY' && x.partialFingerprints?.sovereignDesk.startsWith('shared-de|'));
    const line = spec(CLUSTER).split('\n').findIndex((l) => l.includes(LOGS)) + 1;
    expect(residency?.locations?.[0].physicalLocation).toEqual({ artifactLocation: { uri: CLUSTER }, region: { startLine: line } });
    expect(JSON.parse(read(r, 'result'))).toMatchObject({ exitCode: 1, problems: [] });
  });

  it('passes (exit 0) if the head moves one tenant\'s backup within the jurisdiction: that stack first, as changed, the others unchanged', () => {
    const r = reviewHead({ [TENANT]: spec(TENANT).replace(`endpoint: ${DE_BACKUP}`, 'endpoint: https://nbg1.your-objectstorage.com') });
    expect(r.stdout).toContain('review:pr: PASS: no new error findings in 5 stacks');
    expect(r.status).toBe(0);
    const comment = read(r, 'comment');
    expect(comment).toContain('**PASS**: no new error findings in 5 stacks.');
    expect(comment).toContain('### Stacks: 1 changed, 4 unchanged');
    const lines = stackLines(comment);
    expect(lines.map(stackOf)).toEqual(['eu-body', 'agency-at', 'agency-de', 'default/agency-de', 'shared-de']);
    expect(lines[0]).toMatch(/^- \*\*PASS\*\* `eu-body` \(`deployments\/eu-body\.yaml`\): changed; 0 errors, \d+ warnings, \d+ placements; new: 0 errors, \d+ warnings?, \d+ resolved; placements: [1-9]\d* moved; resources: [1-9]\d* changed$/);
    expect(lines.slice(1).every((l) => /: unchanged; /.test(l))).toBe(true);
    expect(comment).toMatch(new RegExp(`- \\*\\*moved\\*\\* backup \`Workplace/FilesDatabase/Backup\`: ${DE_BACKUP}: DE \\(Hetzner fsn1, Falkenstein\\) → https://nbg1\\.your-objectstorage\\.com: DE \\(Hetzner nbg1, Nuremberg\\)`));
    expect(comment).not.toContain('**new error**');
    expect(read(r, 'summary')).toContain('- changed `helm_release.Workplace_FilesDatabase_Chart_Release_');
  });

  it("fails (exit 1) if the head turns the rules off and moves the shared cluster's log sink abroad: the base's code proves every stack of the head's fleet again, the Cluster too", () => {
    const rules = readFileSync(join(repo, 'constructs/policy/rules/index.ts'), 'utf8');
    const r = reviewHead({
      'constructs/policy/rules/index.ts': rules.replace(/export const ALL_RULES: readonly Rule\[\] = \[[^\]]*\];/, 'export const ALL_RULES: readonly Rule[] = [];'),
      [CLUSTER]: spec(CLUSTER).replace(LOGS, US_LOGS),
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^review:pr: FAIL: the head adds \d+ error findings the base does not have \(agency-de \(deployments\/agency-de\.yaml\): \d+ the head's own proof does not report, eu-body \(deployments\/eu-body\.yaml\): \d+ the head's own proof does not report, shared-de \(deployments\/shared-de\.yaml\): \d+ the head's own proof does not report\)/m);
    const comment = read(r, 'comment');
    expect(comment).toContain("### The base's proof finds errors the head's does not report");
    expect(comment).toContain('- `shared-de` (`deployments/shared-de.yaml`): `SD-RESIDENCY` at `Platform/LogShipping/LogSink`: log sink (loki, every container log with Kubernetes metadata) is outside the jurisdiction: data in US');
    expect(comment).toContain('- `eu-body` (`deployments/eu-body.yaml`): `SD-RESIDENCY` at `Workplace/SharedCluster/LogSink`: log sink of the shared cluster shared-de (loki, every container log of this Workplace) is outside the jurisdiction: data in US');
    // The head's own reports say PASS: its rules are gone.
    expect(stackLines(comment).filter((l) => l.startsWith('- **FAIL**'))).toEqual([]);
  });

  it('fails (exit 2) if a head spec is invalid, two specs share a stack name, or a tenant names no Cluster, naming the files; the rest is still reviewed', () => {
    const r = reviewHead({
      'deployments/broken.yaml': readFileSync(join(ROOT, 'test', 'fixtures', 'invalid.yaml'), 'utf8').replace('name: agency-de', 'name: broken'),
      'deployments/twin.yml': spec(OWN_CLUSTER),
      'deployments/orphan.yaml': spec(TENANT).replace('name: eu-body', 'name: orphan').replace('ref: shared-de', 'ref: shared-fr'),
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('review:pr: could not review 3 deployments: head deployments/agency-at.yaml: defines stack "agency-at", and so does deployments/twin.yml; every deployment needs its own metadata.name (the stack name): rename one of them; ');
    expect(r.stderr).toMatch(/; head deployments\/broken\.yaml: deployments was synthesized without it: Invalid deployment spec deployments\/broken\.yaml \(3 problems\): spec\.tls\.acme: /);
    expect(r.stderr).toMatch(/; head deployments\/orphan\.yaml: deployments was synthesized without it: Invalid deployment spec deployments\/orphan\.yaml \(1 problem\): spec\.cluster\.ref: no Cluster of the fleet is named "shared-fr"/);
    const comment = read(r, 'comment');
    expect(comment).toContain('**Could not review** 3 deployments (see below); 4 other stacks were compared.');
    expect(comment).toContain('spec.profil: unknown field');
    expect(stackLines(comment).map(stackOf)).toEqual(['agency-de', 'default/agency-de', 'eu-body', 'shared-de']);
    expect(comment).not.toContain('`agency-at`');
  });
});

describe('review:pr: bad input', () => {
  const cli = (...args: string[]) => spawnSync('node', ['--import', 'tsx', 'cli/review-pr.ts', ...args], { cwd: ROOT, encoding: 'utf8' });

  it('fails (exit 2) with the usage if --base or --out is missing, or a flag is unknown', () => {
    expect(cli('--out', join(dir, 'x'))).toMatchObject({ status: 2, stderr: expect.stringContaining('review:pr: missing --base\n\nUsage: npm run review:pr') });
    expect(cli('--base', base, '--out', join(dir, 'x'), '--colour')).toMatchObject({ status: 2, stderr: expect.stringContaining("Unknown option '--colour'") });
  });

  it('fails (exit 2) if a checkout is missing or not one of this project, naming the flag and the folder', () => {
    expect(cli('--base', '/nonexistent/base', '--out', join(dir, 'x'))).toMatchObject({
      status: 2, stderr: expect.stringContaining('review:pr: --base /nonexistent/base: no such folder. Expected a checkout of this repository (the base of the pull request)'),
    });
    const empty = mkdtempSync(join(tmpdir(), 'desk-review-pr-empty-'));
    expect(cli('--base', base, '--head', empty, '--out', join(dir, 'x'))).toMatchObject({
      status: 2, stderr: expect.stringContaining(`review:pr: --head ${empty}: cdktf.json is missing, so this is not a checkout of a cdktf project.`),
    });
  });

  it('fails (exit 2) if --details-url is not an http(s) URL', () => {
    expect(cli('--base', base, '--out', join(dir, 'x'), '--details-url', 'javascript:alert(1)')).toMatchObject({
      status: 2, stderr: expect.stringContaining('review:pr: --details-url "javascript:alert(1)": scheme javascript: is not allowed'),
    });
  });
});

describe('the workflow wires review:pr to GitHub', () => {
  type Step = { name?: string; uses?: string; run?: string; if?: string; 'working-directory'?: string; with?: Record<string, string | number> };
  const workflow = parse(readFileSync(join(ROOT, '.github', 'workflows', 'sovereignty-review.yml'), 'utf8'));
  const job = workflow.jobs.review as { permissions: Record<string, string>; env: Record<string, string>; steps: Step[] };
  const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
  const uses = (action: string) => job.steps.find((s) => s.uses?.split('@')[0] === action) as Step;

  it('runs review:pr on the two checkouts and calls only npm scripts that exist', () => {
    const runs = job.steps.map((s) => s.run ?? '').join('\n');
    const used = [...runs.matchAll(/npm run (?:--silent )?([\w:-]+)/g)].map((m) => m[1]);
    expect(used).toEqual(['review:pr']);
    expect(scripts['review:pr']).toBe('tsx cli/review-pr.ts');
    // The base's code runs the review (it proves the head's configuration again).
    expect(job.steps.find((st) => st.run?.includes('review:pr'))?.['working-directory']).toBe('base');
    expect(runs).toContain('npm run --silent review:pr -- --base . --head ../head --out ../review');
  });

  it('reads only files the script writes, and names the artifact the comment points at', () => {
    const read = JSON.stringify(job.steps).match(/review\/[\w.-]+/g) ?? [];
    expect(new Set(read)).toEqual(new Set(['summary.md', 'result.json', 'comment.md', 'sovereign-desk.sarif'].map((f) => `review/${f}`)));
    for (const file of read) expect(Object.values(REVIEW_FILES)).toContain(file.replace('review/', ''));
    expect(uses('actions/upload-artifact').with?.name).toBe(REVIEW_ARTIFACT);
    expect(uses('actions/github-script').with?.script).toContain(`const marker = '${REVIEW_MARKER}';`);
  });

  it('comments and uploads SARIF only with a token that can write, never for forks', () => {
    expect(job.env.CAN_WRITE).toBe("${{ github.event.pull_request.head.repo.full_name == github.repository && github.actor != 'dependabot[bot]' }}");
    for (const action of ['actions/github-script', 'github/codeql-action/upload-sarif']) expect(uses(action).if).toContain("env.CAN_WRITE == 'true'");
    expect(uses('actions/upload-artifact').if).not.toContain('CAN_WRITE');
  });

  it('uses current actions, Node 24, npm cache, minimal permissions and cancels superseded runs', () => {
    expect(job.steps.filter((s) => s.uses).map((s) => s.uses)).toEqual([
      'actions/checkout@v6', 'actions/checkout@v6', 'actions/setup-node@v6', 'actions/upload-artifact@v7', 'actions/github-script@v8', 'github/codeql-action/upload-sarif@v4',
    ]);
    expect(uses('actions/setup-node').with).toMatchObject({ 'node-version': 24, cache: 'npm' });
    expect(workflow.permissions).toEqual({});
    expect(job.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', 'security-events': 'write', actions: 'read' });
    expect(workflow.concurrency).toEqual({ group: 'sovereignty-review-${{ github.event.pull_request.number }}', 'cancel-in-progress': true });
  });
});
