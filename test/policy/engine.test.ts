import { Rule, RULE_FAILED, dataResidency, evaluate, formatFinding, formatStateLocation, formatSummary } from '../../constructs/policy';
import { context, placement } from '../util';

// Encrypted before they leave: only where they are is judged here (SD-KEY-CUSTODY has tests of its own).
const keys = { custody: 'client-side', readable: 'ciphertext' } as const;
const foreignBackup = placement('backup', 'https://s3.us-east-1.amazonaws.com', { ownerPath: 'stack/Backup', field: 'spec.backup.endpoint', keys });
const homeBucket = placement('bucket', 'https://fsn1.your-objectstorage.com', { ownerPath: 'stack/Files', noBackupReason: 'scratch space under test', keys });
const dockerImage = placement('registry', 'nginx:1.27', { ownerPath: 'stack/Web' });

describe('evaluate', () => {
  it('reports every finding of a run together, errors first, deterministically', () => {
    const result = evaluate([dockerImage, homeBucket, foreignBackup], context('DE', 'EU'));
    expect(result.findings.map((f) => [f.severity, f.ruleId, f.placement.ownerPath])).toEqual([
      ['error', 'SD-OPERATOR', 'stack/Backup'],
      ['error', 'SD-RESIDENCY', 'stack/Backup'],
      ['warning', 'SD-SUPPLY-CHAIN', 'stack/Web'],
    ]);
    const reversed = evaluate([foreignBackup, homeBucket, dockerImage], context('DE', 'EU'));
    expect(reversed).toEqual(result);
  });

  it('runs only the rules switched on in the profile', () => {
    const result = evaluate([dockerImage, foreignBackup], context('DE', 'EU', 'residency'));
    expect(result.findings.map((f) => f.ruleId)).toEqual(['SD-RESIDENCY']);
  });

  it('raises supply chain to an error in strict', () => {
    const result = evaluate([dockerImage], context('DE', 'EU', 'strict'));
    expect(result.findings.map((f) => [f.ruleId, f.severity])).toEqual([['SD-SUPPLY-CHAIN', 'error']]);
  });

  it('turns a rule that throws into a finding instead of crashing', () => {
    const broken: Rule = {
      id: 'SD-BROKEN', title: 't', explanation: 'e', objective: 'SOV-3',
      severity: { residency: 'error', sovereign: 'error', strict: 'error' },
      check: () => { throw new Error('boom'); },
    };
    const result = evaluate([homeBucket], context(), [], [broken]);
    expect(result.findings).toEqual([expect.objectContaining({
      ruleId: RULE_FAILED, severity: 'error', problem: expect.stringContaining('rule SD-BROKEN threw on bucket under test: boom'),
    })]);
  });
});

describe('suppressions', () => {
  it('moves a matching finding to the suppressed list with its reason', () => {
    const reason = 'US bucket accepted until migration 2027-01, ticket OPS-12';
    const result = evaluate([foreignBackup], context('DE', 'EU'), [{ rule: 'SD-OPERATOR', reason }]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['SD-RESIDENCY']);
    expect(result.suppressed).toEqual([expect.objectContaining({ ruleId: 'SD-OPERATOR', suppressedBy: { rule: 'SD-OPERATOR', reason } })]);
    expect(result.unusedSuppressions).toEqual([]);
  });

  it('limits a suppression to a construct path', () => {
    const result = evaluate([dockerImage, placement('registry', 'quay.io/x/y:1', { ownerPath: 'stack/Other' })], context(),
      [{ rule: 'SD-SUPPLY-CHAIN', reason: 'upstream image, mirrored next quarter', path: 'stack/Web' }]);
    expect(result.findings.map((f) => f.placement.ownerPath)).toEqual(['stack/Other']);
    expect(result.suppressed.map((f) => f.placement.ownerPath)).toEqual(['stack/Web']);
  });

  it('reports suppressions that matched nothing', () => {
    const unused = { rule: 'SD-REGION-SPAN', reason: 'no multi-country region is used' };
    expect(evaluate([homeBucket], context(), [unused]).unusedSuppressions).toEqual([unused]);
  });
});

describe('formatting', () => {
  it('names the rule, the value with its field, the bounds and the fix', () => {
    const ctx = context('DE', 'EU');
    const [finding] = evaluate([foreignBackup], ctx, [], [dataResidency]).findings;
    expect(formatFinding(finding, ctx).split('\n')).toEqual([
      expect.stringMatching(/^SD-RESIDENCY Data stays in the jurisdiction: backup under test is outside the jurisdiction: data in US/),
      '    value:        https://s3.us-east-1.amazonaws.com (spec.backup.endpoint)',
      '    bounds:       data DE; operators EU (27 countries); profile sovereign',
      expect.stringMatching(/^ {4}fix: {10}set spec\.backup\.endpoint to a location in DE, e\.g\. https:\/\/fsn1/),
    ]);
  });

  it('summarises the verdict and counts', () => {
    const result = evaluate([foreignBackup, dockerImage], context('DE', 'EU'));
    expect(formatSummary('agency-de', result)).toBe(
      'agency-de: sovereignty FAIL: 2 errors, 1 warning, 0 suppressed, 2 placements (data DE; operators EU (27 countries); profile sovereign)',
    );
  });
});

describe('state location line', () => {
  it('says where the state is, and when it is not proven', () => {
    const state = placement('state', 'https://fsn1.your-objectstorage.com', { backend: 's3', description: 'Terraform state (bucket s)' });
    expect(formatStateLocation('a', evaluate([state], context()))).toBe(
      'a: Terraform state (holds every generated secret): Terraform state (bucket s), data in DE (Hetzner fsn1, Falkenstein); operator DE',
    );
    const local = placement('state', 'local:terraform.tfstate', { backend: 'local', description: 'Terraform state (local file)' });
    expect(formatStateLocation('a', evaluate([local], context()))).toMatch(/^a: Terraform state \(holds every generated secret\): Terraform state \(local file\), not proven/);
    expect(formatStateLocation('a', evaluate([], context()))).toBe('a: Terraform state: no backend declared');
  });
});
