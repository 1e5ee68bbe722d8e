import { CODE_SETTING_NAMES, LocationResolver } from '../../../constructs/jurisdiction';
import {
  ALL_RULES, Rule, backupCoverage, dataResidency, exec, formatUnusedSuppression, operatorJurisdiction, phoneHome, regionSpan, stateBackend, supplyChain,
  unprovenLocation,
} from '../../../constructs/policy';
import { context, placement } from '../../util';

const DE = context('DE', 'EU');
const check = (rule: Rule, p: ReturnType<typeof placement>, ctx = DE) => rule.check(p, ctx);

describe('SD-RESIDENCY: data stays in the jurisdiction', () => {
  it('Compliance: a backup target in Germany', () => {
    expect(check(dataResidency, placement('backup', 'https://fsn1.your-objectstorage.com'))).toEqual({ status: 'compliant' });
  });

  it('Noncompliance 1: a backup target in the US, with in-jurisdiction alternatives', () => {
    const outcome = check(dataResidency, placement('backup', 'https://s3.us-east-1.amazonaws.com', { field: 'spec.backup.endpoint' }));
    expect(outcome).toMatchObject({
      status: 'non-compliant',
      problem: expect.stringContaining('data in US (AWS us-east-1, N. Virginia); operator US'),
      fix: expect.stringMatching(/^set spec\.backup\.endpoint to a location in DE, e\.g\. https:\/\/fsn1\.your-objectstorage\.com/),
    });
  });

  it('Noncompliance 2: an adequacy country is still outside, and says so', () => {
    const outcome = check(dataResidency, placement('log-sink', 'https://s3.pub1.infomaniak.cloud'), context('EU'));
    expect(outcome).toMatchObject({ status: 'non-compliant', problem: expect.stringContaining('CH has a GDPR adequacy decision') });
  });

  it('Not applicable: registries, state, unproven and multi-country locations', () => {
    expect(check(dataResidency, placement('registry', 'nginx:1.27')).status).toBe('not-applicable');
    expect(check(dataResidency, placement('state', 'https://s3.us-east-1.amazonaws.com')).status).toBe('not-applicable');
    expect(check(dataResidency, placement('bucket', 'https://unknown.example.com')).status).toBe('not-applicable');
    expect(check(dataResidency, placement('bucket', 'upcloud/europe-1')).status).toBe('not-applicable');
  });
});

describe('SD-REGION-SPAN: multi-country regions stay inside', () => {
  it('Compliance: a region spanning FI and DE under an EU jurisdiction', () => {
    expect(check(regionSpan, placement('bucket', 'upcloud/europe-1'), context('EU'))).toEqual({ status: 'compliant' });
  });

  it('Noncompliance: the same region under DE names FI', () => {
    expect(check(regionSpan, placement('bucket', 'upcloud/europe-1'))).toMatchObject({
      status: 'non-compliant', problem: expect.stringContaining('may hold data in FI'),
    });
  });

  it('Not applicable: single-country locations', () => {
    expect(check(regionSpan, placement('bucket', 'hetzner/fsn1')).status).toBe('not-applicable');
  });
});

describe('SD-OPERATOR: operators are under the declared law', () => {
  it('Compliance: a German operator under an EU bound', () => {
    expect(check(operatorJurisdiction, placement('database', 'stackit/eu01'))).toEqual({ status: 'compliant' });
  });

  it('Noncompliance 1: AWS Frankfurt is in DE but run under US law', () => {
    expect(check(operatorJurisdiction, placement('bucket', 'https://s3.eu-central-1.amazonaws.com'))).toMatchObject({
      status: 'non-compliant', problem: expect.stringContaining('run under US law'),
    });
  });

  it('Noncompliance 2: a European subsidiary with a foreign parent', () => {
    expect(check(operatorJurisdiction, placement('bucket', 'https://s3.eusc-de-east-1.amazonaws.eu'))).toMatchObject({ status: 'non-compliant' });
    expect(check(operatorJurisdiction, placement('bucket', 'https://sos-de-fra-1.exo.io'))).toMatchObject({
      status: 'non-compliant', problem: expect.stringContaining('MX'),
    });
  });

  it('Not applicable: registries, state and unproven locations; off in residency', () => {
    expect(check(operatorJurisdiction, placement('registry', 'quay.io/keycloak/keycloak:26.0')).status).toBe('not-applicable');
    expect(check(operatorJurisdiction, placement('state', 'https://s3.eu-central-1.amazonaws.com')).status).toBe('not-applicable');
    expect(check(operatorJurisdiction, placement('bucket', 'https://unknown.example.com')).status).toBe('not-applicable');
    expect(operatorJurisdiction.severity.residency).toBe('off');
  });
});

describe('SD-SUPPLY-CHAIN: images and charts come from inside', () => {
  it('Compliance: an image from openCode', () => {
    expect(check(supplyChain, placement('registry', 'registry.opencode.de/bmi/opendesk/x:1'))).toEqual({ status: 'compliant' });
  });

  it('Noncompliance: a Docker Hub image and a GitHub Pages chart repository', () => {
    expect(check(supplyChain, placement('registry', 'nginx:1.27'))).toMatchObject({
      status: 'non-compliant', fix: expect.stringContaining('spec.registry.mirror'),
    });
    expect(check(supplyChain, placement('chart-repository', 'https://codecentric.github.io/helm-charts'))).toMatchObject({ status: 'non-compliant' });
  });

  it('Not applicable: data placements and unproven registries', () => {
    expect(check(supplyChain, placement('bucket', 'https://s3.us-east-1.amazonaws.com')).status).toBe('not-applicable');
    expect(check(supplyChain, placement('registry', 'cr.unknown-registry.example/x:1')).status).toBe('not-applicable');
  });

  it('is a warning in sovereign and an error in strict', () => {
    expect(supplyChain.severity).toEqual({ residency: 'off', sovereign: 'warning', strict: 'error' });
  });
});

describe('SD-UNPROVEN: every location is proven', () => {
  it('Compliance: a catalogued host', () => {
    expect(check(unprovenLocation, placement('bucket', 'https://fsn1.your-objectstorage.com'))).toEqual({ status: 'compliant' });
  });

  it('Noncompliance: an unknown host, a hidden region, a computed value', () => {
    for (const target of ['https://logs.example.com', 'https://a.blob.core.windows.net', 'https://${var.endpoint}']) {
      expect(check(unprovenLocation, placement('log-sink', target))).toMatchObject({ status: 'non-compliant' });
    }
  });

  it('Not applicable: state (SD-STATE judges it)', () => {
    expect(check(unprovenLocation, placement('state', 'https://logs.example.com')).status).toBe('not-applicable');
  });

  it('fails closed: error in sovereign and strict', () => {
    expect(unprovenLocation.severity).toEqual({ residency: 'warning', sovereign: 'error', strict: 'error' });
  });
});

describe('SD-STATE: Terraform state stays in the jurisdiction', () => {
  it('Compliance: Kubernetes state in a German cluster, S3 state at Hetzner', () => {
    expect(check(stateBackend, placement('state', 'kubernetes.default.svc', { backend: 'kubernetes' }))).toEqual({ status: 'compliant' });
    expect(check(stateBackend, placement('state', 'https://fsn1.your-objectstorage.com', { backend: 's3' }))).toEqual({ status: 'compliant' });
  });

  it('Noncompliance 1: S3 state in us-east-1', () => {
    expect(check(stateBackend, placement('state', 'https://s3.us-east-1.amazonaws.com', { backend: 's3' }))).toMatchObject({
      status: 'non-compliant', problem: expect.stringContaining('every generated secret'),
    });
  });

  it('Noncompliance 2: S3 state in Frankfurt under a US operator', () => {
    expect(check(stateBackend, placement('state', 'https://s3.eu-central-1.amazonaws.com', { backend: 's3' }))).toMatchObject({ status: 'non-compliant' });
  });

  it('Noncompliance 3: local state and unproven endpoints', () => {
    expect(check(stateBackend, placement('state', 'local:terraform.tfstate', { backend: 'local' }))).toMatchObject({
      status: 'non-compliant', problem: expect.stringContaining('local file'),
    });
    expect(check(stateBackend, placement('state', 'https://state.example.com', { backend: 's3' }))).toMatchObject({ status: 'non-compliant' });
  });

  it('Compliance in residency: only where the state is counts', () => {
    const residency = context('DE', 'DE', 'residency');
    expect(check(stateBackend, placement('state', 'https://s3.eu-central-1.amazonaws.com', { backend: 's3' }), residency)).toEqual({ status: 'compliant' });
  });

  it('Not applicable: anything but state', () => {
    expect(check(stateBackend, placement('bucket', 'https://s3.us-east-1.amazonaws.com')).status).toBe('not-applicable');
  });
});

describe('SD-BACKUP: every data store is backed up inside the jurisdiction', () => {
  const resolver = new LocationResolver();
  const withBackups = (...targets: string[]) => placement('database', 'stackit/eu01', {
    backupLocations: targets.map((target) => ({ target, resolution: resolver.resolve(target) })),
  });

  it('Compliance 1: a database backed up to Hetzner fsn1', () => {
    expect(check(backupCoverage, withBackups('https://fsn1.your-objectstorage.com'))).toEqual({ status: 'compliant' });
  });

  it('Compliance 2: a cache that says why it needs no backup', () => {
    expect(check(backupCoverage, placement('database', 'stackit/eu01', { noBackupReason: 'in-memory cache' }))).toEqual({ status: 'compliant' });
  });

  it('Noncompliance 1: a store without any backup, named', () => {
    expect(check(backupCoverage, placement('volume', 'stackit/eu01', { description: 'mail store' }))).toMatchObject({
      status: 'non-compliant', problem: 'mail store has no backup',
    });
  });

  it('Noncompliance 2: one of two backups abroad', () => {
    expect(check(backupCoverage, withBackups('https://fsn1.your-objectstorage.com', 'https://s3.us-east-1.amazonaws.com'))).toMatchObject({
      status: 'non-compliant', problem: expect.stringContaining('leaves the jurisdiction: https://s3.us-east-1.amazonaws.com is data in US'),
    });
  });

  it('Noncompliance 3: a backup whose location is not proven', () => {
    expect(check(backupCoverage, withBackups('https://backup.example.com'))).toMatchObject({ status: 'non-compliant' });
  });

  it('Not applicable: endpoints, registries, backups themselves', () => {
    expect(check(backupCoverage, placement('endpoint', 'https://fsn1.your-objectstorage.com')).status).toBe('not-applicable');
    expect(check(backupCoverage, placement('backup', 'https://fsn1.your-objectstorage.com')).status).toBe('not-applicable');
  });
});

describe('SD-PHONE-HOME: applications do not call home', () => {
  it('Noncompliance: an endpoint found because a setting turns a call home on', () => {
    expect(check(phoneHome, placement('endpoint', 'https://matrix.org/report-usage-stats/push', { phoneHome: 'Synapse report_stats: true' }))).toMatchObject({
      status: 'non-compliant', fix: expect.stringContaining('Synapse report_stats: true'),
    });
  });

  it('Not applicable: every other placement (absent settings are not placements)', () => {
    expect(check(phoneHome, placement('endpoint', 'https://fsn1.your-objectstorage.com')).status).toBe('not-applicable');
  });

  it('is an error in sovereign and strict', () => {
    expect(phoneHome.severity).toEqual({ residency: 'warning', sovereign: 'error', strict: 'error' });
  });
});

describe('fixes are worded for the reader: spec fields for a spec, props and constructs for code', () => {
  const CODE = { ...DE, names: CODE_SETTING_NAMES };
  const abroad = placement('backup', 'https://s3.us-east-1.amazonaws.com');

  it.each([
    ['SD-BACKUP, no backup', backupCoverage, placement('database', 'https://db.stackit.example', { backupLocations: [] }), 'set spec.backup (the suite backs up every store it creates)', 'back it up with a backup construct: new PostgresCluster(…, { backup })'],
    ['SD-BACKUP, backup abroad', backupCoverage, placement('volume', 'k8s://pvc/x', { backupLocations: [{ target: abroad.target, resolution: abroad.resolution }] }), 'set spec.backup.endpoint to a location in DE', 'set the endpoint of the backup construct (backup.endpoint / target.endpoint) to a location in DE'],
    ['SD-STATE, local state', stateBackend, placement('state', 'local:terraform.tfstate', { backend: 'local' }), 'use spec.state.backend kubernetes', "choose the stack's backend: new ClusterConnection(stack, 'Connection', { apiServer })"],
    ['SD-SUPPLY-CHAIN, a registry abroad', supplyChain, placement('registry', 'quay.io/keycloak/keycloak:26.5.6'), 'set spec.registry.mirror to a registry in DE', 'set the mirror prop of the constructs'],
  ])('%s', (_name, rule, p, specWords, codeWords) => {
    const spec = check(rule as Rule, p);
    const code = check(rule as Rule, p, CODE);
    expect(spec).toMatchObject({ status: 'non-compliant', fix: expect.stringContaining(specWords) });
    expect(code).toMatchObject({ status: 'non-compliant', fix: expect.stringContaining(codeWords) });
    expect((code as { fix: string }).fix).not.toMatch(/spec\./);
  });

  it('an unused suppression names where suppressions are listed', () => {
    const suppression = { rule: 'SD-EXEC', reason: 'reviewed by the platform team' };
    expect(formatUnusedSuppression(suppression, DE)).toMatch(/remove it from spec\.suppressions$/);
    expect(formatUnusedSuppression(suppression, CODE)).toMatch(/remove it from new SovereignStack\(…, \{ suppressions: \[\.\.\.\] \}\)$/);
  });
});

describe('SD-SUPPLY-CHAIN names the source by its kind, and the fix that moves it', () => {
  it.each([
    ['provider-source', 'https://registry.terraform.io/hashicorp/helm', 'a provider registry', 'set spec.terraform.providerMirror to a provider mirror in the bounds'],
    ['module', 'https://github.com/team/vpc', 'a module source', "write the module's resources as constructs of the stack"],
    ['chart-repository', 'https://codecentric.github.io/helm-charts', 'a chart repository', 'set spec.registry.mirror to a registry in DE'],
    ['registry', 'ghcr.io/cloudnative-pg/postgresql:17', 'an image registry', 'and pull ghcr.io/cloudnative-pg/postgresql:17 through it'],
  ] as const)('%s', (kind, target, source, fix) => {
    expect(check(supplyChain, placement(kind, target))).toMatchObject({
      status: 'non-compliant', problem: expect.stringContaining(`served by ${source} outside the bounds`), fix: expect.stringContaining(fix),
    });
  });

  it('a provider source in code names the SovereignStack prop', () => {
    expect(check(supplyChain, placement('provider-source', 'https://registry.terraform.io/hashicorp/helm'), { ...DE, names: CODE_SETTING_NAMES }))
      .toMatchObject({ fix: expect.stringContaining("set new SovereignStack(…, { providerMirror: 'https://…' })") });
  });
});

describe('a metrics sink is judged as a log sink', () => {
  const sink = (target: string, extra = {}) => placement('metrics-sink', target, { field: 'spec.monitoring.endpoint', ...extra });

  it('Compliance: a declared sink in Germany, a catalogued one of a German operator', () => {
    for (const rule of [dataResidency, operatorJurisdiction, unprovenLocation]) {
      expect(check(rule, sink('https://metrics.agency.example/api/v1/write'))).toEqual({ status: 'compliant' });
    }
    expect(check(dataResidency, sink('https://fsn1.your-objectstorage.com'))).toEqual({ status: 'compliant' });
    expect(check(regionSpan, sink('upcloud/europe-1'), context('EU'))).toEqual({ status: 'compliant' });
  });

  it('Noncompliance 1: a sink in the US fails residency, naming the spec field and a place inside', () => {
    expect(check(dataResidency, sink('https://s3.us-east-1.amazonaws.com'))).toMatchObject({
      status: 'non-compliant',
      problem: expect.stringContaining('data in US'),
      fix: expect.stringMatching(/^set spec\.monitoring\.endpoint to a location in DE, e\.g\. https:\/\/fsn1\.your-objectstorage\.com/),
    });
  });

  it('Noncompliance 2: AWS Frankfurt fails the operator rule, a multi-country region fails the span', () => {
    expect(check(operatorJurisdiction, sink('https://s3.eu-central-1.amazonaws.com'))).toMatchObject({
      status: 'non-compliant', problem: expect.stringContaining('run under US law'),
    });
    expect(check(regionSpan, sink('upcloud/europe-1'))).toMatchObject({ status: 'non-compliant', problem: expect.stringContaining('may hold data in FI') });
  });

  it('Noncompliance 3: an undeclared host, a hidden region, a computed value fail closed', () => {
    for (const target of ['https://metrics.example.com/api/v1/write', 'https://a.blob.core.windows.net', 'https://${var.endpoint}']) {
      expect(check(unprovenLocation, sink(target))).toMatchObject({ status: 'non-compliant' });
    }
  });

  it('Not applicable: backups (a sink is not a data store of the suite), supply chain, state, exec and phone-home', () => {
    for (const rule of [backupCoverage, supplyChain, stateBackend, exec, phoneHome]) {
      expect(check(rule, sink('https://metrics.agency.example')).status).toBe('not-applicable');
    }
  });

  it.each([
    'https://metrics.agency.example', 'https://fsn1.your-objectstorage.com', 'https://s3.us-east-1.amazonaws.com',
    'https://s3.eu-central-1.amazonaws.com', 'https://s3.pub1.infomaniak.cloud', 'upcloud/europe-1', 'https://metrics.example.com',
  ])('every rule gives %s the same outcome as a log sink', (target) => {
    for (const rule of ALL_RULES) {
      for (const ctx of [DE, context('EU'), context('DE', 'DE', 'residency'), context('DE', 'EU', 'strict')]) {
        expect(check(rule, placement('metrics-sink', target, { description: 'sink' }), ctx)).toEqual(check(rule, placement('log-sink', target, { description: 'sink' }), ctx));
      }
    }
  });
});
