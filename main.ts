/**
 * The cdktf app: synthesizes the deployment named by DESK_DEPLOYMENT (a YAML or
 * JSON file), or the embedded default in stacks/, into CDKTF_OUTDIR.
 *
 * Run by `cdktf synth|diff|deploy`, or directly (`npm run app`): both write the
 * same files, print the same findings and exit non-zero on error findings.
 */
import { App } from 'cdktf';
import { SpecError } from './constructs/deployment';
import { loadDeployment } from './stacks/load-deployment';
import { runByCdktfCli } from './constructs/proof';
import { clearPreviousResults, createOutputFolder, lockOutputFolder, outputFolder } from './stacks/output-folder';
import { WorkplaceStack } from './stacks/workplace-stack';
import { recordTokenCreationStacks } from './stacks/token-traces';

// The stack prints its findings, the verdict and the state location once its
// files are written, and sets the exit code (constructs/proof/terminal.ts):
// the same for this app and for a team's own SovereignStack app.

/**
 * Synthesizes into the output folder while holding its lock, after removing
 * the previous run's results (also when the spec then fails to load).
 */
function main(): void {
  const outdir = outputFolder();
  createOutputFolder(outdir);
  const lock = lockOutputFolder(outdir, {
    onWait: (holder, path) => console.error(`sovereign-desk: waiting for the synth${holder ? ` (pid ${holder})` : ''} that holds ${path}`),
  });
  try {
    clearPreviousResults(outdir, { keepStackFolders: runByCdktfCli() });
    synthesize(outdir);
  } finally {
    lock.release();
  }
}

function synthesize(outdir: string): void {
  // Where each token was created is printed only for a token that cannot be resolved: recorded under DESK_DEBUG.
  recordTokenCreationStacks(Boolean(process.env.DESK_DEBUG));
  const { deployment, source } = loadDeployment(process.env.DESK_DEPLOYMENT);
  const app = new App({ outdir });
  new WorkplaceStack(app, deployment.metadata.name, {
    deployment,
    source,
    // DESK_REPORT=off skips the sovereignty report (to measure what it costs); findings are still printed.
    report: process.env.DESK_REPORT !== 'off',
  });
  app.synth();
}

const USAGE = `Usage: npm run app            (or: npx cdktf synth | diff | deploy)

Synthesizes a deployment spec to Terraform JSON and proves where every placement is.
Takes no arguments; it is configured by environment variables:
  DESK_DEPLOYMENT   the spec file (YAML or JSON); unset: the embedded default spec
  CDKTF_OUTDIR      the output folder (default cdktf.out)
  DESK_REPORT=off   skip the sovereignty report (findings are still printed)
  DESK_DEBUG=1      print stack traces of unexpected errors
Exit code: 0 when the proof passes, 1 on error findings or an invalid spec, 2 on a wrong command line.`;

/** Arguments are not options of this app: `--help` prints the usage, anything else is refused with it. */
function commandLine(args: readonly string[]): number | undefined {
  if (args.length === 0) return undefined;
  if (args.some((a) => a === '--help' || a === '-h')) {
    console.log(USAGE);
    return 0;
  }
  console.error(`sovereign-desk: unknown argument ${args.map((a) => JSON.stringify(a)).join(', ')}\n\n${USAGE}`);
  return 2;
}

try {
  const refused = commandLine(process.argv.slice(2));
  if (refused === undefined) main();
  else process.exitCode = refused;
} catch (error) {
  if (error instanceof SpecError) {
    console.error(error.message);
  } else {
    console.error(`sovereign-desk: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.DESK_DEBUG && error instanceof Error) console.error(error.stack);
  }
  process.exitCode = 1;
}
