/**
 * Resolves what a placement points at — a URL, host, image reference or
 * `provider/region` — to a location, from the catalogue or the spec's
 * declarations. Anything that resolves to nothing is unproven.
 */
import { Country } from './countries';
import { hostMatches, matchHost, providerOwningDomain, resolveRegionId, suggestRegionId } from './catalogue';
import { Location, Resolution, resolved, unproven } from './location';

/** A spec declaration: where a host outside the catalogue is, and who runs it. */
export interface LocationDeclaration {
  /** Exact host, or `*.suffix` for every subdomain. */
  readonly pattern: string;
  readonly countries: readonly Country[];
  readonly operator: Country;
  /** @default - the operator's country */
  readonly parent?: Country;
}

/** Inputs of a resolver. */
export interface LocationResolverOptions {
  /** Hosts outside the catalogue, from `spec.locations`. @default - none */
  readonly declarations?: readonly LocationDeclaration[];
  /** Location of the cluster; in-cluster names and `ownDomains` resolve to it. @default - unproven */
  readonly cluster?: Resolution;
  /** DNS domains served by the cluster's ingress (e.g. `spec.domain`). @default - none */
  readonly ownDomains?: readonly string[];
}

/** Matches a reference to another resource or variable, which is known only at apply time. */
const TOKEN = /\$\{|\{\{|#\{/;
/** Names that never leave the cluster: services, pods, loopback. */
const IN_CLUSTER = /(^|\.)(svc|svc\.cluster\.local|cluster\.local)$|^localhost$|^127\.|^\[?::1\]?$/;

/**
 * Turns targets into locations.
 *
 * @example
 * const resolver = new LocationResolver({ declarations: [{ pattern: '*.agency.example', countries: ['DE'], operator: 'DE' }] });
 * resolver.resolve('https://fsn1.your-objectstorage.com'); // Hetzner fsn1, DE
 */
export class LocationResolver {
  private readonly declarations: readonly LocationDeclaration[];
  private readonly cluster: Resolution;
  private readonly ownDomains: readonly string[];

  constructor(options: LocationResolverOptions = {}) {
    // The most specific declaration wins: exact hosts first, then longer suffixes.
    this.declarations = [...(options.declarations ?? [])].sort(
      (a, b) => Number(a.pattern.startsWith('*.')) - Number(b.pattern.startsWith('*.')) || b.pattern.length - a.pattern.length,
    );
    this.cluster = options.cluster ?? unproven('the cluster location is not known', 'set spec.cluster.location');
    this.ownDomains = (options.ownDomains ?? []).map((d) => d.toLowerCase());
  }

  /**
   * Resolves a URL (`https://…`, `s3://…`, `oci://…`, `smtp://…`), a bare host
   * (`host[:port][/path]`), or a `provider/region` id.
   */
  public resolve(target: string): Resolution {
    if (TOKEN.test(target)) return computed(target);
    const region = resolveRegionId(target);
    if (region) return region;
    const host = hostOf(target);
    if (!host) {
      return unproven(`"${target}" is neither a URL, a host name nor a catalogued provider/region`, regionHint(target));
    }
    return this.resolveHost(host);
  }

  /** Resolves a container image reference to its registry's location. */
  public resolveImage(image: string): Resolution {
    if (TOKEN.test(image)) return computed(image);
    return this.resolveHost(registryOf(image));
  }

  /** Resolves a host name (without scheme or port). */
  public resolveHost(rawHost: string): Resolution {
    const host = rawHost.toLowerCase().replace(/\.$/, '');
    if (TOKEN.test(host)) return computed(host);
    if (IN_CLUSTER.test(host) || !host.includes('.')) return this.inCluster(`in-cluster name ${host}`);
    if (this.ownDomains.some((d) => host === d || host.endsWith(`.${d}`))) {
      return this.inCluster(`${host} is served by the cluster's ingress`);
    }
    const match = matchHost(host);
    if (match?.type === 'service') return resolved(match.location);
    if (match && match.resolution.status === 'resolved') return match.resolution;
    const declared = this.declarations.find((d) => hostMatches(d.pattern, host));
    if (declared) return resolved(declarationLocation(declared));
    if (match) return match.resolution;
    return unproven(
      `${host} is not in the catalogue and no spec.locations entry matches it`,
      `declare it: spec.locations: { "${host}": { country: <code>, operator: <code> } }, or use a catalogued endpoint`,
    );
  }

  private inCluster(why: string): Resolution {
    if (this.cluster.status !== 'resolved') return this.cluster;
    return resolved({ ...this.cluster.location, evidence: `${why}; ${this.cluster.location.evidence}`, proof: 'cluster' });
  }
}

/** The location a declaration states. */
export function declarationLocation(declaration: LocationDeclaration): Location {
  return {
    countries: [...new Set(declaration.countries)].sort(),
    operator: declaration.operator,
    parent: declaration.parent ?? declaration.operator,
    label: `declared ${declaration.pattern}`,
    proof: 'declaration',
    evidence: `spec.locations["${declaration.pattern}"]`,
  };
}

/**
 * Checks a declaration against the catalogue. A declaration may fill in what a
 * catalogued host hides (e.g. which Azure region an account is in) but may not
 * contradict it.
 * @returns one sentence per contradiction; empty when consistent.
 */
export function contradictions(declaration: LocationDeclaration): string[] {
  const problems: string[] = [];
  const probe = declaration.pattern.replace(/^\*\./, '');
  const match = matchHost(probe);
  if (match?.type === 'service') {
    return [`${declaration.pattern} is catalogued as ${match.service.name} (${describe(match.location)}); remove the declaration`];
  }
  if (match?.type === 'provider' && match.resolution.status === 'resolved') {
    return [`${declaration.pattern} is catalogued as ${describe(match.resolution.location)}; remove the declaration`];
  }
  const provider = match?.type === 'provider' ? match.provider : providerOwningDomain(declaration.pattern);
  if (!provider) return problems;
  const parent = declaration.parent ?? declaration.operator;
  if (declaration.operator !== provider.operator || parent !== provider.parent) {
    problems.push(
      `${declaration.pattern} belongs to ${provider.name}, operated from ${provider.operator} (parent ${provider.parent}), not ${declaration.operator} (parent ${parent})`,
    );
  }
  const known = new Set(Object.values(provider.regions).flatMap((r) => r.countries));
  const foreign = declaration.countries.filter((c) => !known.has(c));
  if (foreign.length > 0) {
    problems.push(`${provider.name} has no catalogued region in ${foreign.join(', ')}`);
  }
  return problems;
}

/** The host of a URL or `host[:port][/path]`, lower case; undefined when there is none. */
export function hostOf(target: string): string | undefined {
  const trimmed = target.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `none://${trimmed}`;
  try {
    const url = new URL(withScheme);
    const host = url.hostname.toLowerCase();
    return host && /^[a-z0-9.\-[\]:]+$/.test(host) ? host : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The registry host of an image reference, following Docker's rules: the first
 * path component is a registry when it contains a dot or a colon or is
 * `localhost`; otherwise the image is on Docker Hub.
 */
export function registryOf(image: string): string {
  const first = image.split('/')[0];
  const isRegistry = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return isRegistry ? first.replace(/:\d+$/, '').toLowerCase() : 'docker.io';
}

function computed(value: string): Resolution {
  return unproven(
    `"${value}" is computed at apply time (a reference or template), so its location cannot be proven at synthesis`,
    'use a literal host, or declare the placement explicitly with a literal target',
  );
}

function regionHint(target: string): string {
  const suggestion = suggestRegionId(target);
  return suggestion ? `did you mean "${suggestion}"?` : 'use a URL, a host, or provider/region from the catalogue';
}

function describe(location: Location): string {
  return `${location.label}: ${location.countries.join(', ')}, operator ${location.operator}`;
}
