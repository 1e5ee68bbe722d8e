/**
 * Look-ups in the provider and service catalogue: `provider/region` ids and
 * host names to locations.
 */
import { Country } from './countries';
import { Location, Resolution, resolved, unproven } from './location';
import { HostRule, ProviderFacts, RegionFacts, ServiceFacts } from './provider-facts';
import { PROVIDERS } from './providers';
import { SERVICES } from './services';
import { closest } from './suggest';
import { SPEC_SETTING_NAMES, SettingNames } from './setting-names';

const providers: readonly ProviderFacts[] = PROVIDERS;

/** Every catalogued `provider/region` id, sorted. */
export const REGION_IDS: readonly string[] = providers
  .flatMap((p) => Object.keys(p.regions).map((r) => `${p.id}/${r}`))
  .sort();

/** A provider by id. */
export function findProvider(id: string): ProviderFacts | undefined {
  return providers.find((p) => p.id === id.toLowerCase());
}

/** The location of one region of a provider. */
export function regionLocation(provider: ProviderFacts, code: string, evidence: string, names: SettingNames = SPEC_SETTING_NAMES): Resolution {
  const region: RegionFacts | undefined = provider.regions[code];
  if (!region) {
    const hint = closest(code, Object.keys(provider.regions));
    return unproven(
      `${provider.name} has no catalogued region "${code}"`,
      hint ? `did you mean "${hint}"?` : `known regions: ${Object.keys(provider.regions).join(', ')}`,
    );
  }
  if (region.countries.length === 0) {
    return unproven(
      `${provider.name} ${code} (${region.place}) has no confirmed location`,
      `declare its country and operator in ${names.locations}, or choose a region with a confirmed location`,
    );
  }
  return resolved({
    countries: [...region.countries].sort(),
    operator: region.operator ?? provider.operator,
    parent: region.parent ?? provider.parent,
    label: `${provider.name} ${code}, ${region.place}${region.note ? `; ${region.note}` : ''}`,
    proof: 'catalogue',
    evidence: evidence === `${provider.id}/${code}` ? `catalogue: ${evidence}` : `catalogue: ${provider.id}/${code} (from ${evidence})`,
  });
}

/**
 * Resolves a `provider/region` id such as `stackit/eu01` or `ionos/de/fra`.
 * @returns `undefined` when the provider part is not catalogued (it may be a declared host).
 */
export function resolveRegionId(id: string, names: SettingNames = SPEC_SETTING_NAMES): Resolution | undefined {
  const slash = id.indexOf('/');
  if (slash < 0) return undefined;
  const provider = findProvider(id.slice(0, slash));
  if (!provider) return undefined;
  return regionLocation(provider, id.slice(slash + 1).toLowerCase(), id, names);
}

/** The closest catalogued `provider/region` id to a mistyped one. */
export function suggestRegionId(id: string): string | undefined {
  return closest(id.toLowerCase(), REGION_IDS);
}

/** A host that matched a catalogue entry. */
export type HostMatch =
  | { readonly type: 'service'; readonly service: ServiceFacts; readonly location: Location }
  | {
      readonly type: 'provider';
      readonly provider: ProviderFacts;
      /** The template that matched; undefined when the host is under the provider's domain but matches none. */
      readonly rule?: HostRule;
      /** The region code the host names, when it names one. */
      readonly region?: string;
      readonly resolution: Resolution;
    };

/** True when `host` equals `pattern` or, for `*.suffix`, is any subdomain of it. */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  return host === pattern;
}

const LABEL = '[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?';
const templateCache = new WeakMap<HostRule, RegExp>();

/** The anchored regular expression of a host template (see {@link HostRule}). */
export function templateRegExp(rule: HostRule): RegExp {
  const cached = templateCache.get(rule);
  if (cached) return cached;
  const parts = rule.labels.map((label, index) => {
    if (index === 0 && label === '{names}') return `${LABEL}(?:\\.${LABEL})*\\.`;
    if (index === 0 && label === '{names}?') return `(?:${LABEL}(?:\\.${LABEL})*\\.)?`;
    if (label === '{name}') return `${LABEL}\\.`;
    const text = label.split('{region}').map(escape).join('(?<region>[a-z0-9-]+)');
    return `${text}\\.`;
  });
  const regex = new RegExp(`^${parts.join('').replace(/\\\.$/, '')}$`);
  templateCache.set(rule, regex);
  return regex;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function serviceMatch(service: ServiceFacts): HostMatch {
  return {
    type: 'service',
    service,
    location: {
      countries: [...service.countries].sort(),
      operator: service.operator,
      parent: service.parent,
      label: service.name,
      proof: 'catalogue',
      evidence: `catalogue: ${service.name}`,
    },
  };
}

/**
 * Finds the catalogue entry for a host name (lower case, ASCII), if any.
 *
 * Provider hosts are read only through their templates. A host under a
 * provider's domain that matches none is unproven (`rule` undefined), and so
 * is a host that two templates read as different regions.
 */
export function matchHost(host: string, names: SettingNames = SPEC_SETTING_NAMES): HostMatch | undefined {
  for (const service of SERVICES) {
    if (service.hosts.some((pattern) => hostMatches(pattern, host))) return serviceMatch(service);
  }
  for (const provider of providers) {
    const shaped = provider.hosts
      .map((rule) => ({ rule, match: templateRegExp(rule).exec(host) }))
      .filter((m): m is { rule: HostRule; match: RegExpExecArray } => m.match !== null);
    // A `{region}` label matches only a region code of the provider.
    const matches = shaped.filter(({ match }) => match.groups?.region === undefined || match.groups.region in provider.regions);
    if (matches.length === 0) {
      const unknownRegion = shaped[0]?.match.groups?.region;
      if (unknownRegion !== undefined) return { type: 'provider', provider, resolution: regionLocation(provider, unknownRegion, host, names) };
      if (!provider.domains.some((d) => host === d || host.endsWith(`.${d}`))) continue;
      return {
        type: 'provider', provider,
        resolution: unproven(
          `${host} is under ${provider.name}'s domain but matches none of its catalogued host patterns, so its region is not known`,
          `use a catalogued ${provider.name} endpoint (e.g. ${exampleHost(provider, Object.keys(provider.regions)[0]) ?? provider.domains[0]}), or declare the host in ${names.locations} with the country of its region`,
        ),
      };
    }
    const readings = matches.map(({ rule, match }) => {
      const region = rule.hidesRegion ? undefined : match.groups?.region ?? rule.region;
      return { rule, region, resolution: resolveRule(provider, rule, region, host, names) };
    });
    const keys = new Set(readings.map((r) => JSON.stringify(r.resolution)));
    if (keys.size > 1) {
      return {
        type: 'provider', provider,
        resolution: unproven(
          `${host} reads as different ${provider.name} regions (${readings.map((r) => r.region ?? 'hidden').join(', ')})`,
          'use an endpoint whose host names one region',
        ),
      };
    }
    const [first] = readings;
    return { type: 'provider', provider, rule: first.rule, region: first.region, resolution: first.resolution };
  }
  return undefined;
}

function resolveRule(provider: ProviderFacts, rule: HostRule, region: string | undefined, host: string, names: SettingNames): Resolution {
  if (rule.hidesRegion) {
    return unproven(
      `${host} is ${provider.name} ${rule.service}, but the host name does not say which region holds the data`,
      `declare it: ${names.declareLocation(host, provider.operator)}`,
    );
  }
  if (region) return regionLocation(provider, region, host, names);
  const codes = rule.anyOf ?? [];
  const countries = new Set<Country>();
  for (const code of codes) provider.regions[code]?.countries.forEach((c) => countries.add(c));
  return resolved({
    countries: [...countries].sort(),
    operator: provider.operator,
    parent: provider.parent,
    label: `${provider.name} ${rule.service} (one of ${codes.join(', ')})`,
    proof: 'catalogue',
    evidence: `catalogue: ${provider.id} host ${host}`,
  });
}

/** Catalogued regions in the given countries, run by operators in the given countries. */
export function regionsWithin(
  isDataCountry: (c: Country) => boolean,
  isOperatorCountry: (c: Country) => boolean,
): { readonly id: string; readonly host?: string }[] {
  const found: { id: string; host?: string }[] = [];
  for (const provider of providers) {
    for (const [code, region] of Object.entries(provider.regions)) {
      const operator = region.operator ?? provider.operator;
      const parent = region.parent ?? provider.parent;
      if (region.countries.length === 0 || !region.countries.every(isDataCountry)) continue;
      if (!isOperatorCountry(operator) || !isOperatorCountry(parent)) continue;
      found.push({ id: `${provider.id}/${code}`, host: exampleHost(provider, code) });
    }
  }
  return found;
}

const EXAMPLE_HOSTS: Readonly<Record<string, (region: string) => string>> = {
  hetzner: (r) => `${r}.your-objectstorage.com`,
  stackit: (r) => `object.storage.${r}.onstackit.cloud`,
  scaleway: (r) => `s3.${r}.scw.cloud`,
  ovhcloud: (r) => `s3.${r}.io.cloud.ovh.net`,
  ionos: (r) => `s3.${r}.ionoscloud.com`,
  otc: (r) => `obs.${r}.otc.t-systems.com`,
  exoscale: (r) => `sos-${r}.exo.io`,
  aws: (r) => `s3.${r}.amazonaws.com`,
};

function exampleHost(provider: ProviderFacts, region: string): string | undefined {
  const make = EXAMPLE_HOSTS[provider.id];
  if (!make) return undefined;
  const host = make(region);
  const match = matchHost(host);
  return match?.type === 'provider' && match.resolution.status === 'resolved' ? host : undefined;
}

/** The catalogued region code a URL's host names (e.g. `fsn1` for Hetzner), if any. */
export function regionOfUrl(url: string): string | undefined {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return undefined;
  }
  const match = matchHost(host);
  return match?.type === 'provider' ? match.region : undefined;
}
