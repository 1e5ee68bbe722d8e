/**
 * YAML documents as plain JSON, parsed once per text and reading: the scan,
 * the store scan and the phone-home settings all read the same Helm values,
 * the stacks of a fleet share many of them, and parsing dominates the cost
 * of a scan. The same memo keeps other pure readings of texts (the targets
 * found in a text, scan-text.ts). The most recently read texts are kept, up
 * to a bound.
 *
 * Results are shared between readers: treat them as read-only.
 */
import { parseAllDocuments } from 'yaml';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** How much text the remembered results stand for, at most (in characters; results take a few times that). */
export const PARSE_MEMO_CHARS = 4_000_000;

/** Results by reading and text, least recently read first. */
const memo = new Map<string, unknown>();
let memoChars = 0;

/** The result of `parse(text)` for one reading (e.g. `yaml-1.2`), parsed at the first read of the text in that reading. */
export function remembered<T>(reading: string, text: string, parse: (text: string) => T): T {
  const key = `${reading}\u0000${text}`;
  if (memo.has(key)) {
    const value = memo.get(key) as T;
    // Read again: now the most recent.
    memo.delete(key);
    memo.set(key, value);
    return value;
  }
  const value = parse(text);
  memo.set(key, value);
  memoChars += key.length;
  for (const oldest of memo.keys()) {
    if (memoChars <= PARSE_MEMO_CHARS || oldest === key) break;
    memo.delete(oldest);
    memoChars -= oldest.length;
  }
  return value;
}

/** How many results are remembered and the characters of their texts (for tests). */
export function parseMemoSize(): { entries: number; chars: number } {
  return { entries: memo.size, chars: memoChars };
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
