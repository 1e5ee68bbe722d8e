/**
 * `npm run review:pr`: the sovereignty review of a pull request. Synthesizes
 * the embedded default and the deployments folder (one fleet) of the base
 * and of the head checkout, compares them stack by stack, and writes the
 * comment, the full review and the SARIF for the workflow to post.
 */
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SPEC, DEPLOYMENTS_FOLDER, ReviewSetupError } from './pr/deployments';
import { STACK_REVIEWS_DIR } from '../constructs/report';
import { REVIEW_FILES, ReviewCheckoutsResult, reviewCheckouts } from './pr/review-checkouts';

const USAGE = `Usage: npm run review:pr -- --base <checkout> [--head <checkout>] --out <folder> [--deployments <folder>] [--details-url <url>]

Synthesizes the embedded default spec (${DEFAULT_SPEC}) on its own, and the *.yaml, *.yml and
*.json specs of the deployments folder together as one fleet (DESK_DEPLOYMENT=<folder>), in both
checkouts, and compares them stack by stack (the default's stack as default/<name>).

  --base <checkout>        a checkout of the target branch, dependencies installed (npm ci)
  --head <checkout>        a checkout of the pull request (default: the current folder)
  --out <folder>           where the synth outputs and these files go:
                             ${REVIEW_FILES.comment}  the pull-request comment (under GitHub's 65,536 characters)
                             ${REVIEW_FILES.summary}  the job summary (under 1 MiB)
                             ${REVIEW_FILES.full}  the whole review
                             ${REVIEW_FILES.sarif}  the head's findings for code scanning
                             ${REVIEW_FILES.result}  the verdict, for tools
                             ${STACK_REVIEWS_DIR}/<stack>.md  each stack's review in full
  --deployments <folder>   the folder of further specs in each checkout (default: ${DEPLOYMENTS_FOLDER})
  --details-url <url>      the page of the CI run, linked from the comment
  -h, --help               show this help

Exit codes: 0 no new error findings; 1 the head adds error findings; 2 a deployment could not be
reviewed (a spec the synth cannot read, a synth that crashed, two specs with one stack name) or
bad input.`;

interface Flags {
  readonly base?: string;
  readonly head?: string;
  readonly out?: string;
  readonly deployments?: string;
  readonly 'details-url'?: string;
  readonly help?: boolean;
}

function flags(argv: readonly string[]): Flags {
  return parseArgs({
    args: [...argv],
    options: {
      base: { type: 'string' }, head: { type: 'string' }, out: { type: 'string' }, deployments: { type: 'string' },
      'details-url': { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  }).values;
}

/** The run page must be an http(s) URL: it becomes a link in the comment. */
function detailsUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ReviewSetupError(`--details-url ${JSON.stringify(value)}: not a URL. Expected the run's page, e.g. https://github.com/<owner>/<repo>/actions/runs/<id>.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ReviewSetupError(`--details-url ${JSON.stringify(value)}: scheme ${url.protocol} is not allowed; use an https:// URL of the run's page.`);
  }
  if (url.href.length > 2000) throw new ReviewSetupError(`--details-url: ${url.href.length} characters, at most 2000 allowed; pass the run's page.`);
  return url.href;
}

async function main(argv: readonly string[]): Promise<number> {
  let values: Flags;
  try {
    values = flags(argv);
  } catch (error) {
    console.error(`review:pr: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const missing = (['base', 'out'] as const).filter((flag) => !values[flag]);
  if (missing.length > 0) {
    console.error(`review:pr: missing ${missing.map((m) => `--${m}`).join(' and ')}\n\n${USAGE}`);
    return 2;
  }
  let result: ReviewCheckoutsResult;
  try {
    result = await reviewCheckouts({
      base: values.base as string, head: values.head ?? '.', out: values.out as string,
      deployments: values.deployments, detailsUrl: detailsUrl(values['details-url']),
      onDone: (o, seconds) => console.log(`review:pr: ${o.checkout.side} ${o.deployment.target}: ${o.status === 'failed' ? `FAILED (${o.summary})` : o.stacks.join(', ')} in ${seconds.toFixed(1)} s`),
    });
  } catch (error) {
    if (error instanceof ReviewSetupError) {
      console.error(`review:pr: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const shown = (file: string) => relative(process.cwd(), file) || file;
  console.log(`review:pr: wrote ${Object.values(result.files).map(shown).join(', ')}`);
  (result.verdict.exitCode === 0 ? console.log : console.error)(`review:pr: ${result.verdict.message}`);
  return result.verdict.exitCode;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    console.error(`review:pr: unexpected error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
