/**
 * The generic scan block by block: which keys name hosts, which strings are
 * references, where a placement is owned and addressed, and what each kind of
 * block (local files, providers, remote state, programs) is reported as.
 */
import { TerraformJson, scanTerraform } from '../../constructs/policy';

type Row = [kind: string, target: string, address: string, ownerPath: string, description: string];

function rows(config: unknown): Row[] {
  return scanTerraform(config as TerraformJson, 'stack').map((p) => [p.kind, p.target, p.address, p.ownerPath, p.description]);
}

const targets = (config: unknown): string[] => rows(config).map((r) => r[1]);

describe('scan: host keys and host values', () => {
  it('reads the whole value of a host key as a host, only for whole host keys and whole host values', () => {
    const long = `${'a'.repeat(250)}.corp.internal`;
    expect(rows({ resource: { kubernetes_x: { a: {
      host: 'db.corp.internal', myhost: 'db.corp.internal', hostfoo: 'db.corp.internal',
      server: 'see y.corp.internal', endpoint: 'db.corp.internal extra', address: long,
    } } } })).toEqual([['endpoint', 'db.corp.internal', 'kubernetes_x.a', 'stack', 'host in kubernetes_x.a (host)']]);
  });
});

describe('scan: references', () => {
  it('meta-arguments hold references, at any index of lifecycle; anything else in them is read', () => {
    expect(rows({ resource: { kubernetes_x: {
      a: { lifecycle: { ignore_changes: ['tags.example.com'] }, depends_on: ['https://a.example.com', 'aws_instance.example.com', 'aws_instance.web["b.example.com"]'] },
      b: { lifecycle: [{ ignore_changes: ['tags.example.com'] }] },
      c: { lifecycle: [...Array(10).fill({}), { replace_triggered_by: ['c.example.com'] }] },
    } } })).toEqual([['endpoint', 'https://a.example.com', 'kubernetes_x.a', 'stack', 'URL in kubernetes_x.a (depends_on.0)']]);
  });

  it('from and to of moved, removed and import blocks are references; the rest is read', () => {
    expect(rows({
      removed: { from: 'a.example.com', lifecycle: { note: 'https://x.example.org' } },
      moved: [{ from: 'b.example.com', to: 'c.example.com' }],
      import: { to: 'd.example.com', id: 'https://e.example.com' },
    })).toEqual([
      ['endpoint', 'https://e.example.com', 'import[0]', 'stack', 'URL in import[0] (id)'],
      ['endpoint', 'https://x.example.org', 'removed[0]', 'stack', 'URL in removed[0] (lifecycle.note)'],
    ]);
  });

  it('a computed count, for_each or check condition names no place; the same keys deeper in a value do', () => {
    expect(rows({ resource: { kubernetes_x: {
      a: { count: '${var.n}', settings: { count: '${var.n}', countx: '${var.x}' }, lifecycle: [{ precondition: [{ condition: '${var.ok}', error_message: 'x' }] }] },
      b: { for_each: '${var.m}', lifecycle: [...Array(10).fill({}), { postcondition: [...Array(10).fill({}), { condition: '${var.ok}' }] }] },
    } } })).toEqual([
      ['endpoint', '${var.n}', 'kubernetes_x.a', 'stack', 'value computed at apply time in kubernetes_x.a (settings.count)'],
      ['endpoint', '${var.x}', 'kubernetes_x.a', 'stack', 'value computed at apply time in kubernetes_x.a (settings.countx)'],
    ]);
  });
});

describe('scan: sections', () => {
  it('skips the cdktf metadata section and absent sections', () => {
    expect(rows({ '//': { metadata: { path: 'https://not.a.placement' } }, foo: undefined })).toEqual([]);
  });

  it('addresses ephemeral resources as ephemeral.<type>.<name>', () => {
    expect(rows({ ephemeral: { kubernetes_x: { a: { host: 'https://a.example.com' } } } }))
      .toEqual([['endpoint', 'https://a.example.com', 'ephemeral.kubernetes_x.a', 'stack', 'URL in ephemeral.kubernetes_x.a (host)']]);
  });

  it('reads providers given as one block or a list, with their default region', () => {
    expect(rows({ provider: { aws: { region: 'eu-central-1' }, google: [{ region: '${var.r}' }, { region: '' }], foo: { endpoint: 'https://foo.example.com' } } })).toEqual([
      ['endpoint', 'aws/eu-central-1', 'provider.aws', 'stack', 'region of provider aws'],
      ['endpoint', 'https://foo.example.com', 'provider.foo', 'stack', 'URL in provider.foo (endpoint)'],
      ['endpoint', '${var.r}', 'provider.google[0]', 'stack', 'value computed at apply time in provider.google[0] (region)'],
      ['endpoint', 'provider:google', 'provider.google[1]', 'stack', 'resources of provider google, whose region is not set (it comes from the environment)'],
    ]);
  });

  it('owns a module, output or unknown block by its construct path, else by the stack', () => {
    expect(rows({ module: { m: { '//': { metadata: { path: 'stack/M' } }, source: 'git::https://git.example.com/m.git', x: 'https://a.example.com' } } })).toEqual([
      ['endpoint', 'https://a.example.com', 'module.m', 'stack/M', 'URL in module.m (x)'],
      ['endpoint', 'module:m', 'module.m', 'stack/M', 'resources of module m, which are not in the synthesized configuration'],
      ['module', 'https://git.example.com/m.git', 'module.m', 'stack/M', 'source of module m'],
    ]);
    expect(rows({ output: { o: { value: 'https://a.example.com', '//': { metadata: { path: 'stack/O' } } } }, variable: { v: { default: 'https://b.example.com' } }, check: { c: 'https://c.example.com' } })).toEqual([
      ['endpoint', 'https://c.example.com', 'check.c', 'stack', 'URL in check.c ()'],
      ['endpoint', 'https://b.example.com', 'variable.v', 'stack', 'URL in variable.v (default)'],
      ['endpoint', 'https://a.example.com', 'output.o', 'stack/O', 'URL in output.o (value)'],
    ]);
    expect(rows({ locals: { x: 'https://a.example.com' } })).toEqual([['endpoint', 'https://a.example.com', 'local.x', 'stack', 'URL in local.x ()']]);
    expect(rows({ foo: [{ a: 'https://a.example.com' }, { b: 'https://b.example.com', '//': { metadata: { path: 'stack/F' } } }], bar: { c: 'https://c.example.com' } })).toEqual([
      ['endpoint', 'https://c.example.com', 'bar', 'stack', 'URL in bar (c)'],
      ['endpoint', 'https://a.example.com', 'foo[0]', 'stack', 'URL in foo[0] (a)'],
      ['endpoint', 'https://b.example.com', 'foo[1]', 'stack/F', 'URL in foo[1] (b)'],
    ]);
  });
});

describe('scan: resources', () => {
  it('reads a chart repository only of a helm_release resource', () => {
    expect(rows({ resource: { kubernetes_x: { a: { repository: 'https://charts.example.com' } } }, data: { helm_release: { h: { repository: 'https://charts.example.com' } } } })).toEqual([
      ['endpoint', 'https://charts.example.com', 'data.helm_release.h', 'stack', 'URL in data.helm_release.h (repository)'],
      ['endpoint', 'https://charts.example.com', 'kubernetes_x.a', 'stack', 'URL in kubernetes_x.a (repository)'],
    ]);
  });

  it('reads stores only of resources, remote state only of data sources', () => {
    const pvc = { metadata: [{ name: 'x', namespace: 'ns' }], spec: [{ access_modes: ['ReadWriteOnce'], resources: [{ requests: { storage: '1Gi' } }] }] };
    expect(rows({ resource: { kubernetes_persistent_volume_claim_v1: { p: pvc }, terraform_remote_state: { r: { backend: 's3' } } }, data: { kubernetes_persistent_volume_claim_v1: { p: pvc } } })).toEqual([
      ['volume', 'k8s://pvc/ns/x', 'kubernetes_persistent_volume_claim_v1.p', 'stack', 'volume x (kubernetes_persistent_volume_claim_v1.p)'],
    ]);
  });

  it('reports a setting that calls a vendor', () => {
    const found = scanTerraform({ resource: { kubernetes_config_map_v1: { c: { data: { 'config.php': "<?php\n$CONFIG = array (\n  'updatechecker' => true,\n);\n" } } } } } as TerraformJson, 'stack');
    expect(found).toEqual([expect.objectContaining({
      kind: 'endpoint', target: 'https://updates.nextcloud.com', description: 'Nextcloud update check in kubernetes_config_map_v1.c', phoneHome: "Nextcloud 'updatechecker' => true",
    })]);
  });

  it('places a catalogued provider\'s resource at its literal region', () => {
    expect(rows({ resource: { aws_s3_bucket: { a: { region: 'eu-central-1' }, b: { region: '' }, c: { region: '${var.r}' }, d: { region: 'eu{x}' } } } })).toEqual([
      ['endpoint', 'aws/eu-central-1', 'aws_s3_bucket.a', 'stack', 'region of aws_s3_bucket.a'],
      ['endpoint', '${var.r}', 'aws_s3_bucket.c', 'stack', 'value computed at apply time in aws_s3_bucket.c (region)'],
      ['endpoint', 'aws/eu{x}', 'aws_s3_bucket.d', 'stack', 'region of aws_s3_bucket.d'],
    ]);
  });

  it('reports local files read and written on the machine that runs Terraform', () => {
    expect(rows({
      resource: { local_file: { a: { filename: 'out.txt' } }, local_sensitive_file: { b: { filename: 'key.pem' } }, local_other: { c: { filename: 'x' } }, local_none: { d: {} } },
      data: { local_file: { e: { filename: 'in.txt' } } },
    })).toEqual([
      ['endpoint', 'local:in.txt', 'data.local_file.e', 'stack', 'file read by data.local_file.e on the machine that runs Terraform'],
      ['endpoint', 'local:out.txt', 'local_file.a', 'stack', 'file written by local_file.a on the machine that runs Terraform'],
      ['endpoint', 'provider:local', 'local_none.d', 'stack', 'resources of provider local, which the catalogue cannot place'],
      ['endpoint', 'local:x', 'local_other.c', 'stack', 'file written by local_other.c on the machine that runs Terraform'],
      ['endpoint', 'local:key.pem', 'local_sensitive_file.b', 'stack', 'file written by local_sensitive_file.b on the machine that runs Terraform'],
    ]);
  });

  it('a filename of another provider\'s resource is no local file; a local file without one is still local', () => {
    expect(targets({ resource: { foo_thing: { a: { filename: 'x' } }, local_file: { b: {} } } })).toEqual(['provider:foo', 'local:']);
  });

  it('the external data source is a program; a resource of provider external is unplaced', () => {
    expect(rows({ resource: { external: { e: {} } }, data: { external: { d: { program: ['python', 'x.py'] } } } })).toEqual([
      ['exec', 'external', 'data.external.d', 'stack', 'external data source data.external.d: program ["python","x.py"]'],
      ['endpoint', 'provider:external', 'external.e', 'stack', 'resources of provider external, which the catalogue cannot place'],
    ]);
  });

  it('remote state is read from its backend', () => {
    expect(rows({ data: { terraform_remote_state: {
      a: { backend: 5 }, b: { backend: 's3', config: { bucket: 'b', region: 'eu-west-1' } }, c: { backend: 'http', config: [{ address: 'https://state.example.com' }] },
    } } })).toEqual([
      ['endpoint', 'unknown-backend', 'data.terraform_remote_state.a', 'stack', 'state of another configuration read by data.terraform_remote_state.a (unknown backend)'],
      ['endpoint', 'https://s3.eu-west-1.amazonaws.com', 'data.terraform_remote_state.b', 'stack', 'state of another configuration read by data.terraform_remote_state.b (s3 backend)'],
      ['endpoint', 'https://state.example.com', 'data.terraform_remote_state.c', 'stack', 'URL in data.terraform_remote_state.c (config.0.address)'],
    ]);
  });

  it('provisioners, one or a list, with what they run', () => {
    expect(rows({ resource: { null_resource: {
      a: { provisioner: { 'local-exec': { command: 'echo hi' } } },
      b: { provisioner: [{ 'local-exec': [] }] },
      c: { provisioner: [{ 'remote-exec': [{ inline: ['a'] }, { script: 's.sh' }] }] },
    } } })).toEqual([
      ['exec', 'local-exec', 'null_resource.a', 'stack', 'local-exec provisioner of null_resource.a: command echo hi'],
      ['exec', 'local-exec', 'null_resource.b', 'stack', 'local-exec provisioner of null_resource.b'],
      ['exec', 'remote-exec', 'null_resource.c', 'stack', 'remote-exec provisioner of null_resource.c: inline ["a"]: script s.sh'],
    ]);
  });

  it('a post-renderer is a program only of a helm_release', () => {
    expect(rows({ resource: {
      helm_release: { h: { chart: 'x', postrender: [{ binary_path: './kustomize', args: ['a'] }] }, i: { chart: 'x', postrender: {} } },
      kubernetes_x: { k: { postrender: { binary_path: './x' } } },
    } })).toEqual([
      ['exec', 'helm-postrender', 'helm_release.h', 'stack', 'post-renderer of helm_release.h: binary_path ./kustomize, args ["a"]'],
      ['exec', 'helm-postrender', 'helm_release.i', 'stack', 'post-renderer of helm_release.i'],
    ]);
    expect(targets({ resource: { helm_release: { j: { chart: 'x' } } } })).toEqual([]);
  });
});
