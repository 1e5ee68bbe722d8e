/**
 * YAML documents as plain JSON, parsed once per text and reading while a
 * scan runs: the scan, the store scan and the phone-home settings all read
 * the same Helm values, and parsing dominates the cost of a scan.
 *
 * Results are shared between readers: treat them as read-only.
 */
import { parseAllDocuments } from 'yaml';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

let memo: Map<string, unknown> | undefined;

/** Runs `work` with parse results remembered by text until it returns. */
export function withParseMemo<T>(work: () => T): T {
  const outer = memo;
  memo = outer ?? new Map();
  try {
    return work();
  } finally {
    memo = outer;
  }
}

/** The remembered result of `parse(text)` for one reading, inside {@link withParseMemo}. */
export function remembered<T>(reading: string, text: string, parse: (text: string) => T): T {
  if (!memo) return parse(text);
  const key = `${reading}\u0000${text}`;
  if (memo.has(key)) return memo.get(key) as T;
  const value = parse(text);
  memo.set(key, value);
  return value;
}

/** The documents of a YAML 1.2 (or JSON) text as plain JSON; undefined when it does not parse. */
export function yamlDocuments(text: string): Json[] | undefined {
  return remembered('yaml-1.2', text, (source) => {
    try {
      const docs = parseAllDocuments(source, { prettyErrors: false });
      if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) return undefined;
      return docs.map((d) => plain(d.toJS({ maxAliasCount: 100, mapAsMap: true })));
    } catch {
      return undefined;
    }
  });
}

/** A YAML value as JSON: binary as the text it encodes (as Helm reads it), maps as objects, other objects as their text. */
export function plain(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Map) {
    return Object.fromEntries([...value.entries()].map(([k, v]) => [k !== null && typeof k === 'object' ? JSON.stringify(plain(k)) : String(k), plain(v)]));
  }
  if (value instanceof Set) return [...value].map(plain);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return String(value);
}
