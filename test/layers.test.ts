/**
 * The folders of constructs/ are layers: each imports only from the layers
 * below it, and the core (jurisdiction, deployment, policy, report) imports
 * nothing from cdktf, so it can move to another engine.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', 'constructs');

/** The folders each layer may import from (besides itself). */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  jurisdiction: [],
  deployment: ['jurisdiction'],
  policy: ['jurisdiction', 'deployment'],
  report: ['jurisdiction', 'deployment', 'policy'],
  proof: ['jurisdiction', 'deployment', 'policy', 'report'],
  platform: ['jurisdiction', 'deployment', 'policy', 'proof'],
  apps: ['jurisdiction', 'deployment', 'policy', 'proof', 'platform'],
  suite: ['jurisdiction', 'deployment', 'policy', 'proof', 'platform', 'apps'],
};
const ENGINE_FREE = ['jurisdiction', 'deployment', 'policy', 'report'];

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(folder, entry.name)) : entry.name.endsWith('.ts') ? [join(folder, entry.name)] : []);
}

/** Every module specifier a file imports or re-exports. */
export function specifiers(text: string): string[] {
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*'([^']+)'|\brequire\(\s*'([^']+)'\s*\)|\bimport\(\s*'([^']+)'\s*\)/g)]
    .map((m) => m[1] ?? m[2] ?? m[3]);
}

const files = Object.keys(MAY_IMPORT).flatMap((layer) => sources(join(ROOT, layer)).map((file) => ({ layer, file })));

describe('layers of constructs/', () => {
  it('has a rule for every folder', () => {
    const folders = readdirSync(ROOT, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect(folders).toEqual(Object.keys(MAY_IMPORT).sort());
  });

  it.each(files.map(({ layer, file }) => [relative(ROOT, file), layer]))('%s imports only from layers below it', (path, layer) => {
    const file = join(ROOT, path);
    const wrong = specifiers(readFileSync(file, 'utf8'))
      .filter((s) => s.startsWith('.'))
      .map((s) => relative(ROOT, resolve(file, '..', s)).split(/[\\/]/)[0])
      .filter((target) => target !== layer && !MAY_IMPORT[layer].includes(target));
    expect(wrong).toEqual([]);
  });

  it.each(files.filter((f) => ENGINE_FREE.includes(f.layer)).map(({ file }) => [relative(ROOT, file)]))('%s imports nothing from cdktf or constructs', (path) => {
    const engine = specifiers(readFileSync(join(ROOT, path), 'utf8'))
      .filter((s) => s === 'cdktf' || s.startsWith('cdktf/') || s.startsWith('@cdktf/') || s === 'constructs');
    expect(engine).toEqual([]);
  });

  it('fails if a file reaches up a layer or into cdktf (the checks can fail)', () => {
    expect(specifiers("import { writeReports } from '../report';\nexport * from './x';\nconst a = require('cdktf');"))
      .toEqual(['../report', './x', 'cdktf']);
  });
});
