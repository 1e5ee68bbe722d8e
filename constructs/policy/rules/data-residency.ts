import { adequacyOf, describeLocation } from '../../jurisdiction';
import { alternatives, where } from '../fixes';
import { dataLocation } from '../placement';
import { COMPLIANT, NOT_APPLICABLE, Rule, nonCompliant } from '../rule';

/**
 * SD-RESIDENCY: the data of every placement is physically inside the jurisdiction.
 *
 * Not applicable to registries and chart repositories (SD-SUPPLY-CHAIN), the
 * state backend (SD-STATE), unproven locations (SD-UNPROVEN) and locations
 * that span several countries (SD-REGION-SPAN).
 */
export const dataResidency: Rule = {
  id: 'SD-RESIDENCY',
  title: 'Data stays in the jurisdiction',
  explanation:
    'Every database, volume, bucket, backup, log sink, metrics sink and external endpoint must be physically located in a country of the declared jurisdiction.',
  objective: 'SOV-3',
  severity: { residency: 'error', sovereign: 'error', strict: 'error' },
  check: (placement, context) => {
    const location = dataLocation(placement);
    if (!location) return NOT_APPLICABLE;
    if (location.countries.length !== 1) return NOT_APPLICABLE;
    const [country] = location.countries;
    if (context.jurisdiction.includes(country)) return COMPLIANT;
    const adequacy = adequacyOf(country);
    const note = adequacy
      ? ` (${country} has a GDPR adequacy decision${adequacy.scope ? `, ${adequacy.scope}` : ''}: a transfer basis, not the declared jurisdiction)`
      : '';
    return nonCompliant(
      `${placement.description} is outside the jurisdiction: ${describeLocation(location)}${note}`,
      `${where(placement.field, placement.description)} a location in ${context.jurisdiction}${alternatives(placement.kind, context, context.profile !== 'residency')}`,
    );
  },
};
