/**
 * Attacks on who can read the copies that leave the cluster: a sink reached
 * without verified TLS in a team's own release, a KMS outside the bounds, a
 * key custody claimed where the written configuration does not back it.
 */
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { Release } from '@cdktf/provider-helm/lib/release';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Jurisdiction } from '../../constructs/jurisdiction';
import { GeneratedSecret } from '../../constructs/platform';
import { DeclaredPlacement, SovereignStack } from '../../constructs/proof';
import { outcome } from './harness';
import { TEST_PROVIDER_MIRROR, minimalStack, scope, synth, workplace } from '../util';

/** A team's own Helm release of an upstream chart, from a declared chart repository, with the given values. */
function teamRelease(chart: string, version: string, values: string): SovereignStack {
  const stack = minimalStack({ report: false, locations: [...TEST_LOCATIONS] });
  new Release(scope(stack), 'Release', {
    name: 'team', namespace: 'team', chart, version, repository: `https://${TEST_PROVIDER_MIRROR.pattern}/charts`, values: [values],
  });
  return stack;
}

const TEST_LOCATIONS = [
  { pattern: 'logs.team.example', countries: ['DE'], operator: 'DE' },
  { pattern: 'metrics.team.example', countries: ['DE'], operator: 'DE' },
  { pattern: 'kms.team.example', countries: ['DE'], operator: 'DE' },
] as const;

const tlsErrors = (build: () => SovereignStack) => outcome(build).errors.filter((e) => e.startsWith('SD-TLS'));

describe('SD-TLS: a team\'s own log and metrics releases must verify TLS', () => {
  it.each([
    ['tls.verify Off', '[OUTPUT]\n    Name loki\n    Match *\n    Host logs.team.example\n    Port 443\n    tls On\n    tls.verify Off\n', 'tls.verify Off in a Fluent Bit [OUTPUT] (loki)'],
    ['tls.verify false', '[OUTPUT]\n    Name http\n    Host logs.team.example\n    tls on\n    tls.verify false\n', 'tls.verify false in a Fluent Bit [OUTPUT] (http)'],
    ['tls Off', '[OUTPUT]\n    Name es\n    Host logs.team.example\n    Port 9200\n    tls Off\n', 'tls Off in a Fluent Bit [OUTPUT] (es)'],
    ['no tls at all (Fluent Bit\'s default is off)', '[OUTPUT]\n    Name loki\n    Host logs.team.example\n', 'tls not set (Off) in a Fluent Bit [OUTPUT] (loki)'],
  ])('fails if a team\'s Fluent Bit ships logs with %s, naming the setting', (_name, outputs, setting) => {
    const values = `config:\n  outputs: |\n${outputs.split('\n').map((l) => `    ${l}`).join('\n')}\n`;
    const errors = tlsErrors(() => teamRelease('fluent-bit', '0.58.1', values));
    expect(errors).toEqual([expect.stringContaining(setting)]);
    expect(errors[0]).toContain('logs.team.example');
  });

  it('fails if a team\'s Fluent Bit in YAML format turns verification off', () => {
    const values = 'config:\n  pipeline: |\n    pipeline:\n      outputs:\n        - name: loki\n          host: logs.team.example\n          tls: on\n          tls.verify: off\n';
    expect(tlsErrors(() => teamRelease('fluent-bit', '0.58.1', values))).toEqual([expect.stringContaining('tls.verify false in a Fluent Bit [OUTPUT] (loki)')]);
  });

  it.each([
    ['insecure_skip_verify: true', 'server:\n  remoteWrite:\n    - url: https://metrics.team.example/api/v1/write\n      tls_config:\n        insecure_skip_verify: true\n', 'tls_config.insecure_skip_verify: true'],
    ['a plain http:// url', 'server:\n  remoteWrite:\n    - url: http://metrics.team.example/api/v1/write\n', 'a plain http:// remote_write url'],
  ])('fails if a team\'s Prometheus remote-writes with %s', (_name, values, setting) => {
    expect(tlsErrors(() => teamRelease('prometheus', '29.27.0', values))).toEqual([expect.stringContaining(setting)]);
  });

  it('fails if a ConfigMap carries a prometheus.yml with remote_write that skips verification', () => {
    const stack = minimalStack({ report: false, locations: [...TEST_LOCATIONS] });
    new ConfigMapV1(scope(stack), 'Config', {
      metadata: { name: 'prometheus', namespace: 'team' },
      data: { 'prometheus.yml': 'remote_write:\n  - url: https://metrics.team.example/api/v1/write\n    tls_config: { insecure_skip_verify: "true" }\n' },
    });
    expect(tlsErrors(() => stack)).toEqual([expect.stringContaining('insecure_skip_verify: true in a Prometheus remote_write')]);
  });

  it('fails if an OpenTelemetry exporter sends without TLS', () => {
    const values = 'config:\n  exporters:\n    otlphttp:\n      endpoint: https://metrics.team.example:4318\n      tls:\n        insecure: true\n';
    expect(tlsErrors(() => teamRelease('prometheus', '29.27.0', values))).toEqual([expect.stringContaining('tls.insecure: true in the exporter otlphttp')]);
  });

  it('passes verified TLS (compliant: the suite\'s own Fluent Bit and Prometheus, and a team\'s written the same way)', () => {
    expect(synth(workplace()).errors.filter((e) => e.message.startsWith('SD-TLS'))).toEqual([]);
    const values = 'config:\n  outputs: |\n    [OUTPUT]\n        Name loki\n        Host logs.team.example\n        tls On\n        tls.verify On\n';
    expect(tlsErrors(() => teamRelease('fluent-bit', '0.58.1', values))).toEqual([]);
    expect(tlsErrors(() => teamRelease('prometheus', '29.27.0', 'server:\n  remoteWrite:\n    - url: https://metrics.team.example/api/v1/write\n      tls_config: { insecure_skip_verify: false }\n'))).toEqual([]);
  });

  it('is not applicable to a sink inside the cluster (a Service)', () => {
    const values = 'config:\n  outputs: |\n    [OUTPUT]\n        Name loki\n        Host loki.team.svc\n        Port 3100\n';
    expect(tlsErrors(() => teamRelease('fluent-bit', '0.58.1', values))).toEqual([]);
  });
});

describe('SD-KEY-CUSTODY: a claim must hold in the written configuration', () => {
  const claim = (stack: SovereignStack, evidenceNamespace = 'team') => new DeclaredPlacement(scope(stack, 'Copy'), 'Backup', {
    kind: 'backup', target: 'https://fsn1.your-objectstorage.com', description: 'team backup',
    keys: {
      custody: 'client-side', readable: 'ciphertext',
      evidence: [{ kind: 'secret', namespace: evidenceNamespace, name: 'team-backup-key', keys: ['key'] }],
    },
  });

  it('fails if a client-side claim names a Secret that does not exist', () => {
    const errors = outcome(() => { const s = minimalStack({ report: false }); claim(s); return s; }).errors;
    expect(errors).toEqual([expect.stringContaining('claims key custody client-side, but the written configuration does not back it: there is no Secret team/team-backup-key')]);
  });

  it('fails if the Secret holds a literal instead of a generated key', () => {
    const errors = outcome(() => {
      const stack = minimalStack({ report: false });
      new ConfigMapV1(scope(stack, 'Decoy'), 'Map', { metadata: { name: 'team-backup-key', namespace: 'team' }, data: { key: 'x' } });
      new GeneratedSecret(scope(stack, 'Keys'), 'Secret', { namespace: 'team', name: 'team-backup-key', data: { key: 'not-generated' } });
      claim(stack);
      return stack;
    }).errors;
    expect(errors).toEqual([expect.stringContaining('key key of Secret team/team-backup-key')]);
    expect(errors[0]).toContain('is not generated by Terraform');
  });

  it('fails if an escape hatch removes what backed the claim (Velero\'s generated password replaced)', () => {
    const stack = workplace();
    const secret = stack.node.findAll().find((c) => c.node.path.endsWith('VolumeBackups/RepositoryPassword/Secret'));
    (secret as unknown as { addOverride(path: string, value: unknown): void }).addOverride('data.repository-password', 'static-passw0rd');
    const errors = synth(stack).errors;
    expect(errors.map((e) => [e.constructPath.split('/').slice(1).join('/'), e.message.split(':')[0]])).toEqual([
      ['Workplace/VolumeBackups/Backup', 'SD-KEY-CUSTODY Copies that leave the cluster are encrypted with keys held inside the bounds'],
    ]);
    expect(errors[0].message).toContain('key repository-password of Secret agency-de-backup/velero-repo-credentials');
  });

  it('fails if the bucket copy is pointed at the plain target instead of the crypt remote', () => {
    const stack = workplace();
    const cron = stack.node.findAll().find((c) => c.node.path.endsWith('FilesBucketReplication/CronJob'));
    (cron as unknown as { addOverride(path: string, value: unknown): void })
      .addOverride('spec.job_template.spec.template.spec.container.0.args.2', 'target:agency-de-backups/objects/agency-de-files');
    const errors = synth(stack).errors;
    expect(errors).toEqual([expect.objectContaining({ message: expect.stringContaining('copy of bucket agency-de-files') })]);
    expect(errors[0].message).toContain('claims key custody client-side, but the written configuration does not back it: a container of kubernetes_cron_job_v1');
  });

  it('fails if barman-cloud\'s server-side encryption is switched off: the backup reads as none', () => {
    const stack = workplace();
    const release = stack.node.findAll().find((c) => c.node.path.endsWith('IdentityDatabase/Chart/Release'));
    (release as unknown as { addOverride(path: string, value: unknown): void }).addOverride('set', [{ name: 'backups.wal.encryption', value: '' }]);
    const errors = synth(stack).errors.filter((e) => e.message.startsWith('SD-KEY-CUSTODY'));
    expect(errors).toEqual([expect.objectContaining({ message: expect.stringContaining('backups.wal.encryption of helm_release') })]);
  });

  it('fails if a team\'s own Velero has no repository password of its own: Kopia\'s built-in one is no key', () => {
    const errors = outcome(() => {
      const stack = minimalStack({ report: false });
      new Manifest(scope(stack), 'Bsl', {
        manifest: { apiVersion: 'velero.io/v1', kind: 'BackupStorageLocation', metadata: { name: 'offsite', namespace: 'velero' }, spec: { provider: 'aws', objectStorage: { bucket: 'b' }, config: { region: 'fsn1', s3Url: 'https://fsn1.your-objectstorage.com' } } },
      });
      return stack;
    }).errors;
    expect(errors).toEqual([expect.stringContaining('there is no Secret velero/velero-repo-credentials')]);
  });
});

describe('SD-KEY-CUSTODY: a KMS is a placement judged by the bounds', () => {
  const withKms = (kms: string) => {
    const stack = minimalStack({ report: false, locations: [...TEST_LOCATIONS] });
    new DeclaredPlacement(scope(stack, 'Copy'), 'Backup', {
      kind: 'backup', target: 'https://fsn1.your-objectstorage.com', description: 'team backup',
      keys: { custody: 'customer-kms', readable: 'ciphertext at rest', kms, evidence: [{ kind: 'env', resource: 'team-backup', variable: 'X', equals: 'y' }] },
    });
    return stack;
  };

  it('fails if the KMS is outside the bounds, naming it, and places the KMS itself', () => {
    const stack = minimalStack({ report: false, locations: [...TEST_LOCATIONS] });
    new DeclaredPlacement(scope(stack, 'Copy'), 'Backup', {
      kind: 'backup', target: 'https://fsn1.your-objectstorage.com', description: 'team backup',
      keys: { custody: 'customer-kms', readable: 'ciphertext at rest', kms: 'https://kms.us-east-1.amazonaws.com', evidence: [] },
    });
    expect(stack.prove().placements.some((p) => p.kind === 'endpoint' && p.target === 'https://kms.us-east-1.amazonaws.com')).toBe(true);
    const errors = outcome(() => stack).errors;
    expect(errors.some((e) => e.startsWith('SD-KEY-CUSTODY') && e.includes('team backup'))).toBe(true);
  });

  it('fails if the claim has no evidence that the KMS is used', () => {
    const errors = outcome(() => withKms('https://kms.team.example')).errors;
    expect(errors).toEqual([expect.stringContaining('claims key custody customer-kms, but the written configuration does not back it: there is no Kubernetes resource team-backup')]);
  });

  it('passes a KMS inside both bounds whose use the configuration shows (compliant)', () => {
    const stack = minimalStack({ report: false, locations: [...TEST_LOCATIONS], jurisdiction: Jurisdiction.of('DE') });
    new Release(scope(stack, 'Store'), 'Release', {
      name: 'team-store', namespace: 'team', chart: 'cluster', version: '0.8.1', repository: `https://${TEST_PROVIDER_MIRROR.pattern}/charts`,
      values: ['encryption: aws:kms\n'],
    });
    new DeclaredPlacement(scope(stack, 'Copy'), 'Backup', {
      kind: 'backup', target: 'https://fsn1.your-objectstorage.com', description: 'team backup',
      keys: { custody: 'customer-kms', readable: 'ciphertext at rest', kms: 'https://kms.team.example', evidence: [{ kind: 'values', release: 'team-store', path: 'encryption', equals: 'aws:kms' }] },
    });
    expect(outcome(() => stack).errors.filter((e) => e.startsWith('SD-KEY-CUSTODY'))).toEqual([]);
  });
});
