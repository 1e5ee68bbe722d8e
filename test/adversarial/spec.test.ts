/**
 * Attacks through the deployment spec and the stack's props: declarations
 * that widen or contradict the catalogue, services named by reference, egress
 * ranges that are too wide, suppressions that are too broad.
 */
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Jurisdiction, LocationDeclaration } from '../../constructs/jurisdiction';
import { Attack, composed, configMap, runAttacks, spec, specOnly } from './harness';
import { scope } from '../util';

const DE = { country: 'DE', operator: 'DE' };

/** A spec whose spec.locations holds one declaration. */
function declares(pattern: string, place: Record<string, unknown>, expectNamed: string | RegExp = pattern): Attack {
  return {
    class: 'declarations', name: `spec.locations ${pattern} as ${JSON.stringify(place)}`,
    build: () => specOnly({ locations: { '*.agency.example': DE, [pattern]: place } as never }), expectNamed,
  };
}

/** A stack whose props declare a location, and a ConfigMap naming a host under it. */
function propsDeclare(declaration: Omit<LocationDeclaration, 'countries' | 'operator'> & Partial<LocationDeclaration>, host: string, expectNamed: string | RegExp = `"${declaration.pattern}"`): Attack {
  const full = { countries: ['DE'], operator: 'DE', ...declaration } as LocationDeclaration;
  return {
    class: 'declarations', name: `props.locations ${full.pattern} as ${full.countries}/${full.operator}, then ${host}`,
    build: () => configMap(`https://${host}/x`, 'url', { locations: [full] }), expectNamed,
  };
}

const declarations: Attack[] = [
  declares('*', DE),
  declares('*.com', DE),
  declares('*.co.uk', DE),
  declares('*.io', DE),
  declares('*.cloud', DE),
  declares('*.github.io', DE),
  declares('*.s3.amazonaws.com', DE),
  declares('*.amazonaws.com', DE),
  declares('*.amazonaws.com', { country: 'DE', operator: 'US' }),
  declares('*.eu-central-1.amazonaws.com', DE),
  declares('s3.us-east-1.amazonaws.com', { country: 'DE', operator: 'US' }),
  declares('*.your-objectstorage.com', DE),
  declares('fsn1.your-objectstorage.com', { country: 'FI', operator: 'DE' }),
  declares('*.onstackit.cloud', DE),
  declares('*.ovh.net', { country: 'FR', operator: 'FR' }),
  declares('*.t-systems.com', DE),
  declares('*.docker.io', DE),
  declares('quay.io', DE),
  declares('ghcr.io', DE),
  declares('registry.terraform.io', DE),
  declares('acme-v02.api.letsencrypt.org', DE),
  declares('acct.blob.core.windows.net', DE),
  declares('sts.amazonaws.com', DE),
  declares('com', DE),
  declares('intranet', DE),
  declares('203.0.113.7', DE),
  declares('0.0.0.0/0', DE),
  declares('10.0.0.0/8', DE),
  declares('::/0', DE),
  declares('2001:db8::/16', DE),
  declares('52.216.0.0/16', DE),
  declares('*.Agency.EXAMPLE', DE),
  declares('*.evil-corp.com', { country: 'XX', operator: 'DE' }, 'XX'),
  { class: 'declarations', name: 'spec.domain on a provider domain', build: () => specOnly({ domain: 'your-objectstorage.com' }), expectNamed: 'your-objectstorage.com' },
  { class: 'declarations', name: 'spec.domain under S3', build: () => specOnly({ domain: 'desk.s3.amazonaws.com' }), expectNamed: 'desk.s3.amazonaws.com' },
  { class: 'declarations', name: 'spec.domain a public suffix', build: () => specOnly({ domain: 'co.uk' }), expectNamed: 'co.uk' },
  { class: 'declarations', name: 'spec.domain on GitHub pages', build: () => specOnly({ domain: 'desk.github.io' }), expectNamed: 'desk.github.io' },
  { class: 'declarations', name: 'spec.domain over a catalogued region', build: () => specOnly({ domain: 'eu-central-1.amazonaws.com' }), expectNamed: 'eu-central-1.amazonaws.com' },
  { class: 'declarations', name: 'spec.cluster.location in a foreign region', build: () => spec({ cluster: { location: 'aws/us-east-1', cni: 'cilium' } }), expectNamed: 'aws/us-east-1' },
  { class: 'declarations', name: 'spec.cluster.location a region typo', build: () => specOnly({ cluster: { location: 'stackit/eu1' } }), expectNamed: 'eu1' },
  propsDeclare({ pattern: '*.com' }, 'evil-corp.com'),
  propsDeclare({ pattern: '*.io' }, 'exfil.io'),
  propsDeclare({ pattern: '*.amazonaws.com' }, 's3.us-east-1.amazonaws.com'),
  propsDeclare({ pattern: '*.onstackit.cloud' }, 'evil.eu02.onstackit.cloud'),
  propsDeclare({ pattern: 'quay.io' }, 'quay.io'),
  propsDeclare({ pattern: '0.0.0.0/0' }, '203.0.113.7'),
  { class: 'declarations', name: 'props.ownDomains on a public suffix', build: () => configMap('https://evil-corp.com/x', 'url', { ownDomains: ['com'] }), expectNamed: '"com"' },
  { class: 'declarations', name: 'props.ownDomains on a provider domain', build: () => configMap('https://s3.us-east-1.amazonaws.com/x', 'url', { ownDomains: ['amazonaws.com'] }), expectNamed: '"amazonaws.com"' },
  { class: 'declarations', name: 'props.jurisdiction DE, operators wider', build: () => configMap('https://s3.eu-central-1.amazonaws.com/x', 'url', { operators: Jurisdiction.of('EU') }), expectNamed: 's3.eu-central-1.amazonaws.com' },
];

const references: Attack[] = [
  { class: 'references', name: 'tls.issuer without issuerServer', build: () => spec({ tls: { issuer: 'corp-ca' } }), expectNamed: 'corp-ca' },
  { class: 'references', name: 'tls.issuerServer at Let\'s Encrypt', build: () => spec({ tls: { issuer: 'le-prod', issuerServer: 'https://acme-v02.api.letsencrypt.org/directory' } }), expectNamed: 'acme-v02.api.letsencrypt.org' },
  { class: 'references', name: 'tls.issuerServer over http', build: () => specOnly({ tls: { issuer: 'corp-ca', issuerServer: 'http://ca.agency.example/acme' } }), expectNamed: 'http://ca.agency.example/acme' },
  { class: 'references', name: 'tls.issuerServer without issuer', build: () => specOnly({ tls: { acme: 'https://acme.agency.example/directory', issuerServer: 'in-cluster' } }), expectNamed: 'issuerServer' },
  { class: 'references', name: 'tls.acme at a foreign CA', build: () => spec({ tls: { acme: 'https://acme.zerossl.com/v2/DV90' } }), expectNamed: 'acme.zerossl.com' },
  { class: 'references', name: 'tls.issuerServer a Vault at an undeclared host', build: () => spec({ tls: { issuer: 'vault-issuer', issuerServer: 'https://vault.evil-corp.com/v1/pki/sign/desk' } }), expectNamed: 'vault.evil-corp.com' },
  { class: 'references', name: 'tls.issuerServer only starting like a declared host', build: () => spec({ tls: { issuer: 'corp-ca', issuerServer: 'https://acme.agency.example.evil-corp.com/directory' } }), expectNamed: 'acme.agency.example.evil-corp.com' },
  {
    class: 'references', name: 'a Vault ClusterIssuer manifest at a foreign host',
    build: () => composed((stack) => new Manifest(scope(stack), 'Issuer', {
      manifest: { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'vault' }, spec: { vault: { server: 'https://vault.evil-corp.com:8200', path: 'pki/sign/desk', auth: { kubernetes: { role: 'desk', mountPath: '/v1/auth/kubernetes', secretRef: { name: 'v', key: 'token' } } } } } },
    })),
    expectNamed: 'vault.evil-corp.com',
  },
  {
    class: 'references', name: 'a ClusterIssuer manifest with a foreign ACME server',
    build: () => composed((stack) => new Manifest(scope(stack), 'Issuer', {
      manifest: { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'le' }, spec: { acme: { server: 'https://acme-v02.api.letsencrypt.org/directory', privateKeySecretRef: { name: 'le' }, solvers: [{ http01: { ingress: {} } }] } } },
    })),
    expectNamed: 'acme-v02.api.letsencrypt.org',
  },
];

const egress: Attack[] = [
  ...[['0.0.0.0/0'], ['10.0.0.0/8'], ['0.0.0.0/1', '128.0.0.0/1'], ['::/0'], ['2001:db8::/31'], ['192.0.2.10/32', '100.64.0.0/10']].map((cidrs): Attack => ({
    class: 'egress', name: `spec.egress.cidrs ${cidrs.join(', ')}`,
    build: () => specOnly({ egress: { cidrs: { 'relay.agency.example': cidrs } } }), expectNamed: cidrs[cidrs.length - 1],
  })),
  { class: 'egress', name: 'spec.egress.cidrs over a catalogued foreign range', build: () => specOnly({ egress: { cidrs: { 'relay.agency.example': ['52.216.0.0/16'] } } }), expectNamed: '52.216.0.0/16' },
  { class: 'egress', name: 'spec.egress.cidrs of a Hetzner host at AWS', build: () => specOnly({ egress: { cidrs: { 'fsn1.your-objectstorage.com': ['52.216.10.0/24'] } } }), expectNamed: '52.216.10.0/24' },
  {
    class: 'egress', name: 'spec.cluster.podCidrs over the internet, then an address in it',
    build: () => spec({ cluster: { location: 'stackit/eu01', cni: 'cilium', podCidrs: ['0.0.0.0/0'] }, logging: { endpoint: 'https://203.0.113.7/loki/api/v1/push' } }),
    expectNamed: '0.0.0.0/0',
  },
  ...[['0.0.0.0/0', 'http://203.0.113.7/x', '203.0.113.7'], ['8.0.0.0/7', 'http://9.9.9.9/x', '9.9.9.9'], ['::/0', 'http://[2001:db8::7]/x', '2001:db8::7'], ['2000::/3', 'http://[2a00:1450::1]/x', '2a00:1450::1'], ['10.0.0.0/7', 'http://11.1.2.3/x', '11.1.2.3']]
    .map(([cidr, url, named]): Attack => ({
      class: 'egress', name: `props.clusterCidrs ${cidr}, then ${url}`, build: () => configMap(url, 'url', { clusterCidrs: [cidr] }), expectNamed: new RegExp(`"${cidr}"|${named.replace(/\./g, '\\.')}`),
    })),
];

const REASON = 'accepted by the data protection officer for the pilot';
const suppressions: Attack[] = [
  {
    class: 'suppressions', name: 'a path that is a prefix of another segment (test/Team vs test/Teams)',
    build: () => composed((stack) => new ConfigMapV1(scope(stack, 'Teams'), 'Config', { metadata: { name: 'c' }, data: { url: 'https://evil-corp.com/in' } }),
      { suppressions: [{ rule: 'SD-UNPROVEN', reason: REASON, path: 'test/Team' }] }),
    expectNamed: 'evil-corp.com',
  },
  {
    class: 'suppressions', name: 'a path naming a sibling construct',
    build: () => composed((stack) => new ConfigMapV1(scope(stack, 'Other'), 'Config', { metadata: { name: 'c' }, data: { url: 'https://evil-corp.com/in' } }),
      { suppressions: [{ rule: 'SD-UNPROVEN', reason: REASON, path: 'test/Team' }] }),
    expectNamed: 'evil-corp.com',
  },
  {
    class: 'suppressions', name: 'a suppression of another rule',
    build: () => configMap('https://evil-corp.com/in', 'url', { suppressions: [{ rule: 'SD-RESIDENCY', reason: REASON }] }),
    expectNamed: 'evil-corp.com',
  },
  {
    class: 'suppressions', name: 'a rule id in lower case',
    build: () => configMap('https://evil-corp.com/in', 'url', { suppressions: [{ rule: 'sd-unproven', reason: REASON }] }),
    expectNamed: 'evil-corp.com',
  },
  ...['1234567890 !!!', '----------------', '2027-01-01 (OPS-12)', 'ok ok ok', '   '].map((reason): Attack => ({
    class: 'suppressions', name: `spec reason ${JSON.stringify(reason)}`,
    build: () => specOnly({ suppressions: [{ rule: 'SD-SUPPLY-CHAIN', reason }] }), expectNamed: `"${reason}"`,
  })),
  ...['/agency-de/Workplace', 'agency-de//Workplace', 'agency-de/Workplace/'].map((path): Attack => ({
    class: 'suppressions', name: `spec path ${path}`,
    build: () => specOnly({ suppressions: [{ rule: 'SD-SUPPLY-CHAIN', reason: REASON, path }] }), expectNamed: path,
  })),
  { class: 'suppressions', name: 'spec rule id unknown', build: () => specOnly({ suppressions: [{ rule: 'SD-EVERYTHING', reason: REASON }] }), expectNamed: 'SD-EVERYTHING' },
];

runAttacks([...declarations, ...references, ...egress, ...suppressions]);
