import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { AppNamespace } from '../../constructs/platform';
import { Testing } from 'cdktf';
import { WorkplaceStack } from '../../stacks/workplace-stack';
import { PROVIDER_KEY_COPIES, defaultInput, deployment, minimalStack, pathsOf, resources, ruleIds, synth, toKubernetes, workplace } from '../util';
import { parseDeployment } from '../../constructs/deployment';
import { RULE_IDS } from '../../constructs/policy/engine';

describe('WorkplaceStack: the default deployment', () => {
  const out = synth(workplace());

  it('passes the policy: its only findings are the SD-KEY-CUSTODY warnings of the copies whose keys the provider holds, none suppressed', () => {
    expect(out.errors).toEqual([]);
    expect(pathsOf(out.warnings, 'SD-KEY-CUSTODY')).toEqual(PROVIDER_KEY_COPIES);
    expect(out.annotations).toHaveLength(PROVIDER_KEY_COPIES.length);
  });

  it('creates a namespace per app and one for the platform, with the documented Pod Security level, valid Kubernetes', () => {
    const namespaces = resources(out.json, 'kubernetes_namespace_v1');
    const levels = Object.fromEntries(namespaces.map((ns) => {
      const object = new Namespace(toKubernetes(ns) as never);
      expect(() => object.validate()).not.toThrow();
      const labels = object.metadata?.labels ?? {};
      expect(labels['pod-security.kubernetes.io/audit']).toBe(labels['pod-security.kubernetes.io/enforce']);
      return [object.metadata?.name, labels['pod-security.kubernetes.io/enforce']];
    }));
    expect(levels).toEqual({
      'agency-de-platform': 'restricted', 'agency-de-identity': 'restricted', 'agency-de-chat': 'restricted',
      'agency-de-video': 'restricted', 'agency-de-projects': 'restricted', 'agency-de-metrics': 'restricted',
      'agency-de-files': 'baseline', 'agency-de-office': 'baseline', 'agency-de-mail': 'baseline', 'agency-de-wiki': 'baseline',
      'agency-de-backup': 'privileged', 'agency-de-logging': 'privileged',
    });
  });

  it('denies all ingress in every namespace by default, and every NetworkPolicy is valid Kubernetes', () => {
    const policies = resources(out.json, 'kubernetes_network_policy_v1');
    const denies = policies.filter((p) => (p.metadata as { name: string }).name === 'default-deny-ingress');
    expect(denies).toHaveLength(resources(out.json, 'kubernetes_namespace_v1').length);
    for (const policy of denies) {
      expect(policy.spec).toEqual({ pod_selector: {}, policy_types: ['Ingress'] });
    }
    for (const policy of policies) {
      const object = new NetworkPolicy({ ...(toKubernetes(policy) as object), metadata: { name: (policy.metadata as { name: string }).name, namespace: 'ns' } } as never);
      expect(() => object.validate()).not.toThrow();
    }
  });

  it('configures the providers from the spec, with Helm provider v3 attribute syntax', () => {
    expect(out.json.provider).toEqual({
      kubernetes: [{ config_path: '~/.kube/config', host: 'https://api.k8s.agency.example:6443' }],
      helm: [{ kubernetes: { config_path: '~/.kube/config', host: 'https://api.k8s.agency.example:6443' } }],
      random: [{}],
      tls: [{}],
    });
  });

  it('keeps state in the cluster with the kubernetes backend', () => {
    expect(out.json.terraform?.backend).toEqual({
      kubernetes: { secret_suffix: 'agency-de', namespace: 'desk-system', config_path: '~/.kube/config', host: 'https://api.k8s.agency.example:6443' },
    });
  });

  it('inventories the cluster and every spec endpoint with its field, all proven', () => {
    const placements = workplace().prove().placements;
    expect(placements.filter((p) => p.field).map((p) => [p.kind, p.field, p.ownerPath]).sort()).toEqual([
      ['backup', 'spec.backup.endpoint', 'agency-de/Workplace/ChatDatabase/Backup'],
      ['backup', 'spec.backup.endpoint', 'agency-de/Workplace/FilesBucketReplication/Backup'],
      ['backup', 'spec.backup.endpoint', 'agency-de/Workplace/FilesDatabase/Backup'],
      ['backup', 'spec.backup.endpoint', 'agency-de/Workplace/IdentityDatabase/Backup'],
      ['backup', 'spec.backup.endpoint', 'agency-de/Workplace/Projects/Database/Backup'],
      ['backup', 'spec.backup.endpoint', 'agency-de/Workplace/VolumeBackups/Backup'],
      ['backup', 'spec.backup.endpoint', 'agency-de/Workplace/Wiki/Database/Backup'],
      ['bucket', 'spec.objectStorage.endpoint', 'agency-de/Workplace/FilesBucket/Bucket'],
      ['cluster', 'spec.cluster.location', 'agency-de/Cluster'],
      ['endpoint', 'spec.mail.clamavMirror', 'agency-de/Workplace/Mail/ClamavSignatures'],
      ['endpoint', 'spec.mail.relay', 'agency-de/Workplace/Mail/Relay'],
      ['endpoint', 'spec.tls.acme', 'agency-de/Workplace/CertManager/AcmeServer'],
      ['endpoint', 'spec.video.publicAddress', 'agency-de/Workplace/Video/BridgeAddress'],
      ['endpoint', 'spec.wiki.extensionRepository', 'agency-de/Workplace/Wiki/ExtensionRepository'],
      ['log-sink', 'spec.logging.endpoint', 'agency-de/Workplace/LogShipping/LogSink'],
      ['metrics-sink', 'spec.monitoring.endpoint', 'agency-de/Workplace/Metrics/MetricsSink'],
      ['registry', 'spec.registry.mirror', 'agency-de/Spec/RegistryMirror'],
      ['state', 'spec.cluster.apiServer', 'agency-de/Spec/State'],
    ]);
    expect(placements.filter((p) => p.resolution.status !== 'resolved')).toEqual([]);
  });

  it('synthesizes the same bytes every time, with no path of this machine', () => {
    expect(synth(workplace()).text).toBe(out.text);
    expect(out.text).not.toContain(process.cwd());
    expect(out.text).not.toContain(homedir());
    expect(out.text).not.toContain(out.outdir);
  });

  it('matches the snapshot', () => {
    expect(out.json).toMatchSnapshot();
  });
});

describe('WorkplaceStack: the whole workplace', () => {
  it.each(['sovereign', 'strict'] as const)('installs all eight apps and proves every placement under %s: the only findings are the provider-held keys', (profile) => {
    const out = synth(workplace({ profile }));
    const custody = profile === 'strict' ? out.errors : out.warnings;
    expect(pathsOf(custody, 'SD-KEY-CUSTODY')).toEqual(PROVIDER_KEY_COPIES);
    expect(out.annotations).toHaveLength(PROVIDER_KEY_COPIES.length);
    const charts = resources(out.json, 'helm_release').map((r) => r.chart);
    expect(charts).toEqual(expect.arrayContaining(['keycloakx', 'docker-mailserver', 'nextcloud', 'collabora-online', 'matrix-stack', 'jitsi-meet', 'openproject', 'xwiki', 'prometheus']));
  });

  it('fails if video is enabled without spec.video, naming the field and the fix', () => {
    expect(() => workplace({ video: undefined })).toThrow(/^spec\.apps: video .* spec\.video is not set\. Allowed: video together with spec\.video\.publicAddress\. Fix: add spec\.video: \{ publicAddress: /);
  });

  it('keeps what a spec without apps deploys: the first five (not applicable: video, projects and wiki)', () => {
    const input = defaultInput();
    delete (input.spec as { apps?: unknown }).apps;
    const d = parseDeployment(input, 'test', { knownRules: RULE_IDS });
    expect(d.spec.apps).toEqual(['identity', 'mail', 'files', 'office', 'chat']);
  });
});

describe('WorkplaceStack: spec choices', () => {
  it('deploys only the chosen apps', () => {
    const out = synth(workplace({ apps: ['identity', 'files'] }));
    expect(resources(out.json, 'kubernetes_namespace_v1').map((n) => (n.metadata as { name: string }).name).sort()).toEqual([
      'agency-de-backup', 'agency-de-files', 'agency-de-identity', 'agency-de-logging', 'agency-de-metrics', 'agency-de-platform',
    ]);
    expect(out.errors).toEqual([]);
  });

  it('fails if the backup endpoint is in the US: every backup placement, and every store whose backup leaves', () => {
    const out = synth(workplace({ backup: { endpoint: 'https://s3.us-east-1.amazonaws.com', bucket: 'agency-de-backups' } }));
    const byRule = (rule: string) => out.errors.filter((a) => a.message.startsWith(`${rule} `)).map((a) => a.constructPath.replace('agency-de/Workplace/', '')).sort();
    const writers = [
      'ChatDatabase/Backup', 'FilesBucketReplication/Backup', 'FilesDatabase/Backup', 'IdentityDatabase/Backup', 'Projects/Database/Backup',
      'VolumeBackups/Backup', 'Wiki/Database/Backup',
    ];
    expect(byRule('SD-RESIDENCY')).toEqual(writers);
    expect(byRule('SD-OPERATOR')).toEqual(writers);
    expect(byRule('SD-BACKUP')).toEqual([
      'Chat/Media', 'ChatDatabase/Data', 'ChatDatabase/Volumes', 'Files/Volume', 'FilesBucket/Bucket',
      'FilesDatabase/Data', 'FilesDatabase/Volumes', 'IdentityDatabase/Data', 'IdentityDatabase/Volumes', 'Mail/MailStore',
      'Projects/Attachments', 'Projects/Database/Data', 'Projects/Database/Volumes', 'Wiki/Database/Data', 'Wiki/Database/Volumes', 'Wiki/PermanentDirectory',
    ]);
  });

  it('checks only where data is in profile residency', () => {
    const out = synth(workplace({ profile: 'residency', backup: { endpoint: 'https://s3.eu-central-1.amazonaws.com', bucket: 'agency-de-backups' } }));
    expect(out.errors).toEqual([]);
  });

  it('fails if the log sink is an undeclared host', () => {
    const out = synth(workplace({ logging: { endpoint: 'https://logs.other.example/loki/api/v1/push' } }));
    expect(ruleIds(out.errors)).toEqual(['SD-UNPROVEN']);
  });

  it('uses a relative path for local state, and reports it', () => {
    const out = synth(workplace({ state: { backend: 'local' } }));
    // In the project folder, written relative to the stack's working folder, where Terraform resolves it.
    const path = (out.json.terraform?.backend as { local: { path: string } }).local.path;
    expect(path).toMatch(/^(\.\.\/)+.*terraform\.agency-de\.tfstate$/);
    expect(resolve(out.outdir, 'stacks', 'agency-de', path)).toBe(resolve(process.cwd(), 'terraform.agency-de.tfstate'));
    expect(out.errors.map((a) => [a.constructPath, a.message.split(' ')[0]])).toEqual([['agency-de/Spec/State', 'SD-STATE']]);
  });

  it('configures an S3 state backend for a non-AWS endpoint', () => {
    const out = synth(workplace({ state: { backend: 's3', endpoint: 'https://fsn1.your-objectstorage.com', bucket: 'agency-state' } }));
    expect(out.json.terraform?.backend?.s3).toMatchObject({
      bucket: 'agency-state', key: 'sovereign-desk/agency-de.tfstate', region: 'fsn1', endpoints: { s3: 'https://fsn1.your-objectstorage.com' },
      skip_credentials_validation: true, skip_region_validation: true, use_path_style: true, encrypt: true,
    });
    expect(out.errors).toEqual([]);
  });

  it('fails if the S3 state backend is in the US', () => {
    const out = synth(workplace({ state: { backend: 's3', endpoint: 'https://s3.us-east-1.amazonaws.com', bucket: 'agency-state' } }));
    expect(out.errors.map((a) => [a.constructPath, a.message.split(' ')[0]])).toEqual([['agency-de/Spec/State', 'SD-STATE']]);
  });

  it('accepts a suppression with a reason and lists it', () => {
    const out = synth(workplace({ state: { backend: 'local' }, suppressions: [{ rule: 'SD-STATE', reason: 'local trial on a laptop, no real data' }] }));
    expect(out.errors).toEqual([]);
    expect(out.annotations.filter((a) => !a.message.includes('SD-KEY-CUSTODY')).map((a) => a.level)).toEqual(['INFO']);
  });

  it('leaves the default spec file untouched for other tests', () => {
    expect(defaultInput().metadata.name).toBe('agency-de');
  });
});

describe('AppNamespace', () => {
  it('fails if the name is not a namespace name, suggesting one', () => {
    expect(() => new AppNamespace(minimalStack(), 'Bad', { name: 'Agency_Files', app: 'files' })).toThrow(
      /'name' \("Agency_Files"\) is not a Kubernetes namespace name\. Allowed: .* Fix: use e\.g\. "agency-files"\./,
    );
  });

  it('lowers Pod Security only when asked', () => {
    const stack = minimalStack();
    new AppNamespace(stack, 'Mail', { name: 'mail', app: 'mail', podSecurity: 'baseline' });
    const [ns] = resources(synth(stack).json, 'kubernetes_namespace_v1');
    expect((ns.metadata as { labels: Record<string, string> }).labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
  });
});

describe('WorkplaceStack: the cluster Terraform reaches', () => {
  it('fails if no API server is named: the kubeconfig would decide at apply time', () => {
    const input = deployment();
    const spec = { ...input.spec, cluster: { ...input.spec.cluster, apiServer: undefined } };
    const out = synth(new WorkplaceStack(Testing.app(), 'agency-de', { deployment: { ...input, spec }, terminal: false }));
    expect(out.errors.map((a) => a.message.split('\n')[0])).toEqual(expect.arrayContaining([
      expect.stringMatching(/^SD-UNPROVEN .*kubernetes provider API server, read from the kubeconfig at apply time at kubeconfig:~\/\.kube\/config: the Kubernetes API server is read from the kubeconfig/),
      expect.stringMatching(/^SD-STATE .*kubeconfig:~\/\.kube\/config/),
    ]));
  });

  it('fails if an existing ClusterIssuer does not say which CA it uses, and passes when it does', () => {
    const unnamed = synth(workplace({ tls: { issuer: 'corp-ca' } }));
    expect(unnamed.errors.filter((a) => a.message.startsWith('SD-UNPROVEN')).map((a) => [a.constructPath, a.message.split('\n')[1].trim()])).toEqual([
      ['agency-de/Workplace/Issuer/CertificateAuthority', 'value:        clusterissuer:corp-ca (spec.tls.issuer)'],
    ]);
    expect(synth(workplace({ tls: { issuer: 'corp-ca', issuerServer: 'in-cluster' } })).errors).toEqual([]);
  });
});
