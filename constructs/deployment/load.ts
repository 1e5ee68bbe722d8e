/**
 * Reads and validates a deployment spec from YAML or JSON.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { Document, LineCounter, Node, YAMLError, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import {
  LocationDeclaration, LocationResolver, MIN_PREFIX, REGION_IDS, publishedRangesElsewhere, clusterRangeProblem, parseRange, closest, contradictions, findProvider, hostMatches, ownDomainProblems, readPattern,
  resolveRegionId, suggestRegionId,
} from '../jurisdiction';
import { SpecError, SpecProblem, codeFrame } from './problems';
import { z } from 'zod';
import {
  CLUSTER_WIDE_FIELDS, ClusterDeployment, DOCUMENT_KINDS, Deployment, TenantDeployment, clusterDeploymentSchema, deploymentSchema, tenantDeploymentSchema,
} from './schema';
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
  const document = parseDocumentOf(raw, source, options);
  if (document.kind === 'Workplace') return document.deployment;
  const ref = document.kind === 'Tenant' ? document.tenant.spec.cluster.ref : undefined;
  throw new SpecError(source, [document.kind === 'Tenant'
    ? {
      path: 'spec.cluster.ref', value: ref,
      message: `names the shared cluster "${ref}", which is described in another file`,
      allowed: 'a Workplace read on its own has its own cluster: spec.cluster: { location: <provider/region> }',
      fix: 'synthesize the folder (or the list of files) that holds the Cluster and this Workplace together, e.g. DESK_DEPLOYMENT=deployments',
    }
    : {
      path: 'kind', value: 'Cluster', message: 'is a Cluster, not a Workplace',
      allowed: 'a Workplace here; a Cluster is synthesized with the Workplaces it hosts',
      fix: 'synthesize the folder (or the list of files) that holds the Cluster and its Workplaces, e.g. DESK_DEPLOYMENT=deployments',
    }]);
}

/** A validated document of a deployment folder. */
export type ParsedDocument =
  /** A Workplace with its own cluster. */
  | { readonly kind: 'Workplace'; readonly deployment: Deployment }
  /** A Workplace on a shared cluster (spec.cluster.ref). */
  | { readonly kind: 'Tenant'; readonly tenant: TenantDeployment }
  | { readonly kind: 'Cluster'; readonly cluster: ClusterDeployment };

/**
 * Validates a parsed document of any kind: a Workplace (with its own cluster,
 * or on a shared one) or a Cluster.
 * @throws SpecError with every problem found
 */
export function parseDocumentOf(raw: unknown, source: string, options: ParseOptions = {}): ParsedDocument {
  const kind = valueAt(raw, ['kind']);
  if (kind === 'Cluster') {
    return { kind: 'Cluster', cluster: validate(clusterDeploymentSchema, raw, source, crossFieldProblems(raw, options, CLUSTER_LAYOUT)) };
  }
  const kindProblems: SpecProblem[] = kind === undefined || kind === 'Workplace' ? [] : [{
    path: 'kind', value: kind, message: 'is not a kind of document sovereign-desk reads', allowed: DOCUMENT_KINDS.join(' or '),
    fix: typeof kind === 'string' ? `did you mean "${closest(kind, DOCUMENT_KINDS) ?? 'Workplace'}"?` : 'write kind: Workplace',
  }];
  const cluster = valueAt(raw, ['spec', 'cluster']);
  if (cluster !== null && typeof cluster === 'object' && !Array.isArray(cluster) && 'ref' in cluster) {
    const own = [...kindProblems, ...tenantProblems(raw)];
    return { kind: 'Tenant', tenant: validate(tenantDeploymentSchema, raw, source, [...own, ...crossFieldProblems(raw, options, TENANT_LAYOUT)], own) };
  }
  return { kind: 'Workplace', deployment: validate(deploymentSchema, raw, source, [...kindProblems, ...crossFieldProblems(raw, options, WORKPLACE_LAYOUT)], kindProblems) };
}

/** Parses `raw` with `schema`, reporting the schema's problems and `extra` together. */
function validate<S extends z.ZodType>(schema: S, raw: unknown, source: string, extra: SpecProblem[], replacing: readonly SpecProblem[] = []): z.output<S> {
  const result = schema.safeParse(raw);
  // A field a more precise problem is reported for (a tenant's cluster-wide service, an unknown kind) is not reported twice.
  const replaced = new Set(replacing.map((p) => p.path));
  const problems = result.success ? [] : result.error.issues.flatMap((issue) => toProblems(issue, raw, schema as never))
    .filter((p) => !replaced.has(p.path));
  problems.push(...extra);
  if (problems.length > 0 || !result.success) throw new SpecError(source, dedupe(problems));
  return result.data;
}

/** A tenant sets only `ref` in spec.cluster, and none of the services its Cluster provides. */
function tenantProblems(raw: unknown): SpecProblem[] {
  const ref = valueAt(raw, ['spec', 'cluster', 'ref']);
  const named = typeof ref === 'string' ? `"${ref}"` : 'it names';
  const problems: SpecProblem[] = [];
  const cluster = valueAt(raw, ['spec', 'cluster']) as Record<string, unknown>;
  for (const key of Object.keys(cluster).filter((k) => k !== 'ref').sort()) {
    problems.push({
      path: `spec.cluster.${key}`, value: cluster[key],
      message: `is set beside spec.cluster.ref: the shared cluster ${named} is described by its Cluster's spec.${key}`,
      allowed: 'spec.cluster: { ref: <Cluster name> } alone, or spec.cluster without ref for a cluster of its own',
      fix: `remove spec.cluster.${key} (the Cluster's spec.${key} applies), or remove ref to describe a cluster of this Workplace's own`,
    });
  }
  for (const [field, clusterField] of Object.entries(CLUSTER_WIDE_FIELDS)) {
    const path = field.split('.');
    if (valueAt(raw, path) === undefined) continue;
    problems.push({
      path: field, value: valueAt(raw, path),
      message: `is a cluster-wide service, and this Workplace is on the shared cluster ${named} (spec.cluster.ref), whose Cluster spec provides it as ${clusterField}`,
      allowed: `${field} only on a Workplace with a cluster of its own; on a shared cluster, the Cluster's ${clusterField}`,
      fix: `remove ${field} here, and set ${clusterField} in the Cluster ${named} if it is missing there`,
    });
  }
  return problems;
}

/** The largest spec read: 1 MiB. A spec is a few kilobytes; a larger file is the wrong file. */
export const MAX_SPEC_BYTES = 1024 * 1024;

/** The deepest nesting of mappings and lists a spec may have (a valid spec needs fewer than 10). */
export const MAX_SPEC_DEPTH = 64;

/** Options of {@link readDeployment}. */
export interface ReadOptions extends ParseOptions {
  /**
   * The setting that named the file, so every problem says where the path came from.
   * @default 'DESK_DEPLOYMENT'
   */
  readonly setting?: string;
}

/** A validated spec and the text it was read from. */
export interface ReadDeployment {
  readonly deployment: Deployment;
  /** The file's text as decoded, for reports that point at its lines. */
  readonly text: string;
}

/**
 * Reads a YAML (or JSON) file once and validates it. Works on pipes and FIFOs.
 * @throws SpecError when the file is missing, unreadable, larger than {@link MAX_SPEC_BYTES}, not UTF-8, not YAML, or invalid
 */
export function readDeploymentText(file: string, options: ReadOptions = {}): ReadDeployment {
  const text = readSpecText(file, options.setting ?? 'DESK_DEPLOYMENT');
  return { deployment: parseDeployment(parseYaml(text, file), file, options), text };
}

/**
 * Reads a YAML (or JSON) file and validates it.
 * @throws SpecError when the file is missing, unreadable, too large, not UTF-8, not YAML, or invalid
 */
export function readDeployment(file: string, options: ReadOptions = {}): Deployment {
  return readDeploymentText(file, options).deployment;
}

/**
 * Reads a spec file as UTF-8 text with one bounded read: reading stops past
 * {@link MAX_SPEC_BYTES}, so a FIFO or a device never fills the memory.
 * @param setting the setting that named the file (e.g. DESK_DEPLOYMENT), named in every problem
 * @throws SpecError naming the setting and the file
 */
export function readSpecText(file: string, setting: string): string {
  const bytes = readBounded(file, setting);
  return decodeUtf8(bytes, file, setting);
}

function readBounded(file: string, setting: string): Buffer {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw readFailure(file, setting, error);
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, MAX_SPEC_BYTES + 1 - total));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) return Buffer.concat(chunks, total);
      chunks.push(chunk.subarray(0, read));
      total += read;
      if (total > MAX_SPEC_BYTES) throw tooLarge(file, setting);
    }
  } catch (error) {
    throw error instanceof SpecError ? error : readFailure(file, setting, error);
  } finally {
    closeSync(fd);
  }
}

function readFailure(file: string, setting: string, error: unknown): SpecError {
  const code = (error as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    ENOENT: 'file not found', EACCES: 'permission denied', EISDIR: 'is a directory, not a file', ENOTDIR: 'a part of the path is not a directory',
  };
  return new SpecError(file, [{
    path: setting, value: file, message: (code && reasons[code]) || (error instanceof Error ? error.message : String(error)),
    allowed: 'path of a readable YAML or JSON deployment spec',
    fix: isVariable(setting) ? `check the path and its permissions, or unset ${setting} to use the default spec` : 'check the path and its permissions',
  }]);
}

/** True when the setting is an environment variable (which can be unset), not a description such as "default spec". */
function isVariable(setting: string): boolean {
  return /^[A-Z][A-Z0-9_]*$/.test(setting);
}

function tooLarge(file: string, setting: string): SpecError {
  return new SpecError(file, [{
    path: setting, value: file,
    message: `the file is larger than the limit of 1 MiB (${MAX_SPEC_BYTES} bytes); reading stopped there`,
    allowed: `a YAML or JSON deployment spec of at most ${MAX_SPEC_BYTES} bytes (a spec is a few kilobytes)`,
    fix: isVariable(setting) ? `check that ${setting} names the deployment spec and not another file` : 'check that the path names the deployment spec and not another file',
  }]);
}

function decodeUtf8(bytes: Uint8Array, file: string, setting: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = invalidUtf8Offset(bytes) ?? 0;
    const line = bytes.subarray(0, offset).reduce((count, byte) => count + (byte === 0x0a ? 1 : 0), 1);
    return failUtf8(file, setting, offset, bytes[offset], line);
  }
}

function failUtf8(file: string, setting: string, offset: number, byte: number | undefined, line: number): never {
  const shown = byte === undefined ? 'end of file' : `byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  throw new SpecError(file, [{
    path: setting, value: file,
    message: `not UTF-8 text: invalid UTF-8 sequence at byte offset ${offset} (line ${line}, ${shown})`,
    allowed: 'a YAML or JSON file encoded as UTF-8',
    fix: `save the file as UTF-8, e.g. iconv -f latin1 -t utf-8 "${file}"`,
  }]);
}

/**
 * The byte offset where the first invalid UTF-8 sequence starts (overlong
 * forms, surrogates, code points above U+10FFFF and truncated sequences are
 * invalid), or undefined when all of `bytes` is UTF-8.
 */
export function invalidUtf8Offset(bytes: Uint8Array): number | undefined {
  let offset = 0;
  while (offset < bytes.length) {
    const length = bytes[offset] < 0x80 ? 1 : sequenceLength(bytes, offset);
    if (length === 0) return offset;
    offset += length;
  }
  return undefined;
}

/** Length of the multi-byte sequence at `offset`, or 0 when it is invalid (Unicode table 3-7). */
function sequenceLength(bytes: Uint8Array, offset: number): number {
  const lead = bytes[offset];
  let length: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  else if (lead >= 0xe0 && lead <= 0xef) [length, low, high] = [3, lead === 0xe0 ? 0xa0 : 0x80, lead === 0xed ? 0x9f : 0xbf];
  else if (lead >= 0xf0 && lead <= 0xf4) [length, low, high] = [4, lead === 0xf0 ? 0x90 : 0x80, lead === 0xf4 ? 0x8f : 0xbf];
  else return 0;
  for (let k = 1; k < length; k += 1) {
    const byte = bytes[offset + k];
    const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
    if (byte === undefined || byte < min || byte > max) return 0;
  }
  return length;
}

/**
 * Finds the line of a spec field (e.g. `spec.backup.endpoint`) in the text it
 * was read from, for reports that point at the spec.
 */
export function fieldLines(text: string): (field: string) => number | undefined {
  const counter = new LineCounter();
  // Duplicate keys were refused when the spec was read; uniqueKeys: false keeps this parse linear.
  const document = parseDocument(text, { lineCounter: counter, uniqueKeys: false });
  return (field) => {
    const path = field.split('.').flatMap((part) => part.split(/\[|\]/).filter(Boolean)).map((p) => (/^\d+$/.test(p) ? Number(p) : p.replace(/^"|"$/g, '')));
    const node = document.getIn(path, true) as { range?: [number, number, number] } | undefined;
    const pair = node?.range ? node.range[0] : undefined;
    return pair === undefined ? undefined : counter.linePos(pair).line;
  };
}

/**
 * Parses YAML 1.2 (JSON is YAML) in linear time, rejecting duplicate keys,
 * nesting deeper than {@link MAX_SPEC_DEPTH} and numbers that JavaScript
 * cannot hold (such as 1e309, which would become Infinity).
 * @throws SpecError with every problem, each with its line and column
 */
export function parseYaml(text: string, source: string): unknown {
  const lineCounter = new LineCounter();
  // uniqueKeys: true compares every key with every other (quadratic); duplicates are found in one pass below.
  const document = withinStack(source, () => parseDocument(text, { uniqueKeys: false, prettyErrors: true, lineCounter }));
  if (document.errors.length > 0) throw new SpecError(source, syntaxProblems(document.errors, text));
  const problems = structureProblems(document, lineCounter);
  if (problems.length > 0) throw new SpecError(source, problems);
  return withinStack(source, () => document.toJS({ maxAliasCount: 100 }));
}

/** How to fix the commonest YAML syntax errors, by the yaml library's error code. */
const SYNTAX_FIXES: Readonly<Partial<Record<YAMLError['code'], string>>> = {
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  BAD_INDENT: 'check that a [ or { opened above is closed, and indent this line like the other keys of its mapping',
  BLOCK_AS_IMPLICIT_KEY: 'check the indentation of this line and the next: a key one space too deep continues the value above',
  MULTILINE_IMPLICIT_KEY: 'check the indentation of this line and the next: a key one space too deep continues the value above',
  MISSING_CHAR: 'close the bracket or quote opened here',
  UNEXPECTED_TOKEN: 'quote values that contain ": ", "#", "[", "{" or start with "@" or "`"',
  DUPLICATE_KEY: 'remove one of the two entries, or merge them into one',
};

/**
 * One problem per position of the parser's errors (later errors at the same
 * position follow from the first), each with a code frame instead of a value.
 */
function syntaxProblems(errors: readonly YAMLError[], text: string): SpecProblem[] {
  const seen = new Set<string>();
  return errors.flatMap((error) => {
    const at = error.linePos?.[0];
    const where = at ? `line ${at.line}, column ${at.col}` : 'line ?';
    if (seen.has(where)) return [];
    seen.add(where);
    return [{
      path: where,
      value: undefined,
      // The library's message repeats the position and appends its own frame; the frame here replaces both.
      message: error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''),
      allowed: 'YAML 1.2 or JSON',
      ...(SYNTAX_FIXES[error.code] ? { fix: SYNTAX_FIXES[error.code] } : {}),
      ...(at ? { frame: codeFrame(text, at.line, at.col) } : {}),
    }];
  });
}

/** Runs a recursive parser step, turning a stack overflow into a readable problem. */
function withinStack<T>(source: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (!isStackOverflow(error)) throw error;
    throw new SpecError(source, [{
      path: '(document)', value: undefined,
      message: 'the document is nested too deeply to read',
      allowed: `mappings and lists nested at most ${MAX_SPEC_DEPTH} levels deep`,
      fix: 'check for unclosed or repeated [ or { brackets, or for repeated "- " on one line',
    }]);
  }
}

/** A RangeError, or another error V8 raised because the stack ran out (e.g. while compiling a regular expression). */
function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError || (error instanceof Error && error.message.includes('Maximum call stack size exceeded'));
}

interface Visit {
  readonly node: unknown;
  readonly path: readonly PropertyKey[];
  readonly depth: number;
}

/** Duplicate keys, too deep nesting and unrepresentable numbers, found in one iterative pass. */
function structureProblems(document: Document, lines: LineCounter): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const stack: Visit[] = [{ node: document.contents, path: [], depth: 0 }];
  for (let visit = stack.pop(); visit; visit = stack.pop()) {
    const { node, path, depth } = visit;
    if (isScalar(node)) {
      const problem = numberProblem(node, path, lines);
      if (problem) problems.push(problem);
    } else if ((isMap(node) || isSeq(node)) && depth >= MAX_SPEC_DEPTH) {
      problems.push(tooDeep(node, path, lines));
    } else if (isMap(node)) {
      const seen = new Map<string, Node>();
      const children: Visit[] = [];
      for (const pair of node.items) {
        const key = keyOf(pair.key);
        const first = key === undefined ? undefined : seen.get(key);
        if (key !== undefined && first) problems.push(duplicateKey(key, first, pair.key as Node, path, lines));
        else if (key !== undefined) seen.set(key, pair.key as Node);
        children.push({ node: pair.value, path: [...path, key ?? '?'], depth: depth + 1 });
      }
      for (let index = children.length - 1; index >= 0; index -= 1) stack.push(children[index]);
    } else if (isSeq(node)) {
      for (let index = node.items.length - 1; index >= 0; index -= 1) {
        stack.push({ node: node.items[index], path: [...path, index], depth: depth + 1 });
      }
    }
  }
  return problems;
}

/** The key as the parsed object will have it (a scalar's string form), or undefined for alias and collection keys. */
function keyOf(key: unknown): string | undefined {
  if (key === null || key === undefined) return '';
  if (!isScalar(key)) return undefined;
  return key.value === null ? '' : String(key.value);
}

function position(node: unknown, lines: LineCounter): string {
  const offset = (node as { range?: [number, number, number] } | null)?.range?.[0];
  if (offset === undefined) return 'line ?';
  const { line, col } = lines.linePos(offset);
  return `line ${line}, column ${col}`;
}

function duplicateKey(key: string, first: Node, again: Node, path: readonly PropertyKey[], lines: LineCounter): SpecProblem {
  return {
    path: formatPath([...path, key]), value: key,
    message: `Map keys must be unique: "${key}" at ${position(again, lines)} repeats the key at ${position(first, lines)}`,
    allowed: 'each key once per mapping',
    fix: 'remove one of the two entries, or merge them into one',
  };
}

function tooDeep(node: unknown, path: readonly PropertyKey[], lines: LineCounter): SpecProblem {
  return {
    path: path.length > 6 ? `${formatPath(path.slice(0, 6))}...` : formatPath(path), value: undefined,
    message: `nested more than ${MAX_SPEC_DEPTH} levels deep at ${position(node, lines)}`,
    allowed: `mappings and lists nested at most ${MAX_SPEC_DEPTH} levels deep`,
    fix: 'check for unclosed or repeated [ or { brackets, or for repeated "- " on one line',
  };
}

/** A number JavaScript cannot hold exactly: infinite, not a number, or an integer beyond 2^53 - 1. */
function numberProblem(node: { value: unknown; source?: string }, path: readonly PropertyKey[], lines: LineCounter): SpecProblem | undefined {
  const value = node.value;
  if (typeof value !== 'number') return undefined;
  const written = node.source ?? String(value);
  const unsafe = Number.isInteger(value) && !Number.isSafeInteger(value) && /^[-+]?(0x[0-9a-f]+|0o[0-7]+|\d+)$/i.test(written);
  if (Number.isFinite(value) && !unsafe) return undefined;
  const reason = Number.isNaN(value) ? 'is not a number'
    : !Number.isFinite(value) ? 'is out of range (it would be read as infinity)'
      : `is beyond ${Number.MAX_SAFE_INTEGER} and cannot be held exactly`;
  return {
    path: formatPath(path), value: written,
    message: `the number ${written} at ${position(node, lines)} ${reason}`,
    allowed: `a finite number; integers between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}; each field has its own range`,
    fix: 'write the number the field needs (see the README section "Deployment spec")',
  };
}

/** Where a kind of document keeps the fields the cross-field checks read. */
interface Layout {
  /** The mapping that holds location, podCidrs and serviceCidrs. */
  readonly cluster: readonly string[];
  /** The document has spec.domain. */
  readonly domain: boolean;
}
const WORKPLACE_LAYOUT: Layout = { cluster: ['spec', 'cluster'], domain: true };
const TENANT_LAYOUT: Layout = { cluster: [], domain: true };
const CLUSTER_LAYOUT: Layout = { cluster: ['spec'], domain: false };

/** Checks that need more than one field; runs on the raw document so all problems come at once. */
function crossFieldProblems(raw: unknown, options: ParseOptions, layout: Layout): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const declarations = rawDeclarations(raw);
  for (const declaration of declarations) {
    const form = readPattern(declaration.pattern);
    for (const contradiction of contradictions(declaration)) {
      problems.push({
        path: formatPath(['spec', 'locations', declaration.pattern]),
        value: valueAt(raw, ['spec', 'locations', declaration.pattern]),
        message: 'problem' in form ? contradiction : `widens or contradicts the catalogue: ${contradiction}`,
        allowed: 'problem' in form
          ? `an exact host or *.domain at or below a registrable domain (not *, *.com, *.co.uk), or an address range no wider than /${MIN_PREFIX.ipv4} (IPv4) or /${MIN_PREFIX.ipv6} (IPv6)`
          : 'declarations for hosts the catalogue does not know, or naming exactly the catalogued region a host is in',
        fix: 'problem' in form
          ? 'declare the registrable domain you control (e.g. *.agency.example) or the exact hosts'
          : 'narrow the pattern to the hosts you mean, or correct the country and operator to the catalogue\'s (catalogue facts live in constructs/jurisdiction/)',
      });
    }
  }
  problems.push(...egressRangeProblems(raw, declarations));
  for (const field of layout.cluster.length > 0 ? ['podCidrs', 'serviceCidrs'] : []) {
    const ranges = valueAt(raw, [...layout.cluster, field]);
    if (!Array.isArray(ranges)) continue;
    ranges.forEach((text, index) => {
      const problem = typeof text === 'string' && parseRange(text) ? clusterRangeProblem(text) : undefined;
      if (problem) {
        problems.push({
          path: formatPath([...layout.cluster, field, index]), value: text, message: problem,
          allowed: 'the cluster\'s own pod or Service range, in private address space', fix: 'copy the range from the cluster\'s configuration (kubectl cluster-info dump | grep -m1 cluster-cidr)',
        });
      }
    });
  }
  const domain = layout.domain ? valueAt(raw, ['spec', 'domain']) : undefined;
  if (typeof domain === 'string' && domain.length > 0) {
    for (const problem of ownDomainProblems(domain.toLowerCase())) {
      problems.push({
        path: 'spec.domain', value: domain,
        message: `cannot be the cluster's own domain: ${problem}`,
        allowed: 'a domain you control, at or below a registrable domain, outside every catalogued provider\'s domains',
        fix: 'use a subdomain of your organisation\'s domain, e.g. desk.agency.example',
      });
    }
  }
  const location = layout.cluster.length > 0 ? valueAt(raw, [...layout.cluster, 'location']) : undefined;
  if (typeof location === 'string' && location.length > 0) {
    problems.push(...clusterLocationProblems(location, declarations, formatPath([...layout.cluster, 'location'])));
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

function clusterLocationProblems(location: string, declarations: readonly LocationDeclaration[], path: string): SpecProblem[] {
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

/**
 * An egress range is a claim about where a host is: where the catalogue
 * knows the range (a provider's published prefixes), that place must be the
 * host's place.
 */
function egressRangeProblems(raw: unknown, declarations: readonly LocationDeclaration[]): SpecProblem[] {
  const cidrs = valueAt(raw, ['spec', 'egress', 'cidrs']);
  if (!cidrs || typeof cidrs !== 'object' || Array.isArray(cidrs)) return [];
  // The resolver places nothing by a refused declaration.
  const resolver = new LocationResolver({ declarations });
  const problems: SpecProblem[] = [];
  for (const [host, ranges] of Object.entries(cidrs as Record<string, unknown>)) {
    if (!Array.isArray(ranges)) continue;
    const hostPlace = resolver.resolveHost(host);
    const where = hostPlace.status === 'resolved' ? hostPlace.location : undefined;
    ranges.forEach((text, index) => {
      const range = typeof text === 'string' ? parseRange(text) : undefined;
      // Too wide a range is reported as such by the schema.
      if (!range || range.prefix < MIN_PREFIX[range.family]) return;
      for (const known of publishedRangesElsewhere(range, where)) {
        const place = known.place ? `${known.place.countries.join(', ')}, operator ${known.place.operator}` : 'not catalogued';
        problems.push({
          path: formatPath(['spec', 'egress', 'cidrs', host, index]), value: text,
          message: `overlaps ${known.range}, published by ${known.provider.name} for ${known.region} (${place}), which is not where ${host} is${where ? ` (${where.countries.join(', ')}, operator ${where.operator})` : ' (not proven)'}`,
          allowed: `the address ranges ${host} is served from`,
          fix: `use the ranges of ${host} itself; a range of another place would open egress there`,
        });
      }
    });
  }
  return problems;
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
