/**
 * The suites mutation testing runs (`npm run mutation`, jest.mutation.config.js),
 * loaded into one module registry: Stryker runs every suite of the config for
 * each mutant, and loading the constructs once per run instead of once per
 * file is what makes a run over the scan feasible on a small machine.
 * `npm test` does not run this file (it is not a *.test.ts).
 *
 * test/adversarial is left out: its attacks are still being written, and a
 * failing test there would stop the initial run. The tests that synthesize the
 * whole workplace suite are skipped: each costs seconds for every mutant of the
 * scan, and asserts only broad properties the focused tests assert precisely.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const DIRECTORIES = ['policy', 'policy/rules', 'jurisdiction'];
/** Tests (by name) that synthesize the whole workplace suite. */
const WHOLE_SUITE = [
  /^finds no computed value, module, uncatalogued provider, local file or program in it$/,
  /^reads every image of it as an image, not as an endpoint$/,
  /^finds the same kind, target and namespace for each chart store as the constructs declare$/,
];

const realIt = global.it;
const it = Object.assign(
  (name: string, fn?: jest.ProvidesCallback, timeout?: number) =>
    (WHOLE_SUITE.some((pattern) => pattern.test(name)) ? realIt.skip : realIt)(name, fn, timeout),
  realIt,
) as jest.It;
global.it = it;
global.test = it;

for (const directory of DIRECTORIES) {
  const files = readdirSync(join(__dirname, directory)).filter((f) => f.endsWith('.test.ts')).sort();
  for (const file of files) {
    describe(`${directory}/${file}`, () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(join(__dirname, directory, file));
    });
  }
}
