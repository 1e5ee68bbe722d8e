import { Namespace } from 'kubernetes-models/v1/Namespace';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { AppNamespace } from '../../constructs/platform';
import { defaultInput, minimalStack, resources, ruleIds, synth, toKubernetes, workplace } from '../util';

describe('WorkplaceStack: the default deployment', () => {
  const out = synth(workplace());

  it('passes the policy with no finding and no suppression', () => {
    expect(out.annotations).toEqual([]);
  });

  it('creates one namespace per app, labelled for restricted Pod Security, valid Kubernetes', () => {
    const namespaces = resources(out.json, 'kubernetes_namespace_v1');
    expect(namespaces.map((n) => (n.metadata as { name: string }).name).sort()).toEqual([
      'agency-de-chat', 'agency-de-files', 'agency-de-identity', 'agency-de-mail', 'agency-de-office',
    ]);
    for (const ns of namespaces) {
      const object = new Namespace(toKubernetes(ns) as never);
      expect(() => object.validate()).not.toThrow();
      expect(object.metadata?.labels).toMatchObject({
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
      });
    }
  });

  it('denies all ingress in every app namespace by default, valid Kubernetes', () => {
    const policies = resources(out.json, 'kubernetes_network_policy_v1');
    expect(policies).toHaveLength(5);
    for (const policy of policies) {
      const object = new NetworkPolicy({ ...(toKubernetes(policy) as object), metadata: { name: 'default-deny-ingress', namespace: 'ns' } } as never);
      expect(() => object.validate()).not.toThrow();
      expect(object.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
      expect((policy.metadata as { namespace: string }).namespace).toMatch(/^\$\{kubernetes_namespace_v1\.\w+\.metadata\[0\]\.name\}$/);
    }
  });

  it('configures both providers from the spec, with Helm provider v3 attribute syntax', () => {
    expect(out.json.provider).toEqual({
      kubernetes: [{ config_path: '~/.kube/config' }],
      helm: [{ kubernetes: { config_path: '~/.kube/config' } }],
    });
  });

  it('keeps state in the cluster with the kubernetes backend', () => {
    expect(out.json.terraform?.backend).toEqual({
      kubernetes: { secret_suffix: 'agency-de', namespace: 'desk-system', config_path: '~/.kube/config' },
    });
  });

  it('inventories the cluster and every spec endpoint with its field', () => {
    const stack = workplace();
    expect(stack.prove().placements.map((p) => [p.kind, p.field, p.resolution.status])).toEqual([
      ['cluster', 'spec.cluster.location', 'resolved'],
      ['endpoint', 'spec.tls.acme', 'resolved'],
      ['backup', 'spec.backup.endpoint', 'resolved'],
      ['log-sink', 'spec.logging.endpoint', 'resolved'],
      ['endpoint', 'spec.mail.relay', 'resolved'],
      ['bucket', 'spec.objectStorage.endpoint', 'resolved'],
      ['registry', 'spec.registry.mirror', 'resolved'],
      ['state', 'spec.state.backend', 'resolved'],
    ]);
  });

  it('synthesizes the same bytes every time, with no absolute path', () => {
    expect(synth(workplace()).text).toBe(out.text);
    expect(out.text).not.toMatch(/"\/(root|home|tmp|work)\//);
  });

  it('matches the snapshot', () => {
    expect(out.json).toMatchSnapshot();
  });
});

describe('WorkplaceStack: spec choices', () => {
  it('deploys only the chosen apps', () => {
    const out = synth(workplace({ apps: ['identity', 'files'] }));
    expect(resources(out.json, 'kubernetes_namespace_v1')).toHaveLength(2);
  });

  it('fails if the backup endpoint is in the US', () => {
    const out = synth(workplace({ backup: { endpoint: 'https://s3.us-east-1.amazonaws.com', bucket: 'agency-de-backups' } }));
    expect(out.errors.map((a) => [a.constructPath, a.message.split(' ')[0]])).toEqual([
      ['agency-de/Spec/BackupTarget', 'SD-OPERATOR'],
      ['agency-de/Spec/BackupTarget', 'SD-RESIDENCY'],
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
    expect(out.json.terraform?.backend).toEqual({ local: { path: 'terraform.agency-de.tfstate' } });
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
    expect(out.annotations.map((a) => a.level)).toEqual(['INFO']);
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
