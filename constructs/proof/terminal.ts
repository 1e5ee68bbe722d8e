/**
 * What a person reads after a SovereignStack is synthesized: each finding
 * once, a verdict line that counts exactly the findings printed, and where
 * the Terraform state (every generated secret) is.
 *
 * Two ways to run an app, one output:
 * - Run directly (`npm run app`, or a team's own app run with node), the
 *   stack prints its annotations as `LEVEL [construct path]: message`
 *   (errors on stderr), then the verdict and the state location, and an
 *   error makes the exit code 1.
 * - Run by the cdktf CLI (`cdktf synth|diff|deploy`), cdktf-cli itself prints
 *   every annotation of manifest.json in the same form once the app has
 *   exited (`printAnnotations` in @cdktf/cli-core), INFO and WARN included,
 *   and fails with exit code 1 when one is an error. It cannot be told not
 *   to, and the annotations stay in the manifest for tools. So under the CLI
 *   the stack prints only what cdktf does not: the verdict and the state
 *   location, on stdout, in one write without a final newline (cdktf passes
 *   each chunk of the app's stdout to console.log, which adds one). It writes
 *   nothing to stderr (cdktf logs each stderr chunk with a
 *   `[timestamp] [ERROR] default -` prefix) and leaves the exit code to cdktf
 *   (an app that exits non-zero makes cdktf repeat the app's whole output
 *   and skip printing the annotations).
 */
import { AnnotationMetadataEntryType } from 'cdktf';
import { FindingTally, formatStateLocation, formatSummary } from '../policy/format';
import type { PolicyResult } from '../policy/engine';

/**
 * True when the cdktf CLI runs the app. The CLI passes both to every app it
 * runs: the context key `cdktfRelativeModules` in CDKTF_CONTEXT_JSON and
 * CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS=true. Only the environment counts
 * (a context key set in code or cdktf.json does not), and both must be there:
 * under the CLI a failing proof leaves the exit code to the CLI, so a wrong
 * answer here would let a failing synth exit 0.
 */
export function runByCdktfCli(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== 'true') return false;
  try {
    const context = JSON.parse(env.CDKTF_CONTEXT_JSON ?? '{}') as unknown;
    return typeof context === 'object' && context !== null && 'cdktfRelativeModules' in context;
  } catch {
    return false;
  }
}

/** An annotation as cdktf records it in manifest.json. */
export interface StackAnnotation {
  readonly constructPath: string;
  /** `@cdktf/info`, `@cdktf/warn` or `@cdktf/error`. */
  readonly level: string;
  readonly message: string;
}

/** Where the text goes: the process's streams, or anything that collects it. */
export interface TerminalSink {
  /** Writes text as is (no newline added). */
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** The process's standard output and error. */
export const PROCESS_TERMINAL: TerminalSink = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** One line of terminal output and the stream it belongs on. */
export interface TerminalLine {
  readonly stream: 'out' | 'err';
  readonly text: string;
}

const LEVEL_NAMES: Readonly<Record<string, string>> = {
  [AnnotationMetadataEntryType.INFO]: 'INFO',
  [AnnotationMetadataEntryType.WARN]: 'WARN',
  [AnnotationMetadataEntryType.ERROR]: 'ERROR',
};

/** The prefix suppressed findings' INFO annotations start with. */
export const SUPPRESSED_PREFIX = 'SUPPRESSED ';

/** `ERROR`, `WARN`, `INFO` (or the raw level of an annotation of another kind). */
export function levelName(annotation: StackAnnotation): string {
  return LEVEL_NAMES[annotation.level] ?? annotation.level;
}

/** Counts annotations as the verdict reports them: errors, warnings, suppressed findings, other notes. */
export function tallyAnnotations(annotations: readonly StackAnnotation[]): FindingTally {
  const count = (test: (a: StackAnnotation) => boolean) => annotations.filter(test).length;
  const info = (a: StackAnnotation) => levelName(a) === 'INFO';
  return {
    errors: count((a) => levelName(a) === 'ERROR'),
    warnings: count((a) => levelName(a) === 'WARN'),
    suppressed: count((a) => info(a) && a.message.startsWith(SUPPRESSED_PREFIX)),
    notes: count((a) => info(a) && !a.message.startsWith(SUPPRESSED_PREFIX)),
  };
}

/** Options of {@link terminalLines}. */
export interface TerminalOptions {
  /** The cdktf CLI runs the app and prints the annotations itself. */
  readonly underCli: boolean;
}

/**
 * The lines a stack prints after synthesis: its annotations (unless the CLI
 * prints them), the verdict counting those annotations, the state location.
 */
export function terminalLines(
  stackName: string, annotations: readonly StackAnnotation[], result: PolicyResult, options: TerminalOptions,
): TerminalLine[] {
  const tally = tallyAnnotations(annotations);
  const failed = tally.errors > 0;
  const closing: 'out' | 'err' = failed && !options.underCli ? 'err' : 'out';
  const findings = options.underCli ? [] : annotations.map((a): TerminalLine => ({
    stream: levelName(a) === 'ERROR' ? 'err' : 'out',
    text: `${levelName(a)} [${a.constructPath}]: ${a.message}`,
  }));
  return [
    ...findings,
    { stream: closing, text: formatSummary(stackName, result, tally) },
    { stream: closing, text: formatStateLocation(stackName, result) },
  ];
}

/**
 * Writes lines to the sink, consecutive lines of one stream in one write.
 * @param finalNewline end the last write with a newline (cdktf's CLI adds one itself)
 */
export function writeLines(lines: readonly TerminalLine[], sink: TerminalSink, finalNewline: boolean): void {
  const groups: TerminalLine[][] = [];
  for (const line of lines) {
    const last = groups[groups.length - 1];
    if (last && last[0].stream === line.stream) last.push(line);
    else groups.push([line]);
  }
  groups.forEach((group, index) => {
    const end = index < groups.length - 1 || finalNewline ? '\n' : '';
    sink[group[0].stream](`${group.map((l) => l.text).join('\n')}${end}`);
  });
}
