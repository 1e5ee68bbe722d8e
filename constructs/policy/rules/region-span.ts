import { describeLocation } from '../../jurisdiction';
import { alternatives, where } from '../fixes';
import { dataLocation } from '../placement';
import { COMPLIANT, NOT_APPLICABLE, Rule, nonCompliant } from '../rule';

/**
 * SD-REGION-SPAN: a location that spans several countries lies wholly inside the jurisdiction.
 *
 * The strictest reading of a multi-country region (e.g. UpCloud europe-1, FI
 * and DE) is "every country it spans": one country outside is a violation.
 */
export const regionSpan: Rule = {
  id: 'SD-REGION-SPAN',
  title: 'Multi-country regions stay inside the jurisdiction',
  explanation:
    'A region or host that serves several countries may hold the data in any of them; all of them must be inside the jurisdiction.',
  objective: 'SOV-3',
  severity: { residency: 'error', sovereign: 'error', strict: 'error' },
  check: (placement, context) => {
    const location = dataLocation(placement);
    if (!location) return NOT_APPLICABLE;
    if (location.countries.length < 2) return NOT_APPLICABLE;
    const outside = context.jurisdiction.outside(location.countries);
    if (outside.length === 0) return COMPLIANT;
    return nonCompliant(
      `${placement.description} may hold data in ${outside.join(', ')}, outside the jurisdiction: ${describeLocation(location)}`,
      `${where(placement.field, placement.description)} a single-country region in ${context.jurisdiction}${alternatives(placement.kind, context, context.profile !== 'residency')}`,
    );
  },
};
