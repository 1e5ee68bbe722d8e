/**
 * A jurisdiction: the set of countries data (or operators) may be in.
 */
import { Country, EEA_COUNTRIES, EU_COUNTRIES, countryCodeForName, normaliseCountry } from './countries';
import { closest } from './suggest';

/** Named groups a spec may use instead of listing countries. */
export const COUNTRY_GROUPS = { EU: EU_COUNTRIES, EEA: EEA_COUNTRIES } as const;

/** `EU` or `EEA`. */
export type CountryGroup = keyof typeof COUNTRY_GROUPS;

/** One country, a named group, or a list of both. */
export type JurisdictionInput = Country | CountryGroup | readonly (Country | CountryGroup)[];

/**
 * An immutable set of countries with the words it was written in.
 *
 * @example
 * const data = Jurisdiction.of('DE');
 * const operators = Jurisdiction.of('EU');
 * data.includes('DE'); // true
 * operators.outside(['US', 'DE']); // ['US']
 */
export class Jurisdiction {
  /** Builds a jurisdiction from typed input. */
  public static of(input: JurisdictionInput): Jurisdiction {
    const terms = typeof input === 'string' ? [input] : [...input];
    const countries = new Set<Country>();
    for (const term of terms) {
      const group = COUNTRY_GROUPS[term as CountryGroup];
      if (group) group.forEach((c) => countries.add(c));
      else countries.add(term as Country);
    }
    return new Jurisdiction(countries, terms.join(', '));
  }

  /** The countries, sorted. */
  public readonly countries: readonly Country[];

  private readonly members: ReadonlySet<Country>;

  private constructor(members: ReadonlySet<Country>, public readonly label: string) {
    this.members = members;
    this.countries = [...members].sort();
  }

  /** True when the country belongs to the jurisdiction. */
  public includes(country: Country): boolean {
    return this.members.has(country);
  }

  /** The given countries that are not in the jurisdiction, sorted and unique. */
  public outside(countries: readonly Country[]): Country[] {
    return [...new Set(countries.filter((c) => !this.members.has(c)))].sort();
  }

  /** "DE" or "EU (27 countries)". */
  public toString(): string {
    return this.countries.length > 3 ? `${this.label} (${this.countries.length} countries)` : this.label;
  }
}

/** Why a jurisdiction term could not be read, with a suggestion. */
export interface JurisdictionProblem {
  readonly term: string;
  readonly suggestion?: string;
}

/**
 * Parses the spec form of a jurisdiction: a code, `EU`, `EEA`, or a list.
 * @returns the jurisdiction, or every term that is not a country or group.
 */
export function parseJurisdiction(
  value: string | readonly string[],
): { readonly jurisdiction: Jurisdiction } | { readonly problems: readonly JurisdictionProblem[] } {
  const terms = typeof value === 'string' ? [value] : value;
  const parsed: (Country | CountryGroup)[] = [];
  const problems: JurisdictionProblem[] = [];
  for (const raw of terms) {
    const upper = raw.trim().toUpperCase();
    if (upper in COUNTRY_GROUPS) {
      parsed.push(upper as CountryGroup);
      continue;
    }
    const country = normaliseCountry(raw);
    if (country) parsed.push(country);
    else problems.push({ term: raw, suggestion: suggestTerm(upper) });
  }
  if (problems.length > 0 || parsed.length === 0) {
    return { problems: problems.length > 0 ? problems : [{ term: '' }] };
  }
  return { jurisdiction: Jurisdiction.of(parsed) };
}

function suggestTerm(upper: string): string | undefined {
  if (upper === 'UK') return 'GB';
  const named = countryCodeForName(upper);
  if (named) return named;
  if (upper === 'EUROPE' || upper === 'EU27' || upper === 'EU-27') return 'EU';
  return closest(upper, Object.keys(COUNTRY_GROUPS));
}
