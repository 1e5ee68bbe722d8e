import { describeLocation } from '../../jurisdiction';
import { alternatives, where } from '../fixes';
import { dataLocation } from '../placement';
import { COMPLIANT, NOT_APPLICABLE, Rule, nonCompliant } from '../rule';

/**
 * SD-OPERATOR: the operator of every placement, and its ultimate parent, are
 * under the law of the `operators` bound.
 *
 * AWS Frankfurt satisfies residency but not this rule: a US parent exposes the
 * data to the CLOUD Act wherever it is stored.
 */
export const operatorJurisdiction: Rule = {
  id: 'SD-OPERATOR',
  title: "Operators are under the declared law",
  explanation:
    'Data residency is not enough when the operator or its parent is subject to non-EU law (US CLOUD Act, FISA). The operating company and its ultimate parent must be in the operators bound.',
  objective: 'SOV-2',
  severity: { residency: 'off', sovereign: 'error', strict: 'error' },
  check: (placement, context) => {
    const location = dataLocation(placement);
    if (!location) return NOT_APPLICABLE;
    const foreign = context.operators.outside([location.operator, location.parent]);
    if (foreign.length === 0) return COMPLIANT;
    return nonCompliant(
      `${placement.description} is run under ${foreign.join(', ')} law, outside the operators bound ${context.operators}: ${describeLocation(location)}`,
      `${where(placement.field, placement.description)} a provider under ${context.operators} law${alternatives(placement.kind, context, true)}`,
    );
  },
};
