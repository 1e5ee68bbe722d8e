/**
 * The shape of catalogue entries: providers with regions and host patterns,
 * and single-purpose services (registries, chart repositories, CAs).
 */
import { Country } from './countries';

/** One region (or location) of a provider. */
export interface RegionFacts {
  /** Where it is, e.g. "Falkenstein". */
  readonly place: string;
  /** Countries the region's data may be in; empty when the location is unconfirmed. */
  readonly countries: readonly Country[];
  /** Operating company's country when it differs from the provider's (a local subsidiary). @default - the provider's */
  readonly operator?: Country;
  /** Ultimate parent's country when it differs from the provider's. @default - the provider's */
  readonly parent?: Country;
  /** What a reviewer should know (e.g. "run by a US subsidiary"). @default - nothing */
  readonly note?: string;
}

/** How a host name maps to a provider's region. */
export interface HostRule<R extends string = string> {
  /** Matches the whole host name (lower case). A named group `region` captures the region code. */
  readonly pattern: RegExp;
  /** The region, when the pattern does not capture it. @default - the captured `region` group */
  readonly region?: R;
  /** The host serves one of several regions without saying which: the location spans them all. @default - none */
  readonly anyOf?: readonly R[];
  /** The host does not reveal a region at all: only a declaration in the spec can prove it. @default - the host reveals it */
  readonly hidesRegion?: true;
  /** What the host serves, e.g. "object storage". */
  readonly service: string;
}

/** A cloud or hosting provider. */
export interface ProviderFacts<R extends string = string> {
  /** Spec name, used as `provider/region`. */
  readonly id: string;
  readonly name: string;
  /** Country of the operating company. */
  readonly operator: Country;
  /** Country of the ultimate parent. */
  readonly parent: Country;
  /** Who owns it, in a few words. */
  readonly ownership: string;
  readonly regions: Readonly<Record<R, RegionFacts>>;
  /** DNS suffixes the provider controls; declarations under them must agree with the catalogue. */
  readonly domains: readonly string[];
  readonly hosts: readonly HostRule<NoInfer<R>>[];
}

/** A single service at fixed hosts: a registry, chart repository, CA or vendor endpoint. */
export interface ServiceFacts {
  readonly name: string;
  /** Exact host names, or `*.suffix` for any subdomain. */
  readonly hosts: readonly string[];
  readonly countries: readonly Country[];
  readonly operator: Country;
  readonly parent: Country;
  readonly ownership: string;
}

/** Keeps region codes as a typed union while checking the entry's shape. */
export function defineProvider<R extends string>(facts: ProviderFacts<R>): ProviderFacts<R> {
  return facts;
}
