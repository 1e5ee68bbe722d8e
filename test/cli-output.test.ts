/**
 * The output folder of the app: a failed synth never leaves an earlier PASS
 * behind, two synths into one folder never mix, nested output paths work, and
 * the spec can come from a pipe.
 */
import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lockOutputFolder } from '../stacks/output-folder';

const ROOT = resolve(__dirname, '..');
const fixture = (name: string) => join(ROOT, 'test', 'fixtures', name);
const DEFAULT_SPEC = join(ROOT, 'stacks', 'default-deployment.yaml');

interface Run { readonly status: number | null; readonly stdout: string; readonly stderr: string }

function environment(outdir: string, deployment?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1', FORCE_COLOR: '0' };
  delete env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  delete env.DESK_SIGNING_KEY;
  // cdktf runs `terraform version`, which warns about a CLI configuration file that does not exist.
  if (env.TF_CLI_CONFIG_FILE && !existsSync(env.TF_CLI_CONFIG_FILE)) delete env.TF_CLI_CONFIG_FILE;
  if (deployment === undefined) delete env.DESK_DEPLOYMENT;
  else env.DESK_DEPLOYMENT = deployment;
  return env;
}

/** Runs the app synchronously into `outdir`. */
function app(outdir: string, deployment?: string): Run {
  const result = spawnSync('node', ['scripts/app.cjs'], { cwd: ROOT, env: environment(outdir, deployment), encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts the app without waiting for it. */
function start(outdir: string, deployment?: string): { child: ChildProcess; done: Promise<Run>; stderrSoFar: () => string } {
  const child = spawn('node', ['scripts/app.cjs'], { cwd: ROOT, env: environment(outdir, deployment) });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => { stdout += String(chunk); });
  child.stderr?.on('data', (chunk) => { stderr += String(chunk); });
  const done = new Promise<Run>((settle) => child.on('close', (status) => settle({ status, stdout, stderr })));
  return { child, done, stderrSoFar: () => stderr };
}

const newOutdir = () => join(mkdtempSync(join(tmpdir(), 'desk-out-')), 'cdktf.out');
const stackFile = (outdir: string) => join(outdir, 'stacks', 'agency-de', 'cdk.tf.json');
const reportFile = (outdir: string, ext = 'json') => join(outdir, 'sovereignty', `agency-de.${ext}`);
const verdict = (outdir: string) => (JSON.parse(readFileSync(reportFile(outdir), 'utf8')) as { verdict: string }).verdict;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** A pid that belonged to a process that has exited. */
function deadPid(): number {
  const pid = spawnSync('true').pid;
  expect(() => process.kill(pid, 0)).toThrow();
  return pid;
}

describe('output folder: a failed synth leaves no earlier PASS', () => {
  it('fails if the spec is invalid after a passing synth: the stack file, reports and manifest are gone', () => {
    const outdir = newOutdir();
    expect(app(outdir).status).toBe(0);
    expect(verdict(outdir)).toBe('pass');
    const r = app(outdir, fixture('invalid.yaml'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('spec.profil: unknown field');
    expect(existsSync(stackFile(outdir))).toBe(false);
    for (const ext of ['json', 'md', 'sarif']) expect(existsSync(reportFile(outdir, ext))).toBe(false);
    expect(existsSync(join(outdir, 'manifest.json'))).toBe(false);
  });

  it('fails if DESK_DEPLOYMENT is set but empty, naming it, and removes the earlier results', () => {
    const outdir = newOutdir();
    expect(app(outdir).status).toBe(0);
    const r = app(outdir, '');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('DESK_DEPLOYMENT: is set but empty, so it names no file');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(stackFile(outdir))).toBe(false);
    expect(existsSync(reportFile(outdir))).toBe(false);
  });

  it('fails if findings fail the synth after a passing one: the reports say FAIL', () => {
    const outdir = newOutdir();
    expect(app(outdir).status).toBe(0);
    expect(app(outdir, fixture('backup-us.yaml')).status).toBe(1);
    expect(verdict(outdir)).toBe('fail');
    expect(readFileSync(stackFile(outdir), 'utf8')).toContain('s3.us-east-1.amazonaws.com');
  });

  it('removes the stacks of an earlier spec with another name', () => {
    const outdir = newOutdir();
    expect(app(outdir).status).toBe(0);
    const renamed = join(mkdtempSync(join(tmpdir(), 'desk-spec-')), 'desk.yaml');
    writeFileSync(renamed, readFileSync(DEFAULT_SPEC, 'utf8').replace(/name: agency-de/, 'name: agency-at'));
    expect(app(outdir, renamed).status).toBe(0);
    expect(existsSync(stackFile(outdir))).toBe(false);
    expect(existsSync(join(outdir, 'stacks', 'agency-at', 'cdk.tf.json'))).toBe(true);
  });

  it('removes the stacks of an earlier spec with another name under cdktf synth too (the CLI removes the folders it listed)', () => {
    const outdir = newOutdir();
    expect(app(outdir).status).toBe(0);
    const renamed = join(mkdtempSync(join(tmpdir(), 'desk-spec-')), 'desk.yaml');
    writeFileSync(renamed, readFileSync(DEFAULT_SPEC, 'utf8').replace(/name: agency-de/, 'name: agency-at'));
    const env = environment('', renamed);
    delete env.CDKTF_OUTDIR;
    const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'cdktf'), ['synth', '--output', outdir], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(existsSync(join(outdir, 'stacks', 'agency-de'))).toBe(false);
    expect(existsSync(join(outdir, 'stacks', 'agency-at', 'cdk.tf.json'))).toBe(true);
  });
});

describe('output folder: paths and input', () => {
  it('synthesizes into a nested output path that does not exist yet', () => {
    const outdir = join(newOutdir(), 'a', 'b', 'c');
    const r = app(outdir);
    expect(r.status).toBe(0);
    expect(existsSync(stackFile(outdir))).toBe(true);
  });

  it('synthesizes into a nested path given to cdktf synth --output', () => {
    const outdir = join(newOutdir(), 'a', 'b');
    const env = environment('', undefined);
    delete env.CDKTF_OUTDIR;
    const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'cdktf'), ['synth', '--output', outdir], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(0);
    expect(verdict(outdir)).toBe('pass');
    expect(existsSync(stackFile(outdir))).toBe(true);
  });

  it('reads the spec from a FIFO', async () => {
    const fifo = join(mkdtempSync(join(tmpdir(), 'desk-fifo-')), 'desk.yaml');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', DEFAULT_SPEC, fifo], { stdio: 'ignore' });
    const outdir = newOutdir();
    const r = await start(outdir, fifo).done;
    writer.kill();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(verdict(outdir)).toBe('pass');
  });
});

describe('output folder: lock', () => {
  it('waits for the synth that holds the lock, then synthesizes', async () => {
    const outdir = newOutdir();
    mkdirSync(outdir, { recursive: true });
    const lock = lockOutputFolder(outdir);
    const waiting = start(outdir);
    await sleep(3000);
    expect(waiting.child.exitCode).toBeNull();
    expect(existsSync(stackFile(outdir))).toBe(false);
    lock.release();
    const r = await waiting.done;
    expect(r.stderr).toContain(`waiting for the synth (pid ${process.pid}) that holds ${outdir}.lock`);
    expect(r.status).toBe(0);
    expect(existsSync(`${outdir}.lock`)).toBe(false);
  });

  it('breaks a lock whose process is gone', () => {
    const outdir = newOutdir();
    mkdirSync(`${outdir}.lock`, { recursive: true });
    writeFileSync(join(`${outdir}.lock`, 'pid'), String(deadPid()));
    const started = Date.now();
    expect(app(outdir).status).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(existsSync(`${outdir}.lock`)).toBe(false);
  });

  it('releases the lock when the spec fails', () => {
    const outdir = newOutdir();
    expect(app(outdir, fixture('invalid.yaml')).status).toBe(1);
    expect(existsSync(`${outdir}.lock`)).toBe(false);
  });

  it('fails if another live synth holds the lock past the timeout, naming the lock and its pid', () => {
    const outdir = newOutdir();
    mkdirSync(outdir, { recursive: true });
    const held = lockOutputFolder(outdir);
    try {
      expect(() => lockOutputFolder(outdir, { timeoutMs: 300 })).toThrow(
        `another synth (pid ${process.pid}) has held the lock ${outdir}.lock for over 300 ms; wait for it to finish, or remove ${outdir}.lock if no synth is running`,
      );
    } finally {
      held.release();
    }
    expect(existsSync(`${outdir}.lock`)).toBe(false);
  });

  it('two synths into one folder at once do not mix: one waits for the other, the files come from one run', async () => {
    const outdir = newOutdir();
    mkdirSync(outdir, { recursive: true });
    const gate = lockOutputFolder(outdir);
    const synths = [start(outdir), start(outdir, fixture('backup-us.yaml'))];
    // Release the gate only once both synths wait for it, however slowly they start on a loaded machine.
    const gateHolder = `waiting for the synth (pid ${process.pid})`;
    for (let waited = 0; !synths.every((s) => s.stderrSoFar().includes(gateHolder)) && waited < 60_000; waited += 100) await sleep(100);
    gate.release();
    const runs = await Promise.all(synths.map((s) => s.done));
    expect(runs.map((r) => r.status)).toEqual([0, 1]);
    const [first, second] = synths.map((s) => s.child.pid);
    const waitedForOther = runs[0].stderr.includes(`waiting for the synth (pid ${second})`) || runs[1].stderr.includes(`waiting for the synth (pid ${first})`);
    expect(waitedForOther).toBe(true);
    const failing = readFileSync(stackFile(outdir), 'utf8').includes('s3.us-east-1.amazonaws.com');
    expect(verdict(outdir)).toBe(failing ? 'fail' : 'pass');
    expect(readFileSync(join(outdir, 'manifest.json'), 'utf8').includes('SD-RESIDENCY')).toBe(failing);
    expect(existsSync(`${outdir}.lock`)).toBe(false);
  });
});

describe('command line', () => {
  const run = (...args: string[]) => spawnSync('node', ['scripts/app.cjs', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: newOutdir() } });

  it('prints the usage for --help and synthesizes nothing', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: npm run app');
    expect(r.stdout).toContain('DESK_DEPLOYMENT');
  });

  it('fails if an unknown argument is given, naming it and printing the usage', () => {
    const r = run('--outdir', 'x');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('sovereign-desk: unknown argument "--outdir", "x"');
    expect(r.stderr).toContain('Usage: npm run app');
  });
});
