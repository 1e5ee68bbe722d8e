/**
 * `npm run review -- --base <cdktf.out of main> --head <cdktf.out of the PR>`
 *
 * Prints a Markdown pull-request comment: a line per stack (its verdict and
 * totals, the changed stacks first), then each changed stack in full, its
 * sovereignty delta and its resources added, removed and changed, grouped by
 * app. The folders may hold several stacks (a fleet: DESK_DEPLOYMENT=<folder>).
 * Exits 1 when the head has error findings the base did not, 2 on bad input.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ReviewInputError, readSynthDir, renderReview, review, reviewExitCode } from '../constructs/report/review';

const USAGE = `Usage: npm run review -- --base <dir> --head <dir> [--out <file>]

Compares two synth output directories (cdktf.out, of one stack or of a fleet) and prints a
Markdown comment: a line per stack, the changed stacks first, then each changed stack in full.

  --base <dir>   output of \`cdktf synth\` on the target branch
  --head <dir>   output of \`cdktf synth\` on the pull request
  --out <file>   also write the comment to this file
  -h, --help     show this help

Exit codes: 0 no new errors, 1 the head has error findings the base did not, 2 bad input.`;

function main(argv: string[]): number {
  let values: { base?: string; head?: string; out?: string; help?: boolean };
  try {
    values = parseArgs({
      args: argv,
      options: { base: { type: 'string' }, head: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    console.error(`review: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const missing = (['base', 'head'] as const).filter((flag) => !values[flag]);
  if (missing.length > 0) {
    console.error(`review: missing ${missing.map((m) => `--${m}`).join(' and ')}\n\n${USAGE}`);
    return 2;
  }
  try {
    const reviews = review(readSynthDir(values.base as string, '--base'), readSynthDir(values.head as string, '--head'));
    const comment = renderReview(reviews);
    console.log(comment);
    if (values.out) writeFileSync(values.out, comment);
    return reviewExitCode(reviews);
  } catch (error) {
    if (error instanceof ReviewInputError) {
      console.error(`review: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = main(process.argv.slice(2));
