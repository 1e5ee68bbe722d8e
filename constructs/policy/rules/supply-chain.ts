import { describeLocation } from '../../jurisdiction';
import { SUPPLY_CHAIN_KINDS } from '../placement';
import { COMPLIANT, NOT_APPLICABLE, Rule, nonCompliant, settingNames } from '../rule';

/**
 * SD-SUPPLY-CHAIN: images and charts come from registries and repositories
 * inside the jurisdiction and run by operators in the operators bound.
 *
 * A registry abroad can withdraw or alter what the cluster runs; a mirror at
 * home keeps the supply under local control.
 */
export const supplyChain: Rule = {
  id: 'SD-SUPPLY-CHAIN',
  title: 'Images and charts come from inside the jurisdiction',
  explanation:
    'Container registries and Helm chart repositories abroad can withdraw or change what the cluster runs. Pull through a mirror located and operated inside the jurisdiction.',
  objective: 'SOV-5',
  severity: { residency: 'off', sovereign: 'warning', strict: 'error' },
  check: (placement, context) => {
    if (!SUPPLY_CHAIN_KINDS.includes(placement.kind)) return NOT_APPLICABLE;
    if (placement.resolution.status !== 'resolved') return NOT_APPLICABLE;
    const location = placement.resolution.location;
    const abroad = context.jurisdiction.outside(location.countries);
    const foreignLaw = context.operators.outside([location.operator, location.parent]);
    if (abroad.length === 0 && foreignLaw.length === 0) return COMPLIANT;
    const what = placement.kind === 'registry' ? 'an image registry' : 'a chart repository';
    const mirror = `a registry in ${context.jurisdiction} operated under ${context.operators} law`;
    return nonCompliant(
      `${placement.description} is served by ${what} outside the bounds: ${describeLocation(location)}`,
      placement.field === settingNames(context).registryMirror
        ? `set ${settingNames(context).registryMirror} to ${mirror} (e.g. registry.opencode.de, or a Harbor you run in the cluster)`
        : `set ${settingNames(context).registryMirror} to ${mirror} and pull ${placement.target} through it`,
    );
  },
};
