/**
 * IPv4 and IPv6 address ranges (CIDR): parsing, containment and overlap, on
 * Node's BlockList so that every notation of an address is compared as the
 * address it is.
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
  if (isIPv6(address) && prefix <= 128) return { text, family: 'ipv6', address, prefix };
  return undefined;
}

/** True when the address (canonical IPv4 dotted decimal, or IPv6 without brackets) is in the range. */
export function rangeContains(range: AddressRange, address: string): boolean {
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
  if (!family) return false;
  const list = new BlockList();
  list.addSubnet(range.address, range.prefix, range.family);
  return list.check(address, family);
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
