/**
 * The one typed loader for chart values: base values from
 * `charts-values/<chart>.yaml`, merged with the part a construct computes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ChartName, Values } from './charts';

/** Folder of the base values files. */
export const CHART_VALUES_DIR = join(__dirname, '..', '..', 'charts-values');

const cache = new Map<ChartName, Values>();

/** The base values of a chart, as committed in `charts-values/<chart>.yaml`. */
export function baseValues(chart: ChartName): Values {
  let values = cache.get(chart);
  if (!values) {
    const parsed: unknown = parse(readFileSync(join(CHART_VALUES_DIR, `${chart}.yaml`), 'utf8'));
    if (!isValues(parsed)) throw new Error(`charts-values/${chart}.yaml: expected a mapping of values at the top level`);
    values = parsed;
    cache.set(chart, values);
  }
  return structuredClone(values);
}

/**
 * Deep-merges values: mappings merge key by key, everything else (lists,
 * scalars) in a later layer replaces the earlier one.
 */
export function mergeValues(...layers: readonly Values[]): Values {
  const result: Values = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      const current = result[key];
      result[key] = isValues(current) && isValues(value) ? mergeValues(current, value) : structuredClone(value);
    }
  }
  return result;
}

/** The values of a chart: base values, then each computed layer. */
export function chartValues(chart: ChartName, ...computed: readonly Values[]): Values {
  return mergeValues(baseValues(chart), ...computed);
}

/** Deterministic YAML: keys sorted, no line folding (tokens stay whole). */
export function toYaml(values: Values): string {
  return stringify(values, { sortMapEntries: true, lineWidth: 0, minContentWidth: 0 });
}

/** True for a plain mapping. */
export function isValues(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
