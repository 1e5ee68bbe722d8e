/**
 * Reads the committed inventories of the upstream charts
 * (charts-values/upstream/<chart>@<version>.keys.json, written by
 * `npm run charts:inventory` from the pinned chart files) and finds the keys
 * our values set that the chart does not define, and the values its schema
 * refuses. Nothing here reads the chart files themselves.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { Values, isValues } from '../../constructs/platform';
import { Inventory, LOCAL_KEYWORDS, escapeKey } from '../../scripts/chart-inventory';

/** Where the committed chart inventories are. */
export const INVENTORIES = resolve(__dirname, '..', '..', 'charts-values', 'upstream');

export interface UpstreamChart {
  readonly file: string;
  readonly inventory: Inventory;
  /** Chart.yaml facts. */
  readonly chartYaml: { readonly name: string; readonly version: string; readonly appVersion?: string; readonly dependencies?: readonly { name: string; version: string; alias?: string }[] };
  /** The keys each values.yaml map holds, by escaped path (`''` is the top). */
  readonly children: ReadonlyMap<string, readonly string[]>;
  readonly hasSchema: boolean;
}

const joinPath = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** Splits an escaped path into its keys. */
export function splitPath(path: string): string[] {
  const keys: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    if (path[i] === '\\') current += path[++i] ?? '';
    else if (path[i] === '.') {
      keys.push(current);
      current = '';
    } else current += path[i];
  }
  return path ? [...keys, current] : [];
}

/** An escaped path split at its last key: `[parent, last]`, both still escaped. */
function lastKey(path: string): [string, string] {
  let dot = -1;
  for (let i = 0; i < path.length; i++) {
    if (path[i] === '\\') i++;
    else if (path[i] === '.') dot = i;
  }
  return dot < 0 ? ['', path] : [path.slice(0, dot), path.slice(dot + 1)];
}

/** The committed inventory of one chart version. */
export function upstreamChart(name: string, version: string): UpstreamChart {
  const file = join(INVENTORIES, `${name}@${version}.keys.json`);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run charts:inventory -- <folder of the pinned chart files>/${name}/${version}\` and commit it`);
  const inventory = JSON.parse(readFileSync(file, 'utf8')) as Inventory;
  const children = new Map<string, string[]>([['', []]]);
  for (const path of Object.keys(inventory.values)) {
    const [parent, last] = lastKey(path);
    const list = children.get(parent) ?? [];
    list.push(splitPath(last)[0]);
    children.set(parent, list);
  }
  return { file, inventory, chartYaml: inventory.chart as unknown as UpstreamChart['chartYaml'], children, hasSchema: inventory.schema !== null };
}

/** A key we may set although the chart's values.yaml does not show it, and why. */
export interface AllowedKey {
  /** Dotted path; everything below it is allowed too. */
  readonly path: string;
  /** `free-form`: a map or list whose keys are ours (annotations, env, configs). `commented`: the chart documents it commented out. */
  readonly kind: 'free-form' | 'commented';
  readonly reason: string;
}

type Facts = Values;

function schemaFacts(chart: UpstreamChart, path: string | undefined): Facts | undefined {
  if (path === undefined || !chart.inventory.schema) return undefined;
  return chart.inventory.schema.keys[path] as Facts | undefined;
}

const patterns = new WeakMap<UpstreamChart, Map<string, string[]>>();

/** Schema paths of patternProperties (`/re/`), by parent path. */
function patternChildren(chart: UpstreamChart): Map<string, string[]> {
  let byParent = patterns.get(chart);
  if (!byParent) {
    byParent = new Map();
    for (const candidate of Object.keys(chart.inventory.schema?.keys ?? {})) {
      const [parent, last] = lastKey(candidate);
      if (!last.startsWith('/')) continue;
      byParent.set(parent, [...(byParent.get(parent) ?? []), candidate]);
    }
    patterns.set(chart, byParent);
  }
  return byParent;
}

/** The schema path that describes `key` under `path`: the property, else a matching patternProperties, else additionalProperties. */
function schemaChild(chart: UpstreamChart, path: string | undefined, key: string): string | undefined {
  if (path === undefined || !chart.inventory.schema) return undefined;
  const keys = chart.inventory.schema.keys;
  const literal = joinPath(path, escapeKey(key));
  if (keys[literal]) return literal;
  for (const candidate of patternChildren(chart).get(path) ?? []) {
    const pattern = splitPath(lastKey(candidate)[1])[0].slice(1, -1);
    if (new RegExp(pattern, 'u').test(key)) return candidate;
  }
  const any = joinPath(path, '*');
  return keys[any] ? any : undefined;
}

/** The schema says so explicitly: any key is allowed here (`additionalProperties: true` or a schema for them). */
function schemaIsOpen(chart: UpstreamChart, path: string | undefined): boolean {
  if (path === undefined || !chart.inventory.schema) return false;
  return schemaFacts(chart, path)?.additional === true || chart.inventory.schema.keys[joinPath(path, '*')] !== undefined;
}

/** Keys set in `ours` that neither values.yaml, the schema nor the allow-list define. */
export function unknownKeys(ours: Values, chart: UpstreamChart, allowed: readonly AllowedKey[]): string[] {
  const found: string[] = [];
  const values = chart.inventory.values;
  const walk = (value: Values, upstream: string | undefined, schema: string | undefined, path: string[]) => {
    for (const [key, child] of Object.entries(value)) {
      const here = [...path, key];
      const dotted = here.join('.');
      if (allowed.some((a) => dotted === a.path || dotted.startsWith(`${a.path}.`))) continue;
      const upstreamChild = upstream === undefined ? undefined : joinPath(upstream, escapeKey(key));
      const inUpstream = upstreamChild !== undefined && values[upstreamChild] !== undefined;
      const schemaChildPath = schemaChild(chart, schema, key);
      const known = inUpstream || schemaChildPath !== undefined || schemaIsOpen(chart, schema);
      if (!known) {
        found.push(dotted);
        continue;
      }
      if (!isValues(child)) continue;
      const upstreamIsMap = inUpstream && values[upstreamChild as string] === 'object';
      const schemaIsClosed = schemaFacts(chart, schemaChildPath)?.props === true;
      if (!upstreamIsMap && !schemaIsClosed) {
        found.push(`${dotted} (a free-form map upstream: add it to the allow-list with a reason)`);
        continue;
      }
      walk(child, inUpstream ? upstreamChild : undefined, schemaChildPath, here);
    }
  };
  walk(ours, '', chart.hasSchema ? '' : undefined, []);
  return found;
}

// ------------------------------------------------------------ schema checks

/**
 * A value in the merged values Helm validates: ours (`known`), or a default of
 * values.yaml we do not override (its presence and type are known, its value
 * is not). `upstream` is its path in values.yaml while it still has one.
 */
type Node = { readonly known: true; readonly value: unknown; readonly upstream?: string } | { readonly known: false; readonly upstream: string };

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

/** The scalar keywords (type, enum, pattern, bounds, format) of one schema, with ajv's semantics. */
function localErrors(schema: Facts, value: unknown): string[] {
  const local = Object.fromEntries(LOCAL_KEYWORDS.filter((k) => schema[k] !== undefined).map((k) => [k, schema[k]]));
  if (Object.keys(local).length === 0) return [];
  const key = JSON.stringify(local);
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(local);
    compiled.set(key, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

function isObjectNode(chart: UpstreamChart, node: Node): boolean {
  if (node.known) return isValues(node.value);
  const type = node.upstream === '' ? 'object' : chart.inventory.values[node.upstream];
  return type === 'object' || type === 'empty object';
}

/** Keys of an object node after Helm's merge: ours, and the defaults we keep. */
function keysOf(chart: UpstreamChart, node: Node): string[] {
  const keys = new Set<string>(node.known && isValues(node.value) ? Object.keys(node.value) : []);
  const defaultsMerge = node.known ? isValues(node.value) : true;
  if (defaultsMerge && node.upstream !== undefined) {
    const type = node.upstream === '' ? 'object' : chart.inventory.values[node.upstream];
    if (type === 'object') for (const k of chart.children.get(node.upstream) ?? []) keys.add(k);
  }
  return [...keys];
}

function childNode(chart: UpstreamChart, node: Node, key: string): Node {
  const upstream = node.upstream === undefined ? undefined : joinPath(node.upstream, escapeKey(key));
  const hasDefault = upstream !== undefined && chart.inventory.values[upstream] !== undefined;
  if (node.known && isValues(node.value) && key in node.value) return { known: true, value: node.value[key], upstream: hasDefault ? upstream : undefined };
  return { known: false, upstream: upstream as string };
}

type Verdict = boolean | undefined;
const all = (verdicts: Verdict[]): Verdict => (verdicts.includes(false) ? false : verdicts.includes(undefined) ? undefined : true);

/**
 * Whether a node satisfies a reduced schema: true, false, or undefined when it
 * depends on a default whose value the inventory does not hold (the defaults
 * themselves are upstream's; such a rule is then not held against us).
 */
function satisfies(chart: UpstreamChart, schema: unknown, node: Node): Verdict {
  if (schema === true || schema === undefined) return true;
  if (schema === false) return false;
  if (!isValues(schema)) return true;
  const verdicts: Verdict[] = [];
  const hasLocal = LOCAL_KEYWORDS.some((k) => schema[k] !== undefined);
  if (hasLocal) verdicts.push(node.known ? localErrors(schema, node.value).length === 0 : undefined);
  if (isObjectNode(chart, node)) {
    const keys = keysOf(chart, node);
    if (Array.isArray(schema.required)) verdicts.push((schema.required as string[]).every((r) => keys.includes(r)));
    const properties = isValues(schema.properties) ? schema.properties : {};
    const patterns = isValues(schema.patternProperties) ? Object.entries(schema.patternProperties) : [];
    for (const key of keys) {
      let matched = false;
      if (key in properties) {
        matched = true;
        verdicts.push(satisfies(chart, properties[key], childNode(chart, node, key)));
      }
      for (const [re, sub] of patterns) {
        if (new RegExp(re, 'u').test(key)) {
          matched = true;
          verdicts.push(satisfies(chart, sub, childNode(chart, node, key)));
        }
      }
      if (!matched && schema.additionalProperties !== undefined) verdicts.push(satisfies(chart, schema.additionalProperties, childNode(chart, node, key)));
    }
    for (const keyword of ['dependencies', 'dependentRequired', 'dependentSchemas']) {
      const deps = schema[keyword];
      if (!isValues(deps)) continue;
      for (const [key, dep] of Object.entries(deps)) {
        if (!keys.includes(key)) continue;
        verdicts.push(Array.isArray(dep) ? (dep as string[]).every((r) => keys.includes(r)) : satisfies(chart, dep, node));
      }
    }
  }
  if (node.known && Array.isArray(node.value)) {
    const items = node.value.map((value): Node => ({ known: true, value }));
    if (Array.isArray(schema.items)) items.forEach((item, i) => verdicts.push(satisfies(chart, (schema.items as unknown[])[i], item)));
    else if (schema.items !== undefined) for (const item of items) verdicts.push(satisfies(chart, schema.items, item));
  } else if (!node.known && schema.items !== undefined) {
    verdicts.push(undefined);
  }
  if (Array.isArray(schema.allOf)) for (const sub of schema.allOf) verdicts.push(satisfies(chart, sub, node));
  if (Array.isArray(schema.anyOf)) {
    const results = schema.anyOf.map((sub) => satisfies(chart, sub, node));
    verdicts.push(results.includes(true) ? true : results.includes(undefined) ? undefined : false);
  }
  if (Array.isArray(schema.oneOf)) {
    const results = schema.oneOf.map((sub) => satisfies(chart, sub, node));
    const yes = results.filter((r) => r === true).length;
    verdicts.push(yes > 1 ? false : results.includes(undefined) ? undefined : yes === 1);
  }
  if (schema.not !== undefined) {
    const result = satisfies(chart, schema.not, node);
    verdicts.push(result === undefined ? undefined : !result);
  }
  if (schema.if !== undefined) {
    const condition = satisfies(chart, schema.if, node);
    if (condition === undefined) verdicts.push(undefined);
    else verdicts.push(satisfies(chart, condition ? schema.then : schema.else, node));
  }
  return all(verdicts);
}

/**
 * Checks our values against the chart's schema facts as Helm checks the merged
 * values (defaults, then ours): types, enums, constants, patterns, bounds and
 * formats of every value we set, required keys (a default counts), closed
 * objects, and the anyOf/oneOf/not/if/dependencies rules. Returns readable errors.
 */
export function schemaErrors(ours: Values, chart: UpstreamChart): string[] {
  const keys = chart.inventory.schema?.keys;
  if (!keys) return [];
  const errors: string[] = [];
  const visit = (node: Node, path: string | undefined, where: string) => {
    const facts = path === undefined ? undefined : (keys[path] as Facts | undefined);
    const at = where || '/';
    if (facts) {
      if (node.known) for (const e of localErrors(facts, node.value)) errors.push(`${at} ${e}`);
      if (isObjectNode(chart, node)) {
        const present = keysOf(chart, node);
        for (const r of (facts.required as string[] | undefined) ?? []) {
          if (!present.includes(r)) errors.push(`${at} must have required property '${r}'`);
        }
        if (facts.additional === false && node.known && isValues(node.value)) {
          for (const key of Object.keys(node.value)) {
            if (schemaChild(chart, path, key) === undefined) errors.push(`${at} must NOT have additional properties {"additionalProperty":"${key}"}`);
          }
        }
      }
      for (const rule of (facts.rules as unknown[] | undefined) ?? []) {
        if (satisfies(chart, rule, node) === false) errors.push(`${at} does not satisfy ${JSON.stringify(rule)}`);
      }
    }
    if (isObjectNode(chart, node)) {
      for (const key of keysOf(chart, node)) {
        const child = schemaChild(chart, path, key);
        if (child !== undefined) visit(childNode(chart, node, key), child, `${where}/${key}`);
      }
    } else if (node.known && Array.isArray(node.value) && path !== undefined) {
      const items = joinPath(path, '[]');
      if (keys[items]) node.value.forEach((value, i) => visit({ known: true, value }, items, `${where}/${i}`));
    }
  };
  visit({ known: true, value: ours, upstream: '' }, '', '');
  return errors;
}
