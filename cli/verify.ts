/**
 * `npm run verify -- --key <public key PEM> <output folder>`
 *
 * Checks every attestation in `<folder>/sovereignty/` (docs/attestation.md):
 * the signature with the given key, each signed file's digest, and that every
 * stack and report file is signed. Exits 0 when everything matches, 1 when
 * anything changed after signing or is unsigned, 2 on bad input.
 */
import { parseArgs } from 'node:util';
import { KeyError, VerifyInputError, loadVerifyKey, verifyExitCode, verifyOutputFolder } from '../constructs/report';

const USAGE = `Usage: npm run verify -- --key <public key PEM> <output folder>

Checks the signed attestations of a synth (DESK_SIGNING_KEY=<private key> npm run synth).

  --key <file>   the Ed25519 public key (PEM) whose private key signed the synth
  -h, --help     show this help

Exit codes: 0 everything matches, 1 a file changed after signing, is missing or is unsigned, or a signature is bad, 2 bad input.`;

/** Where the lines go. */
export interface Output {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const CONSOLE: Output = { out: (line) => console.log(line), err: (line) => console.error(line) };

/** Runs the command line; returns the exit code. */
export function main(argv: readonly string[], output: Output = CONSOLE): number {
  let parsed: { values: { key?: string; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: { key: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true });
  } catch (error) {
    output.err(`verify: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    output.out(USAGE);
    return 0;
  }
  const { key } = parsed.values;
  if (key === undefined || parsed.positionals.length !== 1) {
    const wrong = key === undefined ? 'missing --key' : parsed.positionals.length === 0 ? 'missing the output folder' : `one output folder, not ${parsed.positionals.length}`;
    output.err(`verify: ${wrong}\n\n${USAGE}`);
    return 2;
  }
  try {
    const result = verifyOutputFolder(parsed.positionals[0], loadVerifyKey(key));
    for (const stack of result.verified) output.out(`${stack.stack}: verified (${stack.files} files match their signed digests; verdict ${stack.verdict})`);
    for (const problem of result.problems) output.err(`verify: ${problem.message}`);
    return verifyExitCode(result);
  } catch (error) {
    if (error instanceof KeyError || error instanceof VerifyInputError) {
      output.err(`verify: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
