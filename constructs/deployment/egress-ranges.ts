/**
 * Egress address ranges stay narrow: each belongs to one external host, so a
 * range that opens the whole internet, or most of it, is refused.
 */
import { z } from 'zod';
import { MIN_PREFIX } from '../jurisdiction/declarations';

/** The widest prefix an egress range may have per address family: the same bound as a declared range's. */
export const MIN_EGRESS_PREFIX = MIN_PREFIX;

/** An address range read from CIDR notation. */
interface Range {
  readonly family: 4 | 6;
  /** 4 octets or 8 groups of 16 bits. */
  readonly parts: readonly number[];
  readonly prefix: number;
}

/** IPv6 prefixes that carry the whole IPv4 internet in their last 32 bits: IPv4-mapped and NAT64 (RFC 6052). */
const IPV4_IN_IPV6: readonly { readonly name: string; readonly groups: readonly number[] }[] = [
  { name: 'IPv4-mapped ::ffff:0:0/96', groups: [0, 0, 0, 0, 0, 0xffff] },
  { name: 'NAT64 64:ff9b::/96', groups: [0x64, 0xff9b, 0, 0, 0, 0] },
];

/**
 * Reads `a.b.c.d/n` or an IPv6 range; undefined when it is not CIDR (the
 * address-range schema reports that).
 */
export function readRange(value: string): Range | undefined {
  const [address, prefixText, extra] = value.split('/');
  if (extra !== undefined || !prefixText || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const v4 = readIpv4(address);
  if (v4) return prefix <= 32 ? { family: 4, parts: v4, prefix } : undefined;
  const v6 = readIpv6(address);
  return v6 && prefix <= 128 ? { family: 6, parts: v6, prefix } : undefined;
}

function readIpv4(address: string): number[] | undefined {
  const octets = address.split('.');
  if (octets.length !== 4 || !octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255)) return undefined;
  return octets.map(Number);
}

function readIpv6(address: string): number[] | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (text: string): number[] | undefined => {
    if (text === '') return [];
    const parts = text.split(':');
    const last = parts[parts.length - 1];
    const v4 = last.includes('.') ? readIpv4(last) : undefined;
    if (last.includes('.') && !v4) return undefined;
    const hex = v4 ? parts.slice(0, -1) : parts;
    if (!hex.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
    const groups = hex.map((g) => parseInt(g, 16));
    return v4 ? [...groups, (v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]] : groups;
  };
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...new Array<number>(missing).fill(0), ...tail] : undefined;
}

/** True when the first `bits` bits of two IPv6 addresses (as groups) agree. */
function samePrefix(a: readonly number[], b: readonly number[], bits: number): boolean {
  for (let index = 0; index * 16 < bits; index += 1) {
    const take = Math.min(16, bits - index * 16);
    const mask = (0xffff << (16 - take)) & 0xffff;
    if (((a[index] ?? 0) & mask) !== ((b[index] ?? 0) & mask)) return false;
  }
  return true;
}

/** Why a range is too wide for one host's egress, or undefined when it is narrow enough. */
export function wideRangeProblem(range: Range): string | undefined {
  const min = range.family === 4 ? MIN_EGRESS_PREFIX.ipv4 : MIN_EGRESS_PREFIX.ipv6;
  if (range.prefix === 0) return 'opens the whole internet';
  if (range.prefix < min) return `a /${range.prefix} range (${addresses(range.family, range.prefix)} addresses) opens most of the internet`;
  if (range.family === 6) {
    for (const embedded of IPV4_IN_IPV6) {
      if (!samePrefix(range.parts, embedded.groups, Math.min(range.prefix, 96))) continue;
      if (range.prefix <= 96) return `it contains the ${embedded.name} prefix, which holds every IPv4 address`;
      if (range.prefix - 96 < MIN_EGRESS_PREFIX.ipv4) {
        return `inside the ${embedded.name} prefix it is the IPv4 range /${range.prefix - 96} (${addresses(4, range.prefix - 96)} addresses), which opens most of the internet`;
      }
    }
  }
  return undefined;
}

function addresses(family: 4 | 6, prefix: number): string {
  const count = 2n ** BigInt((family === 4 ? 32 : 128) - prefix);
  return count < 10n ** 12n ? count.toLocaleString('en-US') : `2^${(family === 4 ? 32 : 128) - prefix}`;
}

/**
 * Refuses egress ranges wider than IPv4 /16 or IPv6 /32 (and IPv6 ranges that
 * carry most of the IPv4 internet), per host and index.
 */
export function refuseWideEgress(cidrs: Record<string, readonly string[]>, ctx: z.RefinementCtx): void {
  for (const [host, ranges] of Object.entries(cidrs)) {
    ranges.forEach((value, index) => {
      const range = typeof value === 'string' ? readRange(value) : undefined;
      const problem = range && wideRangeProblem(range);
      if (!range || !problem) return;
      ctx.addIssue({
        code: 'custom', path: [host, index],
        message: `too wide for egress: ${problem}; egress ranges are per host, and a range this wide opens far more than ${host}`,
        params: {
          allowed: `the addresses of ${host} only: IPv4 ranges of /${MIN_EGRESS_PREFIX.ipv4} or narrower, IPv6 of /${MIN_EGRESS_PREFIX.ipv6} or narrower, e.g. 192.0.2.10/32 or 2001:db8:1::/48`,
          fix: `list the addresses ${host} resolves to (dig +short ${range.family === 4 ? 'A' : 'AAAA'} ${host}), each as /${range.family === 4 ? 32 : 128}, or its provider's published range`,
        },
      });
    });
  }
}
