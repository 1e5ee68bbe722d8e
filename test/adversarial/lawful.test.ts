/**
 * Lawful controls: deployments the proof must pass with zero errors, so that
 * closing a hole never closes a lawful door.
 */
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Release } from '@cdktf/provider-helm/lib/release';
import { Lazy, TerraformVariable } from 'cdktf';
import { Jurisdiction } from '../../constructs/jurisdiction';
import { GeneratedSecret } from '../../constructs/platform';
import { SovereignStack, SovereignStackProps } from '../../constructs/proof';
import { composed, configMap, outcome, spec, specOnly } from './harness';
import { scope } from '../util';

interface Control {
  readonly name: string;
  readonly build: () => SovereignStack | { errors: readonly string[]; warnings: readonly string[] };
}

const EU: Partial<SovereignStackProps> = { jurisdiction: Jurisdiction.of('EU'), operators: Jurisdiction.of('EU') };
const AGENCY = { locations: [{ pattern: '*.agency.example', countries: ['DE'], operator: 'DE' }] } as Partial<SovereignStackProps>;

function value(name: string, text: string, props: Partial<SovereignStackProps> = {}, key = 'url'): Control {
  return { name, build: () => configMap(text, key, props) };
}

const controls: Control[] = [
  value('Hetzner fsn1 object storage', 'https://fsn1.your-objectstorage.com/bucket'),
  value('Hetzner nbg1, virtual-hosted bucket', 'https://team-bucket.nbg1.your-objectstorage.com'),
  value('STACKIT eu01 object storage', 'https://object.storage.eu01.onstackit.cloud'),
  value('STACKIT PostgreSQL Flex', 'postgresql://db-1.postgresql.eu01.onstackit.cloud:5432/app'),
  value('IONOS Frankfurt S3', 'https://s3.eu-central-1.ionoscloud.com'),
  value('IONOS Berlin S3 (legacy form)', 'https://s3-eu-central-2.ionoscloud.com'),
  value('OVHcloud Frankfurt S3, EU operators', 'https://s3.de.io.cloud.ovh.net', EU),
  value('OVHcloud Gravelines S3 in the EU', 'https://s3.gra.io.cloud.ovh.net', EU),
  value('Scaleway Paris S3 in the EU', 'https://s3.fr-par.scw.cloud', EU),
  value('Scaleway Amsterdam registry in the EU', 'https://rg.nl-ams.scw.cloud', EU),
  value('Open Telekom Cloud OBS eu-de', 'https://obs.eu-de.otc.t-systems.com'),
  value('Exoscale Frankfurt SOS, residency profile', 'https://sos-de-fra-1.exo.io', { profile: 'residency' }),
  value('a declared host under a registrable domain', 'https://logs.agency.example/loki/api/v1/push', AGENCY),
  value('a declared exact host', 'smtp://relay.partner-de.example:587', { locations: [{ pattern: 'relay.partner-de.example', countries: ['DE'], operator: 'DE' }] }),
  value('a declared CIDR range', 'http://192.0.2.10:8080/metrics', { locations: [{ pattern: '192.0.2.0/24', countries: ['DE'], operator: 'DE' }] }),
  value('a declared IPv6 range', 'http://[2001:db8:1::7]:8080/', { locations: [{ pattern: '2001:db8:1::/48', countries: ['DE'], operator: 'DE' }] }),
  value('an address in the pod range', 'http://10.244.3.17:9090/', { clusterCidrs: ['10.244.0.0/16'] }),
  value('an address in a wide private Service range', 'http://10.96.0.10:53', { clusterCidrs: ['10.0.0.0/8'] }),
  value('an address in an IPv6 ULA pod range', 'http://[fd00:10:244::5]:8080/', { clusterCidrs: ['fd00:10:244::/56'] }),
  value('an in-cluster Service name', 'http://keycloak-http.identity.svc:8080/auth'),
  value('an in-cluster name in full', 'postgres://db-rw.team.svc.cluster.local:5432/app'),
  value('localhost', 'http://localhost:9000/health'),
  value('IPv4 loopback', 'http://127.0.0.1:8080/'),
  value('IPv6 loopback', 'http://[::1]:8080/'),
  value('a catalogued host in another spelling', 'HTTPS://FSN1.Your-ObjectStorage.COM.:443/bucket?x=1'),
  value('the AWS eu-central-1 endpoint declared as it is, residency', 'https://sts.eu-central-1.amazonaws.com', {
    profile: 'residency', locations: [{ pattern: '*.eu-central-1.amazonaws.com', countries: ['DE'], operator: 'US' }],
  }),
  value('versions, file names and netmasks are no hosts', 'chart 1.2.3 on ubuntu 22.04, mode 0644, mask 255.255.255.0, run install.sh', {}, 'notes'),
  value('phone-home settings switched off', "<?php $CONFIG = array('appstoreenabled' => false, 'updatechecker' => false);", {}, 'x.config.php'),
  value('Synapse report_stats off', 'report_stats: false\n', {}, 'homeserver.yaml'),
  {
    name: 'images and charts from a registry mirror',
    build: () => composed((stack) => {
      new Release(scope(stack), 'R', { name: 'r', namespace: 'team', chart: 'oci://registry.agency.example/desk/charts/app', version: '1.0.0', values: [JSON.stringify({ image: { registry: 'registry.agency.example', repository: 'desk/quay.io/keycloak/keycloak', tag: '26.5.6' } })] });
      new DeploymentV1(scope(stack, 'Deploy'), 'D', {
        metadata: { name: 'd', namespace: 'team' },
        spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { container: [{ name: 'c', image: 'registry.agency.example/desk/docker.io/library/nginx:1.27' }] } } },
      });
    }, AGENCY),
  },
  { name: 'a catalogued German registry', build: () => composed((stack) => new DeploymentV1(scope(stack), 'D', {
    metadata: { name: 'd', namespace: 'team' },
    spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { container: [{ name: 'c', image: 'registry.opencode.de/bmi/opendesk/app:1.0' }] } } },
  })) },
  {
    name: 'a number variable as a replica count',
    build: () => composed((stack) => {
      const replicas = new TerraformVariable(stack, 'replicas', { type: 'number', default: 2 });
      new DeploymentV1(scope(stack), 'D', {
        metadata: { name: 'd', namespace: 'team' },
        spec: { replicas: replicas.stringValue, selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { container: [{ name: 'c', image: 'registry.opencode.de/x/app:1' }] } } },
      });
    }),
  },
  {
    name: 'a Lazy value that answers the same every time',
    build: () => composed((stack) => new ConfigMapV1(scope(stack), 'C', { metadata: { name: 'c' }, data: { url: Lazy.stringValue({ produce: () => 'https://fsn1.your-objectstorage.com' }) } })),
  },
  {
    name: 'a finding suppressed with a reason, by path',
    build: () => composed((stack) => new ConfigMapV1(scope(stack), 'C', { metadata: { name: 'c' }, data: { url: 'https://partner.example.org/x' } }),
      { suppressions: [{ rule: 'SD-UNPROVEN', reason: 'accepted by the data protection officer for the pilot', path: 'test/Team' }] }),
  },
  {
    name: 'a Velero BackupStorageLocation at Hetzner',
    build: () => composed((stack) => {
      // With its own repository password, generated: Kopia's encryption is the team's, not Velero's built-in one.
      new GeneratedSecret(scope(stack, 'Repo'), 'Password', { namespace: 'velero', name: 'velero-repo-credentials', generated: ['repository-password'] });
      new Manifest(scope(stack), 'Bsl', {
        manifest: { apiVersion: 'velero.io/v1', kind: 'BackupStorageLocation', metadata: { name: 'offsite', namespace: 'velero' }, spec: { provider: 'aws', objectStorage: { bucket: 'b' }, config: { region: 'fsn1', s3Url: 'https://fsn1.your-objectstorage.com' } } },
      });
    }),
  },
  { name: 'the default deployment', build: () => spec({}) },
  { name: 'an existing ClusterIssuer whose CA is in the cluster', build: () => spec({ tls: { issuer: 'corp-ca', issuerServer: 'in-cluster' } }) },
  { name: 'spec: the AWS Frankfurt declaration as catalogued, residency', build: () => specOnly({ profile: 'residency', locations: { '*.agency.example': { country: 'DE', operator: 'DE' }, '*.eu-central-1.amazonaws.com': { country: 'DE', operator: 'US' } } }) },
  { name: 'spec: egress ranges of /16 and /32', build: () => specOnly({ egress: { cidrs: { 'relay.agency.example': ['192.0.2.10/32', '198.51.0.0/16'] } } }) },
  { name: 'spec: private pod and Service ranges of any width', build: () => specOnly({ cluster: { location: 'stackit/eu01', cni: 'cilium', podCidrs: ['10.0.0.0/8'], serviceCidrs: ['fd00::/108'] } }) },
  { name: 'spec: a suppression with a reason in another script', build: () => specOnly({ suppressions: [{ rule: 'SD-SUPPLY-CHAIN', reason: 'Datenschutzbeauftragte hat zugestimmt', path: 'agency-de/Workplace' }] }) },
];

describe('lawful controls pass with zero errors', () => {
  it.each(controls.map((c) => [c.name, c] as const))('%s', (_name, control) => {
    const out = outcome(control.build);
    expect(out.errors).toEqual([]);
  });

  it('has at least 25 controls', () => expect(controls.length).toBeGreaterThanOrEqual(25));
});
