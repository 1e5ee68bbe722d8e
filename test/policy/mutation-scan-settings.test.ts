/**
 * The scan of Terraform settings and of Helm releases: state backends and the
 * AWS calls of an S3 backend, credential plugins, provider sources, what a
 * program runs, namespaces by reference, and values set one by one.
 */
import { TerraformJson, scanTerraform } from '../../constructs/policy';

type Row = [kind: string, target: string, address: string, description: string];

function rows(config: unknown): Row[] {
  return scanTerraform(config as TerraformJson, 'stack').map((p) => [p.kind, p.target, p.address, p.description]);
}

const H = 'https://fsn1.your-objectstorage.com';
const STATE = ['state', H, 'terraform.backend.s3', 'Terraform state (s3 backend)'];
const STS = 'credential check of the S3 backend (AWS STS; set skip_credentials_validation and skip_requesting_account_id, or endpoints.sts)';
const s3 = (backend: object) => rows({ terraform: { backend: { s3: { bucket: 'b', ...backend } } } });

describe('scan: an S3 backend outside AWS still calls AWS', () => {
  it('for the lock table and STS, in its region', () => {
    expect(s3({ endpoints: { s3: H }, region: 'eu-central-1', dynamodb_table: 'locks' })).toEqual([
      ['state', 'https://dynamodb.eu-central-1.amazonaws.com', 'terraform.backend.s3', 'state lock table locks (S3 backend, DynamoDB in AWS)'],
      STATE,
      ['state', 'https://sts.eu-central-1.amazonaws.com', 'terraform.backend.s3', STS],
    ]);
  });

  it('in us-east-1 without a region; STS unless both checks are skipped', () => {
    expect(s3({ endpoints: { s3: H }, skip_credentials_validation: true })).toEqual([STATE, ['state', 'https://sts.us-east-1.amazonaws.com', 'terraform.backend.s3', STS]]);
    expect(s3({ endpoints: { s3: H }, skip_requesting_account_id: true, region: '' })).toEqual([STATE, ['state', 'https://sts.us-east-1.amazonaws.com', 'terraform.backend.s3', STS]]);
    expect(s3({ endpoints: { s3: H }, skip_credentials_validation: true, skip_requesting_account_id: true })).toEqual([STATE]);
  });

  it('not where the services have their own endpoints, new or legacy', () => {
    expect(s3({ endpoints: { s3: H, dynamodb: 'https://db.example.com', sts: 'https://sts.example.com' }, dynamodb_table: 'locks', region: '' })).toEqual([
      ['state', 'https://db.example.com', 'terraform.backend.s3', 'URL in terraform.backend.s3 (endpoints.dynamodb)'],
      STATE,
      ['state', 'https://sts.example.com', 'terraform.backend.s3', 'URL in terraform.backend.s3 (endpoints.sts)'],
    ]);
    expect(s3({ endpoint: H, dynamodb_endpoint: 'https://db.example.com', sts_endpoint: 'https://sts.example.com', dynamodb_table: 'locks' })).toEqual([
      ['state', 'https://db.example.com', 'terraform.backend.s3', 'URL in terraform.backend.s3 (dynamodb_endpoint)'],
      STATE,
      ['state', 'https://sts.example.com', 'terraform.backend.s3', 'URL in terraform.backend.s3 (sts_endpoint)'],
    ]);
    expect(s3({ endpoints: { s3: H }, dynamodb_table: '', skip_credentials_validation: true, skip_requesting_account_id: true })).toEqual([STATE]);
  });

  it('not when the bucket itself is in AWS, at any port or scheme', () => {
    expect(s3({ endpoints: { s3: 'http://s3.eu-central-1.amazonaws.com:4430/x' }, dynamodb_table: 't' }).map((r) => r[1])).toEqual(['http://s3.eu-central-1.amazonaws.com:4430/x']);
    expect(s3({ endpoints: { s3: 'https://amazonaws.com' }, dynamodb_table: 't' }).map((r) => r[1])).toEqual(['https://amazonaws.com']);
    expect(s3({ endpoints: { s3: 'https://evil.example/amazonaws.com' }, dynamodb_table: 't' }).map((r) => r[1])).toEqual([
      'https://dynamodb.us-east-1.amazonaws.com', 'https://evil.example/amazonaws.com', 'https://sts.us-east-1.amazonaws.com',
    ]);
  });
});

describe('scan: credential plugins and provider settings', () => {
  it('an exec block with a command, at any depth of a provider or backend, is a program', () => {
    expect(rows({
      provider: { kubernetes: { host: 'https://api.k8s.example.com', exec: [{ api_version: 'v1', command: 'aws', args: ['eks', 'get-token'] }, { api_version: 'v1' }] }, helm: { kubernetes: [{ host: 'https://api2.k8s.example.com', exec: { command: 'kubelogin' } }] } },
      terraform: { backend: { kubernetes: { secret_suffix: 's', exec: { command: 'gcloud' } } } },
    }).filter((r) => r[0] !== 'state')).toEqual([
      ['cluster', 'https://api2.k8s.example.com', 'provider.helm', 'helm provider API server'],
      ['exec', 'credential-plugin', 'provider.helm', 'credential plugin of provider.helm: command kubelogin'],
      ['cluster', 'https://api.k8s.example.com', 'provider.kubernetes', 'kubernetes provider API server'],
      ['exec', 'credential-plugin', 'provider.kubernetes', 'credential plugin of provider.kubernetes: command aws, args ["eks","get-token"]'],
      ['exec', 'credential-plugin', 'terraform.backend.kubernetes', 'credential plugin of terraform.backend.kubernetes: command gcloud'],
    ]);
  });

  it('an endpoint of the helm or kubernetes provider is the cluster; of another provider, an endpoint', () => {
    expect(rows({ provider: { helm: { kubernetes: { host: 'https://api.k8s.example.com' } }, foo: { host: 'https://api.foo.example.com' } } })).toEqual([
      ['endpoint', 'https://api.foo.example.com', 'provider.foo', 'URL in provider.foo (host)'],
      ['cluster', 'https://api.k8s.example.com', 'provider.helm', 'helm provider API server'],
    ]);
  });

  it('provider sources, HCP Terraform, and every other setting of the terraform block', () => {
    expect(rows({ terraform: {
      '//': { x: 'https://meta.example.com' }, required_version: '>= 1.5', experiments: ['https://x.example.com'],
      cloud: { organization: 'o', hostname: 'tfe.example.com' },
      required_providers: [{ aws: { source: 'hashicorp/aws', version: '5.0' }, foo: 'https://foo.example.com/bar', bar: { source: 5, extra: 'https://extra.example.com' } }],
    } })).toEqual([
      ['state', 'https://tfe.example.com', 'terraform.cloud', 'Terraform state (cloud backend)'],
      ['state', 'tfe.example.com', 'terraform.cloud', 'host in terraform.cloud (hostname)'],
      ['endpoint', 'https://x.example.com', 'terraform.experiments', 'URL in terraform.experiments (experiments.0)'],
      ['endpoint', 'https://extra.example.com', 'terraform.required_providers', 'URL in terraform.required_providers (bar.extra)'],
      ['provider-source', 'https://registry.terraform.io/hashicorp/aws', 'terraform.required_providers', 'source of provider aws'],
      ['provider-source', 'https://registry.terraform.io/hashicorp/bar', 'terraform.required_providers', 'source of provider bar'],
      ['provider-source', 'https://registry.terraform.io/hashicorp/foo', 'terraform.required_providers', 'source of provider foo'],
    ]);
  });

  it('a module without a literal source has no source placement', () => {
    expect(rows({ module: { a: { source: 5, x: 1 } } })).toEqual([['endpoint', 'module:a', 'module.a', 'resources of module a, which are not in the synthesized configuration']]);
  });
});

describe('scan: what a program runs', () => {
  it('names the fields that say what runs, shortened for reviewers', () => {
    const long = 'x'.repeat(250);
    const exactly200 = 'x'.repeat(192);
    expect(rows({ resource: { null_resource: {
      a: { provisioner: [{ file: { content: 'secret', destination: '/tmp/x' } }] },
      b: { provisioner: [{ file: { content: 'secret' } }] },
      c: { provisioner: [{ 'local-exec': { command: long } }] },
      d: { provisioner: [{ 'local-exec': { command: 'a   b\n c', interpreter: ['bash'] } }] },
      e: { provisioner: [{ 'local-exec': 'nope' }] },
      f: { provisioner: [{ 'local-exec': { command: null, script: 'run.sh', scripts: ['a.sh'], inline: ['x'] } }] },
      g: { provisioner: [{ 'local-exec': { command: exactly200 } }] },
    } } }).map((r) => r[3])).toEqual([
      'file provisioner of null_resource.a: destination /tmp/x',
      'file provisioner of null_resource.b: content',
      `local-exec provisioner of null_resource.c: command ${'x'.repeat(191)}…`,
      'local-exec provisioner of null_resource.d: command a b c',
      'local-exec provisioner of null_resource.e',
      'local-exec provisioner of null_resource.f: inline ["x"], script run.sh, scripts ["a.sh"]',
      `local-exec provisioner of null_resource.g: command ${exactly200}`,
    ]);
  });
});

describe('scan: namespaces by reference', () => {
  it('a store in a namespace named by reference is in that namespace', () => {
    const pvc = (name: string, namespace: string) => ({ metadata: [{ name, namespace }] });
    expect(rows({ resource: {
      kubernetes_namespace_v1: { n: { metadata: [{ name: 'team' }] }, m: { metadata: { name: 5 } } },
      kubernetes_namespace: { o: { metadata: [{ name: 'old' }] } },
      kubernetes_persistent_volume_claim_v1: {
        a: pvc('a', '${kubernetes_namespace_v1.n.metadata[0].name}'), b: pvc('b', '${kubernetes_namespace_v1.n.metadata.0.name}'),
        c: pvc('c', '${kubernetes_namespace.o.metadata[0].name}'), d: pvc('d', '${var.ns}'), e: pvc('e', 'plain'),
      },
    } }).filter((r) => r[0] === 'volume').map((r) => r[1])).toEqual([
      'k8s://pvc/team/a', 'k8s://pvc/team/b', 'k8s://pvc/old/c', 'k8s://pvc/unresolved-namespace/d', 'k8s://pvc/plain/e',
    ]);
  });
});

describe('scan: a helm_release', () => {
  it('reads its chart, values files and every kind of set entry', () => {
    expect(rows({ resource: { helm_release: {
      a: { chart: 'x', repository: '', values: ['image: {repository: quay.io/a/b, tag: "1"}', { host: 'https://v.example.com' }, 5] },
      b: { chart: 5, repository: 5 },
      c: { chart: 'https://charts.example.com/x.tgz' },
      d: { chart: 'x', set: [
        { name: 'image.registry', value: 'ghcr.io' }, { name: 'image.repository', value: 'org/app' }, { name: 'a\\.b', value: 'https://ab.example.com' },
        { name: 'l', value: 'https://l1.example.com' }, { name: 'l', value: 'https://l2.example.com' }, { value: 'https://noname.example.com' },
        'https://str.example.com', { name: 'x', type: 'string', note: 'https://rest.example.com' },
      ] },
      e: { chart: 'x', set_list: [{ name: 'u', value: ['https://sl.example.com'] }], set_sensitive: [{ name: 's', value: 'https://ss.example.com' }], set_wo: [{ name: 'w', value: 'https://sw.example.com' }] },
    } } })).toEqual([
      ['endpoint', 'https://v.example.com', 'helm_release.a', 'URL in helm_release.a (values.1.host)'],
      ['registry', 'quay.io/a/b', 'helm_release.a', 'image quay.io/a/b in helm_release.a (values.0.image.repository)'],
      ['chart-repository', 'https://charts.example.com/x.tgz', 'helm_release.c', 'chart of helm_release.c'],
      ['endpoint', 'https://ab.example.com', 'helm_release.d', 'URL in helm_release.d (set.a.b)'],
      ['endpoint', 'https://l1.example.com', 'helm_release.d', 'URL in helm_release.d (set.l.0)'],
      ['endpoint', 'https://l2.example.com', 'helm_release.d', 'URL in helm_release.d (set.l.1)'],
      ['endpoint', 'https://noname.example.com', 'helm_release.d', 'URL in helm_release.d (set.5.value)'],
      ['endpoint', 'https://rest.example.com', 'helm_release.d', 'URL in helm_release.d (set.7.note)'],
      ['endpoint', 'https://str.example.com', 'helm_release.d', 'URL in helm_release.d (set.6)'],
      ['registry', 'ghcr.io/org/app', 'helm_release.d', 'image ghcr.io/org/app in helm_release.d (set.image.repository)'],
      ['endpoint', 'https://sl.example.com', 'helm_release.e', 'URL in helm_release.e (set_list.u.0)'],
      ['endpoint', 'https://ss.example.com', 'helm_release.e', 'URL in helm_release.e (set_sensitive.s)'],
      ['endpoint', 'https://sw.example.com', 'helm_release.e', 'URL in helm_release.e (set_wo.w)'],
    ]);
  });

  it('a repository is the chart repository; a chart URL only without one', () => {
    expect(rows({ resource: { helm_release: { r: { chart: 'oci://ghcr.io/x/y', repository: 'https://charts.example.com' } } } })).toEqual([
      ['chart-repository', 'https://charts.example.com', 'helm_release.r', 'chart repository of helm_release.r'],
    ]);
    expect(rows({ resource: { helm_release: { r: { chart: 'charts/https://x.example.com' } } } }).map((r) => r[0])).not.toContain('chart-repository');
  });
});
