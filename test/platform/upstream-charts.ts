/**
 * Reads the upstream charts' default values and schemas (pinned copies beside
 * the repository, in ../shared/charts/<chart>/<version>/) and finds the keys
 * our values set that the chart does not define.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { Values, isValues } from '../../constructs/platform';

/** Where the pinned upstream chart files are. */
export const UPSTREAM_CHARTS = resolve(__dirname, '..', '..', '..', 'shared', 'charts');

export interface UpstreamChart {
  readonly dir: string;
  readonly chartYaml: Values;
  readonly values: Values;
  readonly valuesText: string;
  readonly schema?: Values;
}

/** The pinned files of one chart version. */
export function upstreamChart(name: string, version: string): UpstreamChart {
  const dir = join(UPSTREAM_CHARTS, name, version);
  const valuesText = readFileSync(join(dir, 'values.yaml'), 'utf8');
  const schemaFile = join(dir, 'values.schema.json');
  return {
    dir,
    chartYaml: parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8')) as Values,
    values: (parse(valuesText) ?? {}) as Values,
    valuesText,
    schema: existsSync(schemaFile) ? (JSON.parse(readFileSync(schemaFile, 'utf8')) as Values) : undefined,
  };
}

/** A key we may set although the chart's values.yaml does not show it, and why. */
export interface AllowedKey {
  /** Dotted path; everything below it is allowed too. */
  readonly path: string;
  /** `free-form`: a map or list whose keys are ours (annotations, env, configs). `commented`: the chart documents it commented out. */
  readonly kind: 'free-form' | 'commented';
  /** For `commented`: the commented line as it stands in values.yaml. */
  readonly line?: string;
  readonly reason: string;
}

/** Keys set in `ours` that neither values.yaml, the schema nor the allow-list define. */
export function unknownKeys(ours: Values, chart: UpstreamChart, allowed: readonly AllowedKey[]): string[] {
  const found: string[] = [];
  const walk = (value: Values, upstream: unknown, schema: Values | undefined, path: string[]) => {
    for (const [key, child] of Object.entries(value)) {
      const here = [...path, key];
      const dotted = here.join('.');
      if (allowed.some((a) => dotted === a.path || dotted.startsWith(`${a.path}.`))) continue;
      const upstreamChild = isValues(upstream) ? upstream[key] : undefined;
      const schemaChild = schemaProperty(schema, key);
      const known = (isValues(upstream) && key in upstream) || schemaChild !== undefined || schemaIsOpen(schema);
      if (!known) {
        found.push(dotted);
        continue;
      }
      if (!isValues(child)) continue;
      const upstreamIsMap = isValues(upstreamChild) && Object.keys(upstreamChild).length > 0;
      const schemaIsClosed = isValues(schemaChild) && isValues(schemaChild.properties);
      if (!upstreamIsMap && !schemaIsClosed) {
        found.push(`${dotted} (a free-form map upstream: add it to the allow-list with a reason)`);
        continue;
      }
      walk(child, upstreamChild, schemaChild, here);
    }
  };
  walk(ours, chart.values, chart.schema, []);
  return found;
}

/** The schema says so explicitly: any key is allowed here (`additionalProperties: true` or a schema for them). */
function schemaIsOpen(schema: Values | undefined): boolean {
  return schema !== undefined && (schema.additionalProperties === true || isValues(schema.additionalProperties));
}

function schemaProperty(schema: Values | undefined, key: string): Values | undefined {
  if (!schema) return undefined;
  const properties = schema.properties;
  if (isValues(properties) && isValues(properties[key])) return properties[key];
  if (isValues(schema.additionalProperties)) return schema.additionalProperties;
  return undefined;
}

/** Validates values against the chart's JSON schema; returns readable errors. */
export function schemaErrors(values: Values, schema: Values): string[] {
  const draft2020 = String(schema.$schema ?? '').includes('2020-12');
  const ajv = draft2020 ? new Ajv2020({ strict: false, allErrors: true }) : new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const { $schema: _ignored, ...body } = schema;
  const validate = ajv.compile(draft2020 ? schema : body);
  if (validate(values)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
