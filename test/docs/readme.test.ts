/**
 * The README's examples run as written: each block it tells the reader to
 * save is saved in a copy of the clone, each command is run there with bash,
 * and the output it shows is compared with what the command prints.
 */
import { exec } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DocBlock, docBlocks, matchesShownOutput } from './doctest';

const ROOT = join(__dirname, '..', '..');
/** Pages whose examples run; the others show fragments and reference material. */
const PAGES = ['README.md'];
/** What a clone holds besides what a run writes. */
const LEFT_OUT = new Set(['.git', 'cdktf.out', 'cdktf.out.lock', 'reports', 'coverage', '.stryker-tmp']);

interface Run {
  readonly code: number;
  readonly output: string;
}

/** A folder that looks like a fresh clone with `npm ci` done: the repository's files linked, the page's files written. */
function clone(files: readonly DocBlock[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'desk-doctest-'));
  for (const entry of readdirSync(ROOT)) {
    if (!LEFT_OUT.has(entry)) symlinkSync(join(ROOT, entry), join(dir, entry));
  }
  for (const file of files) writeFileSync(join(dir, file.name), file.body);
  return dir;
}

/** Runs a block's commands with bash in its own clone, stdout and stderr in the order a terminal shows them. */
async function run(script: string, files: readonly DocBlock[]): Promise<Run> {
  const dir = clone(files);
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS', 'CDKTF_CONTEXT_JSON', 'CDKTF_OUTDIR', 'DESK_DEPLOYMENT', 'DESK_SIGNING_KEY', 'CI', 'JEST_WORKER_ID']) delete env[name];
  // cdktf runs `terraform version`, which warns about a CLI configuration file that does not exist.
  if (env.TF_CLI_CONFIG_FILE && !existsSync(env.TF_CLI_CONFIG_FILE)) delete env.TF_CLI_CONFIG_FILE;
  try {
    const { stdout } = await promisify(exec)(`exec 2>&1\n${script}`, { cwd: dir, env, shell: '/bin/bash', timeout: 120_000, maxBuffer: 16 << 20 });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; message: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, output: failed.stdout ?? '' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const page of PAGES) {
  const { blocks, unmarked } = docBlocks(readFileSync(join(ROOT, page), 'utf8'));
  const files = blocks.filter((b) => b.kind === 'file');
  const commands = blocks.filter((b) => b.kind === 'sh' || b.kind === 'setup');
  const outputs = blocks.filter((b) => b.kind === 'output');
  const runs = new Map<string, Promise<Run>>();
  const runOf = (block: DocBlock) => {
    // The set-up block's synth (its other commands are `npm ci` and this test suite).
    const script = block.kind === 'setup' ? block.body.split('\n')[0].replace(/#.*$/, '').replace(/^npm ci && /, '') : block.body;
    if (!runs.has(block.name)) runs.set(block.name, run(script, files));
    return runs.get(block.name) as Promise<Run>;
  };

  describe(`${page}: every example runs as written`, () => {
    beforeAll(() => {
      // Started together: each runs in its own clone.
      commands.forEach(runOf);
    });

    it('marks every code block it shows (what to save, run, or the output to expect)', () => {
      expect(unmarked.map((b) => `line ${b.line}: \`\`\`${b.lang}`)).toEqual([]);
      expect(commands.length).toBeGreaterThan(0);
    });

    it('shows the set-up commands of package.json, with the test command second', () => {
      const setup = blocks.find((b) => b.kind === 'setup');
      const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
      const lines = (setup?.body ?? '').trim().split('\n').map((l) => l.replace(/#.*$/, '').trim());
      expect(lines).toEqual(['npm ci && npm run synth', 'npm ci && npm test']);
      expect(Object.keys(scripts)).toEqual(expect.arrayContaining(['synth', 'test']));
    });

    it.each(commands.map((b) => [b.name, b]))('runs %s with the exit code it says', async (_name, block) => {
      const result = await runOf(block as DocBlock);
      expect({ code: result.code, output: result.output.split('\n').slice(-12).join('\n') })
        .toEqual({ code: (block as DocBlock).exit, output: expect.any(String) });
      expect(result.output).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m); // no stack trace reaches the reader
    }, 180_000);

    it.each(outputs.map((b) => [b.name, b]))('prints the output it shows for %s', async (name, block) => {
      const source = commands.find((b) => b.name === name);
      expect(source).toBeDefined();
      const result = await runOf(source as DocBlock);
      const shown = (block as DocBlock).body;
      if (!matchesShownOutput(shown, result.output)) {
        // The whole output, for the reader of a failing test.
        expect(result.output).toBe(shown);
      }
    }, 180_000);
  });
}

describe('links between the pages', () => {
  const pages = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];

  it.each(pages)('%s links only to files that exist', (page) => {
    const text = readFileSync(join(ROOT, page), 'utf8');
    const targets = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/.test(t));
    const missing = targets.filter((t) => !existsSync(join(ROOT, page, '..', t)));
    expect(missing).toEqual([]);
  });
});
