import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RULE_IDS } from '../../constructs/policy/engine';
import { SpecError, SpecProblem, parseDeployment, readDeployment } from '../../constructs/deployment';
import { defaultInput } from '../util';

/** Problems of the default spec with `spec` fields replaced (undefined deletes). */
function problems(spec: Record<string, unknown>, top: Record<string, unknown> = {}): SpecProblem[] {
  const input = defaultInput() as unknown as Record<string, Record<string, unknown>>;
  const merged = { ...input, ...top, spec: { ...input.spec, ...spec } };
  for (const [k, v] of Object.entries(spec)) if (v === undefined) delete merged.spec[k];
  try {
    parseDeployment(merged, 'test.yaml', { knownRules: RULE_IDS });
  } catch (error) {
    if (error instanceof SpecError) return [...error.problems];
    throw error;
  }
  return [];
}

function only(spec: Record<string, unknown>, top: Record<string, unknown> = {}): SpecProblem {
  const found = problems(spec, top);
  expect(found).toHaveLength(1);
  return found[0];
}

function writeTemp(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'desk-spec-')), name);
  writeFileSync(file, text);
  return file;
}

describe('deployment spec: valid input', () => {
  it('accepts the default spec and applies defaults', () => {
    const input = defaultInput();
    delete (input.spec as Record<string, unknown>).profile;
    delete (input.spec as Record<string, unknown>).apps;
    const d = parseDeployment(input, 'test');
    expect(d.spec.profile).toBe('sovereign');
    expect(d.spec.apps).toEqual(['identity', 'mail', 'files', 'office', 'chat']);
    expect(d.spec.jurisdiction.countries).toEqual(['DE']);
    expect(d.spec.operators?.countries).toHaveLength(27);
    expect(d.spec.state).toEqual({ backend: 'kubernetes', namespace: 'desk-system' });
  });

  it('accepts EL for Greece and a list jurisdiction', () => {
    expect(problems({ jurisdiction: ['DE', 'EL', 'AT'] })).toEqual([]);
  });

  it('reads JSON as well as YAML', () => {
    const file = writeTemp('desk.json', JSON.stringify(defaultInput()));
    expect(readDeployment(file).metadata.name).toBe('agency-de');
  });

  it('takes a cluster location that is a declared host', () => {
    expect(problems({ cluster: { location: 'k8s.agency.example' } })).toEqual([]);
  });
});

describe('deployment spec: fails if…', () => {
  it('the file does not exist', () => {
    expect(() => readDeployment('/nonexistent/desk.yaml')).toThrow(/DESK_DEPLOYMENT: file not found/);
  });

  it('the YAML is malformed, naming line and column', () => {
    const file = writeTemp('bad.yaml', 'spec:\n  domain: [unclosed\n');
    expect(() => readDeployment(file)).toThrow(/line \d+, column \d+/);
  });

  it('a key is duplicated', () => {
    const file = writeTemp('dup.yaml', 'spec:\n  domain: a.example\n  domain: b.example\n');
    expect(() => readDeployment(file)).toThrow(/Map keys must be unique/);
  });

  it('a field is unknown, suggesting the close one', () => {
    expect(only({ profil: 'strict' })).toMatchObject({
      path: 'spec.profil', value: 'strict', message: 'unknown field', fix: 'did you mean "profile"?',
      allowed: expect.stringContaining('profile'),
    });
  });

  it('a nested field is unknown', () => {
    expect(only({ backup: { endpoint: 'https://fsn1.your-objectstorage.com', bucket: 'agency', retention: 3 } })).toMatchObject({
      path: 'spec.backup.retention', fix: 'did you mean "retentionDays"?',
    });
  });

  it('apiVersion is not v1', () => {
    expect(only({}, { apiVersion: 'sovereign-desk/v2' })).toMatchObject({ path: 'apiVersion', allowed: '"sovereign-desk/v1"' });
  });

  it('metadata.name is not a stack name', () => {
    expect(only({}, { metadata: { name: 'Agency DE' } })).toMatchObject({ path: 'metadata.name', value: 'Agency DE' });
  });

  it('the profile is unknown, suggesting the close one', () => {
    expect(only({ profile: 'sovreign' })).toMatchObject({
      path: 'spec.profile', allowed: '"residency" | "sovereign" | "strict"', fix: 'did you mean "sovereign"?',
    });
  });

  it('the jurisdiction is not a country code or group', () => {
    expect(only({ jurisdiction: ['DE', 'UK'] })).toMatchObject({
      path: 'spec.jurisdiction', value: ['DE', 'UK'], message: '"UK" is not a country code or group', fix: 'did you mean "GB"?',
    });
  });

  it('the operators bound is not a country code or group', () => {
    expect(only({ operators: 'EUROPE' })).toMatchObject({ path: 'spec.operators', fix: 'did you mean "EU"?' });
  });

  it('a required field is missing', () => {
    expect(only({ domain: undefined })).toMatchObject({ path: 'spec.domain', value: undefined, message: 'required field is missing' });
  });

  it('the domain is not a DNS name', () => {
    expect(only({ domain: 'Desk.Agency.Example' })).toMatchObject({ path: 'spec.domain', fix: 'write it in lower case: "desk.agency.example"' });
  });

  it('an endpoint uses plain http', () => {
    expect(only({ logging: { endpoint: 'http://logs.agency.example/loki' } })).toMatchObject({
      path: 'spec.logging.endpoint', message: 'scheme http:// is not allowed here', fix: 'use "https://logs.agency.example/loki"',
    });
  });

  it('an endpoint has no scheme', () => {
    expect(only({ objectStorage: { endpoint: 'object.storage.eu01.onstackit.cloud' } })).toMatchObject({
      path: 'spec.objectStorage.endpoint', message: 'not a URL: the scheme is missing', fix: 'add the scheme: "https://object.storage.eu01.onstackit.cloud"',
    });
  });

  it('an endpoint carries credentials', () => {
    expect(only({ backup: { endpoint: 'https://key:secret@fsn1.your-objectstorage.com', bucket: 'agency' } })).toMatchObject({
      path: 'spec.backup.endpoint', message: expect.stringContaining('credentials'),
    });
  });

  it('the mail relay is not an SMTP URL', () => {
    expect(only({ mail: { relay: 'https://relay.agency.example' } })).toMatchObject({ path: 'spec.mail.relay', allowed: expect.stringContaining('smtp://') });
  });

  it('the backup schedule is not cron', () => {
    expect(only({ backup: { endpoint: 'https://fsn1.your-objectstorage.com', bucket: 'agency', schedule: 'daily' } })).toMatchObject({
      path: 'spec.backup.schedule', value: 'daily', message: 'not a five-field cron schedule: 1 field',
    });
  });

  it.each([
    ['0 25 * * *', 'the hour field "25" is not valid: Constraint error, got value 25 expected range 0-23'],
    ['61 2 * * *', 'the minute field "61" is not valid: Constraint error, got value 61 expected range 0-59'],
    ['0 2 32 * *', 'the day of month field "32" is not valid: Constraint error, got value 32 expected range 1-31'],
    ['0 2 * 13 *', 'the month field "13" is not valid: Constraint error, got value 13 expected range 1-12'],
    ['0 2 * * 8', 'the day of week field "8" is not valid: Constraint error, got value 8 expected range 0-7'],
    ['0 2 31 2 *', 'the schedule never runs or does not parse: Invalid explicit day of month definition'],
    ['0 2 * *', 'not a five-field cron schedule: 4 fields'],
  ])('the backup schedule %s is not a valid schedule, naming the field', (schedule, message) => {
    expect(only({ backup: { endpoint: 'https://fsn1.your-objectstorage.com', bucket: 'agency', schedule } })).toMatchObject({
      path: 'spec.backup.schedule', value: schedule, message,
    });
  });

  it.each(['0 2 * * *', '*/15 * * * *', '30 1 * * MON-FRI', '0 0 1,15 * *', '0 3 * * 7'])('accepts the schedule %s', (schedule) => {
    expect(problems({ backup: { endpoint: 'https://fsn1.your-objectstorage.com', bucket: 'agency', schedule } })).toEqual([]);
  });

  it('retentionDays is out of range', () => {
    expect(only({ backup: { endpoint: 'https://fsn1.your-objectstorage.com', bucket: 'agency', retentionDays: 0 } })).toMatchObject({
      path: 'spec.backup.retentionDays', value: 0, allowed: 'at least 1',
    });
  });

  it('a bucket name is invalid', () => {
    expect(only({ backup: { endpoint: 'https://fsn1.your-objectstorage.com', bucket: 'Agency_Backups' } })).toMatchObject({
      path: 'spec.backup.bucket', message: 'not a valid bucket name',
    });
  });

  it('tls names both acme and issuer, or neither', () => {
    expect(only({ tls: { acme: 'https://acme.agency.example/directory', issuer: 'internal-ca' } })).toMatchObject({ path: 'spec.tls' });
    expect(only({ tls: {} })).toMatchObject({ path: 'spec.tls', message: 'set exactly one of acme and issuer' });
  });

  it('the ACME e-mail is not an address', () => {
    expect(only({ tls: { acme: 'https://acme.agency.example/directory', email: 'ops' } })).toMatchObject({ path: 'spec.tls.email' });
  });

  it('the registry mirror has a scheme', () => {
    expect(only({ registry: { mirror: 'https://registry.agency.example/desk' } })).toMatchObject({ path: 'spec.registry.mirror' });
  });

  it('the state backend is unknown, suggesting the close one', () => {
    expect(only({ state: { backend: 's4' } })).toMatchObject({
      path: 'spec.state.backend', allowed: '"kubernetes" | "local" | "s3"', fix: 'did you mean "s3"?',
    });
  });

  it('an s3 state backend has no endpoint', () => {
    expect(only({ state: { backend: 's3', bucket: 'agency-state' } })).toMatchObject({ path: 'spec.state.endpoint', message: 'required field is missing' });
  });

  it('a field of another state backend is used', () => {
    expect(only({ state: { backend: 'local', bucket: 'agency-state' } })).toMatchObject({ path: 'spec.state.bucket', message: 'unknown field' });
  });

  it('a location pattern is not a host', () => {
    expect(only({ locations: { 'https://x.example': { country: 'DE', operator: 'DE' } } })).toMatchObject({ path: 'spec.locations["https://x.example"]' });
  });

  it('a declared country is not a code', () => {
    expect(only({ locations: { '*.agency.example': { country: 'Germany', operator: 'DE' } } })).toMatchObject({
      path: 'spec.locations["*.agency.example"].country',
    });
  });

  it('a declaration contradicts the catalogue', () => {
    expect(only({ locations: { '*.agency.example': { country: 'DE', operator: 'DE' }, '*.amazonaws.com': { country: 'DE', operator: 'DE' } } })).toMatchObject({
      path: 'spec.locations["*.amazonaws.com"]', message: expect.stringContaining('contradicts the catalogue'),
    });
  });

  it('the cluster region is not catalogued, suggesting the close one', () => {
    expect(only({ cluster: { location: 'stackit/eu1' } })).toMatchObject({
      path: 'spec.cluster.location', value: 'stackit/eu1', fix: 'did you mean "stackit/eu01"?',
    });
  });

  it('the cluster location names a provider without a region', () => {
    expect(only({ cluster: { location: 'hetzner' } })).toMatchObject({ path: 'spec.cluster.location', fix: expect.stringContaining('hetzner/') });
  });

  it('the cluster location is a host nobody declared', () => {
    expect(only({ cluster: { location: 'k8s.other.example' } })).toMatchObject({
      path: 'spec.cluster.location', fix: expect.stringContaining('declare "k8s.other.example" in spec.locations'),
    });
  });

  it('a suppression has no reason of 10 letters', () => {
    expect(only({ suppressions: [{ rule: 'SD-STATE', reason: 'trust me' }] })).toMatchObject({
      path: 'spec.suppressions[0].reason', message: 'a reason needs at least 10 letters, this one has 7',
    });
  });

  it('a suppression names an unknown rule, suggesting the close one', () => {
    expect(only({ suppressions: [{ rule: 'SD-RESIDENCE', reason: 'accepted by the DPO on 2026-11-01' }] })).toMatchObject({
      path: 'spec.suppressions[0].rule', fix: 'did you mean "SD-RESIDENCY"?',
    });
  });

  it('an app is unknown', () => {
    expect(only({ apps: ['identity', 'whiteboard'] })).toMatchObject({ path: 'spec.apps[1]', value: 'whiteboard' });
  });

  it('a value has the wrong type', () => {
    expect(only({ backup: { endpoint: 'https://fsn1.your-objectstorage.com', bucket: 'agency', retentionDays: 'thirty' } })).toMatchObject({
      path: 'spec.backup.retentionDays', message: 'expected number, got string',
    });
  });
});

describe('deployment spec: reporting', () => {
  it('reports every problem at once, naming field, value, allowed and fix', () => {
    const found = problems({ profile: 'x', jurisdiction: 'XX', cluster: { location: 'stackit/eu1' }, suppressions: [{ rule: 'nope', reason: 'x' }] });
    expect(found.map((p) => p.path).sort()).toEqual([
      'spec.cluster.location', 'spec.jurisdiction', 'spec.profile', 'spec.suppressions[0].reason', 'spec.suppressions[0].rule',
    ]);
  });

  it('renders a message without a stack trace', () => {
    const error = new SpecError('desk.yaml', [{ path: 'spec.profile', value: 'x', message: 'bad', allowed: 'a | b', fix: 'did you mean "a"?' }]);
    expect(error.message).toBe([
      'Invalid deployment spec desk.yaml (1 problem):',
      '  spec.profile: bad',
      '      value:   "x"',
      '      allowed: a | b',
      '      fix:     did you mean "a"?',
    ].join('\n'));
  });
});

describe('deployment spec: egress and report fields', () => {
  it('fails if an address range is not CIDR, suggesting the prefix length', () => {
    expect(only({ egress: { cidrs: { 'relay.agency.example': ['192.0.2.10'] } } })).toMatchObject({
      path: 'spec.egress.cidrs["relay.agency.example"][0]', message: 'not an address range', fix: 'add the prefix length, e.g. "192.0.2.10/32"',
    });
  });

  it('fails if the CNI is not one of the known choices', () => {
    expect(only({ cluster: { location: 'stackit/eu01', cni: 'calico' } })).toMatchObject({ path: 'spec.cluster.cni', allowed: '"cilium" | "other"' });
  });

  it('fails if the log output is unknown', () => {
    expect(only({ logging: { endpoint: 'https://logs.agency.example/push', output: 'lokii' } })).toMatchObject({ path: 'spec.logging.output', fix: 'did you mean "loki"?' });
  });
});
