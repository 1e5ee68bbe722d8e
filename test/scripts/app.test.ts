/**
 * The app command (scripts/app.cjs) runs main.ts from a bundle in .build/
 * that it checks on every start: these tests build small projects in
 * temporary folders in this process and edit them between runs.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const LAUNCHER = join(ROOT, 'scripts', 'app.cjs');

interface Bundle { readonly file: string; readonly text: string; readonly built: boolean; readonly saved?: boolean }
interface Launcher {
  freshBundle(root: string, entry: string): Promise<Bundle>;
  runBundle(file: string, text: string): Record<string, unknown>;
  readStamp(text: string): { files: Record<string, string | null>; folders: Record<string, string | null> } | undefined;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const launcher = require(LAUNCHER) as Launcher;

/** A project of a few files: main.ts exports what its imports compute. */
function project(files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'desk-app-'));
  const all: Record<string, string> = {
    'tsconfig.json': '{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "strict": true } }\n',
    'package.json': '{ "name": "app-test", "private": true }\n',
    'main.ts': "import { value } from './lib/value';\nimport { dataFile } from './lib/where';\nexport const result = value;\nexport const data = dataFile;\n",
    'lib/value.ts': 'export const value: number = 1;\n',
    'lib/where.ts': "import { join } from 'node:path';\nexport const dataFile = join(__dirname, '..', 'data', 'values.yaml');\n",
    ...files,
  };
  for (const [path, text] of Object.entries(all)) write(root, path, text);
  return root;
}

function write(root: string, path: string, text: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** Builds (or reuses) the bundle of main.ts and runs it in this process. */
async function run(root: string): Promise<{ bundle: Bundle; exports: Record<string, unknown> }> {
  const bundle = await launcher.freshBundle(root, 'main.ts');
  return { bundle, exports: launcher.runBundle(bundle.file, bundle.text) };
}

describe('the app command: a bundle checked on every start', () => {
  it('builds a bundle once and runs it again while no source changed', async () => {
    const root = project();
    const first = await run(root);
    const second = await run(root);
    expect([first.bundle.built, first.bundle.saved, first.exports.result]).toEqual([true, true, 1]);
    expect([second.bundle.built, second.exports.result]).toEqual([false, 1]);
    expect(readFileSync(join(root, '.build', 'main.js'), 'utf8')).toBe(first.bundle.text);
  });

  it('records every source file and the files that change how it is built', async () => {
    const { bundle } = await run(project());
    const stamp = launcher.readStamp(bundle.text);
    expect(Object.keys(stamp?.files ?? {}).sort()).toEqual(['lib/value.ts', 'lib/where.ts', 'main.ts', 'package.json', 'tsconfig.json']);
    expect(Object.keys(stamp?.folders ?? {}).sort()).toEqual(['.', 'lib']);
  });

  it('gives a file that uses __dirname the folder of its source, not of the bundle', async () => {
    const root = project();
    const { exports } = await run(root);
    expect(exports.data).toBe(join(root, 'data', 'values.yaml'));
  });

  it('builds again when an imported file was edited, and runs the edit', async () => {
    const root = project();
    await run(root);
    write(root, 'lib/value.ts', 'export const value: number = 2;\n');
    const { bundle, exports } = await run(root);
    expect([bundle.built, exports.result]).toEqual([true, 2]);
  });

  it('builds again when an edited file imports a new file', async () => {
    const root = project();
    await run(root);
    write(root, 'lib/extra.ts', 'export const extra = 40;\n');
    write(root, 'lib/value.ts', "import { extra } from './extra';\nexport const value: number = extra + 2;\n");
    const { bundle, exports } = await run(root);
    expect([bundle.built, exports.result]).toEqual([true, 42]);
    expect(Object.keys(launcher.readStamp(bundle.text)?.files ?? {})).toContain('lib/extra.ts');
  });

  it('builds again when a new file beside an imported one could be resolved instead of it', async () => {
    const root = project();
    const first = await run(root);
    write(root, 'lib/unrelated.json', '{}\n');
    const { bundle } = await run(root);
    expect([first.bundle.built, bundle.built]).toEqual([true, true]);
  });

  it('builds again when tsconfig.json changed', async () => {
    const root = project();
    await run(root);
    write(root, 'tsconfig.json', '{ "compilerOptions": { "target": "ES2020", "strict": true } }\n');
    const { bundle } = await run(root);
    expect(bundle.built).toBe(true);
  });

  it('fails with the place esbuild names when a source does not build, also when an imported file was removed', async () => {
    const root = project();
    await run(root);
    rmSync(join(root, 'lib', 'value.ts'));
    write(root, 'lib/value', 'not a module');
    await expect(launcher.freshBundle(root, 'main.ts')).rejects.toMatchObject({ errors: [expect.objectContaining({ location: expect.objectContaining({ file: 'lib/value', line: 1 }) })] });
  });

  it.each([
    ['cut short in its first line', (text: string) => text.slice(0, text.indexOf('\n') - 5)],
    ['cut short in its body', (text: string) => text.slice(0, text.length - 200)],
    ['edited by hand', (text: string) => text.replace('value = 1', 'value = 666')],
    ['stamped with another hash of a source', (text: string) => text.replace(/"main\.ts":"[0-9a-f]+"/, '"main.ts":"0"')],
    ['not a bundle', () => 'module.exports = { result: 666 };\n'],
  ])('fails if the bundle in .build/ is %s: it is built again, not run', async (_case, spoil) => {
    const root = project();
    const { bundle } = await run(root);
    writeFileSync(join(root, '.build', 'main.js'), spoil(bundle.text));
    const again = await run(root);
    expect([again.bundle.built, again.exports.result, again.bundle.text]).toEqual([true, 1, bundle.text]);
  });

  it('writes a new bundle whole: through a temporary file renamed over the old one, none left behind', async () => {
    const root = project();
    await run(root);
    write(root, 'lib/value.ts', 'export const value: number = 3;\n');
    await run(root);
    const left = spawnSync('ls', ['-A', join(root, '.build')], { encoding: 'utf8' }).stdout.trim().split('\n');
    expect(left).toEqual(['main.js', 'main.js.map']);
  });

  it('runs the bundle built in memory where .build/ cannot be written', async () => {
    const root = project();
    writeFileSync(join(root, '.build'), 'a file where the folder would be');
    const { bundle, exports } = await run(root);
    write(root, 'lib/value.ts', 'export const value: number = 5;\n');
    const again = await run(root);
    expect([bundle.built, bundle.saved, exports.result]).toEqual([true, false, 1]);
    expect([again.bundle.built, again.exports.result]).toEqual([true, 5]);
  });
});

describe('the app command under DESK_DEBUG', () => {
  afterEach(() => process.setSourceMapsEnabled(false));

  it('names the .ts file and line in stack traces, read from the source map beside the bundle', async () => {
    const root = project({ 'lib/value.ts': "export function fail(): never {\n  const reason: string = 'on purpose';\n  throw new Error(reason);\n}\nexport const value = (() => { try { return fail(); } catch (e) { return (e as Error).stack; } })();\n" });
    process.setSourceMapsEnabled(true);
    const { exports } = await run(root);
    expect(String(exports.result)).toContain(`${join(root, 'lib', 'value.ts')}:3:9`);
  });
});

describe('the app command of this repository', () => {
  it('runs a copy of the repository from its bundle, and an edit of a construct shows in the next synth', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'desk-app-copy-'));
    for (const entry of ['main.ts', 'package.json', 'tsconfig.json', 'constructs', 'stacks', 'scripts', 'charts-values']) {
      cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    const before = await launcher.freshBundle(copy, 'main.ts');
    const format = join(copy, 'constructs', 'policy', 'format.ts');
    writeFileSync(format, readFileSync(format, 'utf8').replace('sovereignty ${verdict}', 'sovereignty (edited) ${verdict}'));
    const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: join(copy, 'out'), DESK_REPORT: 'off', CHECKPOINT_DISABLE: '1' };
    delete env.DESK_DEPLOYMENT;
    delete env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;

    const synth = spawnSync('node', ['scripts/app.cjs'], { cwd: copy, env, encoding: 'utf8', timeout: 120_000 });

    expect(before.built).toBe(true);
    expect(before.text).not.toContain('sovereignty (edited)');
    expect([synth.status, synth.stderr]).toEqual([0, '']);
    expect(synth.stdout).toMatch(/^agency-de: sovereignty \(edited\) PASS: 0 errors/m);
    expect(readFileSync(join(copy, '.build', 'main.js'), 'utf8')).toContain('sovereignty (edited)');
  });
});
