/**
 * A location answers two separate questions about a place data goes:
 * where the data physically is, and whose law controls the operator.
 */
import { Country } from './countries';

/** How a location was established. */
export type Proof = 'catalogue' | 'declaration' | 'cluster';

/**
 * Where data is and who operates the place.
 *
 * AWS Frankfurt is `{ countries: ['DE'], operator: 'US', parent: 'US' }`:
 * data residency holds, legal sovereignty does not.
 */
export interface Location {
  /** Countries the data may physically be in; a region may span several. Sorted, non-empty. */
  readonly countries: readonly Country[];
  /** Country whose law governs the operating company. */
  readonly operator: Country;
  /** Country of the operator's ultimate parent. */
  readonly parent: Country;
  /** Human-readable name of the place, e.g. "STACKIT eu01 (Heilbronn)". */
  readonly label: string;
  /** How the location was proven. */
  readonly proof: Proof;
  /** The spec field or catalogue entry that proves it. */
  readonly evidence: string;
}

/** The result of resolving a host, URL, image or region. */
export type Resolution =
  | { readonly status: 'resolved'; readonly location: Location }
  | {
      readonly status: 'unproven';
      /** Why nothing could be proven. */
      readonly reason: string;
      /** What the user can do about it. */
      readonly hint: string;
    };

/** A resolved result. */
export function resolved(location: Location): Resolution {
  return { status: 'resolved', location };
}

/** An unproven result. */
export function unproven(reason: string, hint: string): Resolution {
  return { status: 'unproven', reason, hint };
}

/** "data in DE; operator DE, parent DE". */
export function describeLocation(location: Location): string {
  const where = location.countries.join(', ');
  const who = location.operator === location.parent
    ? `operator ${location.operator}`
    : `operator ${location.operator}, parent ${location.parent}`;
  return `data in ${where} (${location.label}); ${who}`;
}
