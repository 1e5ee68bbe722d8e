import { SettingNames, describeLocation } from '../../jurisdiction';
import { Placement, PlacementKind, SUPPLY_CHAIN_KINDS } from '../placement';
import { COMPLIANT, NOT_APPLICABLE, Rule, nonCompliant, settingNames } from '../rule';

/** How to move one source inside the bounds. */
function supplyFix(placement: Placement, names: SettingNames, mirror: string): string {
  switch (placement.kind) {
    case 'provider-source':
      return `set ${names.providerMirror} to a provider mirror in the bounds, and name it in Terraform's provider_installation`;
    case 'module':
      return 'write the module\'s resources as constructs of the stack, or install it from a source in the bounds';
    default:
      return placement.field === names.registryMirror
        ? `set ${names.registryMirror} to ${mirror} (e.g. registry.opencode.de, or a Harbor you run in the cluster)`
        : `set ${names.registryMirror} to ${mirror} and pull ${placement.target} through it`;
  }
}

/** What serves each kind of supply-chain placement. */
const SOURCE_NAMES: Partial<Record<PlacementKind, string>> = {
  registry: 'an image registry',
  'chart-repository': 'a chart repository',
  module: 'a module source',
  'provider-source': 'a provider registry',
};

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
    const what = SOURCE_NAMES[placement.kind] ?? 'a source';
    const mirror = `a registry in ${context.jurisdiction} operated under ${context.operators} law`;
    const names = settingNames(context);
    return nonCompliant(`${placement.description} is served by ${what} outside the bounds: ${describeLocation(location)}`, supplyFix(placement, names, mirror));
  },
};
