/**
 * The one endpoint parser: every URL or `host[:port][/path]` the proof judges
 * goes through {@link parseEndpoint}, and spec fields are written back in its
 * canonical form, so the host we judge is the host that is deployed.
 *
 * Consumers parse URLs differently (WHATWG `URL` in Node, Go's `net/url`,
 * Python's `urlsplit`, PHP's `parse_url`, libc's `inet_aton`). Input on which
 * they may disagree about the host is refused rather than guessed:
 *
 * - whitespace and control characters (WHATWG silently drops tabs and new lines);
 * - backslashes (WHATWG reads `\` as `/` in http(s) URLs, the others do not);
 * - `@` anywhere but once in the authority of a URL with a scheme (`https://evil#@good`,
 *   `https://a@b@c` and `user@host` without a scheme split differently); a single userinfo is
 *   allowed, and every parser reads the host after it;
 * - `%` in the authority (WHATWG decodes `%65vil.com`, the others keep it);
 * - `scheme:///host` (WHATWG skips the extra slashes, Go and Python read an empty host);
 * - IPv4 in any notation but dotted decimal (`0x7f.1`, `2130706433`, `017700000001`:
 *   WHATWG and `inet_aton` read 127.0.0.1, Go reads a DNS name);
 * - non-ASCII hosts that are not valid IDNA, or whose IDNA mapping changes them
 *   (WHATWG maps full-width `ｅvil.com` to `evil.com`, Go sends the raw bytes);
 * - a port that is not 1–65535 in decimal.
 */
import { domainToASCII, domainToUnicode } from 'node:url';

/** What kind of host an endpoint names. */
export type HostKind = 'dns' | 'ipv4' | 'ipv6';

/** An endpoint every consumer reads the same way. */
export interface Endpoint {
  /** Lower-case scheme without `://`; undefined for `host[:port][/path]`. */
  readonly scheme?: string;
  /** Lower-case host: ASCII (IDNA A-labels), no trailing dot; IPv6 without brackets. */
  readonly host: string;
  readonly hostKind: HostKind;
  /** Explicit port. @default - none */
  readonly port?: number;
  /** Path, query and fragment as written (`/loki/api/v1/push`), or ''. */
  readonly rest: string;
  /** True when the URL carries a user (and maybe a password) before its host; the canonical form drops it. */
  readonly hasUserinfo: boolean;
  /** The form written wherever the endpoint is used. */
  readonly canonical: string;
}

/** Parsed, or refused with a reason and a fix. */
export type EndpointResult =
  | { readonly ok: true; readonly endpoint: Endpoint }
  | { readonly ok: false; readonly reason: string; readonly hint: string };

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
/** RFC 3986 userinfo: unreserved, percent-encoded and sub-delimiter characters, and `:`. */
const USERINFO = /^[A-Za-z0-9._~!$&'()*+,;=:%-]*$/;
const DNS_LABELS = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/;
const DOTTED_DECIMAL = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function refuse(value: string, why: string, hint = 'write the endpoint as scheme://host[:port]/path with a plain lower-case host'): EndpointResult {
  return { ok: false, reason: `"${printable(value)}" ${why}`, hint };
}

/** The value with control characters made visible, for messages. */
export function printable(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Parses `scheme://host[:port][/path][?query][#fragment]` or
 * `host[:port][/path]`, refusing any form on which URL parsers disagree about
 * the host.
 *
 * @example
 * parseEndpoint('HTTPS://Fsn1.Your-ObjectStorage.com./bucket');
 * // { ok: true, endpoint: { scheme: 'https', host: 'fsn1.your-objectstorage.com', canonical: 'https://fsn1.your-objectstorage.com/bucket', … } }
 * parseEndpoint('https://good.example@evil.example'); // { ok: false, … userinfo … }
 */
export function parseEndpoint(input: string): EndpointResult {
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(input)) {
    return refuse(input, 'contains whitespace or control characters, which some URL parsers drop and others keep');
  }
  if (input.includes('\\')) return refuse(input, 'contains a backslash, which WHATWG URL reads as "/" and other parsers do not');
  const schemeMatch = SCHEME.exec(input);
  const scheme = schemeMatch?.[1].toLowerCase();
  const afterScheme = schemeMatch ? input.slice(schemeMatch[0].length) : input;
  if (!schemeMatch && /^[a-z][a-z0-9+.-]*:(?!\d)/i.test(input)) {
    return refuse(input, 'has a scheme without "//", which parsers read as an opaque path or as a host differently');
  }
  if (afterScheme.startsWith('/')) return refuse(input, 'has more than two slashes after the scheme, which parsers read as different hosts');
  const end = afterScheme.search(/[/?#]/);
  const fullAuthority = end < 0 ? afterScheme : afterScheme.slice(0, end);
  const rest = end < 0 ? '' : afterScheme.slice(end);
  // One `@` inside the authority of a URL, after a plain userinfo, is read the same by every parser: the host
  // follows it. Any other `@` (two of them, one after `#` or `?`, one without a scheme) is read differently.
  const at = fullAuthority.indexOf('@');
  if (input.includes('@') && (!scheme || at < 0 || fullAuthority.indexOf('@', at + 1) >= 0 || rest.includes('@')
    || !USERINFO.test(fullAuthority.slice(0, at)))) {
    return refuse(input, 'contains "@" where URL parsers disagree about the host (more than one, outside the authority, or without a scheme)',
      'remove the user part; credentials belong in a Kubernetes Secret, not in the URL');
  }
  const authority = at < 0 ? fullAuthority : fullAuthority.slice(at + 1);
  if (authority.length === 0) return refuse(input, 'has no host');
  if (authority.includes('%')) return refuse(input, 'has a percent-encoded host, which some parsers decode and others do not');

  let rawHost: string;
  let portText: string | undefined;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) return refuse(input, 'has an unclosed "[" in its host');
    rawHost = authority.slice(0, close + 1);
    const tail = authority.slice(close + 1);
    if (tail !== '' && !/^:\d+$/.test(tail)) return refuse(input, `has "${tail}" after its IPv6 address`);
    portText = tail ? tail.slice(1) : undefined;
  } else {
    const parts = authority.split(':');
    if (parts.length > 2) return refuse(input, 'has more than one ":" in its authority (an IPv6 address must be in brackets)');
    [rawHost, portText] = parts;
    if (portText !== undefined && !/^\d+$/.test(portText)) return refuse(input, `has a port "${portText}" that is not a decimal number`);
  }
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && (port < 1 || port > 65535 || portText === '' || /^0\d/.test(portText ?? ''))) {
    return refuse(input, `has port ${portText}, outside 1-65535`);
  }

  const host = canonicalHost(rawHost);
  if ('reason' in host) return refuse(input, host.reason, host.hint);
  const hostText = host.kind === 'ipv6' ? `[${host.host}]` : host.host;
  const authorityText = `${hostText}${port === undefined ? '' : `:${port}`}`;
  const canonical = scheme ? `${scheme}://${authorityText}${rest}` : `${authorityText}${rest}`;
  return { ok: true, endpoint: { scheme, host: host.host, hostKind: host.kind, port, rest, canonical, hasUserinfo: at >= 0 } };
}

type HostResult = { readonly host: string; readonly kind: HostKind } | { readonly reason: string; readonly hint: string };

/** The canonical form of a host as written in an authority, or why it is refused. */
export function canonicalHost(raw: string): HostResult {
  if (raw.startsWith('[')) {
    if (!raw.endsWith(']')) return { reason: 'has a malformed IPv6 address', hint: 'write IPv6 addresses as [2001:db8::1]' };
    const whatwg = whatwgHost(raw);
    if (!whatwg || !whatwg.startsWith('[')) return { reason: `has "${raw}", which is not an IPv6 address`, hint: 'write IPv6 addresses as [2001:db8::1]' };
    return { host: whatwg.slice(1, -1), kind: 'ipv6' };
  }
  const withoutDot = raw.endsWith('.') ? raw.slice(0, -1) : raw;
  if (withoutDot.length === 0 || withoutDot.includes('..') || withoutDot.startsWith('.')) {
    return { reason: 'has an empty label in its host', hint: 'remove the extra dots' };
  }
  let ascii = withoutDot.toLowerCase();
  if (/[^\x00-\x7f]/.test(withoutDot)) {
    const mapped = domainToASCII(withoutDot);
    if (!mapped || domainToUnicode(mapped) !== withoutDot.toLowerCase()) {
      return {
        reason: 'has a non-ASCII host that is not a valid IDNA name in its normal form, which parsers map to different hosts',
        hint: mapped ? `write the host as "${mapped}"` : 'write the host in ASCII (IDNA A-labels, xn--…)',
      };
    }
    ascii = mapped;
  }
  if (DOTTED_DECIMAL.test(ascii)) return { host: ascii, kind: 'ipv4' };
  if (!DNS_LABELS.test(ascii) || ascii.split('.').some((label) => label.length > 63) || ascii.length > 253) {
    return { reason: `has "${raw}", which is not a DNS name`, hint: 'use letters, digits, dashes and dots only' };
  }
  const whatwg = whatwgHost(ascii);
  if (whatwg !== ascii) {
    // WHATWG reads numeric forms (0x7f.1, 2130706433, 1.2.3) as IPv4; Go and Python send them to DNS.
    return {
      reason: whatwg ? `has a host that WHATWG URL reads as ${whatwg} and other parsers as a DNS name` : `has "${raw}", which WHATWG URL refuses as a host`,
      hint: 'write IPv4 addresses in dotted decimal (192.0.2.10), or use a DNS name',
    };
  }
  return { host: ascii, kind: 'dns' };
}

function whatwgHost(host: string): string | undefined {
  try {
    return new URL(`http://${host}/`).hostname;
  } catch {
    return undefined;
  }
}

/** The canonical form of a URL or host, or the input unchanged when it is refused. */
export function canonicalEndpoint(input: string): string {
  const parsed = parseEndpoint(input);
  return parsed.ok ? parsed.endpoint.canonical : input;
}
