/**
 * Reads and validates a deployment spec from YAML or JSON.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import {
  LocationDeclaration, REGION_IDS, closest, contradictions, findProvider, hostMatches, resolveRegionId, suggestRegionId,
} from '../jurisdiction';
import { SpecError, SpecProblem } from './problems';
import { Deployment, deploymentSchema } from './schema';
import { formatPath, toProblems, valueAt } from './issues';

/** Options of the spec parser. */
export interface ParseOptions {
  /** Rule ids a suppression may name. @default - rule ids are not checked */
  readonly knownRules?: readonly string[];
}

/**
 * Validates a parsed document.
 * @throws SpecError with every problem found
 */
export function parseDeployment(raw: unknown, source: string, options: ParseOptions = {}): Deployment {
  const result = deploymentSchema.safeParse(raw);
  const problems = result.success ? [] : result.error.issues.flatMap((issue) => toProblems(issue, raw, deploymentSchema));
  problems.push(...crossFieldProblems(raw, options));
  if (problems.length > 0 || !result.success) throw new SpecError(source, dedupe(problems));
  return result.data;
}

/**
 * Reads a YAML (or JSON) file and validates it.
 * @throws SpecError when the file is missing, not YAML, or invalid
 */
export function readDeployment(file: string, options: ParseOptions = {}): Deployment {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new SpecError(file, [{
      path: 'DESK_DEPLOYMENT', value: file, message: reason,
      allowed: 'path of a readable YAML or JSON deployment spec', fix: 'check the path, or unset DESK_DEPLOYMENT to use the default spec',
    }]);
  }
  return parseDeployment(parseYaml(text, file), file, options);
}

/**
 * Finds the line of a spec field (e.g. `spec.backup.endpoint`) in the text it
 * was read from, for reports that point at the spec.
 */
export function fieldLines(text: string): (field: string) => number | undefined {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter });
  return (field) => {
    const path = field.split('.').flatMap((part) => part.split(/\[|\]/).filter(Boolean)).map((p) => (/^\d+$/.test(p) ? Number(p) : p.replace(/^"|"$/g, '')));
    const node = document.getIn(path, true) as { range?: [number, number, number] } | undefined;
    const pair = node?.range ? node.range[0] : undefined;
    return pair === undefined ? undefined : counter.linePos(pair).line;
  };
}

/** Parses YAML 1.2 (JSON is YAML), rejecting duplicate keys. */
export function parseYaml(text: string, source: string): unknown {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (document.errors.length > 0) {
    throw new SpecError(source, document.errors.map((error) => ({
      path: `line ${error.linePos?.[0].line ?? '?'}, column ${error.linePos?.[0].col ?? '?'}`,
      value: undefined,
      message: error.message.split('\n')[0],
      allowed: 'YAML 1.2 or JSON',
    })));
  }
  return document.toJS();
}

/** Checks that need more than one field; runs on the raw document so all problems come at once. */
function crossFieldProblems(raw: unknown, options: ParseOptions): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const declarations = rawDeclarations(raw);
  for (const declaration of declarations) {
    for (const contradiction of contradictions(declaration)) {
      problems.push({
        path: formatPath(['spec', 'locations', declaration.pattern]),
        value: valueAt(raw, ['spec', 'locations', declaration.pattern]),
        message: `contradicts the catalogue: ${contradiction}`,
        allowed: 'declarations only for hosts the catalogue does not know, or to say which catalogued region a host is in',
        fix: 'correct or remove the declaration (catalogue facts live in constructs/jurisdiction/)',
      });
    }
  }
  const location = valueAt(raw, ['spec', 'cluster', 'location']);
  if (typeof location === 'string' && location.length > 0) {
    problems.push(...clusterLocationProblems(location, declarations));
  }
  const suppressions = valueAt(raw, ['spec', 'suppressions']);
  if (options.knownRules && Array.isArray(suppressions)) {
    suppressions.forEach((entry, index) => {
      const rule = valueAt(entry, ['rule']);
      if (typeof rule === 'string' && !options.knownRules?.includes(rule)) {
        const suggestion = closest(rule, options.knownRules ?? []);
        problems.push({
          path: formatPath(['spec', 'suppressions', index, 'rule']),
          value: rule,
          message: 'no rule has this id',
          allowed: options.knownRules?.join(', ') ?? '',
          fix: suggestion ? `did you mean "${suggestion}"?` : undefined,
        });
      }
    });
  }
  return problems;
}

function clusterLocationProblems(location: string, declarations: readonly LocationDeclaration[]): SpecProblem[] {
  const path = 'spec.cluster.location';
  const allowed = 'provider/region from the catalogue (e.g. stackit/eu01, hetzner/fsn1) or a host declared in spec.locations';
  const fromCatalogue = resolveRegionId(location);
  if (fromCatalogue?.status === 'resolved') return [];
  if (fromCatalogue) {
    const suggestion = suggestRegionId(location);
    return [{ path, value: location, message: fromCatalogue.reason, allowed, fix: suggestion ? `did you mean "${suggestion}"?` : fromCatalogue.hint }];
  }
  if (declarations.some((d) => hostMatches(d.pattern, location.toLowerCase()))) return [];
  const provider = location.includes('/') ? undefined : findProvider(location);
  const suggestion = suggestRegionId(location) ?? closest(location, REGION_IDS.map((id) => id.split('/')[0]));
  return [{
    path, value: location,
    message: provider ? `names a provider but no region` : 'neither a catalogued provider/region nor a host declared in spec.locations',
    allowed,
    fix: provider
      ? `add the region, e.g. "${REGION_IDS.find((id) => id.startsWith(`${provider.id}/`))}"`
      : suggestion ? `did you mean "${suggestion}"? Otherwise declare "${location}" in spec.locations` : `declare "${location}" in spec.locations`,
  }];
}

/** Declarations as written, read leniently (invalid ones are reported by the schema). */
function rawDeclarations(raw: unknown): LocationDeclaration[] {
  const locations = valueAt(raw, ['spec', 'locations']);
  if (!locations || typeof locations !== 'object' || Array.isArray(locations)) return [];
  const parsed = deploymentSchema.shape.spec.shape.locations.safeParse(locations);
  if (!parsed.success) return [];
  return Object.entries(parsed.data).map(([pattern, d]) => ({
    pattern, countries: d.country, operator: d.operator, parent: d.parent,
  }));
}

function dedupe(problems: readonly SpecProblem[]): SpecProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
