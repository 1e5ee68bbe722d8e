import { describeLocation } from '../../jurisdiction';
import { KeyCustody, effectiveCustody } from '../key-custody';
import { Placement, leavesCluster } from '../placement';
import { COMPLIANT, NOT_APPLICABLE, Outcome, PolicyContext, Profile, Rule, Severity, nonCompliant } from '../rule';

/** How severe each custody is per profile; `residency` reports and never fails. */
const SEVERITY: Readonly<Record<Exclude<KeyCustody, 'client-side'>, Readonly<Record<Profile, Severity>>>> = {
  none: { residency: 'warning', sovereign: 'error', strict: 'error' },
  provider: { residency: 'warning', sovereign: 'warning', strict: 'error' },
  'customer-kms': { residency: 'warning', sovereign: 'error', strict: 'error' },
};

const STRONGER = 'encrypt it before it leaves (client-side: VolumeBackups and BucketReplication do), or use server-side encryption with a key in a KMS inside the bounds (customer-kms)';

function custodyFix(placement: Placement, custody: KeyCustody): string {
  return placement.field ? `for the copy at ${placement.field}: ${fixOf(placement, custody)}` : fixOf(placement, custody);
}

function fixOf(placement: Placement, custody: KeyCustody): string {
  if (placement.custodyUnbacked !== undefined) {
    return `make the configuration do what the claim says (${placement.custodyUnbacked}), or declare the custody it really has`;
  }
  if (custody === 'customer-kms') {
    return 'keep the key in a KMS inside the bounds: name a KMS in the jurisdiction run under the operators\' law, and declare it in the locations';
  }
  if (placement.kind === 'log-sink' || placement.kind === 'metrics-sink') {
    return 'a sink reads what it stores: run it yourself inside the bounds, or suppress SD-KEY-CUSTODY for this path with the reason its operator may read what it receives';
  }
  return `${STRONGER}; or suppress SD-KEY-CUSTODY for this path with the reason the copy may be readable there`;
}

function finding(placement: Placement, context: PolicyContext, custody: Exclude<KeyCustody, 'client-side'>, problem: string): Outcome {
  return nonCompliant(problem, custodyFix(placement, custody), SEVERITY[custody][context.profile]);
}

/**
 * SD-KEY-CUSTODY: every copy that leaves the cluster is readable only by
 * whoever holds its keys, and the keys stay inside the bounds.
 *
 * `client-side` passes; `customer-kms` passes when its KMS is proven inside
 * both bounds; `provider` is a warning in `sovereign` and an error in
 * `strict`; `none` (declared, undeclared, or a claim the written
 * configuration does not back) is an error in both. Under `residency` every
 * finding is a warning: that profile proves where data is, not who reads it.
 */
export const keyCustody: Rule = {
  id: 'SD-KEY-CUSTODY',
  title: 'Copies that leave the cluster are encrypted with keys held inside the bounds',
  explanation:
    'Where a copy is stored does not say who can read it. A backup, bucket copy, log or metrics stream kept with the storage operator\'s keys (or none) is readable by that operator and by anyone who can compel it. Copies encrypted before they leave, or with a key in a KMS inside the bounds, are not.',
  objective: 'SOV-3',
  severity: { residency: 'warning', sovereign: 'error', strict: 'error' },
  check: (placement, context) => {
    if (!leavesCluster(placement)) return NOT_APPLICABLE;
    const custody = effectiveCustody(placement.keys, placement.custodyUnbacked);
    const what = placement.keys ? ` (${placement.keys.readable})` : '';
    if (placement.custodyUnbacked !== undefined && placement.keys) {
      return finding(placement, context, 'none',
        `${placement.description} claims key custody ${placement.keys.custody}, but the written configuration does not back it: ${placement.custodyUnbacked}; read as none`);
    }
    switch (custody) {
      case 'client-side':
        return COMPLIANT;
      case 'customer-kms': {
        const kms = placement.kmsResolution;
        if (!kms || kms.status !== 'resolved') {
          return finding(placement, context, 'customer-kms',
            `the KMS that holds the key of ${placement.description} (${placement.keys?.kms ?? 'not named'}) is not proven${kms && kms.status === 'unproven' ? `: ${kms.reason}` : ''}`);
        }
        const abroad = context.jurisdiction.outside(kms.location.countries);
        const foreignLaw = context.operators.outside([kms.location.operator, kms.location.parent]);
        if (abroad.length === 0 && foreignLaw.length === 0) return COMPLIANT;
        return finding(placement, context, 'customer-kms',
          `the KMS that holds the key of ${placement.description} is outside the bounds: ${describeLocation(kms.location)}`);
      }
      case 'provider':
        return finding(placement, context, 'provider', `${placement.description} is kept with the provider's keys: its operator can read it${what}`);
      case 'none':
        return finding(placement, context, 'none', placement.keys
          ? `${placement.description} is not encrypted by anything in the configuration${what}`
          : `${placement.description} leaves the cluster and declares no key custody; read as none`);
    }
  },
};
