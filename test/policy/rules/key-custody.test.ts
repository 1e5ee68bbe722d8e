import { LocationResolver } from '../../../constructs/jurisdiction';
import { KeyCustodySpec, Placement, Profile, evaluate, keyCustody } from '../../../constructs/policy';
import { context, placement } from '../../util';

const resolver = new LocationResolver({ declarations: [{ pattern: 'kms.agency.example', countries: ['DE'], operator: 'DE' }] });
const custody = (c: KeyCustodySpec['custody'], extra: Partial<KeyCustodySpec> = {}): KeyCustodySpec => ({ custody: c, readable: 'under test', ...extra });
const backup = (keys?: KeyCustodySpec, extra: Partial<Placement> = {}) =>
  placement('backup', 'https://fsn1.your-objectstorage.com', { ...(keys ? { keys } : {}), ...extra });
const check = (p: Placement, profile: Profile = 'sovereign') => keyCustody.check(p, context('DE', 'EU', profile));
/** The severity the engine gives the finding under a profile (undefined when there is none). */
const severity = (p: Placement, profile: Profile) => evaluate([p], context('DE', 'EU', profile), [], [keyCustody]).findings[0]?.severity;

describe('SD-KEY-CUSTODY: copies that leave the cluster are encrypted with keys held inside the bounds', () => {
  describe.each<Profile>(['residency', 'sovereign', 'strict'])('profile %s', (profile) => {
    it('Compliance: client-side keys pass', () => {
      expect(check(backup(custody('client-side')), profile)).toEqual({ status: 'compliant' });
    });

    it('Compliance: a customer KMS inside both bounds passes', () => {
      const p = backup(custody('customer-kms', { kms: 'https://kms.agency.example' }), { kmsResolution: resolver.resolve('https://kms.agency.example') });
      expect(check(p, profile)).toEqual({ status: 'compliant' });
    });

    it('Not applicable: data in the cluster, state in the cluster, kinds that hold no data', () => {
      expect(check(placement('database', 'keycloak-db-rw.agency-de-identity.svc'), profile).status).toBe('not-applicable');
      expect(check(placement('state', 'https://api.k8s.agency.example:6443', { backend: 'kubernetes' }), profile).status).toBe('not-applicable');
      expect(check(placement('registry', 'registry.agency.example/desk/nginx:1'), profile).status).toBe('not-applicable');
      expect(check(placement('endpoint', 'https://acme.agency.example/directory'), profile).status).toBe('not-applicable');
    });
  });

  it.each<[KeyCustodySpec['custody'], Profile, 'error' | 'warning']>([
    ['none', 'residency', 'warning'], ['none', 'sovereign', 'error'], ['none', 'strict', 'error'],
    ['provider', 'residency', 'warning'], ['provider', 'sovereign', 'warning'], ['provider', 'strict', 'error'],
  ])('Noncompliance: %s under %s is a %s', (c, profile, expected) => {
    const p = backup(custody(c));
    expect(check(p, profile)).toMatchObject({ status: 'non-compliant', problem: expect.stringContaining('under test') });
    expect(severity(p, profile)).toBe(expected);
  });

  it('Noncompliance: no custody declared is read as none, an error in sovereign', () => {
    const p = placement('log-sink', 'https://logs.agency.example/loki/api/v1/push');
    expect(check(p)).toMatchObject({ status: 'non-compliant', problem: expect.stringContaining('declares no key custody; read as none') });
    expect(severity(p, 'sovereign')).toBe('error');
  });

  it('Noncompliance: an unproven location still has a custody to judge', () => {
    expect(check(placement('bucket', 'https://unknown.example.com'), 'strict').status).toBe('non-compliant');
  });

  it.each<Profile>(['sovereign', 'strict'])('Noncompliance: a KMS outside the bounds is an error under %s, and named', (profile) => {
    const p = backup(custody('customer-kms', { kms: 'https://kms.us-east-1.amazonaws.com' }), { kmsResolution: new LocationResolver().resolve('https://s3.us-east-1.amazonaws.com') });
    expect(check(p, profile)).toMatchObject({ status: 'non-compliant', problem: expect.stringContaining('outside the bounds: data in US') });
    expect(severity(p, profile)).toBe('error');
  });

  it('Noncompliance: a KMS run under foreign law in the jurisdiction (AWS Frankfurt) is outside the operators bound', () => {
    const p = backup(custody('customer-kms', { kms: 'https://s3.eu-central-1.amazonaws.com' }), { kmsResolution: new LocationResolver().resolve('https://s3.eu-central-1.amazonaws.com') });
    expect(check(p)).toMatchObject({ status: 'non-compliant', problem: expect.stringContaining('operator US') });
  });

  it('Noncompliance: an unproven KMS fails closed', () => {
    const p = backup(custody('customer-kms', { kms: 'https://kms.unknown.example' }), { kmsResolution: resolver.resolve('https://kms.unknown.example') });
    expect(check(p)).toMatchObject({ status: 'non-compliant', problem: expect.stringContaining('is not proven') });
  });

  it('Noncompliance: a client-side claim the configuration does not back is read as none, an error in sovereign', () => {
    const p = backup(custody('client-side'), { custodyUnbacked: 'there is no Secret backup/velero-repo-credentials' });
    expect(check(p)).toMatchObject({
      status: 'non-compliant',
      problem: expect.stringContaining('claims key custody client-side, but the written configuration does not back it: there is no Secret backup/velero-repo-credentials'),
      fix: expect.stringContaining('make the configuration do what the claim says'),
    });
    expect(severity(p, 'sovereign')).toBe('error');
  });

  it('is suppressible with a reason like every rule', () => {
    const result = evaluate([backup(custody('provider'))], context('DE', 'EU', 'strict'), [{ rule: 'SD-KEY-CUSTODY', reason: 'the provider is the agency itself' }], [keyCustody]);
    expect(result.findings).toHaveLength(0);
    expect(result.suppressed[0]).toMatchObject({ ruleId: 'SD-KEY-CUSTODY', suppressedBy: { reason: 'the provider is the agency itself' } });
  });
});
