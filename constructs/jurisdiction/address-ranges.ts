/**
 * IPv4 and IPv6 address ranges (CIDR): parsing, containment and overlap, on
 * Node's BlockList so that every notation of an address is compared as the
 * address it is. An IPv4-mapped IPv6 address or range (`::ffff:192.0.2.0/120`)
 * is the IPv4 address or range it stands for, and no other IPv6 range holds
 * an IPv4 address (BlockList alone would place every IPv4 address in `::/64`).
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** A parsed range. */
export interface AddressRange {
  /** As written, e.g. `192.0.2.0/24`. */
  readonly text: string;
  readonly family: 'ipv4' | 'ipv6';
  readonly address: string;
  readonly prefix: number;
}

/** Parses `address/prefix`; undefined when it is not a range. */
export function parseRange(text: string): AddressRange | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (isIPv4(address) && prefix <= 32) return { text, family: 'ipv4', address, prefix };
  if (!isIPv6(address) || prefix > 128) return undefined;
  const mapped = mappedIPv4(address);
  return mapped !== undefined && prefix >= 96 ? { text, family: 'ipv4', address: mapped, prefix: prefix - 96 } : { text, family: 'ipv6', address, prefix };
}

/** True when the address (canonical IPv4 dotted decimal, or IPv6 without brackets) is in the range. */
export function rangeContains(range: AddressRange, address: string): boolean {
  const canonical = mappedIPv4(address) ?? address;
  const family = isIPv4(canonical) ? 'ipv4' : isIPv6(canonical) ? 'ipv6' : undefined;
  if (family !== range.family) return false;
  const list = new BlockList();
  list.addSubnet(range.address, range.prefix, range.family);
  return list.check(canonical, family);
}

const MAPPED_SPACE = new BlockList();
MAPPED_SPACE.addSubnet('::ffff:0:0', 96, 'ipv6');

/** The IPv4 address an IPv4-mapped IPv6 address (`::ffff:192.0.2.7`, `::ffff:c000:207`) stands for; undefined for any other. */
export function mappedIPv4(address: string): string | undefined {
  if (!isIPv6(address) || !MAPPED_SPACE.check(address, 'ipv6')) return undefined;
  const words = ipv6Words(address);
  const [high, low] = [words[6], words[7]];
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The eight 16-bit words of a valid IPv6 address (`::` expanded, a trailing dotted quad as two words). */
function ipv6Words(address: string): number[] {
  let text = address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const words = (part: string | undefined) => (part ? part.split(':').map((w) => parseInt(w, 16)) : []);
  const [h, t] = [words(head), words(tail)];
  return [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
}

/** True when two ranges share at least one address. */
export function rangesOverlap(a: AddressRange, b: AddressRange): boolean {
  if (a.family !== b.family) return false;
  // Two prefixes overlap exactly when the shorter one contains the other's first address.
  const [wide, narrow] = a.prefix <= b.prefix ? [a, b] : [b, a];
  return rangeContains(wide, narrow.address);
}

/** Loopback and unspecified addresses: traffic to them never leaves the node. */
const LOCAL_ONLY = ['127.0.0.0/8', '0.0.0.0/32', '::1/128', '::/128', '::ffff:127.0.0.0/104'].map((r) => parseRange(r) as AddressRange);

/** True for loopback (127.0.0.0/8, ::1) and unspecified (0.0.0.0, ::) addresses. */
export function isNodeLocal(address: string): boolean {
  return LOCAL_ONLY.some((range) => rangeContains(range, address));
}
