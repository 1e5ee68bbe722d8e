/**
 * Country groups and the GDPR adequacy list, as data.
 *
 * Source: `sovereignty-facts.md` (EU-27, EEA, adequacy decisions as of 2026).
 * The EU writes Greece as `EL`; ISO 3166-1 uses `GR`. Both are accepted and
 * normalised to `GR`.
 */
import { COUNTRY_CODES, COUNTRY_NAMES, Country } from './country-codes';

export { COUNTRY_CODES, COUNTRY_NAMES };
export type { Country };

/** The 27 member states of the European Union (the UK left on 2020-01-31). */
export const EU_COUNTRIES: readonly Country[] = [
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE',
  'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
];

/** The European Economic Area: the EU plus Iceland, Liechtenstein and Norway. */
export const EEA_COUNTRIES: readonly Country[] = [...EU_COUNTRIES, 'IS', 'LI', 'NO'];

/** A GDPR adequacy decision: a basis for transfers, not EU jurisdiction. */
export interface AdequacyDecision {
  readonly country: Country;
  /** Limits of the decision, when it does not cover the whole country. @default - the whole country */
  readonly scope?: string;
}

/**
 * Countries with a GDPR adequacy decision. Adequacy allows transfers of personal
 * data; it does not remove exposure to foreign law (e.g. the US CLOUD Act).
 */
export const GDPR_ADEQUACY: readonly AdequacyDecision[] = [
  { country: 'AD' },
  { country: 'AR' },
  { country: 'BR', scope: 'since 2026-01-27' },
  { country: 'CA', scope: 'commercial organisations only' },
  { country: 'CH' },
  { country: 'FO' },
  { country: 'GB', scope: 'renewed 2025-12 until 2031-12' },
  { country: 'GG' },
  { country: 'IL' },
  { country: 'IM' },
  { country: 'JE' },
  { country: 'JP' },
  { country: 'KR' },
  { country: 'NZ' },
  { country: 'UY' },
  { country: 'US', scope: 'only organisations certified under the EU-US Data Privacy Framework' },
];

const KNOWN = new Set<string>(COUNTRY_CODES);

/** Spellings that are not ISO 3166-1 alpha-2 but are accepted as another code. */
const ALIASES: Readonly<Record<string, Country>> = { EL: 'GR' };

/** True for an ISO 3166-1 alpha-2 code in upper case. */
export function isCountry(value: string): value is Country {
  return KNOWN.has(value);
}

/**
 * Normalises a country code: upper case, `EL` → `GR`.
 * @returns the ISO code, or `undefined` when the value is not a country code.
 */
export function normaliseCountry(value: string): Country | undefined {
  const upper = value.trim().toUpperCase();
  const aliased = ALIASES[upper] ?? upper;
  return isCountry(aliased) ? aliased : undefined;
}

/** The adequacy decision for a country, if there is one. */
export function adequacyOf(country: Country): AdequacyDecision | undefined {
  return GDPR_ADEQUACY.find((decision) => decision.country === country);
}

/** Names in the countries' own languages (and common English ones) that the short names do not cover. */
const OTHER_NAMES: Readonly<Record<string, Country>> = {
  DEUTSCHLAND: 'DE', 'ÖSTERREICH': 'AT', OESTERREICH: 'AT', SCHWEIZ: 'CH', SUISSE: 'CH', SVIZZERA: 'CH', BELGIQUE: 'BE', 'BELGIË': 'BE', BELGIE: 'BE',
  NEDERLAND: 'NL', HOLLAND: 'NL', 'THE NETHERLANDS': 'NL', 'ESPAÑA': 'ES', ESPANA: 'ES', ITALIA: 'IT', POLSKA: 'PL', SVERIGE: 'SE', SUOMI: 'FI',
  DANMARK: 'DK', NORGE: 'NO', 'ÍSLAND': 'IS', 'ČESKO': 'CZ', CZECHIA: 'CZ', 'CZECH REPUBLIC': 'CZ', SLOVENSKO: 'SK', SLOVENIJA: 'SI', HRVATSKA: 'HR',
  'MAGYARORSZÁG': 'HU', 'ROMÂNIA': 'RO', 'БЪЛГАРИЯ': 'BG', 'ΕΛΛΆΔΑ': 'GR', 'ΕΛΛΑΔΑ': 'GR', HELLAS: 'GR', 'ÉIRE': 'IE', EIRE: 'IE',
  LIETUVA: 'LT', LATVIJA: 'LV', EESTI: 'EE', 'LËTZEBUERG': 'LU', LUXEMBURG: 'LU', 'UNITED KINGDOM': 'GB', 'GREAT BRITAIN': 'GB', BRITAIN: 'GB',
  ENGLAND: 'GB', 'UNITED STATES': 'US', USA: 'US', AMERICA: 'US',
};

/**
 * The code of a country written by name (`Germany`, `deutschland`, `France`),
 * for a "did you mean" hint; `undefined` when the value names no country.
 */
export function countryCodeForName(value: string): Country | undefined {
  const upper = value.trim().toUpperCase();
  if (OTHER_NAMES[upper]) return OTHER_NAMES[upper];
  const code = COUNTRY_CODES.find((c) => COUNTRY_NAMES[c].toUpperCase() === upper || COUNTRY_NAMES[c].toUpperCase().replace(/&/g, 'AND') === upper);
  return code;
}
