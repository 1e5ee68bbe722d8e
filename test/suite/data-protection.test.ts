/**
 * Backups, logs, egress and calls home, end to end on synthesized stacks.
 */
import { Release } from '@cdktf/provider-helm/lib/release';
import { PersistentVolumeClaimV1 } from '@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { PHONE_HOME_SETTINGS, phoneHomeIn } from '../../constructs/policy';
import { releaseValues, resourceAt, resources, ruleIds, synth, toKubernetes, workplace } from '../util';

const out = synth(workplace());

const PLURAL_BLOCKS: Record<string, string> = { container: 'containers', initContainer: 'initContainers', volume: 'volumes', volumeMount: 'volumeMounts' };
const INTEGERS = new Set(['runAsUser', 'runAsGroup']);

/** The provider's block form of a workload (singular `container`, string ids) in API form. */
function providerToApi(value: unknown): unknown {
  const camel = toKubernetes(value);
  const fix = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(fix);
    if (!v || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, inner]) => [
      PLURAL_BLOCKS[k] ?? k,
      INTEGERS.has(k) ? Number(inner) : fix(inner),
    ]));
  };
  return fix(camel);
}

describe('backups', () => {
  it('archives WAL and schedules base backups of every database cluster to spec.backup', () => {
    for (const db of ['IdentityDatabase', 'FilesDatabase', 'ChatDatabase']) {
      const backups = releaseValues(out.json, `${db}/Chart/Release`).backups;
      expect(backups).toMatchObject({
        enabled: true, method: 'barmanObjectStore', endpointURL: 'https://fsn1.your-objectstorage.com',
        secret: { create: false, name: 'desk-backup' }, retentionPolicy: '30d',
        scheduledBackups: [{ schedule: '0 0 2 * * *', method: 'barmanObjectStore' }],
      });
      expect(backups.destinationPath).toMatch(/^s3:\/\/agency-de-backups\/postgres\//);
    }
  });

  it('backs up the volumes of files, mail, chat, projects and wiki with Velero on the same target and schedule', () => {
    const velero = releaseValues(out.json, 'VolumeBackups/Velero/Release');
    expect(velero.configuration.backupStorageLocation).toEqual([expect.objectContaining({
      provider: 'aws', bucket: 'agency-de-backups', config: expect.objectContaining({ s3Url: 'https://fsn1.your-objectstorage.com' }),
    })]);
    expect(velero.schedules.volumes).toMatchObject({
      schedule: '0 2 * * *', template: { ttl: '720h', includedNamespaces: ['agency-de-chat', 'agency-de-files', 'agency-de-mail', 'agency-de-projects', 'agency-de-wiki'] },
    });
    expect(velero.credentials).toEqual({ useSecret: true, existingSecret: 'desk-backup' });
  });

  it('copies the files bucket with a valid, locked-down CronJob', () => {
    const cron = resourceAt(out.json, 'kubernetes_cron_job_v1', 'FilesBucketReplication/CronJob');
    const object = new CronJob(providerToApi({ metadata: { ...(cron.metadata as object), namespace: 'ns' }, spec: cron.spec }) as never);
    expect(() => object.validate()).not.toThrow();
    const pod = object.spec?.jobTemplate.spec?.template.spec;
    // Through the crypt remote over the copy's folder: encrypted in the cluster.
    expect(pod?.containers[0].args?.slice(0, 3)).toEqual(['sync', 'source:agency-de-files', 'backup:']);
    const env = Object.fromEntries((pod?.containers[0].env ?? []).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      RCLONE_CONFIG_BACKUP_TYPE: 'crypt', RCLONE_CONFIG_BACKUP_REMOTE: 'target:agency-de-backups/objects/agency-de-files',
      RCLONE_CONFIG_BACKUP_FILENAME_ENCRYPTION: 'standard', RCLONE_CONFIG_BACKUP_DIRECTORY_NAME_ENCRYPTION: 'true',
    });
    // The passwords reach rclone only obscured, in the config file the init container writes; never as plain env of rclone.
    expect(Object.keys(env).filter((name) => /PASSWORD/.test(name))).toEqual([]);
    const init = pod?.initContainers?.[0];
    expect(init?.command?.[2]).toContain('| rclone obscure -)');
    expect(init?.env?.map((e) => [e.name, e.valueFrom?.secretKeyRef?.name, e.valueFrom?.secretKeyRef?.key])).toEqual([
      ['CRYPT_PASSWORD', 'replicate-agency-de-files-crypt', 'password'], ['CRYPT_SALT', 'replicate-agency-de-files-crypt', 'password2'],
    ]);
    expect(init?.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(pod?.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod?.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(pod?.containers[0].resources?.limits).toEqual({ cpu: '1', memory: '512Mi' });
  });

  it('fails if a team adds a volume that nothing backs up, naming it', () => {
    const stack = workplace();
    new PersistentVolumeClaimV1(stack, 'TeamScratch', {
      metadata: { name: 'scratch', namespace: 'team-tools' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
    });
    const errors = synth(stack).errors;
    expect(errors.map((e) => [e.constructPath, e.message.split(':')[0]])).toEqual([
      ['agency-de/TeamScratch', 'SD-BACKUP Every data store is backed up inside the jurisdiction'],
    ]);
    expect(errors[0].message).toContain('volume scratch (kubernetes_persistent_volume_claim_v1.TeamScratch) has no backup');
  });

  it('counts a team volume in a namespace that Velero covers as backed up', () => {
    const stack = workplace();
    new PersistentVolumeClaimV1(stack, 'MailExtra', {
      metadata: { name: 'extra', namespace: 'agency-de-mail' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
    });
    expect(synth(stack).errors).toEqual([]);
  });

  it('fails if the bucket is declared the primary copy without a reason', () => {
    expect(() => workplace({ objectStorage: { endpoint: 'https://object.storage.eu01.onstackit.cloud', backup: { mode: 'primary' } as never } })).toThrow(/spec\.objectStorage\.backup\.reason/);
  });

  it('accepts a bucket declared the primary copy with a reason, and drops the copy job', () => {
    const stack = workplace({ objectStorage: { endpoint: 'https://object.storage.eu01.onstackit.cloud', backup: { mode: 'primary', reason: 'provider replicates across three STACKIT zones' } } });
    const result = synth(stack);
    expect(result.errors).toEqual([]);
    expect(resources(result.json, 'kubernetes_cron_job_v1')).toEqual([]);
  });
});

describe('logs', () => {
  it('ships every container log with Kubernetes metadata to the Loki endpoint over TLS', () => {
    const config = releaseValues(out.json, 'LogShipping/FluentBit/Release').config.outputs as string;
    expect(config).toContain('Name loki');
    expect(config).toContain('Host logs.agency.example');
    expect(config).toContain('Uri /loki/api/v1/push');
    expect(config).toContain('tls.verify On');
  });

  it('fails if the log endpoint is outside the jurisdiction', () => {
    const result = synth(workplace({ logging: { endpoint: 'https://logs-prod-us-central1.grafana.net/loki/api/v1/push' } }));
    expect(result.errors.map((e) => [e.constructPath, e.message.split(' ')[0]])).toEqual([
      ['agency-de/Workplace/LogShipping/LogSink', 'SD-UNPROVEN'],
    ]);
    const aws = synth(workplace({ logging: { endpoint: 'https://logs.eu-central-1.amazonaws.com/push', output: 'http' } }));
    expect(ruleIds(aws.errors)).toEqual(['SD-OPERATOR']);
    const us = synth(workplace({ logging: { endpoint: 'https://logs.us-east-1.amazonaws.com/push', output: 'http' } }));
    expect(ruleIds(us.errors)).toEqual(['SD-OPERATOR', 'SD-RESIDENCY']);
  });

  it('passes credentials from a Secret through the environment, never as values', () => {
    const values = releaseValues(synth(workplace({ logging: { endpoint: 'https://logs.agency.example/loki/api/v1/push', credentialsSecret: 'loki-push' } })).json, 'LogShipping/FluentBit/Release');
    expect(values.env).toEqual([
      { name: 'LOG_SINK_USERNAME', valueFrom: { secretKeyRef: { name: 'loki-push', key: 'username' } } },
      { name: 'LOG_SINK_PASSWORD', valueFrom: { secretKeyRef: { name: 'loki-push', key: 'password' } } },
    ]);
    // Terraform turns $${ into ${, which Fluent Bit expands from its environment.
    expect(values.config.outputs).toContain('HTTP_Passwd $${LOG_SINK_PASSWORD}');
  });
});

describe('egress', () => {
  const namespaces = resources(out.json, 'kubernetes_namespace_v1').map((n) => (n.metadata as { name: string }).name);
  const policies = resources(out.json, 'kubernetes_network_policy_v1') as { metadata: { name: string; namespace: string }; spec: { egress?: unknown } }[];
  const fqdn = resources(out.json, 'kubernetes_manifest').map((m) => m.manifest as { metadata: { namespace: string }; spec: { egress: { toFQDNs?: { matchName: string }[]; toPorts: { ports: { port: string }[] }[] }[] } });

  it('denies all egress in every namespace, and every policy is valid Kubernetes', () => {
    expect(policies.filter((p) => p.metadata.name === 'default-deny-egress')).toHaveLength(namespaces.length);
    for (const policy of policies) {
      const object = new NetworkPolicy({ ...(toKubernetes(policy) as object), metadata: { name: policy.metadata.name, namespace: 'ns' } } as never);
      expect(() => object.validate()).not.toThrow();
    }
  });

  it('allows (with Cilium, by name) only the external hosts the inventory declares for each namespace', () => {
    const allowed = Object.fromEntries(fqdn.map((m) => [
      m.metadata.namespace,
      m.spec.egress.flatMap((rule) => (rule.toFQDNs ?? []).map((f) => `${f.matchName}:${rule.toPorts[0].ports[0].port}`)),
    ]));
    expect(allowed).toEqual({
      'agency-de-platform': ['acme.agency.example:443'],
      'agency-de-identity': ['fsn1.your-objectstorage.com:443'],
      'agency-de-files': ['fsn1.your-objectstorage.com:443', 'object.storage.eu01.onstackit.cloud:443'],
      'agency-de-office': [],
      'agency-de-mail': ['clamav.agency.example:443', 'relay.agency.example:587'],
      'agency-de-chat': ['fsn1.your-objectstorage.com:443'],
      'agency-de-backup': ['fsn1.your-objectstorage.com:443'],
      'agency-de-logging': ['logs.agency.example:443'],
      'agency-de-metrics': ['metrics.agency.example:443'],
      'agency-de-projects': ['fsn1.your-objectstorage.com:443'],
      'agency-de-video': [],
      'agency-de-wiki': ['fsn1.your-objectstorage.com:443', 'maven.agency.example:443'],
    });
  });

  it('uses address ranges from the spec without Cilium, and warns about hosts that have none', () => {
    const result = synth(workplace({
      cluster: { location: 'stackit/eu01', cni: 'other' },
      egress: { cidrs: { 'relay.agency.example': ['192.0.2.10/32'] } },
    }));
    const mail = (resources(result.json, 'kubernetes_network_policy_v1') as { metadata: { name: string; namespace: string }; spec: { egress: unknown[] } }[])
      .find((p) => p.metadata.name === 'allow-egress-external' && p.metadata.namespace.includes('Mail'));
    expect(mail?.spec.egress).toEqual([
      { to: [{ ip_block: { cidr: '0.0.0.0/0', except: expect.arrayContaining(['10.0.0.0/8']) } }], ports: [{ port: '443', protocol: 'TCP' }] },
      { to: [{ ip_block: { cidr: '192.0.2.10/32' } }], ports: [{ port: '587', protocol: 'TCP' }] },
    ]);
    expect(result.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/^egress to clamav\.agency\.example:443 \(ClamAV signature mirror\) is allowed to every public address/));
    expect(result.warnings.map((w) => w.message)).not.toContainEqual(expect.stringContaining('relay.agency.example'));
  });
});

describe('calls home', () => {
  it('turns off every known call home in the default suite', () => {
    expect(out.errors).toEqual([]);
    expect(releaseValues(out.json, 'Files/Nextcloud/Release').nextcloud.configs['desk.config.php']).toContain("'updatechecker' => false");
    expect(releaseValues(out.json, 'Office/Collabora/Release').collabora.extra_params).toContain('--o:fetch_update_check=0');
    expect(releaseValues(out.json, 'Chat/MatrixStack/Release').synapse.additional['desk.yaml'].config).toContain('report_stats: false');
    expect(releaseValues(out.json, 'Mail/MailServer/Release').deployment.env.ENABLE_UPDATE_CHECK).toBe(0);
  });

  it('fails if a team release turns one back on in its values', () => {
    const stack = workplace();
    new Release(stack, 'TeamSynapse', {
      name: 'synapse', chart: 'synapse', repository: 'oci://registry.agency.example/desk/charts',
      values: ['synapse:\n  config: |\n    report_stats: true\n'],
    });
    const errors = synth(stack).errors.filter((e) => e.message.startsWith('SD-PHONE-HOME'));
    expect(errors.map((e) => e.constructPath)).toEqual(['agency-de/TeamSynapse']);
    expect(errors[0].message).toContain('Synapse report_stats: true');
  });

  it('fails if the ClamAV mirror is left to the vendor', () => {
    const result = synth(workplace({ mail: { relay: 'smtp://relay.agency.example:587' } }));
    expect(result.errors.map((e) => [e.constructPath, e.message.split(' ')[0]])).toContainEqual(['agency-de/Workplace/Mail/ClamavSignatures', 'SD-PHONE-HOME']);
  });

  it('recognises every listed setting in its turned-on form, and none in the suite\'s values', () => {
    const samples: Record<string, string> = {
      "Nextcloud 'appstoreenabled' => true": "'appstoreenabled' => true,",
      "Nextcloud 'updatechecker' => true": "'updatechecker' => true",
      "Nextcloud 'has_internet_connection' => true": "'has_internet_connection' => true",
      'Collabora --o:welcome.enable=true': '--o:welcome.enable=true',
      'Collabora --o:fetch_update_check (not 0)': '--o:fetch_update_check=24',
      'Synapse report_stats: true': 'report_stats: true',
      'Synapse trusted_key_servers: matrix.org': 'trusted_key_servers:\n  - server_name: "matrix.org"',
      'Element Web posthog (analytics)': '{"posthog": {"project_api_key": "phc_x", "api_host": "https://posthog.element.io"}}',
      'Element Web integrations_ui_url': '{"integrations_ui_url": "https://scalar.vector.im/"}',
      'docker-mailserver ENABLE_UPDATE_CHECK: 1': 'ENABLE_UPDATE_CHECK: 1',
      'jitsi-meet jvb.disableStun: false': 'jvb:\n  disableStun: false',
      'Jitsi AMPLITUDE_ID': 'AMPLITUDE_ID: abc123',
      'Jitsi GOOGLE_ANALYTICS_ID': 'GOOGLE_ANALYTICS_ID=G-XYZ',
      'Jitsi ENABLE_JAAS_COMPONENTS: 1': 'ENABLE_JAAS_COMPONENTS: "1"',
      'Jitsi Meet disableThirdPartyRequests: false': '{"disableThirdPartyRequests": false}',
      'OpenProject OPENPROJECT_SECURITY__BADGE__DISPLAYED: true': 'OPENPROJECT_SECURITY__BADGE__DISPLAYED: "true"',
      'OpenProject OPENPROJECT_ONBOARDING__ENABLED: true': 'OPENPROJECT_ONBOARDING__ENABLED: "true"',
      'OpenProject OPENPROJECT_CROWDIN__IN__CONTEXT__TRANSLATIONS: true': 'OPENPROJECT_CROWDIN__IN__CONTEXT__TRANSLATIONS: "true"',
      'OpenProject enable_gravatars: true': 'OPENPROJECT_PLUGIN__OPENPROJECT__AVATARS: "{enable_gravatars: true, enable_local_avatars: true}"',
      'OpenProject APPSIGNAL_ENABLED: true': 'APPSIGNAL_ENABLED: "true"',
      'XWiki activeinstalls2.pingURL (not loopback)': 'activeinstalls2.pingURL=https://extensions.xwiki.org/activeinstalls2',
      'XWiki extension.security.scan.enabled=true': 'extension.security.scan.enabled=true',
      'XWiki whatsnew.sources (not empty)': 'whatsnew.sources=xwikiorg = xwikiblog',
    };
    for (const setting of PHONE_HOME_SETTINGS) {
      expect(phoneHomeIn(samples[setting.setting]).map((s) => s.setting)).toEqual([setting.setting]);
    }
    expect(phoneHomeIn(out.text)).toEqual([]);
  });
});
