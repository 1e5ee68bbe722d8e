import { NOT_APPLICABLE, Rule, nonCompliant } from '../rule';

/**
 * SD-UNPOLICED: every stack of the app is proven.
 *
 * A plain TerraformStack beside a SovereignStack is synthesized and deployed
 * by the same `cdktf deploy`, but nothing proves where its resources go.
 */
export const unpolicedStack: Rule = {
  id: 'SD-UNPOLICED',
  title: 'Every stack of the app is proven',
  explanation:
    'A stack that is not a SovereignStack is deployed with the others but none of its placements are checked, so the app as a whole is not proven.',
  objective: 'SOV-7',
  severity: { residency: 'warning', sovereign: 'error', strict: 'error' },
  check: (placement) => {
    if (placement.kind !== 'stack') return NOT_APPLICABLE;
    return nonCompliant(
      `${placement.description} is not a SovereignStack, so none of its placements are proven`,
      `make ${placement.target.replace(/^stack:/, '')} a SovereignStack (new SovereignStack(app, id, { jurisdiction, clusterLocation, … })), or move it to an app of its own`,
    );
  },
};
