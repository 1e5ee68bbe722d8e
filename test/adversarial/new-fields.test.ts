/**
 * Attacks through the newest parts of the kit: a Cluster's egress address
 * ranges, provider mirror and state; a KMS that holds a key; the CronJob
 * written without its binding; rclone remotes configured by environment
 * variables; Velero's values. Each must fail and name the foreign place.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Release } from '@cdktf/provider-helm/lib/release';
import { CronJob } from '@cdktf/provider-kubernetes/lib/cron-job';
import type { CronJobV1Config } from '@cdktf/provider-kubernetes/lib/cron-job-v1';
import { CRON_JOB_MAP_ATTRIBUTES, CronJobV1, blockToTerraform } from '../../constructs/platform/cron-job';
import { App, TerraformVariable } from 'cdktf';
import { SourcedDocument, SpecError, assembleFleet, parseDocumentOf } from '../../constructs/deployment';
import { RULE_IDS } from '../../constructs/policy/engine';
import { formatFinding } from '../../constructs/policy/format';
import { DeclaredPlacement, SovereignStack } from '../../constructs/proof';
import { addFleet } from '../../stacks/fleet-app';
import { Attack, composed, configMap, outcome, runAttacks, spec, specOnly } from './harness';
import { TEST_PROVIDER_MIRROR, scope, workplace } from '../util';

/** A team's own CronJob (kubernetes_cron_job_v1) whose one container runs rclone with `env` and `args`. */
function rcloneJob(env: Record<string, string>, args: string[] = ['sync', '/data', 'offsite:bucket']) {
  return composed((stack) => {
    new CronJobV1(scope(stack), 'Copy', {
      metadata: { name: 'copy', namespace: 'team' },
      spec: {
        schedule: '0 3 * * *',
        jobTemplate: {
          metadata: {},
          spec: {
            template: {
              metadata: {},
              spec: {
                container: [{
                  name: 'rclone', image: `${TEST_PROVIDER_MIRROR.pattern}/rclone/rclone:1.71.2`, args,
                  env: Object.entries(env).map(([name, value]) => ({ name, value })),
                }],
              },
            },
          },
        },
      },
    });
  });
}

/** A team's CronJob whose pod has these settings (binding spelling). */
function podSettings(settings: Record<string, unknown>) {
  return composed((stack) => {
    new CronJobV1(scope(stack), 'Copy', { metadata: { name: 'copy', namespace: 'team' }, spec: { schedule: '0 3 * * *', jobTemplate: { metadata: {}, spec: { template: { metadata: {}, spec: {
      container: [{ name: 'c', image: `${TEST_PROVIDER_MIRROR.pattern}/team/job:1` }], ...settings,
    } } } } } });
  });
}

/** An rclone S3 remote whose endpoint is a declared German host. */
const DECLARED_REMOTE = { RCLONE_CONFIG_OFFSITE_TYPE: 's3', RCLONE_CONFIG_OFFSITE_PROVIDER: 'Other', RCLONE_CONFIG_OFFSITE_ENDPOINT: `https://${TEST_PROVIDER_MIRROR.pattern}` };

const ATTACKS: Attack[] = [
  // The CronJob written without its binding: its containers are read as any resource's.
  { class: 'scan', name: 'a team\'s CronJob whose rclone remote has an AWS endpoint', build: () => rcloneJob({ RCLONE_CONFIG_OFFSITE_TYPE: 's3', RCLONE_CONFIG_OFFSITE_ENDPOINT: 'https://s3.us-east-1.amazonaws.com' }), expectNamed: 's3.us-east-1.amazonaws.com' },
  // A foreign registry is a warning under sovereign (SD-SUPPLY-CHAIN), an error under strict.
  { class: 'scan', name: 'a team\'s CronJob whose image is from a foreign registry (strict)', build: () => composed((stack) => {
    new CronJobV1(scope(stack), 'Copy', { metadata: { name: 'copy', namespace: 'team' }, spec: { schedule: '0 3 * * *', jobTemplate: { metadata: {}, spec: { template: { metadata: {}, spec: { container: [{ name: 'c', image: 'docker.io/rclone/rclone:1.71.2' }] } } } } } });
  }, { profile: 'strict' }), expectNamed: 'docker.io/rclone/rclone' },
  { class: 'scan', name: 'a team\'s CronJob whose rclone remote is an on-the-fly AWS remote in its args', build: () => rcloneJob({}, ['sync', '/data', ':s3,provider=AWS,region=us-east-1:bucket']), expectNamed: /amazonaws|s3,provider=AWS|rclone/ },
  { class: 'scan', name: 'a team\'s CronJob whose rclone S3 remote is AWS with no endpoint written (rclone\'s default)', build: () => rcloneJob({ RCLONE_CONFIG_OFFSITE_TYPE: 's3', RCLONE_CONFIG_OFFSITE_PROVIDER: 'AWS', RCLONE_CONFIG_OFFSITE_REGION: 'us-east-1' }), expectNamed: /amazonaws|OFFSITE/ },
  { class: 'scan', name: 'a team\'s CronJob whose rclone remote is Google Drive (no host written)', build: () => rcloneJob({ RCLONE_CONFIG_OFFSITE_TYPE: 'drive' }), expectNamed: /drive|OFFSITE/ },
  { class: 'scan', name: 'a team\'s CronJob whose rclone remote takes its endpoint from a Secret', build: () => composed((stack) => {
    new CronJobV1(scope(stack), 'Copy', { metadata: { name: 'copy', namespace: 'team' }, spec: { schedule: '0 3 * * *', jobTemplate: { metadata: {}, spec: { template: { metadata: {}, spec: { container: [{
      name: 'rclone', image: `${TEST_PROVIDER_MIRROR.pattern}/rclone/rclone:1.71.2`, args: ['sync', '/data', 'offsite:b'],
      env: [{ name: 'RCLONE_CONFIG_OFFSITE_TYPE', value: 's3' }, { name: 'RCLONE_CONFIG_OFFSITE_ENDPOINT', valueFrom: { secretKeyRef: { name: 'where', key: 'endpoint' } } }],
    }] } } } } } });
  }), expectNamed: /rclone:s3[\s\S]*OFFSITE|OFFSITE[\s\S]*rclone:s3/ },
  { class: 'scan', name: 'a ConfigMap with an rclone.conf whose remote is Dropbox', build: () => configMap('[offsite]\ntype = dropbox\ntoken = {}\n', 'rclone.conf'), expectNamed: 'api.dropboxapi.com' },
  { class: 'scan', name: 'a ConfigMap read by envFrom that configures a OneDrive remote', build: () => configMap('onedrive', 'RCLONE_CONFIG_OFFSITE_TYPE'), expectNamed: 'graph.microsoft.com' },
  { class: 'scan', name: 'a team\'s Helm release whose values give an rclone container a Google Cloud Storage remote', build: () => composed((stack) => {
    new Release(scope(stack), 'Copy', { name: 'copy', namespace: 'team', chart: 'cronjob', version: '1.0.0', repository: `https://${TEST_PROVIDER_MIRROR.pattern}/charts`,
      values: ['env:\n  - name: RCLONE_CONFIG_OFFSITE_TYPE\n    value: gcs\n'] });
  }), expectNamed: 'storage.googleapis.com' },
  { class: 'scan', name: 'a team\'s CronJob whose rclone remote is Backblaze B2 (no host written)', build: () => rcloneJob({ RCLONE_CONFIG_OFFSITE_TYPE: 'b2' }), expectNamed: /b2|OFFSITE/ },
  { class: 'scan', name: 'a team\'s rclone remote with a declared endpoint, emptied by its connection string', build: () => rcloneJob(DECLARED_REMOTE, ['sync', '/data', 'offsite,provider=AWS,endpoint="":bucket']), expectNamed: /rclone:offsite[\s\S]*endpoint=""|endpoint=""[\s\S]*rclone:offsite/ },
  { class: 'scan', name: 'a team\'s rclone remote with a declared endpoint, emptied by --s3-endpoint \'\'', build: () => rcloneJob(DECLARED_REMOTE, ['sync', '/data', 'offsite:bucket', '--s3-endpoint', '']), expectNamed: 's3.us-east-1.amazonaws.com' },
  { class: 'scan', name: 'a team\'s rclone remote with a declared endpoint, emptied by --s3-endpoint=', build: () => rcloneJob(DECLARED_REMOTE, ['sync', '/data', 'offsite:bucket', '--s3-endpoint=']), expectNamed: 's3.us-east-1.amazonaws.com' },
  // Velero's values, as the constructs now write them.
  { class: 'scan', name: 'a team\'s Velero whose location is set by `set` entries only (provider aws, a region, no s3Url)', build: () => composed((stack) => {
    new Release(scope(stack), 'Velero', { name: 'velero', namespace: 'team', chart: 'velero', version: '11.1.1', repository: `https://${TEST_PROVIDER_MIRROR.pattern}/charts`,
      values: ['configuration:\n  backupStorageLocation:\n    - name: default\n      provider: aws\n      bucket: b\n      config: { region: eu-central-1, s3Url: "https://backup.team.example" }\n'],
      set: [{ name: 'configuration.backupStorageLocation[0].provider', value: 'aws' }, { name: 'configuration.backupStorageLocation[0].bucket', value: 'b' }, { name: 'configuration.backupStorageLocation[0].config.region', value: 'us-east-1' }] });
  }, { locations: [{ pattern: 'backup.team.example', countries: ['DE'], operator: 'DE' }] }), expectNamed: 's3.us-east-1.amazonaws.com' },
  { class: 'scan', name: 'a team\'s Velero whose location is AWS with no s3Url', build: () => composed((stack) => {
    new Release(scope(stack), 'Velero', { name: 'velero', namespace: 'team', chart: 'velero', version: '11.1.1', repository: `https://${TEST_PROVIDER_MIRROR.pattern}/charts`,
      values: ['configuration:\n  backupStorageLocation:\n    - name: default\n      provider: aws\n      bucket: b\n      config: { region: us-east-1 }\n'] });
  }), expectNamed: 's3.us-east-1.amazonaws.com' },
  // Key custody: a KMS abroad.
  { class: 'declarations', name: 'a backup that claims customer-kms with the KMS in the US', build: () => composed((stack) => {
    new DeclaredPlacement(scope(stack), 'Backup', { kind: 'backup', target: 'https://backup.team.example', description: 'team backup',
      keys: { custody: 'customer-kms', readable: 'ciphertext', kms: 'https://kms.us-east-1.amazonaws.com', evidence: [{ kind: 'args', resource: 'copy', equals: [] }] } });
  }, { locations: [{ pattern: 'backup.team.example', countries: ['DE'], operator: 'DE' }] }), expectNamed: 'kms.us-east-1.amazonaws.com' },
  { class: 'declarations', name: 'a backup that claims client-side with evidence naming another team\'s resource', build: () => composed((stack) => {
    new DeclaredPlacement(scope(stack), 'Backup', { kind: 'backup', target: 'https://backup.team.example', description: 'team backup',
      keys: { custody: 'client-side', readable: 'ciphertext', evidence: [{ kind: 'env', resource: 'nothing-here', variable: 'X', equals: 'y' }] } });
  }, { locations: [{ pattern: 'backup.team.example', countries: ['DE'], operator: 'DE' }] }), expectNamed: 'nothing-here' },
  { class: 'declarations', name: 'a customer-kms claim whose KMS is a variable that defaults to AWS us-east-1', build: () => composed((stack) => {
    const kms = new TerraformVariable(scope(stack), 'kms', { type: 'string', default: 'https://kms.us-east-1.amazonaws.com' });
    new DeclaredPlacement(scope(stack, 'Backups'), 'Backup', { kind: 'backup', target: 'https://backup.team.example', description: 'team backup',
      keys: { custody: 'customer-kms', readable: 'ciphertext', kms: kms.stringValue, evidence: [{ kind: 'args', resource: 'copy', equals: [] }] } });
  }, { locations: [{ pattern: 'backup.team.example', countries: ['DE'], operator: 'DE' }] }), expectNamed: 'kms.us-east-1.amazonaws.com' },
  { class: 'declarations', name: 'a customer-kms claim whose KMS URL has a declared host as userinfo', build: () => composed((stack) => {
    new DeclaredPlacement(scope(stack), 'Backup', { kind: 'backup', target: 'https://backup.team.example', description: 'team backup',
      keys: { custody: 'customer-kms', readable: 'ciphertext', kms: 'https://backup.team.example@kms.us-east-1.amazonaws.com', evidence: [{ kind: 'args', resource: 'copy', equals: [] }] } });
  }, { locations: [{ pattern: 'backup.team.example', countries: ['DE'], operator: 'DE' }] }), expectNamed: 'SD-RESIDENCY' },
  // The CronJob's pod settings, written generically, are read as any resource's.
  { class: 'scan', name: 'a team\'s CronJob that sends its DNS queries to a public resolver', build: () => podSettings({ dnsPolicy: 'None', dnsConfig: { nameservers: ['8.8.8.8'] } }), expectNamed: '8.8.8.8' },
  { class: 'scan', name: 'a team\'s CronJob whose hostAliases map a declared host to an AWS address', build: () => podSettings({ hostAliases: [{ ip: '52.216.8.1', hostnames: [TEST_PROVIDER_MIRROR.pattern] }] }), expectNamed: '52.216.8.1' },
  { class: 'scan', name: 'a team\'s CronJob whose hostAliases map a declared host to an IPv6 address', build: () => podSettings({ hostAliases: [{ ip: '2600:1f18::1', hostnames: [TEST_PROVIDER_MIRROR.pattern] }] }), expectNamed: '2600:1f18::1' },
  // Workplace fields.
  { class: 'declarations', name: 'spec.terraform.providerMirror in the US (strict)', build: () => spec({ profile: 'strict', terraform: { providerMirror: 'https://s3.us-east-1.amazonaws.com/mirror/' } }), expectNamed: 's3.us-east-1.amazonaws.com/mirror/' },
  { class: 'egress', name: 'spec.egress.cidrs gives a declared German host a published AWS us-east-1 range', build: () => specOnly({ egress: { cidrs: { 'fsn1.your-objectstorage.com': ['52.216.8.0/24'] } } }), expectNamed: 'published by AWS for us-east-1' },
  { class: 'egress', name: 'spec.egress.cidrs gives a host a range wider than one host', build: () => specOnly({ egress: { cidrs: { 'fsn1.your-objectstorage.com': ['52.216.0.0/15'] } } }), expectNamed: 'too wide for egress' },
  { class: 'declarations', name: 'spec.state s3 in the US', build: () => spec({ state: { backend: 's3', endpoint: 'https://s3.us-east-1.amazonaws.com', bucket: 'state-bucket' } }), expectNamed: 's3.us-east-1.amazonaws.com' },
];

runAttacks(ATTACKS);

describe('rclone remotes the suite writes itself are not reported', () => {
  it('passes the bucket replication of the default spec: its remotes name their endpoints, the crypt remote wraps one', () => {
    const out = outcome(() => spec({}));
    expect(out.errors.filter((e) => /rclone/.test(e))).toEqual([]);
    expect(out.warnings.filter((e) => /rclone/.test(e))).toEqual([]);
  });

  it('passes a team\'s rclone remote whose endpoint is a declared host (the text scan judges that host)', () => {
    expect(outcome(() => rcloneJob(DECLARED_REMOTE)).errors).toEqual([]);
    expect(outcome(() => rcloneJob(DECLARED_REMOTE, ['sync', '/data', 'offsite,fast_list=true:bucket', '--s3-endpoint', `https://${TEST_PROVIDER_MIRROR.pattern}`])).errors).toEqual([]);
  });

  it('is not applicable to an INI file that is not rclone\'s (a systemd unit\'s Type=)', () => {
    const out = outcome(() => configMap('[Service]\ntype = notify\nExecStart=/bin/true\n', 'unit.service'));
    expect(out.errors.filter((e) => /rclone/.test(e))).toEqual([]);
  });
});

describe('key custody evidence read from another resource of the same name', () => {
  /**
   * The default Workplace with its bucket replication rewritten to copy the
   * bucket to the target in plain form (no crypt remote), and a team's own
   * resource of the same name elsewhere that carries the crypt settings the
   * claim names.
   */
  function plainCopyWithDecoy(decoy: boolean) {
    const stack = workplace();
    const job = stack.node.findAll().find((c): c is CronJobV1 => c instanceof CronJobV1 && c.node.path.includes('Replication'));
    if (!job) throw new Error('the default Workplace has no bucket replication');
    const config = (job as unknown as { config: CronJobV1Config }).config;
    const name = config.metadata.name as string;
    const container = blockToTerraform((config.spec.jobTemplate.spec.template.spec?.container as unknown[])[0], CRON_JOB_MAP_ATTRIBUTES) as Record<string, any>;
    const crypt = container.env.filter((e: { name: string }) => e.name.startsWith('RCLONE_CONFIG_BACKUP_'));
    const remote = crypt.find((e: { name: string }) => e.name === 'RCLONE_CONFIG_BACKUP_REMOTE').value as string;
    // The copy goes to the target itself: plain objects, plain names.
    job.addOverride('spec.job_template.spec.template.spec.container.0.args', container.args.map((a: string) => (a === 'backup:' ? remote : a)));
    job.addOverride('spec.job_template.spec.template.spec.container.0.env', container.env.filter((e: { name: string }) => !e.name.startsWith('RCLONE_CONFIG_BACKUP_')));
    if (decoy) {
      new CronJob(scope(stack), 'Decoy', {
        metadata: { name, namespace: 'team' },
        spec: { schedule: '0 0 1 1 *', jobTemplate: { metadata: {}, spec: { template: { metadata: {}, spec: { container: [{ name: 'noop', image: container.image, args: container.args, env: crypt }] } } } } },
      });
    }
    return stack;
  }
  const custody = (errors: readonly string[]) => errors.filter((e) => e.startsWith('SD-KEY-CUSTODY') && e.includes('bucket replication') || /copy of bucket/.test(e));

  it('fails if the replication copies in plain form (the claim is read as none)', () => {
    expect(custody(outcome(() => plainCopyWithDecoy(false)).errors)).toEqual([expect.stringMatching(/claims key custody client-side, but the written configuration does not back it/)]);
  });

  it('fails if a team\'s resource of the same name in another namespace carries the crypt settings', () => {
    expect(custody(outcome(() => plainCopyWithDecoy(true)).errors)).toEqual([expect.stringMatching(/claims key custody client-side, but the written configuration does not back it/)]);
  });
});

describe('a Cluster\'s new fields send data abroad: its stack or its tenant\'s fails', () => {
  type Doc = { apiVersion: string; kind: string; metadata: { name: string }; spec: Record<string, unknown> };
  const example = (file: string) => parse(readFileSync(join(__dirname, '..', '..', 'deployments', file), 'utf8')) as Doc;
  const changed = (doc: Doc, spec: Record<string, unknown>): Doc => ({ ...doc, spec: { ...doc.spec, ...spec } });

  /** The example Cluster shared-de changed by `spec`, with its tenant agency-de: refusals and both stacks' errors. */
  function errors(spec: Record<string, unknown>, tenant: Record<string, unknown> = {}): { cluster: string[]; tenant: string[]; refused: string } {
    const documents: SourcedDocument[] = [];
    const refusals: SpecError[] = [];
    for (const doc of [changed(example('shared-de.yaml'), spec), changed(example('agency-de.yaml'), tenant)]) {
      const path = `fleet/${doc.metadata.name}.yaml`;
      try {
        documents.push({ source: { path, text: JSON.stringify(doc) }, document: parseDocumentOf(doc, path, { knownRules: RULE_IDS }) });
      } catch (error) {
        if (!(error instanceof SpecError)) throw error;
        refusals.push(error);
      }
    }
    const fleet = assembleFleet(documents, refusals);
    const refused = fleet.errors.map((e) => e.message).join('\n');
    if (fleet.clusters.length === 0) return { cluster: [], tenant: [], refused };
    const stacks = addFleet(new App(), fleet, { report: false, terminal: false });
    const of = (stack: SovereignStack | undefined) => {
      if (!stack) return [];
      const result = stack.prove();
      return result.findings.filter((f) => f.severity === 'error').map((f) => formatFinding(f, result.context));
    };
    return { cluster: of(stacks.clusters.get('shared-de')), tenant: of(stacks.workplaces.get('agency-de')), refused };
  }

  it('passes the example Cluster and its tenant unchanged (the baseline)', () => {
    expect(errors({})).toEqual({ cluster: [], tenant: [], refused: '' });
  });

  it('fails if the Cluster keeps its state in S3 in us-east-1', () => {
    expect(errors({ state: { backend: 's3', endpoint: 'https://s3.us-east-1.amazonaws.com', bucket: 'shared-de-state' } }).cluster.join('\n')).toMatch(/s3\.us-east-1\.amazonaws\.com[\s\S]*spec\.state/);
  });

  it('fails if the Cluster backs up every tenant\'s volumes to us-east-1', () => {
    const out = errors({ backup: { endpoint: 'https://s3.us-east-1.amazonaws.com', bucket: 'shared-de-volumes', schedule: '0 1 * * *', retentionDays: 30 } });
    expect(out.cluster.join('\n')).toMatch(/s3\.us-east-1\.amazonaws\.com/);
  });

  it('fails if the Cluster ships every tenant\'s logs to an undeclared host, in the Cluster\'s stack and in the tenant\'s', () => {
    const out = errors({ logging: { endpoint: 'https://logs.example.com/loki/api/v1/push' } });
    expect(out.cluster.join('\n')).toMatch(/logs\.example\.com/);
    expect(out.tenant.join('\n')).toMatch(/logs\.example\.com/);
  });

  it('fails if the Cluster installs providers from a mirror in us-east-1 (strict)', () => {
    const out = errors({ profile: 'strict', terraform: { providerMirror: 'https://s3.us-east-1.amazonaws.com/mirror/' } });
    expect(out.cluster.join('\n')).toMatch(/s3\.us-east-1\.amazonaws\.com\/mirror\//);
  });

  it('refuses a Cluster whose egress ranges give its backup host a published AWS us-east-1 range', () => {
    expect(errors({ egress: { cidrs: { 'fsn1.your-objectstorage.com': ['52.216.8.0/24'] } } }).refused).toMatch(/52\.216\.8\.0\/24[\s\S]*published by AWS for us-east-1|published by AWS for us-east-1[\s\S]*52\.216\.8\.0\/24/);
  });
});
