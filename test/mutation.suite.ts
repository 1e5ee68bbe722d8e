/**
 * The suites mutation testing runs (`npm run mutation`, jest.mutation.config.js),
 * loaded into one module registry: Stryker runs every suite of the config for
 * each mutant, and loading the constructs once per run instead of once per
 * file is what makes a run over the scan feasible on a small machine.
 * `npm test` does not run this file (it is not a *.test.ts).
 *
 * test/adversarial is left out: its attacks are still being written, and a
 * failing test there would stop the initial run.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const DIRECTORIES = ['policy', 'policy/rules', 'jurisdiction'];

for (const directory of DIRECTORIES) {
  const files = readdirSync(join(__dirname, directory)).filter((f) => f.endsWith('.test.ts')).sort();
  for (const file of files) {
    describe(`${directory}/${file}`, () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(join(__dirname, directory, file));
    });
  }
}
