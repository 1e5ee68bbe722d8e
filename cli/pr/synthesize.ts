/**
 * Synthesizes deployments the way `cdktf synth` does, by running a
 * checkout's app command with DESK_DEPLOYMENT (the deployments folder, or
 * unset for the default) and CDKTF_OUTDIR, several at once, and tells a synth that wrote its files (passing or with error
 * findings) from one that failed (an invalid spec, a crash, a time-out).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { REPORT_DIR } from '../../constructs/report';
import type { CheckoutDeployments, DeploymentSet } from './deployments';

/** How long one synth may run (it waits up to 60 s for a lock, then takes a few seconds). */
export const SYNTH_TIMEOUT_MS = 300_000;

/** Output kept per synth: its end, where the error is. */
const OUTPUT_KEEP_CHARS = 64 * 1024;

/** What one synth left behind. */
export interface SynthOutcome {
  readonly checkout: CheckoutDeployments;
  readonly deployment: DeploymentSet;
  readonly outdir: string;
  /**
   * synthesized: the files are there to compare (the proof passed or found
   * errors; in a fleet, the stacks of the files that could be read); failed:
   * there is nothing to compare.
   */
  readonly status: 'synthesized' | 'failed';
  /** The stacks of the manifest (synthesized only). */
  readonly stacks: readonly string[];
  /** Failed only: what went wrong, in one line. */
  readonly summary?: string;
  /** What the app printed (stdout and stderr as they came; the end when long). */
  readonly output: string;
}

/** One synth to run. */
export interface SynthJob {
  readonly checkout: CheckoutDeployments;
  readonly deployment: DeploymentSet;
  readonly outdir: string;
}

/** Options of {@link synthesizeAll}. */
export interface SynthOptions {
  /** Synths at once. @default - the available cores, at most 4 */
  readonly concurrency?: number;
  /** @default SYNTH_TIMEOUT_MS */
  readonly timeoutMs?: number;
  /** Told when each synth ends. @default - nothing */
  readonly onDone?: (outcome: SynthOutcome, seconds: number) => void;
}

/** Runs every job, `concurrency` at a time; the outcomes come in the order of the jobs. */
export async function synthesizeAll(jobs: readonly SynthJob[], options: SynthOptions = {}): Promise<SynthOutcome[]> {
  const concurrency = Math.max(1, options.concurrency ?? Math.min(4, availableParallelism()));
  const outcomes: SynthOutcome[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      const started = Date.now();
      outcomes[i] = await synthesize(jobs[i], options.timeoutMs ?? SYNTH_TIMEOUT_MS);
      options.onDone?.(outcomes[i], (Date.now() - started) / 1000);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  return outcomes;
}

/** The environment of the app: the folder of the fleet (unset for the default), the output folder, no update checks. */
export function synthEnvironment(deployment: DeploymentSet, outdir: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1', FORCE_COLOR: '0' };
  // Run as `cdktf synth` would not: the app then writes every file and prints every finding itself.
  delete env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  // The review needs the sovereignty report.
  delete env.DESK_REPORT;
  if (deployment.isDefault) delete env.DESK_DEPLOYMENT;
  else env.DESK_DEPLOYMENT = deployment.target;
  return env;
}

function synthesize(job: SynthJob, timeoutMs: number): Promise<SynthOutcome> {
  return new Promise((settle) => {
    const child = spawn(job.checkout.app, {
      cwd: job.checkout.root, env: synthEnvironment(job.deployment, job.outdir), shell: true, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_KEEP_CHARS);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      settle(failed(job, `could not start the app command \`${job.checkout.app}\`: ${error.message}`, output));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) settle(failed(job, `did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped`, output));
      else settle(classify(job, code, signal, output));
    });
  });
}

/**
 * Exit 0 (the proof passed) or 1 with every file written (error findings)
 * is a synth to compare; anything else failed.
 */
export function classify(job: SynthJob, code: number | null, signal: NodeJS.Signals | null, output: string): SynthOutcome {
  if (code !== 0 && code !== 1) {
    return failed(job, `the app command ended with ${signal ? `signal ${signal}` : `exit code ${code}`}${firstLine(output)}`, output);
  }
  const manifest = join(job.outdir, 'manifest.json');
  if (!existsSync(manifest)) {
    return failed(job, `synth failed (exit ${code}) before writing any file${firstLine(output)}`, output);
  }
  let stacks: string[];
  try {
    stacks = Object.keys((JSON.parse(readFileSync(manifest, 'utf8')) as { stacks?: Record<string, unknown> }).stacks ?? {});
  } catch (error) {
    return failed(job, `synth wrote a manifest.json that is not valid JSON (${(error as Error).message})`, output);
  }
  if (stacks.length === 0) return failed(job, `synth (exit ${code}) wrote no stack`, output);
  const unreported = stacks.filter((s) => !existsSync(join(job.outdir, REPORT_DIR, `${s}.json`)));
  if (unreported.length > 0) {
    return failed(job, `synth (exit ${code}) wrote no sovereignty report for ${unreported.join(', ')}${firstLine(output)}`, output);
  }
  return { ...job, status: 'synthesized', stacks, output };
}

function failed(job: SynthJob, summary: string, output: string): SynthOutcome {
  return { ...job, status: 'failed', stacks: [], summary, output };
}

/** `: <the first line the app printed>`, or nothing. */
function firstLine(output: string): string {
  // eslint-disable-next-line no-control-regex
  const line = output.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').split('\n').map((l) => l.trim()).find((l) => l !== '');
  return line ? `: ${line.length > 300 ? `${line.slice(0, 299)}…` : line}` : '';
}
