/**
 * Times synthesis, each case in processes of its own under GNU time (wall
 * clock and peak memory), and prints medians and the ratios between cases of
 * the same run. BENCH_RUNS sets the number of runs of each case (default 5).
 *
 *   npm run bench                 the app command of the default spec, the project against bare cdktf at N=100
 *   npm run bench -- --fleet 342  a fleet of N tenants in one app, against N/10
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'cdktf';
import { parse, stringify } from 'yaml';
import { scanTerraform } from '../../constructs/policy/scan';
import { loadDeployment } from '../../stacks/load-deployment';
import { WorkplaceStack } from '../../stacks/workplace-stack';
import { type FleetTimes, TENANTS_PER_CLUSTER } from './fleet';

const ROOT = resolve(__dirname, '..', '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const APP_GOAL_SECONDS = 1.0;
const BARE_RATIO_GOAL = 1.5;
const RATIO_N = 100;
const FLEET_GOALS = { n: 342, seconds: 30, peakMiB: 1536, perTenantRatio: 1.2 };

/** One run: wall clock, processor time (user and system, all threads), peak memory. */
interface Sample { readonly seconds: number; readonly cpuSeconds: number; readonly peakMiB: number; readonly outdir: string; readonly stdout: string }

/**
 * Runs once under GNU time, which reports the processor time and the peak
 * resident memory of the largest process of the run. Processor time says
 * more than the wall clock on a machine other work shares.
 */
function time(command: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Sample {
  const outdir = mkdtempSync(join(tmpdir(), 'desk-bench-'));
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', CDKTF_OUTDIR: outdir, ...extraEnv };
  for (const name of ['DESK_DEPLOYMENT', 'CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS']) if (!(name in extraEnv)) delete env[name];
  const start = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '%M %U %S', command, ...args.map((a) => a.replace('$OUT', outdir))], {
    cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  const [kib, user, system] = (result.stderr.trim().split('\n').pop() as string).split(' ').map(Number);
  return { seconds, cpuSeconds: user + system, peakMiB: kib / 1024, outdir, stdout: result.stdout };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const s = (seconds: number) => `${seconds.toFixed(2)} s`;
const goal = (met: boolean) => (met ? 'met' : 'NOT met');

/** RUNS runs of one case; prints the median wall time (with min and max) and peak memory. Output folders are removed unless `keep`. */
function measure(label: string, run: () => Sample, keep = false): { seconds: number; cpuSeconds: number; peakMiB: number; samples: Sample[] } {
  const samples = Array.from({ length: RUNS }, run);
  const seconds = samples.map((x) => x.seconds);
  const result = { seconds: median(seconds), cpuSeconds: median(samples.map((x) => x.cpuSeconds)), peakMiB: median(samples.map((x) => x.peakMiB)), samples };
  console.log(`${label}: median ${s(result.seconds)} of ${RUNS} (min ${s(Math.min(...seconds))}, max ${s(Math.max(...seconds))}), processor ${s(result.cpuSeconds)}; peak memory median ${result.peakMiB.toFixed(0)} MiB`);
  if (!keep) samples.forEach((x) => rmSync(x.outdir, { recursive: true, force: true }));
  return result;
}

/** The bundle of fleet-child.ts in .build/, built when it is stale (the app command's builder). */
async function fleetChild(): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const launcher = require(join(ROOT, 'scripts', 'app.cjs')) as { freshBundle(root: string, entry: string): Promise<{ file: string; saved?: boolean }> };
  const bundle = await launcher.freshBundle(ROOT, 'test/bench/fleet-child.ts');
  if (bundle.saved === false) throw new Error(`${bundle.file} cannot be written; the bench runs the fleet from there`);
  return bundle.file;
}

/** One fleet in a child process: wall clock and peak memory from GNU time, phases from the child. */
function fleetRun(child: string, kind: 'fleet' | 'project' | 'bare', n: number, template?: string): Sample & FleetTimes {
  const sample = time('node', [child, kind, String(n), '$OUT', ...(template ? [template] : [])]);
  const times = JSON.parse(sample.stdout.trim().split('\n').pop() as string) as FleetTimes;
  rmSync(sample.outdir, { recursive: true, force: true });
  return { ...sample, ...times };
}

function fleetMedians(runs: readonly (Sample & FleetTimes)[]) {
  const m = (pick: (r: Sample & FleetTimes) => number) => median(runs.map(pick));
  return { seconds: m((r) => r.seconds), cpuSeconds: m((r) => r.cpuSeconds), peakMiB: m((r) => r.peakMiB), load: m((r) => r.load), work: m((r) => r.build + r.synth), build: m((r) => r.build), synth: m((r) => r.synth) };
}

/** The default spec with the first five apps only (identity, mail, files, office, chat) and no metrics: the suite before video, projects and wiki. */
function fiveAppSpec(): string {
  const spec = parse(readFileSync(join(ROOT, 'stacks', 'default-deployment.yaml'), 'utf8')) as { spec: Record<string, unknown> };
  spec.spec.apps = ['identity', 'mail', 'files', 'office', 'chat'];
  delete spec.spec.monitoring;
  const file = join(mkdtempSync(join(tmpdir(), 'desk-bench-spec-')), 'five-apps.yaml');
  writeFileSync(file, stringify(spec));
  return file;
}

/**
 * What the scan costs inside one synth: the default stack is built and
 * synthesized in this process, then its configuration is scanned again on
 * its own. Both are medians over the same number of runs.
 */
function scanShare(appCommandSeconds: number): void {
  process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = 'true';
  const { deployment } = loadDeployment();
  const synthSeconds: number[] = [];
  const scanSeconds: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const outdir = mkdtempSync(join(tmpdir(), 'desk-bench-'));
    const start = process.hrtime.bigint();
    const app = new App({ outdir });
    const stack = new WorkplaceStack(app, deployment.metadata.name, { deployment, report: false, terminal: false });
    app.synth();
    synthSeconds.push(Number(process.hrtime.bigint() - start) / 1e9);
    const config = JSON.parse(JSON.stringify(stack.toTerraform()));
    const scanStart = process.hrtime.bigint();
    scanTerraform(config, stack.node.path);
    scanSeconds.push(Number(process.hrtime.bigint() - scanStart) / 1e9);
    rmSync(outdir, { recursive: true, force: true });
  }
  process.exitCode = 0;
  const synthMedian = median(synthSeconds);
  const scanMedian = median(scanSeconds);
  console.log(`generic scan of the default stack: median ${(scanMedian * 1000).toFixed(0)} ms of ${RUNS}`);
  console.log(`scan share of the app command: ${((scanMedian / appCommandSeconds) * 100).toFixed(1)} % (goal: at most 10 %); of a warm in-process synth (${(synthMedian * 1000).toFixed(0)} ms): ${((scanMedian / synthMedian) * 100).toFixed(1)} %`);
}

async function defaultBench(): Promise<void> {
  const child = await fleetChild();
  // The first run may build .build/main.js; the cases time the app command as it runs after that.
  time('node', ['scripts/app.cjs']);
  const app = measure('app command (node scripts/app.cjs, its bundle fresh)', () => time('node', ['scripts/app.cjs']), true);
  const tsx = measure('the same without the bundle (node --import tsx main.ts)', () => time('node', ['--import', 'tsx', 'main.ts']));
  const noReport = measure('app command without the report (DESK_REPORT=off)', () => time('node', ['scripts/app.cjs'], { DESK_REPORT: 'off' }));
  const five = fiveAppSpec();
  const fiveApps = measure('app command, five apps (the suite before video, projects, wiki and metrics)', () => time('node', ['scripts/app.cjs'], { DESK_DEPLOYMENT: five }));
  const cdktf = measure('cdktf synth', () => time(join(ROOT, 'node_modules', '.bin', 'cdktf'), ['synth', '--output', '$OUT']));
  console.log(`app command: ${s(app.seconds)} (goal: at most ${s(APP_GOAL_SECONDS)}: ${goal(app.seconds <= APP_GOAL_SECONDS)}); the bundle against tsx: ratio ${(app.seconds / tsx.seconds).toFixed(2)} wall, ${(app.cpuSeconds / tsx.cpuSeconds).toFixed(2)} processor`);
  console.log(`report cost: ${s(app.seconds - noReport.seconds)} per synth (ratio with/without ${(app.seconds / noReport.seconds).toFixed(2)})`);
  console.log(`ratio cdktf synth / app command: ${(cdktf.seconds / app.seconds).toFixed(2)}`);
  console.log(`ratio eight apps / five apps (app command): ${(app.seconds / fiveApps.seconds).toFixed(2)} (goal: at most 1.5)`);
  scanShare(app.seconds);

  // One tenant's cdk.tf.json, as the app command wrote it, is what every stack of the bare app holds.
  const template = join(app.samples[0].outdir, 'stacks', loadDeployment().deployment.metadata.name, 'cdk.tf.json');
  console.log(`\nproject against bare cdktf, ${RATIO_N} stacks in one app. Bare: a plain cdktf App of ${RATIO_N} TerraformStacks, each holding the`);
  console.log('resources, providers, output and backend of the default cdk.tf.json as generic TerraformResource/TerraformProvider/');
  console.log('TerraformBackend/TerraformOutput with the same attributes: no proof, no report, no constructs above the resources.');
  console.log('Project: copies of the default spec as WorkplaceStacks (test/bench/fleet.ts), report written.');
  const project = fleetMedians(Array.from({ length: RUNS }, () => fleetRun(child, 'project', RATIO_N)));
  const bare = fleetMedians(Array.from({ length: RUNS }, () => fleetRun(child, 'bare', RATIO_N, template)));
  app.samples.forEach((x) => rmSync(x.outdir, { recursive: true, force: true }));
  for (const [label, m] of [['project', project], ['bare', bare]] as const) {
    console.log(`${label}, N=${RATIO_N}: median ${s(m.seconds)} of ${RUNS}, processor ${s(m.cpuSeconds)} (loading ${s(m.load)}, constructs ${s(m.build)}, app.synth() ${s(m.synth)}); peak memory median ${m.peakMiB.toFixed(0)} MiB`);
  }
  const ratio = project.seconds / bare.seconds;
  console.log(`ratio project / bare cdktf at N=${RATIO_N}: ${ratio.toFixed(2)} wall (goal: at most ${BARE_RATIO_GOAL}: ${goal(ratio <= BARE_RATIO_GOAL)}); ${(project.cpuSeconds / bare.cpuSeconds).toFixed(2)} processor; ${(project.work / bare.work).toFixed(2)} without loading modules`);
}

async function fleetBench(n: number): Promise<void> {
  const child = await fleetChild();
  const small = Math.max(1, Math.round(n / 10));
  console.log(`a generated fleet (test/bench/generated-fleet.ts: N Workplaces like deployments/agency-de.yaml on one shared cluster per ${TENANTS_PER_CLUSTER} of them, like deployments/shared-de.yaml; report written), N=${n} and N/10=${small}, one app each`);
  const runs = (count: number) => fleetMedians(Array.from({ length: RUNS }, () => fleetRun(child, 'fleet', count)));
  const atSmall = runs(small);
  const atN = runs(n);
  for (const [count, m] of [[small, atSmall], [n, atN]] as const) {
    console.log(`N=${count}: median ${s(m.seconds)} wall of ${RUNS}, processor ${s(m.cpuSeconds)} (loading ${s(m.load)}, constructs ${s(m.build)}, app.synth() ${s(m.synth)}); peak memory median ${m.peakMiB.toFixed(0)} MiB; per tenant ${(m.work / count * 1000).toFixed(0)} ms (without loading)`);
  }
  const ratio = (atN.work / n) / (atSmall.work / small);
  console.log(`per-tenant cost at N=${n} / at N=${small}: ${ratio.toFixed(2)} (goal: at most ${FLEET_GOALS.perTenantRatio}: ${goal(ratio <= FLEET_GOALS.perTenantRatio)})`);
  const at = n === FLEET_GOALS.n ? '' : ` (the goals are for N=${FLEET_GOALS.n}; this is N=${n})`;
  console.log(`wall at N=${n}: ${s(atN.seconds)} (goal: at most ${FLEET_GOALS.seconds} s: ${goal(atN.seconds <= FLEET_GOALS.seconds)})${at}`);
  console.log(`peak memory at N=${n}: ${atN.peakMiB.toFixed(0)} MiB (goal: at most ${FLEET_GOALS.peakMiB} MiB: ${goal(atN.peakMiB <= FLEET_GOALS.peakMiB)})${at}`);
}

/** `--fleet N`, or undefined for the default bench. */
function fleetSize(args: readonly string[]): number | undefined {
  const at = args.indexOf('--fleet');
  if (at < 0) {
    if (args.length > 0) throw new Error(`unknown arguments ${JSON.stringify(args)}: npm run bench [-- --fleet N]`);
    return undefined;
  }
  const n = Number(args[at + 1]);
  if (!Number.isInteger(n) || n < 1 || args.length !== 2) throw new Error(`--fleet takes a number of tenants of at least 1 (got ${JSON.stringify(args.slice(at + 1))}): npm run bench -- --fleet 342`);
  return n;
}

const n = fleetSize(process.argv.slice(2));
(n === undefined ? defaultBench() : fleetBench(n)).catch((error) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
