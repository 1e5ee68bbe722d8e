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

/**
 * How a host name maps to a provider's region: a template of DNS labels, read
 * at the positions the provider defines and nowhere else.
 *
 * Each element is one label, left to right: literal text, text around
 * `{region}` (a region code of the provider, e.g. `s3-{region}`), `{name}` (any
 * one label, e.g. an account), or, as the first element only, `{names}` (one or
 * more labels, e.g. a bucket whose name has dots) or `{names}?` (the same, or
 * nothing).
 *
 * @example
 * { labels: ['{names}?', 's3', '{region}', 'amazonaws', 'com'], service: 'S3' }
 * // s3.eu-central-1.amazonaws.com, my-bucket.s3.eu-central-1.amazonaws.com
 */
export interface HostRule<R extends string = string> {
  readonly labels: readonly string[];
  /** The region, when the template has no `{region}`. @default - the `{region}` label */
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
  /** DNS suffixes the provider controls; a host under them that matches no template is unproven, and declarations under them must agree with the catalogue. */
  readonly domains: readonly string[];
  /** Published address ranges per region (excerpts), so that declared ranges can be checked. @default - none */
  readonly ranges?: Readonly<Partial<Record<R, readonly string[]>>>;
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
