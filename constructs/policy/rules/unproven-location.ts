import { OPAQUE_KINDS } from '../placement';
import { COMPLIANT, NOT_APPLICABLE, Rule, nonCompliant } from '../rule';

/**
 * SD-UNPROVEN: every placement resolves to a known location (fail closed).
 *
 * A host outside the catalogue, a host that hides its region, or a value
 * computed at apply time cannot be proven at synthesis and fails the check
 * until the spec declares it.
 */
export const unprovenLocation: Rule = {
  id: 'SD-UNPROVEN',
  title: 'Every location is proven',
  explanation:
    'A placement whose location is not in the catalogue and not declared (spec.locations, or the locations of a SovereignStack) could be anywhere. Sovereignty is proven, not assumed: such placements fail closed.',
  objective: 'SOV-7',
  severity: { residency: 'warning', sovereign: 'error', strict: 'error' },
  check: (placement) => {
    if (placement.kind === 'state' || OPAQUE_KINDS.includes(placement.kind)) return NOT_APPLICABLE;
    if (placement.resolution.status === 'resolved') return COMPLIANT;
    return nonCompliant(`${placement.description} at ${placement.target}: ${placement.resolution.reason}`, placement.resolution.hint);
  },
};
