/**
 * The cdktf app: synthesizes the deployments named by DESK_DEPLOYMENT (a YAML or
 * JSON file, a folder of them, or a list), or the embedded default in stacks/,
 * into CDKTF_OUTDIR: one stack per Workplace and per Cluster.
 *
 * Run by `cdktf synth|diff|deploy`, or directly (`npm run app`): both write the
 * same files, print the same findings and exit non-zero on error findings.
 */
import { App } from 'cdktf';
import { SpecError } from './constructs/deployment';
import { loadFleet } from './stacks/load-deployment';
import { addFleet } from './stacks/fleet-app';
import { runByCdktfCli } from './constructs/proof';
import { clearPreviousResults, createOutputFolder, lockOutputFolder, outputFolder } from './stacks/output-folder';
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
  const fleet = loadFleet(process.env.DESK_DEPLOYMENT);
  // Every file's problems at once; the stacks of the other files are still synthesized and their results printed.
  for (const error of fleet.errors) console.error(error.message);
  if (fleet.errors.length > 0) process.exitCode = 1;
  // Nothing valid: no manifest is written, as for an invalid spec before fleets.
  if (fleet.clusters.length + fleet.workplaces.length === 0) return;
  const app = new App({ outdir });
  // DESK_REPORT=off skips the sovereignty report (to measure what it costs); findings are still printed.
  addFleet(app, fleet, { report: process.env.DESK_REPORT !== 'off' });
  app.synth();
}

const USAGE = `Usage: npm run app            (or: npx cdktf synth | diff | deploy)

Synthesizes a deployment spec to Terraform JSON and proves where every placement is.
Takes no arguments; it is configured by environment variables:
  DESK_DEPLOYMENT   a spec file (YAML or JSON), a folder of them, or a list of files and
                    folders separated by commas; unset: the embedded default spec.
                    Each Workplace and each Cluster becomes a stack of its own.
  CDKTF_OUTDIR      the output folder (default cdktf.out)
  DESK_REPORT=off   skip the sovereignty report (findings are still printed)
  DESK_SIGNING_KEY  an Ed25519 private key file (PEM) that signs cdk.tf.json and the reports
                    (docs/attestation.md); unset: nothing is signed
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
