/**
 * Prints findings after synthesis the way `cdktf synth` does
 * (`LEVEL [construct path]: message`), followed by one summary line per stack.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatStateLocation, formatSummary, hasErrors } from '../constructs/policy';
import { SovereignStack } from '../constructs/proof';

interface ManifestAnnotation {
  readonly constructPath: string;
  readonly level: string;
  readonly message: string;
}

const LEVELS: Readonly<Record<string, string>> = { '@cdktf/info': 'INFO', '@cdktf/warn': 'WARN', '@cdktf/error': 'ERROR' };

/** Options of {@link printFindings}. */
export interface PrintOptions {
  /**
   * Running under the cdktf CLI, which prints annotations itself when the app
   * succeeds; then they are printed here only when an error fails the app.
   * @default false
   */
  readonly underCli?: boolean;
}

/**
 * Prints the annotations recorded in the manifest and a summary of each stack.
 * @returns the exit code: 1 when any stack has an error annotation, else 0
 */
export function printFindings(outdir: string, stacks: readonly SovereignStack[], options: PrintOptions = {}): number {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { annotations: ManifestAnnotation[] }>;
  };
  const annotations = Object.values(manifest.stacks).flatMap((entry) => entry.annotations);
  const errors = annotations.some((a) => LEVELS[a.level] === 'ERROR');
  if (errors || !options.underCli) {
    for (const annotation of annotations) {
      const level = LEVELS[annotation.level] ?? annotation.level;
      (level === 'ERROR' ? console.error : console.log)(`${level} [${annotation.constructPath}]: ${annotation.message}`);
    }
  }
  for (const stack of stacks) {
    const result = stack.prove();
    const print = hasErrors(result) ? console.error : console.log;
    print(formatSummary(stack.node.id, result));
    print(formatStateLocation(stack.node.id, result));
  }
  return errors ? 1 : 0;
}
