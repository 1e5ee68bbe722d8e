/**
 * Turns zod issues into spec problems with the value, what is allowed, and a fix.
 */
import { z } from 'zod';
import { closest } from '../jurisdiction';
import { SpecProblem } from './problems';
import { requiredExample } from './schema';

type AnySchema = z.core.$ZodType;

interface Def {
  readonly type: string;
  readonly shape?: Record<string, AnySchema>;
  readonly innerType?: AnySchema;
  readonly in?: AnySchema;
  readonly element?: AnySchema;
  readonly valueType?: AnySchema;
  readonly options?: readonly AnySchema[];
}

function defOf(schema: AnySchema): Def {
  return schema._zod.def as unknown as Def;
}

/** The object schemas a value at `path` may be checked against. */
function objectsAt(schema: AnySchema, path: readonly PropertyKey[]): Def[] {
  const def = defOf(schema);
  const inner = def.innerType ?? def.in;
  if (inner) return objectsAt(inner, path);
  if (def.options) return def.options.flatMap((option) => objectsAt(option, path));
  if (path.length === 0) return def.type === 'object' ? [def] : [];
  const [head, ...rest] = path;
  if (def.type === 'object' && def.shape && typeof head === 'string' && def.shape[head]) return objectsAt(def.shape[head], rest);
  if (def.type === 'array' && def.element) return objectsAt(def.element, rest);
  if (def.type === 'record' && def.valueType) return objectsAt(def.valueType, rest);
  return [];
}

/** The field names the schema defines at `path`. */
export function knownKeys(schema: AnySchema, path: readonly PropertyKey[]): string[] {
  const keys = objectsAt(schema, path).flatMap((def) => Object.keys(def.shape ?? {}));
  return [...new Set(keys)];
}

/** The literal values a discriminated union accepts for its discriminator. */
function discriminatorValues(schema: AnySchema, path: readonly PropertyKey[], discriminator: string): string[] {
  return objectsAt(schema, path).flatMap((def) => {
    const field = def.shape?.[discriminator];
    const values = field ? (field._zod.def as unknown as { values?: readonly unknown[] }).values : undefined;
    return (values ?? []).map(String);
  });
}

/** The raw value at a path, or undefined. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** `spec.suppressions[0].reason`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    const name = String(key);
    const plain = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
    if (!plain) return `${text}[${JSON.stringify(name)}]`;
    return text ? `${text}.${name}` : name;
  }, '') || '(document)';
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  return typeof value === 'object' ? 'mapping' : typeof value;
}

/** Maps one zod issue to one or more spec problems. */
export function toProblems(issue: z.core.$ZodIssue, raw: unknown, schema: AnySchema): SpecProblem[] {
  const path = issue.path;
  const value = valueAt(raw, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(schema, path);
      return issue.keys.map((key) => {
        const suggestion = closest(key, known);
        return {
          path: formatPath([...path, key]),
          value: valueAt(raw, [...path, key]),
          message: 'unknown field',
          allowed: known.length > 0 ? `fields of ${formatPath(path)}: ${known.join(', ')}` : 'no further fields here',
          fix: suggestion ? `did you mean "${suggestion}"?` : 'remove it',
        };
      });
    }
    case 'invalid_type': {
      const example = value === undefined ? requiredExample(path) : undefined;
      return [{
        path: formatPath(path),
        value,
        message: value === undefined ? 'required field is missing' : `expected ${issue.expected}, got ${typeName(value)}`,
        allowed: issue.expected,
        ...(example ? { fix: `add it, e.g. ${formatPath(path.slice(-1))}: ${example}` } : {}),
      }];
    }
    case 'invalid_value': {
      const allowed = issue.values.map((v) => JSON.stringify(v));
      const suggestion = typeof value === 'string' ? closest(value, issue.values.map(String)) : undefined;
      const example = value === undefined ? requiredExample(path) : undefined;
      return [{
        path: formatPath(path),
        value,
        message: value === undefined ? 'required field is missing' : 'value is not one of the allowed ones',
        allowed: allowed.join(' | '),
        fix: suggestion ? `did you mean "${suggestion}"?` : example ? `add it, e.g. ${formatPath(path.slice(-1))}: ${example}` : undefined,
      }];
    }
    case 'invalid_union': {
      const discriminator = (issue as { discriminator?: string }).discriminator;
      // A value of the union's first form that fails that form's own check (e.g. "Deutschland" as one country) gets its message.
      const own = discriminator ? undefined : issue.errors.find((branch) => branch.length > 0 && branch.every((i) => i.code === 'custom'))?.[0];
      if (own) return toProblems({ ...own, path: [...path, ...own.path] } as z.core.$ZodIssue, raw, schema);
      const options = discriminator ? discriminatorValues(schema, path.slice(0, -1), discriminator) : [];
      const suggestion = typeof value === 'string' ? closest(value, options) : undefined;
      return [{
        path: formatPath(path),
        value,
        message: discriminator ? `unknown ${discriminator}` : 'value does not match any allowed form',
        allowed: options.length > 0 ? options.map((o) => JSON.stringify(o)).join(' | ') : 'see the README section "Deployment spec"',
        fix: suggestion ? `did you mean "${suggestion}"?` : undefined,
      }];
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? `at least ${issue.minimum}` : `at most ${issue.maximum}`;
      const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' entries' : '';
      return [{ path: formatPath(path), value, message: issue.message, allowed: `${bound}${unit}` }];
    }
    case 'custom': {
      const params = (issue.params ?? {}) as { allowed?: string; fix?: string };
      return [{ path: formatPath(path), value, message: issue.message, allowed: params.allowed ?? '', fix: params.fix }];
    }
    default:
      return [{ path: formatPath(path), value, message: issue.message, allowed: issue.message.replace(/^(Too small|Too big|Invalid [a-z ]+): /i, '') }];
  }
}
