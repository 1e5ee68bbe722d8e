import { NOT_APPLICABLE, Rule, nonCompliant } from '../rule';

/**
 * SD-PHONE-HOME: no application calls its vendor: update checks, usage
 * statistics, app stores, analytics, public key and STUN servers.
 *
 * The suite turns every known call off; this rule catches values (the suite's
 * or a team's) that turn one back on, wherever the vendor is. A placement
 * carries `phoneHome` only when such a setting was found, so there is no
 * compliant outcome: absent settings are not placements.
 */
export const phoneHome: Rule = {
  id: 'SD-PHONE-HOME',
  title: 'Applications do not call home',
  explanation:
    'Update checks, usage statistics, app stores, analytics and public key or STUN servers send metadata about the deployment and its users to vendors. They stay off unless a reason is written down.',
  objective: 'SOV-7',
  severity: { residency: 'warning', sovereign: 'error', strict: 'error' },
  check: (placement) => {
    if (!placement.phoneHome) return NOT_APPLICABLE;
    return nonCompliant(
      `${placement.description} calls ${placement.target} (${placement.phoneHome})`,
      `remove "${placement.phoneHome}" from the values, or suppress SD-PHONE-HOME for this path with the reason`,
    );
  },
};
