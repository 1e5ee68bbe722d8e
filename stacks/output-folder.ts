/**
 * The output folder of a synth: created up front, locked against a concurrent
 * synth into the same folder, and cleared of the previous run's results so
 * that a failed synth never leaves an earlier PASS behind.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPORT_DIR } from '../constructs/report/write';

/** How long a synth waits for another one that holds the lock. */
export const LOCK_TIMEOUT_MS = 60_000;

/** A lock without a pid file older than this is left over from a crash (the pid is written right after the folder is made). */
const PIDLESS_STALE_MS = 5_000;

const POLL_MS = 100;

/** The output folder: CDKTF_OUTDIR (set by `cdktf synth --output`), else cdktf.out. */
export function outputFolder(env: NodeJS.ProcessEnv = process.env): string {
  return env.CDKTF_OUTDIR || 'cdktf.out';
}

/**
 * Creates the output folder with its parents (cdktf's App creates only the
 * last level, so a nested `--output` path would fail).
 */
export function createOutputFolder(outdir: string): void {
  mkdirSync(outdir, { recursive: true });
}

/** Options of {@link clearPreviousResults}. */
export interface ClearOptions {
  /**
   * Empty each stack's folder instead of removing it. The cdktf CLI lists the
   * stack folders before it runs the app and removes those of stacks the app
   * no longer writes after it: a folder already gone makes it fail (ENOENT).
   * @default false
   */
  readonly keepStackFolders?: boolean;
}

/**
 * Removes the results of the previous run: the Terraform files of every stack,
 * the sovereignty reports and the manifest with their annotations.
 */
export function clearPreviousResults(outdir: string, options: ClearOptions = {}): void {
  const stacks = join(outdir, 'stacks');
  if (options.keepStackFolders && existsSync(stacks)) {
    for (const stack of readdirSync(stacks, { withFileTypes: true })) {
      const folder = join(stacks, stack.name);
      if (!stack.isDirectory()) rmSync(folder, { force: true });
      else for (const entry of readdirSync(folder)) rmSync(join(folder, entry), { recursive: true, force: true });
    }
  } else {
    rmSync(stacks, { recursive: true, force: true });
  }
  for (const entry of [REPORT_DIR, 'manifest.json']) {
    rmSync(join(outdir, entry), { recursive: true, force: true });
  }
}

/** An exclusive lock on an output folder. */
export interface OutputLock {
  /** The lock folder, `<outdir>.lock`, with the holder's pid inside. */
  readonly path: string;
  /** Removes the lock if this process still holds it. */
  release(): void;
}

/** Options of {@link lockOutputFolder}. */
export interface LockOptions {
  /** @default LOCK_TIMEOUT_MS */
  readonly timeoutMs?: number;
  /** Called when the lock is found held by another process, and again when it passes to yet another, with the holder's pid when known. */
  readonly onWait?: (holder: number | undefined, lock: string) => void;
}

/**
 * Takes the lock `<outdir>.lock` (a folder, created atomically), waiting up
 * to {@link LOCK_TIMEOUT_MS} for another synth to finish. A lock whose process
 * is gone is broken.
 * @throws Error naming the lock and its holder when the wait times out
 */
export function lockOutputFolder(outdir: string, options: LockOptions = {}): OutputLock {
  const path = `${resolve(outdir)}.lock`;
  const timeout = options.timeoutMs ?? LOCK_TIMEOUT_MS;
  const deadline = Date.now() + timeout;
  let announced: number | undefined | null = null;
  for (;;) {
    if (tryCreate(path)) return { path, release: () => release(path) };
    const holder = holderOf(path);
    if (isStale(path, holder)) {
      breakLock(path, holder);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new Error(`another synth${holder ? ` (pid ${holder})` : ''} has held the lock ${path} for over ${timeout >= 1000 ? `${Math.round(timeout / 1000)} s` : `${timeout} ms`}; `
        + `wait for it to finish, or remove ${path} if no synth is running`);
    }
    if (announced === null || (holder !== undefined && holder !== announced)) options.onWait?.(holder, path);
    if (announced === null || holder !== undefined) announced = holder;
    sleep(POLL_MS);
  }
}

function tryCreate(path: string): boolean {
  try {
    mkdirSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  writeFileSync(join(path, 'pid'), String(process.pid));
  return true;
}

/** The pid in the lock, or undefined when it is not (yet) written or the lock is gone. */
function holderOf(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(path, 'pid'), 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isStale(path: string, holder: number | undefined): boolean {
  if (holder !== undefined) return !isAlive(holder);
  try {
    return Date.now() - statSync(path).mtimeMs > PIDLESS_STALE_MS;
  } catch {
    return false;
  }
}

/** True while the process exists (EPERM: it exists but belongs to another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Moves a stale lock aside (atomically, so only one waiter breaks it) and removes it. */
function breakLock(path: string, holder: number | undefined): void {
  if (holderOf(path) !== holder) return;
  const aside = `${path}.stale-${process.pid}-${Date.now()}`;
  try {
    renameSync(path, aside);
  } catch {
    return;
  }
  rmSync(aside, { recursive: true, force: true });
}

function release(path: string): void {
  if (holderOf(path) === process.pid) rmSync(path, { recursive: true, force: true });
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
