/**
 * Finds the places named in free text: URLs of any scheme, bare DNS names and
 * IP literals — in configuration values, embedded config files, commands, and
 * in encoded forms of them (JSON escapes, percent-encoding, base64).
 *
 * Pure: text in, targets out. Whether a target is lawful is for the resolver.
 */
import { isUtf8 } from 'node:buffer';
import { isIPv6 } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { parse as parseDomain } from 'tldts';
import { remembered } from './yaml-documents';

/** Options of {@link targetsInText}. */
export interface TextScanOptions {
  /**
   * The text is a value that holds a Kubernetes name: a label, annotation or
   * taint key, or an API group (`apiVersion`, `apiGroup`): a whole text of
   * the form `dns.prefix/name` or `dns.name` is that name, not a host.
   * @default false
   */
  readonly labelKey?: boolean;
  /**
   * The text is a map key: it names a setting or a file, so only its URLs
   * and IP literals count, not bare DNS names (`claim.name`, `UIFeature.feedback`).
   * @default false
   */
  readonly mapKey?: boolean;
  /**
   * Receives the texts base64 tokens decode to, instead of having them read
   * here (a caller that parses config files reads them as such).
   * @default - decoded texts are read like the text, {@link MAX_DECODE_DEPTH} levels deep
   */
  readonly onDecoded?: (decoded: string) => void;
}

/** How deep encodings inside encodings (base64 of base64…) are followed. */
export const MAX_DECODE_DEPTH = 3;

/**
 * Where a URL starts: a generic scheme `[a-z][a-z0-9+.-]*://` (optionally
 * after `jdbc:`), not preceded by a scheme character, `\` (an escape), or
 * the end of a placeholder (`%`, `)`, `}`, `]`: in `${PROTO}://host` and
 * `%(protocol)s://host` the scheme is computed, and the host after `://` is
 * read as a host). For the schemes WHATWG parsers call special (`http`,
 * `https`, `ws`, `wss`, `ftp`), any run of `/` and `\` after the colon
 * starts the authority (`https:/evil.example`, `https:\\evil.example` are
 * `https://evil.example` to them); `:\/\/` is a JSON escape, read unescaped.
 */
const URL_START = /(?<![a-z0-9+.\\%)}\]-])(?:jdbc:)?(?:[a-z][a-z0-9+.-]*:\/\/|(?:https?|wss?|ftp):(?!\/\/|\\\/)[\\/]+)/gi;
/** Schemes whose URLs WHATWG parsers read a host from even after `:///`. */
const SLASH_SKIPPING_SCHEMES = new Set(['http', 'https', 'ws', 'wss', 'ftp']);

/**
 * A network path: `//` or `\\` at the start of a token (after the start
 * of the text, white space, a quote, `=`, `(`, `[`, `,`, `<`, `>` or a
 * backtick: a scheme-relative URL `//evil.example/x`, a UNC path
 * `\\evil.example\share`), or `//` after a computed scheme
 * (`${PROTO}://evil.example`). What follows it is a host, not a file path.
 */
const NETWORK_PATH = String.raw`(?<=(?:^|[\s"'=(\[,<>\x60]|[^\s/]:)\/\/|(?:^|[\s"'=(\[,<>\x60])\\\\)`;
/** A character that continues a word: a host starting or ending next to one is part of something else. */
const WORD = String.raw`\p{L}\p{N}_`;
/**
 * A bare DNS name: labels of letters, digits, `_` and inner `-`, at least two,
 * not preceded by a word character, `.`, `-` (a flag such as
 * `-Duser.name`; a shell default `:-host` is read), `/` (a file path), `\`
 * (an escape) or `%` (percent-encoded text); then an optional `:port` and
 * `/path`; not followed by `@` (the local part of an e-mail address) or `(`
 * (a function call). A final `.` (the end of a sentence) is not part of it.
 */
const HOST_TOKEN = new RegExp(
  String.raw`(?:(?<![${WORD}.\-/\\%])|(?<=:-)|${NETWORK_PATH})(?:[${WORD}](?:[${WORD}-]{0,61}[${WORD}])?\.)+[${WORD}](?:[${WORD}-]{0,61}[${WORD}])?`
  + String.raw`(?::\d{1,5}(?![${WORD}]))?(?:\/[^\s"'<>\x60,;)\]}]*)?(?![${WORD}\-@(]|\.[${WORD}\-])`,
  'gu',
);
/** A Kubernetes qualified name with a DNS prefix (`app.kubernetes.io/name`), or an API group (`cert-manager.io`). */
const QUALIFIED_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(\/[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$/;
/** A qualified name under `kubernetes.io`, which Kubernetes reserves for its own names (`kubernetes.io/tls`, `node.kubernetes.io/not-ready`). */
const RESERVED_NAME = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*kubernetes\.io\/[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;

/** An IPv4 address in any notation `inet_aton` reads: one to four parts, decimal, octal (`0…`) or hex (`0x…`). */
const IPV4_TOKEN = new RegExp(
  String.raw`(?:(?<![${WORD}.\-/\\%])|${NETWORK_PATH})(?:0x[0-9a-f]+|\d+)(?:\.(?:0x[0-9a-f]+|\d+)){0,3}(?![${WORD}\-@(]|\.[${WORD}\-]|\/\d)`,
  'giu',
);
/** An IPv6 literal in brackets, with an optional zone and port; or without brackets (then checked by `isIPv6`). */
const IPV6_BRACKETED = /\[([0-9a-f:.]+)(%[\w.-]+)?\](:\d{1,5})?(?!\/\d)/gi;
const IPV6_BARE = /(?<![\p{L}\p{N}_:.\-/\\%[])[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?::\d{1,3}(?:\.\d{1,3}){3})?(?![\p{L}\p{N}_:.\-\]]|\/\d)/giu;

/** Base64 (standard or URL-safe) of at least 16 characters. */
const BASE64_TOKEN = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{16,}={0,2}(?![A-Za-z0-9+/=_-])/g;

/**
 * The places named in a text, each exactly as written, in order of
 * appearance, without duplicates.
 *
 * The rules, applied to the text and to its decoded variants (JSON escapes
 * `\/` and `\uXXXX` undone; percent-encoding undone; Unicode folded as
 * IDNA folds it; base64 that decodes to printable UTF-8, also gzipped, up
 * to {@link MAX_DECODE_DEPTH} levels deep — see {@link base64TextsIn}):
 *
 * - **URL**: any `scheme://…` (generic scheme, `jdbc:` prefix allowed), up
 *   to white space, a quote, `<>`, a backtick, `,`, `;`, a closing bracket
 *   (not the one closing an IPv6 host such as `[2001:db8::1]`),
 *   or the next `scheme://`. A URL whose authority is
 *   empty (`file:///etc/x`, `unix:///run/x.sock`) names no host and is left
 *   out, except for `http`, `https`, `ws`, `wss` and `ftp`, where WHATWG
 *   parsers read a host after the extra slashes (the resolver refuses them).
 * - **DNS name** (outside URLs): at least two labels whose suffix is on the
 *   Public Suffix List (ICANN or private section), any case, with optional
 *   `:port` and `/path`; also after `@` (an e-mail domain) and after `:-`
 *   (a shell default) and after a token-initial `//` or `\\` (a
 *   scheme-relative URL, a UNC path). Not a host: a name preceded by `/` (a file path),
 *   `.`, `-` (a flag such as `-Duser.name`), `\` or `%`; followed by `@`
 *   (an e-mail local part) or `(` (a call); a name whose last label is no
 *   public suffix (`config.php`, `values.yaml`, `x.svc`,
 *   `desk.agency.example`); two labels ending in a suffix that is also a
 *   common file extension ({@link FILE_EXTENSION_TLDS}: `install.sh`); a
 *   name of the form `[sub.]kubernetes.io/name` (reserved by Kubernetes for
 *   its labels, Secret types and provisioners); a variable path inside a
 *   `{{ … }}` or `{% … %}` template expression (`{{ user.name }}`; its
 *   quoted literals are read); with `labelKey`, a whole text of the form
 *   `dns.prefix/name` or `dns.name` (a label key or an API group); with
 *   `mapKey`, any.
 * - **IPv4** (outside URLs; preceded by neither a word character, `.`,
 *   `-`, `/` — unless a scheme-relative `//` — `\` nor `%`): four dotted
 *   decimal parts of 0–255; any form with a hex part (`0x7f.1`); a single
 *   octal (`017700000001`) or hex (`0x7f000001`) number — written as
 *   found, so that the resolver refuses odd notations. Not an address: two or three decimal or octal parts
 *   (`1.2.3`, `22.04` are versions), single decimal numbers (ports, sizes,
 *   times), an address followed by `/prefix` (a CIDR range, which permits
 *   traffic but is no destination), and addresses in 0.0.0.0/8 (the
 *   unspecified "bind all" address, file modes like `0644`) or 240.0.0.0/4
 *   (reserved: netmasks, broadcast).
 * - **IPv6** (outside URLs): `[addr]` with optional zone and port, or a bare
 *   address with `::` or eight groups that `isIPv6` accepts; bare ones are
 *   written in brackets. Not an address: `::` (unspecified) and CIDR ranges.
 */
export function targetsInText(text: string, options: TextScanOptions = {}): string[] {
  const found = new Set<string>();
  collect(text, options, 0, found);
  return [...found];
}

/** What {@link textTargets} found in a text: its targets, and the texts its base64 decodes to (when asked to decode). */
export interface TextTargets {
  readonly targets: readonly string[];
  readonly decoded: readonly string[];
}

/**
 * {@link targetsInText} with the base64 texts decoded returned beside the
 * targets (`decode`) or read for targets too (not `decode`), remembered by
 * text: the same keys and values come back in every stack of a fleet.
 */
export function textTargets(text: string, options: { readonly labelKey?: boolean; readonly mapKey?: boolean; readonly decode: boolean }): TextTargets {
  const reading = `targets ${options.labelKey ? 'label' : ''} ${options.mapKey ? 'key' : ''} ${options.decode ? 'decode' : ''}`;
  return remembered(reading, text, (t) => {
    const decoded: string[] = [];
    const targets = targetsInText(t, { labelKey: options.labelKey, mapKey: options.mapKey, onDecoded: options.decode ? (d) => decoded.push(d) : undefined });
    return { targets, decoded };
  });
}

function collect(text: string, options: TextScanOptions, depth: number, found: Set<string>): void {
  for (const variant of variants(text)) {
    const { urls, rest: withoutUrls } = urlsIn(variant);
    urls.forEach((u) => found.add(u));
    const rest = withoutTemplateExpressions(withoutUrls);
    addressesIn(rest).forEach((a) => found.add(a));
    if (!options.mapKey && !(options.labelKey && isKubernetesName(rest.trim()))) hostsIn(rest).forEach((h) => found.add(h));
    for (const decoded of base64TextsIn(variant)) {
      if (options.onDecoded) options.onDecoded(decoded);
      else if (depth < MAX_DECODE_DEPTH) collect(decoded, {}, depth + 1, found);
    }
  }
}

/**
 * The text, and the distinct forms it takes with one level of JSON escapes
 * and percent-encoding undone (JSON in JSON is parsed, not unescaped, by the
 * scan), and with Unicode compatibility forms folded as IDNA folds them
 * (full-width letters and the ideographic full stops `。．｡` read as ASCII:
 * `ｅvil。com` is `evil.com` to a WHATWG parser).
 */
export function variants(text: string): string[] {
  const unescaped = jsonUnescape(text);
  const decoded = percentDecode(unescaped);
  return [...new Set([text, unescaped, percentDecode(text), decoded, foldUnicode(decoded)])];
}

/** NFKC, and the three ideographic full stops as `.`; ASCII text stays as it is. */
export function foldUnicode(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\u0000-\u007f]*$/.test(text)) return text;
  return text.normalize('NFKC').replace(/[\u3002\uff0e\uff61]/g, '.');
}

/** Undoes one level of the escapes JSON allows in strings (`\/`, `\uXXXX`, `\n`, `\"`…); other text stays. */
export function jsonUnescape(text: string): string {
  if (!text.includes('\\')) return text;
  const simple: Record<string, string> = { '/': '/', '\\': '\\', '"': '"', "'": "'", n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
  return text.replace(/\\(u[0-9a-fA-F]{4}|[/\\"'nrtbf])/g, (_, code: string) =>
    code.length === 5 ? String.fromCharCode(parseInt(code.slice(1), 16)) : simple[code]);
}

/** Undoes percent-encoding of valid UTF-8 sequences; other text stays. */
export function percentDecode(text: string): string {
  if (!/%[0-9a-fA-F]{2}/.test(text)) return text;
  return text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** A bracketed IPv6 literal (with an optional zone) at the start of a URL's authority. */
const IPV6_HOST_AT = /^\[[0-9a-f:.]+(%[\w.-]+)?\]/i;

/** Where a URL ends: white space, a quote, `<>`, a backtick, `,`, `;`, or a closing bracket (not the one of an IPv6 host). */
const URL_END = /[\s"'<>`,;)\]}]/g;

/**
 * URLs in a text, and the text with them blanked out. A URL ends at
 * {@link URL_END} or where the next URL starts (so that
 * `https://a/*##https://b/*` gives `https://a/*##` and `https://b/*`), in
 * time linear in the text.
 */
function urlsIn(text: string): { urls: string[]; rest: string } {
  const starts = [...text.matchAll(URL_START)];
  if (starts.length === 0) return { urls: [], rest: text };
  const urls: string[] = [];
  let rest = '';
  let at = 0;
  let terminator = -1;
  starts.forEach((start, i) => {
    const from = start.index + start[0].length;
    // An IPv6 literal host ([2001:db8::1]:443) ends at its own bracket, not the URL.
    const literal = text[from] === '[' ? IPV6_HOST_AT.exec(text.slice(from, from + 64)) : null;
    const after = literal ? from + literal[0].length : from;
    if (terminator < after) {
      URL_END.lastIndex = after;
      terminator = URL_END.exec(text)?.index ?? text.length;
    }
    const end = Math.min(terminator, starts[i + 1]?.index ?? text.length);
    const body = text.slice(from, end);
    rest += text.slice(at, start.index) + ' '.repeat(end - start.index);
    at = end;
    const scheme = start[0].replace(/^jdbc:/i, '').split(':')[0].toLowerCase();
    if (body.startsWith('/') && !SLASH_SKIPPING_SCHEMES.has(scheme)) return;
    urls.push((start[0] + body).replace(/[.:]+$/, ''));
  });
  return { urls, rest: rest + text.slice(at) };
}

/**
 * The text with `{{ … }}` and `{% … %}` template expressions (Go, Jinja,
 * Handlebars) blanked out except for their quoted string literals: their
 * dotted words are variable paths (`{{ user.name }}`), their literals are text.
 */
export function withoutTemplateExpressions(text: string): string {
  const opener = /\{[{%]/g;
  const unclosed = new Set<string>();
  let out = '';
  let at = 0;
  for (let open = opener.exec(text); open; open = opener.exec(text)) {
    const close = open[0] === '{{' ? '}}' : '%}';
    const end = unclosed.has(close) ? -1 : text.indexOf(close, open.index + 2);
    if (end < 0) {
      unclosed.add(close);
      continue;
    }
    const body = text.slice(open.index + 2, end);
    const literals = body.match(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g) ?? [];
    out += text.slice(at, open.index) + ` ${literals.map((l) => l.slice(1, -1)).join(' ')} `.padEnd(end + 2 - open.index, ' ');
    at = end + 2;
    opener.lastIndex = at;
  }
  return out + text.slice(at);
}

/**
 * Top-level domains that are also common file extensions: a name of two
 * labels ending in one of them (`install.sh`, `README.md`, `app.py`) is a
 * file name; with a third label, a port or a path it is a host.
 */
export const FILE_EXTENSION_TLDS: ReadonlySet<string> = new Set([
  'sh', 'py', 'pl', 'pm', 'md', 'rs', 'cc', 'so', 'zip', 'mov', 'java', 'properties', 'tf', 'pid', 'ps', 'ml', 'ai', 'map',
]);

/** DNS names with a public suffix, with their `:port` and `/path`. */
function hostsIn(text: string): string[] {
  const hosts: string[] = [];
  if (!text.includes('.')) return hosts;
  for (const match of text.matchAll(HOST_TOKEN)) {
    const token = match[0].replace(/[.:]+$/, '');
    const host = token.split(/[:/]/)[0];
    if (/^[\d.]+$/.test(host) || /^0x/i.test(host)) continue;
    if (isFileName(token) || RESERVED_NAME.test(token)) continue;
    if (hasPublicSuffix(host)) hosts.push(token);
  }
  return hosts;
}

function isFileName(token: string): boolean {
  const labels = token.split('.');
  return labels.length === 2 && FILE_EXTENSION_TLDS.has(labels[1].toLowerCase());
}

/** True when the name ends in a suffix on the Public Suffix List. */
export function hasPublicSuffix(host: string): boolean {
  const parsed = parseDomain(host.toLowerCase(), { allowPrivateDomains: true });
  return !parsed.isIp && (parsed.isIcann === true || parsed.isPrivate === true);
}

/** IPv4 and IPv6 literals (see {@link targetsInText}). */
function addressesIn(text: string): string[] {
  const found: string[] = [];
  if (!/\d/.test(text)) return found;
  for (const match of text.matchAll(IPV4_TOKEN)) {
    if (isReportedIpv4(match[0])) found.push(match[0]);
  }
  if (!text.includes(':')) return found;
  for (const match of text.matchAll(IPV6_BRACKETED)) {
    if (isIPv6(match[1]) && !isUnspecifiedIpv6(match[1])) found.push(match[0]);
  }
  for (const match of text.matchAll(IPV6_BARE)) {
    const address = match[0];
    if ((address.includes('::') || address.split(':').length === 8) && isIPv6(address) && !isUnspecifiedIpv6(address)) found.push(`[${address}]`);
  }
  return found;
}

function isUnspecifiedIpv6(address: string): boolean {
  return /^[0:]+$/.test(address);
}

/** Whether an `inet_aton`-style token is reported as an address (see {@link targetsInText}). */
export function isReportedIpv4(token: string): boolean {
  const parts = token.split('.');
  const hex = parts.some((p) => /^0x/i.test(p));
  const octal = (p: string) => /^0[0-7]+$/.test(p);
  if (parts.some((p) => /^0\d*[89]/.test(p))) return false;
  if (parts.length === 1 && !hex && !octal(parts[0])) return false;
  if ((parts.length === 2 || parts.length === 3) && !hex) return false;
  const value = ipv4Value(parts);
  if (value === undefined) return false;
  const first = Math.floor(value / 2 ** 24);
  return first !== 0 && first < 240;
}

/** The 32-bit value `inet_aton` gives the parts, or undefined when out of range. */
function ipv4Value(parts: readonly string[]): number | undefined {
  const numbers = parts.map((p) => (/^0x/i.test(p) ? parseInt(p.slice(2) || '0', 16) : /^0\d/.test(p) ? parseInt(p, 8) : Number(p)));
  if (numbers.some((n) => !Number.isFinite(n))) return undefined;
  const leading = numbers.slice(0, -1);
  const last = numbers[numbers.length - 1];
  if (leading.some((n) => n > 255) || last >= 2 ** (8 * (5 - numbers.length))) return undefined;
  return leading.reduce((sum, n, i) => sum + n * 2 ** (8 * (3 - i)), 0) + last;
}

/**
 * Texts that base64 in the text decodes to, when they are printable UTF-8
 * (gzip inside is unpacked, as in cloud-init user data): a whole text of
 * base64 wrapped over lines, else each token of at least 16 characters.
 */
export function base64TextsIn(text: string): string[] {
  if (/\s/.test(text.trim()) && /^[A-Za-z0-9+/=_\s-]+$/.test(text)) {
    const whole = decodeBase64Text(text.replace(/\s+/g, ''));
    if (whole !== undefined) return [whole];
  }
  const texts: string[] = [];
  for (const match of text.matchAll(BASE64_TOKEN)) {
    const decoded = decodeBase64Text(match[0]);
    if (decoded !== undefined) texts.push(decoded);
  }
  return texts;
}

/** Largest text a gzip member in base64 is unpacked to. */
const MAX_GUNZIPPED = 1 << 20;

/** The printable UTF-8 text a base64 token encodes, or undefined. */
export function decodeBase64Text(token: string): string | undefined {
  const urlSafe = /[-_]/.test(token);
  if (urlSafe && /[+/]/.test(token)) return undefined;
  const bare = token.replace(/=+$/, '');
  if (bare.length % 4 === 1) return undefined;
  let bytes = Buffer.from(bare, urlSafe ? 'base64url' : 'base64');
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_GUNZIPPED });
    } catch {
      return undefined;
    }
  }
  if (bytes.some((b) => (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f)) return undefined;
  // As a fatal TextDecoder reads it (a leading byte order mark dropped), without an exception for every token that is not UTF-8.
  if (!isUtf8(bytes)) return undefined;
  const text = (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes).toString('utf8');
  // eslint-disable-next-line no-control-regex
  return text.length > 0 && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]/.test(text) ? text : undefined;
}

/** True when the whole text is a Kubernetes qualified name with a DNS prefix (`app.kubernetes.io/name`) or an API group. */
export function isKubernetesName(text: string): boolean {
  return QUALIFIED_NAME.test(text);
}
