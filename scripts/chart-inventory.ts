/**
 * Chart inventory: the facts the values tests need about an upstream Helm
 * chart, derived from its pinned files and committed as
 * `charts-values/upstream/<chart>@<version>.keys.json`, so that the tests run
 * in any clone without the chart files beside the repository.
 *
 *   npm run charts:inventory -- --charts <folder>             every pinned chart, from <folder>/<chart>/<version>/
 *   npm run charts:inventory -- <folder>/keycloakx/7.1.11     one chart folder
 *   npm run charts:inventory -- --charts <folder> --out <dir> write elsewhere (CI compares with the committed ones)
 *
 * The script reads chart files only where it is told to: it has no default
 * location, so nothing but the caller (`.ci/run`, or whoever bumps a chart)
 * decides where the pinned chart files are.
 *
 * A chart folder holds `Chart.yaml`, `values.yaml` and, if upstream ships one,
 * `values.schema.json`; its name is the published chart version. The charts
 * are the ones pinned in constructs/platform/charts.ts. The inventory holds
 * facts only, never upstream text (no defaults, descriptions or comments):
 *
 * - `chart`: name, version, appVersion and license from Chart.yaml, and the
 *   name, version and alias of each dependency; `published`: the folder name.
 * - `values`: every key path of values.yaml with the type of its default
 *   (`string`, `integer`, `number`, `boolean`, `null`, `object`, `empty object`,
 *   `array`, `empty array`). Lists are not descended into.
 * - `commented`: key paths that values.yaml shows only in comments
 *   (`# className: nginx`), placed under the keys they are indented under.
 * - `schema` (null without values.schema.json): `draft` and, for every key path
 *   the schema describes, its validation facts: `type`, `enum`, `const`,
 *   `required`, `props` (it lists properties), `additional` (additionalProperties
 *   true/false), numeric and string bounds, `pattern`, `format`, and `rules`
 *   (anyOf/oneOf/not/if/dependencies, reduced to validation keywords).
 *   `$ref`s are resolved and `allOf` merged into the path.
 *
 * Paths join keys with `.`; a `.` or `\` inside a key is escaped with `\`.
 * `*` stands for any other key (additionalProperties), `[]` for a list item,
 * `/re/` for keys matching a patternProperties expression; a key literally
 * spelled like one of these is written with a leading `\`.
 *
 * Output is deterministic: keys sorted, one key path per line, trailing newline.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { LineCounter, isMap, isPair, isScalar, isSeq, parse, parseDocument, Node as YamlNode } from 'yaml';
import { CHARTS } from '../constructs/platform/charts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: Json };

const ROOT = resolve(__dirname, '..');
const OUT = join(ROOT, 'charts-values', 'upstream');

/** Validation keywords kept as they are (facts, not prose). */
export const LOCAL_KEYWORDS = [
  'type', 'enum', 'const', 'pattern', 'format', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'multipleOf', 'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties',
] as const;
/** Composition keywords reduced into `rules`. */

const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One key, escaped for a dotted path. */
export function escapeKey(key: string): string {
  const escaped = key.replace(/\\/g, '\\\\').replace(/\./g, '\\.');
  return escaped === '*' || escaped === '[]' || escaped.startsWith('/') ? `\\${escaped}` : escaped;
}
const join2 = (path: string, segment: string) => (path ? `${path}.${segment}` : segment);

/** JSON with sorted keys. */
function sorted(value: Json): Json {
  if (Array.isArray(value)) return value.map(sorted);
  if (isObject(value)) return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted(value[k])]));
  return value;
}

// ---------------------------------------------------------------- values.yaml

function valueType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return v.length ? 'array' : 'empty array';
  if (isObject(v)) return Object.keys(v).length ? 'object' : 'empty object';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function valueTypes(values: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (v: unknown, path: string) => {
    if (!isObject(v)) return;
    for (const [k, child] of Object.entries(v)) {
      const here = join2(path, escapeKey(k));
      out[here] = valueType(child);
      walk(child, here);
    }
  };
  walk(values, '');
  return out;
}

/** Key paths that values.yaml shows only in comments, by indentation. */
function commentedKeys(text: string, known: Record<string, string>): string[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const events: { line: number; col: number; path: string }[] = [];
  const blockLines = new Set<number>();
  const visit = (node: unknown, path: string) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key) || !pair.key.range) continue;
        const pos = lineCounter.linePos(pair.key.range[0]);
        const here = join2(path, escapeKey(String(pair.key.value)));
        events.push({ line: pos.line, col: pos.col, path: here });
        visit(pair.value, here);
      }
    } else if (isSeq(node)) {
      if (node.range) {
        const pos = lineCounter.linePos(node.range[0]);
        events.push({ line: pos.line, col: pos.col, path: join2(path, '[]') });
      }
      for (const item of node.items) visit(item, join2(path, '[]'));
    } else if (isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') && node.range) {
      const from = lineCounter.linePos(node.range[0]).line;
      const to = lineCounter.linePos(node.range[1]).line;
      for (let l = from; l <= to; l++) blockLines.add(l);
    }
  };
  visit((doc.contents as YamlNode | null) ?? null, '');
  const lines = text.split('\n');
  const commented: { line: number; col: number; key: string; item: boolean }[] = [];
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (blockLines.has(line)) return;
    const m = /^(\s*)#(\s*)(-\s+)?([A-Za-z_][\w.\-/]*|"[^"]+"|'[^']+'):(\s|$)/.exec(raw);
    if (!m) return;
    const col = m[1].length + 1 + Math.max(0, m[2].length - 1);
    commented.push({ line, col, key: m[4].replace(/^["']|["']$/g, ''), item: Boolean(m[3]) });
  });
  const all = [...events.map((e) => ({ ...e, kind: 'real' as const })), ...commented.map((c) => ({ ...c, kind: 'comment' as const }))]
    .sort((a, b) => a.line - b.line || a.col - b.col);
  const stack: { col: number; path: string }[] = [];
  const found = new Set<string>();
  for (const e of all) {
    while (stack.length && stack[stack.length - 1].col >= e.col) stack.pop();
    if (e.kind === 'real') {
      stack.push({ col: e.col, path: e.path });
      continue;
    }
    let parent = stack.length ? stack[stack.length - 1].path : '';
    let col = e.col;
    if (e.item) {
      parent = join2(parent, '[]');
      stack.push({ col, path: parent });
      col += 2;
    }
    const path = join2(parent, escapeKey(e.key));
    stack.push({ col, path });
    if (!(path in known)) found.add(path);
  }
  return [...found].sort();
}

// ---------------------------------------------------------- values.schema.json

type Facts = { [key: string]: Json };

class SchemaFlattener {
  readonly keys: Record<string, Facts> = {};

  constructor(private readonly root: Schema) {}

  /** Follows a local `$ref` (`#/...`). */
  private resolve(schema: Schema, seen: Set<string>): Schema {
    let current = schema;
    while (typeof current.$ref === 'string') {
      const ref = current.$ref;
      if (seen.has(ref)) throw new Error(`recursive $ref ${ref}`);
      seen.add(ref);
      if (!ref.startsWith('#')) throw new Error(`non-local $ref ${ref}`);
      let target: Json = this.root;
      for (const part of ref.slice(1).split('/').filter(Boolean)) {
        const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
        target = isObject(target) ? target[key] : null;
      }
      if (!isObject(target)) throw new Error(`unresolved $ref ${ref}`);
      const { $ref: _ref, ...rest } = current;
      current = { ...target, ...rest };
    }
    return current;
  }

  /** A subschema reduced to validation keywords, `$ref`s resolved. */
  reduce(schema: Json, seen = new Set<string>()): Json {
    if (!isObject(schema)) return schema;
    const s = this.resolve(schema, new Set(seen));
    const out: Schema = {};
    for (const k of [...LOCAL_KEYWORDS, 'required'] as const) if (s[k] !== undefined) out[k] = s[k];
    for (const k of ['properties', 'patternProperties', 'dependencies', 'dependentSchemas'] as const) {
      if (isObject(s[k])) out[k] = Object.fromEntries(Object.entries(s[k]).map(([name, sub]) => [name, Array.isArray(sub) ? sub : this.reduce(sub, seen)]));
    }
    if (isObject(s.dependentRequired)) out.dependentRequired = s.dependentRequired;
    for (const k of ['additionalProperties', 'items', 'not', 'if', 'then', 'else'] as const) {
      if (s[k] !== undefined) out[k] = Array.isArray(s[k]) ? (s[k] as Json[]).map((x) => this.reduce(x, seen)) : this.reduce(s[k], seen);
    }
    for (const k of ['allOf', 'anyOf', 'oneOf'] as const) if (Array.isArray(s[k])) out[k] = (s[k] as Json[]).map((x) => this.reduce(x, seen));
    return out;
  }

  private facts(path: string): Facts {
    return (this.keys[path] ??= {});
  }

  private addRule(path: string, rule: Json) {
    const facts = this.facts(path);
    const rules = (facts.rules as Json[] | undefined) ?? [];
    const text = JSON.stringify(sorted(rule));
    if (!rules.some((r) => JSON.stringify(sorted(r)) === text)) rules.push(rule);
    facts.rules = rules;
  }

  /** Records the schema at `path`; allOf branches and `$ref` targets merge into the same path. */
  walk(schema: Json, path: string, seen = new Set<string>()) {
    if (schema === false) {
      this.addRule(path, { not: {} });
      return;
    }
    if (!isObject(schema)) {
      this.facts(path);
      return;
    }
    const refs = new Set(seen);
    const s = this.resolve(schema, refs);
    const facts = this.facts(path);
    for (const k of LOCAL_KEYWORDS) {
      if (s[k] === undefined) continue;
      if (facts[k] === undefined) facts[k] = s[k];
      else if (JSON.stringify(facts[k]) !== JSON.stringify(s[k])) this.addRule(path, { [k]: s[k] });
    }
    if (Array.isArray(s.required)) facts.required = [...new Set([...((facts.required as string[] | undefined) ?? []), ...(s.required as string[])])].sort();
    if (isObject(s.properties)) {
      facts.props = true;
      for (const [k, sub] of Object.entries(s.properties)) this.walk(sub, join2(path, escapeKey(k)), refs);
    }
    if (isObject(s.patternProperties)) {
      for (const [re, sub] of Object.entries(s.patternProperties)) this.walk(sub, join2(path, `/${re.replace(/\\/g, '\\\\').replace(/\./g, '\\.')}/`), refs);
    }
    if (s.additionalProperties === true || s.additionalProperties === false) facts.additional = s.additionalProperties;
    else if (isObject(s.additionalProperties)) this.walk(s.additionalProperties, join2(path, '*'), refs);
    if (isObject(s.items)) this.walk(s.items, join2(path, '[]'), refs);
    else if (Array.isArray(s.items)) this.addRule(path, { items: this.reduce(s.items, refs) });
    if (Array.isArray(s.allOf)) for (const sub of s.allOf) this.walk(sub, path, refs);
    for (const k of ['anyOf', 'oneOf'] as const) if (Array.isArray(s[k])) this.addRule(path, { [k]: (s[k] as Json[]).map((x) => this.reduce(x, refs)) });
    if (s.not !== undefined) this.addRule(path, { not: this.reduce(s.not, refs) });
    if (s.if !== undefined) {
      const rule: Schema = { if: this.reduce(s.if, refs) };
      if (s.then !== undefined) rule.then = this.reduce(s.then, refs);
      if (s.else !== undefined) rule.else = this.reduce(s.else, refs);
      this.addRule(path, rule);
    }
    for (const k of ['dependencies', 'dependentSchemas', 'dependentRequired'] as const) {
      if (isObject(s[k])) this.addRule(path, { [k]: (this.reduce({ [k]: s[k] }, refs) as Schema)[k] });
    }
  }
}

// ------------------------------------------------------------------ inventory

export interface Inventory {
  chart: Json;
  published: string;
  values: Record<string, string>;
  commented: string[];
  schema: { draft: string; keys: Record<string, Facts> } | null;
}

export function inventory(dir: string): Inventory {
  const chartYaml = parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8')) as Schema;
  const valuesText = readFileSync(join(dir, 'values.yaml'), 'utf8');
  const values = valueTypes(parse(valuesText) ?? {});
  const schemaFile = join(dir, 'values.schema.json');
  let schema: Inventory['schema'] = null;
  if (existsSync(schemaFile)) {
    const root = JSON.parse(readFileSync(schemaFile, 'utf8')) as Schema;
    const flattener = new SchemaFlattener(root);
    flattener.walk(root, '');
    schema = { draft: String(root.$schema ?? ''), keys: flattener.keys };
  }
  const chart: Schema = {};
  for (const k of ['name', 'version', 'appVersion', 'license'] as const) if (chartYaml[k] !== undefined) chart[k] = String(chartYaml[k]);
  const license = isObject(chartYaml.annotations) ? chartYaml.annotations['artifacthub.io/license'] : undefined;
  if (chart.license === undefined && typeof license === 'string') chart.license = license;
  if (Array.isArray(chartYaml.dependencies)) {
    chart.dependencies = chartYaml.dependencies.filter(isObject).map((d) => {
      const dep: Schema = {};
      for (const k of ['name', 'version', 'alias'] as const) if (d[k] !== undefined) dep[k] = String(d[k]);
      return dep;
    });
  }
  return { chart, published: basename(resolve(dir)), values, commented: commentedKeys(valuesText, values), schema };
}

/** Stable text: sorted keys, one key path per line. */
export function render(inv: Inventory): string {
  const map = (m: Record<string, Json>, indent: string) => {
    const keys = Object.keys(m).sort();
    if (!keys.length) return '{}';
    return `{\n${keys.map((k) => `${indent}  ${JSON.stringify(k)}: ${JSON.stringify(sorted(m[k]))}`).join(',\n')}\n${indent}}`;
  };
  const parts = [
    `  "chart": ${JSON.stringify(sorted(inv.chart))}`,
    `  "commented": ${inv.commented.length ? `[\n${inv.commented.map((p) => `    ${JSON.stringify(p)}`).join(',\n')}\n  ]` : '[]'}`,
    `  "published": ${JSON.stringify(inv.published)}`,
    `  "schema": ${inv.schema ? `{\n    "draft": ${JSON.stringify(inv.schema.draft)},\n    "keys": ${map(inv.schema.keys, '    ')}\n  }` : 'null'}`,
    `  "values": ${map(inv.values, '  ')}`,
  ];
  return `{\n${parts.join(',\n')}\n}\n`;
}

const USAGE = 'usage: npm run charts:inventory -- (--charts <folder of <chart>/<version>/> | <chart folder>...) [--out <dir>]';

function main(argv: string[]) {
  let out = OUT;
  let charts: string | undefined;
  const dirs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') out = resolve(argv[++i] ?? '');
    else if (argv[i] === '--charts') charts = resolve(argv[++i] ?? '');
    else dirs.push(resolve(argv[i]));
  }
  if (!charts && !dirs.length) {
    process.stderr.write(`charts:inventory: name the chart files to read\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (charts) {
    for (const facts of Object.values(CHARTS)) {
      const dir = join(charts, facts.name, facts.version);
      if (existsSync(dir)) dirs.push(dir);
      else process.stderr.write(`charts:inventory: no chart files for ${facts.name}@${facts.version} (${dir}); skipped\n`);
    }
  }
  mkdirSync(out, { recursive: true });
  for (const dir of dirs) {
    const inv = inventory(dir);
    const name = String((inv.chart as Schema).name);
    const file = join(out, `${name}@${inv.published}.keys.json`);
    const text = render(inv);
    writeFileSync(file, text);
    process.stdout.write(`${file}: ${Object.keys(inv.values).length} value keys, ${inv.commented.length} commented, ${inv.schema ? Object.keys(inv.schema.keys).length : 0} schema keys, ${text.length} bytes\n`);
  }
}

if (require.main === module) main(process.argv.slice(2));
