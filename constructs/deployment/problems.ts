/**
 * Spec problems: every one names the field, shows the value, says what is
 * allowed and how to fix it. All problems of a spec are reported together.
 */

/** One thing wrong with a deployment spec. */
export interface SpecProblem {
  /** Field path, e.g. `spec.backup.endpoint`. */
  readonly path: string;
  /** The offending value as written, or `undefined` when the field is missing. */
  readonly value: unknown;
  /** What is wrong. */
  readonly message: string;
  /** What the field accepts. */
  readonly allowed: string;
  /** How to fix it, e.g. a close valid value. */
  readonly fix?: string;
  /**
   * The source lines around the problem with a caret under its column, shown
   * instead of the value (for syntax errors, which have no field value).
   * @default - the value is shown
   */
  readonly frame?: readonly string[];
}

/**
 * Thrown by the spec loader; carries every problem found. Its message is the
 * readable report (no stack trace needed).
 *
 * @example
 * try { readDeployment('desk.yaml'); } catch (e) { if (e instanceof SpecError) console.error(e.message); }
 */
export class SpecError extends Error {
  constructor(public readonly source: string, public readonly problems: readonly SpecProblem[]) {
    super(formatProblems(source, problems));
    this.name = 'SpecError';
  }
}

/** Renders problems for a terminal: one block per problem, no stack trace. */
export function formatProblems(source: string, problems: readonly SpecProblem[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const blocks = problems.map((p) => {
    const lines = [
      `  ${p.path}: ${p.message}`,
      ...(p.frame ? p.frame.map((line) => `      ${line}`) : [`      value:   ${showValue(p.value)}`]),
      `      allowed: ${p.allowed}`,
    ];
    if (p.fix) lines.push(`      fix:     ${p.fix}`);
    return lines.join('\n');
  });
  return [`Invalid deployment spec ${source} (${count}):`, ...blocks].join('\n');
}

/** A short, single-line rendering of a spec value. */
export function showValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * The line `line` of `text` (1-based) with the line before and after it and a
 * caret under column `column`:
 *
 *     6 |   jurisdiction: DE
 *     7 |    domain: x
 *       |    ^
 */
export function codeFrame(text: string, line: number, column: number): string[] {
  const lines = text.replace(/\r?\n$/, '').split(/\r?\n/);
  const first = Math.max(1, line - 1);
  const last = Math.min(lines.length, line + 1);
  const width = String(last).length;
  const frame: string[] = [];
  for (let n = first; n <= last; n += 1) {
    frame.push(`${String(n).padStart(width)} | ${lines[n - 1]}`.trimEnd());
    if (n === line) frame.push(`${' '.repeat(width)} | ${' '.repeat(Math.max(0, column - 1))}^`);
  }
  return frame;
}
