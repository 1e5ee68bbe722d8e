/**
 * Times synthesis of the default deployment: the bare app command and
 * `cdktf synth`, five runs each. Prints medians and their ratio.
 *
 *   npm run bench
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'cdktf';
import { parse, stringify } from 'yaml';
import { scanTerraform } from '../../constructs/policy/scan';
import { loadDeployment } from '../../stacks/load-deployment';
import { WorkplaceStack } from '../../stacks/workplace-stack';

const ROOT = resolve(__dirname, '..', '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

interface Sample { readonly seconds: number; readonly peakMiB: number }

/** Runs once under GNU time, which reports the peak resident memory of the largest process of the run. */
function time(command: string, args: string[]): Sample {
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', CDKTF_OUTDIR: mkdtempSync(join(tmpdir(), 'desk-bench-')) };
  delete env.DESK_DEPLOYMENT;
  delete env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  const start = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args.map((a) => a.replace('$OUT', env.CDKTF_OUTDIR ?? ''))], {
    cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  const kib = Number(result.stderr.trim().split('\n').pop());
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, peakMiB: kib / 1024 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
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

const cases: [string, string, string[]][] = [
  ['app command (node --import tsx main.ts)', 'node', ['--import', 'tsx', 'main.ts']],
  ['app command without the report (DESK_REPORT=off)', 'env', ['DESK_REPORT=off', 'node', '--import', 'tsx', 'main.ts']],
  ['cdktf synth', join(ROOT, 'node_modules', '.bin', 'cdktf'), ['synth', '--output', '$OUT']],
  ['app command, five apps (the suite before video, projects, wiki and metrics)', 'env', [`DESK_DEPLOYMENT=${fiveAppSpec()}`, 'node', '--import', 'tsx', 'main.ts']],
];
const medians = cases.map(([label, command, args]) => {
  const samples = Array.from({ length: RUNS }, () => time(command, args));
  const seconds = samples.map((s) => s.seconds);
  const m = median(seconds);
  console.log(`${label}: median ${m.toFixed(2)} s of ${RUNS} (min ${Math.min(...seconds).toFixed(2)}, max ${Math.max(...seconds).toFixed(2)}); peak memory median ${median(samples.map((s) => s.peakMiB)).toFixed(0)} MiB`);
  return m;
});
console.log(`report cost: ${(medians[0] - medians[1]).toFixed(2)} s per synth (ratio with/without ${(medians[0] / medians[1]).toFixed(2)})`);
console.log(`ratio cdktf synth / app command: ${(medians[2] / medians[0]).toFixed(2)}`);
console.log(`ratio eight apps / five apps (app command): ${(medians[0] / medians[3]).toFixed(2)} (goal: at most 1.5)`);

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
    const start = process.hrtime.bigint();
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'desk-bench-')) });
    const stack = new WorkplaceStack(app, deployment.metadata.name, { deployment, report: false, terminal: false });
    app.synth();
    synthSeconds.push(Number(process.hrtime.bigint() - start) / 1e9);
    const config = JSON.parse(JSON.stringify(stack.toTerraform()));
    const scanStart = process.hrtime.bigint();
    scanTerraform(config, stack.node.path);
    scanSeconds.push(Number(process.hrtime.bigint() - scanStart) / 1e9);
  }
  process.exitCode = 0;
  const synthMedian = median(synthSeconds);
  const scanMedian = median(scanSeconds);
  console.log(`generic scan of the default stack: median ${(scanMedian * 1000).toFixed(0)} ms of ${RUNS}`);
  console.log(`scan share of the app command: ${((scanMedian / appCommandSeconds) * 100).toFixed(1)} % (goal: at most 10 %); of a warm in-process synth (${(synthMedian * 1000).toFixed(0)} ms): ${((scanMedian / synthMedian) * 100).toFixed(1)} %`);
}

scanShare(medians[0]);
