/**
 * Checks of `spec.locations` declarations: a declaration may say where a host
 * outside the catalogue is, or which region a host that hides it is in; it may
 * never widen or contradict the catalogue.
 */
import { parse } from 'tldts';
import { AddressRange, parseRange, rangesOverlap } from './address-ranges';
import { PROVIDERS } from './providers';
import { SERVICES } from './services';
import { Country } from './countries';
import { HostRule, ProviderFacts, RegionFacts } from './provider-facts';
import { templateRegExp } from './catalogue';
import type { LocationDeclaration } from './resolver';

/** Narrowest prefixes a declared or egress range may have: wider ones claim a large part of the internet. */
export const MIN_PREFIX = { ipv4: 16, ipv6: 32 } as const;

/** What a declaration covers. */
export type DeclarationPattern =
  | { readonly type: 'host'; readonly host: string }
  | { readonly type: 'suffix'; readonly suffix: string }
  | { readonly type: 'range'; readonly range: AddressRange };

/** Reads a declaration key: `host`, `*.domain` or an address range. */
export function readPattern(pattern: string): DeclarationPattern | { readonly problem: string } {
  if (pattern.includes('/')) {
    const range = parseRange(pattern);
    if (!range) return { problem: `${pattern} is not an address range (CIDR such as 192.0.2.0/24 or 2001:db8::/48)` };
    if (range.prefix < MIN_PREFIX[range.family]) {
      return {
        problem: `${pattern} is wider than /${MIN_PREFIX[range.family]}: a declared range claims where every address in it is, and this one covers too much of the internet to be one place`,
      };
    }
    return { type: 'range', range };
  }
  const wildcard = pattern.startsWith('*.');
  const name = wildcard ? pattern.slice(2) : pattern;
  // A wildcard must stay inside one registrant's domain, private suffixes included (*.s3.amazonaws.com is
  // every bucket's owner); an exact host names one host, so only ICANN suffixes (com, co.uk) are refused.
  const parsed = parse(name, { allowPrivateDomains: wildcard });
  if (parsed.isIp) return { problem: `${pattern} is an address: declare it as a range (${name}/32)` };
  if (!name.includes('.') || parsed.domain === null) {
    const suffix = parsed.publicSuffix ?? name;
    return {
      problem: `${pattern} is not at least a registrable domain: ${name} is ${name === suffix ? 'a public suffix' : `under the public suffix ${suffix}`} shared by unrelated owners`,
    };
  }
  return wildcard ? { type: 'suffix', suffix: name } : { type: 'host', host: name };
}

/**
 * Every way a declaration widens or contradicts the catalogue.
 * @returns one sentence per problem; empty when the declaration is lawful
 */
export function declarationProblems(declaration: LocationDeclaration): string[] {
  const pattern = readPattern(declaration.pattern);
  if ('problem' in pattern) return [pattern.problem];
  const declared = { countries: [...new Set(declaration.countries)].sort(), operator: declaration.operator, parent: declaration.parent ?? declaration.operator };
  if (pattern.type === 'range') return rangeProblems(pattern.range, declared);
  const problems: string[] = [];
  for (const service of SERVICES) {
    const covered = service.hosts.some((host) => namesOverlap(pattern, host));
    if (!covered) continue;
    if (!agrees(declared, service)) {
      problems.push(`${declaration.pattern} covers ${service.name} (${service.hosts.join(', ')}), catalogued as ${describe(service)}`);
    }
  }
  for (const provider of PROVIDERS as readonly ProviderFacts[]) {
    problems.push(...providerProblems(declaration.pattern, pattern, declared, provider));
  }
  return problems;
}

/** Where data is and whose law governs its operator: what declarations and catalogue entries are compared by. */
export interface Place {
  readonly countries: readonly Country[];
  readonly operator: Country;
  readonly parent: Country;
}

function agrees(declared: Place, catalogued: Place): boolean {
  const countries = [...new Set(catalogued.countries)].sort();
  return countries.length > 0 && countries.join() === declared.countries.join()
    && declared.operator === catalogued.operator && declared.parent === catalogued.parent;
}

function describe(place: Place): string {
  return `data in ${place.countries.join(', ') || 'an unconfirmed place'}, operator ${place.operator}${place.parent !== place.operator ? `, parent ${place.parent}` : ''}`;
}

function regionPlace(provider: ProviderFacts, region: RegionFacts): Place {
  return { countries: region.countries, operator: region.operator ?? provider.operator, parent: region.parent ?? provider.parent };
}

/** True when some host matches both the declaration and a catalogue host pattern (`host` or `*.suffix`). */
function namesOverlap(pattern: DeclarationPattern, catalogued: string): boolean {
  const wildcard = catalogued.startsWith('*.');
  const name = wildcard ? catalogued.slice(2) : catalogued;
  if (pattern.type === 'host') return pattern.host === name ? !wildcard : wildcard && pattern.host.endsWith(`.${name}`);
  if (pattern.type !== 'suffix') return false;
  if (!wildcard) return name.endsWith(`.${pattern.suffix}`);
  return name === pattern.suffix || name.endsWith(`.${pattern.suffix}`) || pattern.suffix.endsWith(`.${name}`);
}

function providerProblems(text: string, pattern: DeclarationPattern, declared: Place, provider: ProviderFacts): string[] {
  const problems: string[] = [];
  const regions = Object.entries(provider.regions) as [string, RegionFacts][];
  const disagreeing = new Set<string>();
  const services = new Set<string>();
  for (const rule of provider.hosts) {
    const covered = coveredRegions(pattern, rule, provider);
    if (covered === 'none') continue;
    if (rule.hidesRegion) {
      // The host does not say which region: the declaration may name one, and must name it exactly.
      if (!regions.some(([, region]) => agrees(declared, regionPlace(provider, region)))) {
        problems.push(`${text} covers ${provider.name} ${rule.service}, whose regions are ${list(regions.map(([code, r]) => `${code} (${describe(regionPlace(provider, r))})`))}; the declaration must match one of them`);
      }
      continue;
    }
    const codes = covered === 'all' ? (rule.region ? [rule.region] : rule.anyOf ? [...rule.anyOf] : regions.map(([code]) => code)) : covered;
    for (const code of codes) {
      const region = provider.regions[code];
      if (region && agrees(declared, regionPlace(provider, region))) continue;
      disagreeing.add(code);
      services.add(rule.service);
    }
  }
  if (disagreeing.size > 0) {
    const shown = [...disagreeing].map((code) => `${code} (${provider.regions[code] ? describe(regionPlace(provider, provider.regions[code])) : 'not catalogued'})`);
    problems.push(`${text} covers ${provider.name} hosts (${[...services].join(', ')}) that the catalogue places differently, in ${list(shown)}`);
  }
  // Hosts under the provider's domains that no template reads: the declaration must name a region's place exactly.
  const underDomain = provider.domains.some((domain) => namesOverlap(pattern, `*.${domain}`) || (pattern.type === 'host' && pattern.host === domain));
  if (underDomain && problems.length === 0 && disagreeing.size === 0 && !regions.some(([, region]) => agrees(declared, regionPlace(provider, region)))) {
    problems.push(`${text} is under ${provider.name}'s domains (${provider.domains.join(', ')}), whose regions are operated from ${provider.operator} (parent ${provider.parent}) in ${[...new Set(regions.flatMap(([, r]) => r.countries))].sort().join(', ')}; the declaration matches none of its regions`);
  }
  return problems;
}

/** "a, b, c and 4 more". */
function list(items: readonly string[], max = 4): string {
  return items.length <= max ? items.join('; ') : `${items.slice(0, max).join('; ')} and ${items.length - max} more`;
}

/**
 * The regions of a template whose hosts the declaration also matches: 'none',
 * 'all' (the declaration does not pin the region label), or the region codes.
 */
function coveredRegions(pattern: DeclarationPattern, rule: HostRule, provider: ProviderFacts): 'none' | 'all' | string[] {
  if (pattern.type === 'range') return 'none';
  if (pattern.type === 'host') {
    const match = templateRegExp(rule).exec(pattern.host);
    if (!match) return 'none';
    const region = match.groups?.region;
    if (region === undefined) return 'all';
    return region in provider.regions ? [region] : 'none';
  }
  // `*.suffix`: align the suffix's labels with the template's, right to left.
  const suffix = pattern.suffix.split('.');
  const labels = rule.labels;
  let pinned: string | undefined;
  for (let i = 1; i <= suffix.length; i++) {
    const label = suffix[suffix.length - i];
    const index = labels.length - i;
    if (index < 0) return 'none';
    const spec = labels[index];
    if (index === 0 && (spec === '{names}' || spec === '{names}?')) return pinned ? [pinned] : 'all';
    if (spec === '{name}') continue;
    if (spec.includes('{region}')) {
      const [before, after] = spec.split('{region}');
      if (!label.startsWith(before) || !label.endsWith(after) || label.length <= before.length + after.length) return 'none';
      const region = label.slice(before.length, label.length - after.length);
      if (!(region in provider.regions)) return 'none';
      pinned = region;
      continue;
    }
    if (spec !== label) return 'none';
  }
  // The wildcard needs at least one more label, which the template must have.
  const remaining = labels.length - suffix.length;
  if (remaining < 1) return 'none';
  // The remaining labels may still pin the region: then every region is reachable.
  return pinned ? [pinned] : 'all';
}

function rangeProblems(range: AddressRange, declared: Place): string[] {
  return publishedRangesElsewhere(range, declared).map((known) =>
    `${range.text} overlaps ${known.range}, published by ${known.provider.name} for ${known.region} (${known.place ? describe(known.place) : 'not catalogued'})`);
}

/** A provider's published range for one of its regions. */
export interface PublishedRange {
  readonly provider: ProviderFacts;
  readonly region: string;
  readonly range: string;
  /** Where the region is; undefined when the region is not catalogued. */
  readonly place?: Place;
}

/**
 * The published ranges that overlap `range` and belong to a region that is
 * not `place` (every overlapping one when `place` is undefined): a range
 * claimed for one place that the catalogue knows is elsewhere.
 */
export function publishedRangesElsewhere(range: AddressRange, place?: Place): PublishedRange[] {
  const found: PublishedRange[] = [];
  for (const provider of PROVIDERS as readonly ProviderFacts[]) {
    for (const [code, published] of Object.entries(provider.ranges ?? {}) as [string, readonly string[]][]) {
      const region = provider.regions[code];
      const regionAt = region ? regionPlace(provider, region) : undefined;
      if (place && regionAt && agrees(place, regionAt)) continue;
      for (const text of published) {
        const known = parseRange(text);
        if (known && rangesOverlap(known, range)) found.push({ provider, region: code, range: text, place: regionAt });
      }
    }
  }
  return found;
}

/**
 * Why a domain cannot be the cluster's own (`spec.domain`): hosts under it
 * resolve to the cluster, so it must be a registrable domain (or below) and
 * must not reach into a catalogued provider's or service's names.
 * @returns one sentence per problem; empty when lawful
 */
export function ownDomainProblems(domain: string): string[] {
  const pattern = readPattern(`*.${domain}`);
  if ('problem' in pattern) return [pattern.problem.replace(`*.${domain}`, domain)];
  const problems: string[] = [];
  const exact: DeclarationPattern = { type: 'host', host: domain };
  for (const service of SERVICES) {
    if (service.hosts.some((host) => namesOverlap(pattern, host) || namesOverlap(exact, host))) {
      problems.push(`${domain} reaches into the names of ${service.name} (${service.hosts.join(', ')}), which the catalogue places elsewhere`);
    }
  }
  for (const provider of PROVIDERS as readonly ProviderFacts[]) {
    if (provider.domains.some((d) => d === domain || namesOverlap(pattern, `*.${d}`) || domain.endsWith(`.${d}`))) {
      problems.push(`${domain} reaches into ${provider.name}'s domains (${provider.domains.join(', ')}), which the catalogue places`);
    }
  }
  return problems;
}

/** Address space that is never routed on the internet: where pod and Service networks live. */
const PRIVATE_RANGES: readonly AddressRange[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7']
  .map((text) => parseRange(text) as AddressRange);

/**
 * Why a range cannot be the cluster's pod or Service network (addresses in it
 * count as the cluster): it must lie in private address space (RFC 1918,
 * shared address space RFC 6598, unique local IPv6), so that it never shadows
 * a host on the internet.
 * @returns the problem, or undefined when lawful
 */
export function clusterRangeProblem(text: string): string | undefined {
  const range = parseRange(text);
  if (!range) return `${text} is not an address range (CIDR such as 10.42.0.0/16)`;
  const inside = PRIVATE_RANGES.some((space) => space.family === range.family && space.prefix <= range.prefix && rangesOverlap(space, range));
  if (!inside) {
    return `${text} is not private address space (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, fc00::/7): as a cluster range it would place internet hosts in the cluster`;
  }
  return undefined;
}
