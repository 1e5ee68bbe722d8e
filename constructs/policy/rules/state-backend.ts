import { describeLocation } from '../../jurisdiction';
import { alternatives } from '../fixes';
import { COMPLIANT, NOT_APPLICABLE, Rule, nonCompliant, settingNames } from '../rule';

/**
 * SD-STATE: the Terraform state, which holds every generated secret, is kept
 * inside the jurisdiction by an operator in the operators bound.
 *
 * `local` state sits on whichever machine runs Terraform: fine for trying
 * things out, never proven.
 */
export const stateBackend: Rule = {
  id: 'SD-STATE',
  title: 'Terraform state stays in the jurisdiction',
  explanation:
    'Terraform state holds every generated secret in plain text. Its backend is a data store like any other: it must be located and operated inside the bounds.',
  objective: 'SOV-3',
  severity: { residency: 'error', sovereign: 'error', strict: 'error' },
  check: (placement, context) => {
    if (placement.kind !== 'state') return NOT_APPLICABLE;
    const fix = settingNames(context).vocabulary === 'spec'
      ? `use ${settingNames(context).stateBackend} kubernetes (state in the cluster) or s3 with an endpoint in ${context.jurisdiction}${alternatives('state', context, true)}`
      : `choose ${settingNames(context).stateBackend} with an endpoint in ${context.jurisdiction}${alternatives('state', context, true)}`;
    if (placement.backend === 'local') {
      return nonCompliant(`state is a local file (${placement.target}) on whichever machine runs Terraform; its location cannot be proven`, fix);
    }
    if (placement.resolution.status !== 'resolved') {
      return nonCompliant(`state backend ${placement.target}: ${placement.resolution.reason}`, placement.resolution.hint);
    }
    const location = placement.resolution.location;
    const abroad = context.jurisdiction.outside(location.countries);
    const foreignLaw = context.profile === 'residency' ? [] : context.operators.outside([location.operator, location.parent]);
    if (abroad.length === 0 && foreignLaw.length === 0) return COMPLIANT;
    return nonCompliant(`state (with every generated secret) is outside the bounds: ${describeLocation(location)}`, fix);
  },
};
