/**
 * More strings parsers disagree on (full-width and compatibility forms of
 * URL delimiters, soft hyphens, combining marks, odd ports) and more places
 * the scan must read (Secret data, Service and Pod fields, map keys).
 */
import { gzipSync } from 'node:zlib';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { PodV1 } from '@cdktf/provider-kubernetes/lib/pod-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { SovereignStack } from '../../constructs/proof';
import { Attack, composed, inConfigMap, runAttacks } from './harness';
import { scope } from '../util';
const ts = (name: string, add: (stack: SovereignStack) => void, expectNamed: string | RegExp): Attack => ({ class: 'scan', name, build: () => composed(add), expectNamed });
runAttacks([
  inConfigMap('parsers', 'https://fsn1.your-objectstorage.com%09.evil-corp.com/', /evil-corp\.com/),
  inConfigMap('parsers', 'http://evil-corp.com:80\\@fsn1.your-objectstorage.com/', /evil-corp\.com/),
  inConfigMap('parsers', 'https://evil-corp.com\u3000/x', /evil-corp\.com/),
  inConfigMap('parsers', 'mail ops@evil-corp.com now', /evil-corp\.com/),
  inConfigMap('parsers', 'HTTP://[::FFFF:CB00:7107]/', /cb00:7107|203\.0\.113\.7/i),
  inConfigMap('parsers', Buffer.from('https://evil-corp.com/x?a=b').toString('base64url'), /evil-corp\.com/),
  inConfigMap('parsers', gzipSync('url: https://evil-corp.com/gz').toString('base64'), /evil-corp\.com/),
  inConfigMap('parsers', 'https://evil-corp.com\\\\x', /evil-corp\.com/),
  inConfigMap('parsers', 'https://fsn1.your-objectstorage.com\\.evil-corp.com', /evil-corp\.com/),
  // A user part that looks like a proven host: every parser reaches the host after the "@".
  inConfigMap('parsers', 'http://fsn1.your-objectstorage.com%3A80@evil-corp.com/', /evil-corp\.com/),
  inConfigMap('parsers', 'https://fsn1.your-objectstorage.com@evil-corp.com@fsn1.your-objectstorage.com/', /evil-corp\.com/),
  inConfigMap('parsers', 'wss:/evil-corp.com/x', /evil-corp\.com/),
  inConfigMap('parsers', 'https:\\/evil-corp.com/x', /evil-corp\.com/),
  inConfigMap('parsers', 'ftp:\\\\evil-corp.com', /evil-corp\.com/),
  inConfigMap('parsers', 'Https:/\\evil-corp.com', /evil-corp\.com/),
  inConfigMap('parsers', 'https://evil-corp.com:0x1bb/', /evil-corp\.com/),
  inConfigMap('parsers', 'https://0x7f.0.0.1.evil-corp.com/', /evil-corp\.com/),
  inConfigMap('parsers', 'https://evil-corp.com/\u2024x', /evil-corp\.com/),
  inConfigMap('parsers', 'https://fsn1.your-objectstorage.com\u2024evil-corp.com', /evil-corp|2024/),
  inConfigMap('parsers', 'https://fsn1.your-objectstorage.com\uFE52evil-corp.com', /evil-corp/),
  inConfigMap('parsers', 'https://evil-corp.com\uFF0Fx', /evil-corp/),
  inConfigMap('parsers', 'https://evil-corp.com\uFF03@fsn1.your-objectstorage.com', /evil-corp/),
  inConfigMap('parsers', 'https://fsn1.your-objectstorage.com\uFF20evil-corp.com', /evil-corp/),
  inConfigMap('parsers', 'https://fsn1.your-objectstorage.com\uFF3Cevil-corp.com', /evil-corp/),
  inConfigMap('parsers', 'https://evil-corp.c\u0307om', /evil-corp/),
  inConfigMap('parsers', 'https://evil-corp.com\u00AD/', /evil-corp/),
  inConfigMap('parsers', 'https://ev\u00ADil-corp.com/', /evil-corp|il-corp/),
  inConfigMap('parsers', 'https://evil-corp.ｃｏｍ/', /evil-corp/),
  inConfigMap('parsers', 'https://fsn1.your-objectstorage.com\u2215evil-corp.com', /evil-corp/),
  ts('secret data', (s) => new SecretV1(scope(s), 'S', { metadata: { name: 's' }, data: { url: 'https://evil-corp.com/s' } }), /evil-corp/),
  ts('externalName', (s) => new ServiceV1(scope(s), 'S', { metadata: { name: 's' }, spec: { type: 'ExternalName', externalName: 'db.evil-corp.com' } }), /evil-corp/),
  ts('externalName without a public suffix', (s) => new ServiceV1(scope(s), 'S', { metadata: { name: 's' }, spec: { type: 'ExternalName', externalName: 'db.evil-corp.internal' } }), 'db.evil-corp.internal'),
  ts('externalName in a manifest', (s) => new Manifest(scope(s), 'M', { manifest: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'team' }, spec: { type: 'ExternalName', externalName: 'db.corp.lan' } } }), 'db.corp.lan'),
  ts('externalIPs', (s) => new ServiceV1(scope(s), 'S', { metadata: { name: 's' }, spec: { externalIps: ['203.0.113.8'], port: [{ port: 80 }] } }), /203\.0\.113\.8/),
  ts('dnsConfig nameserver', (s) => new PodV1(scope(s), 'P', { metadata: { name: 'p' }, spec: { container: [{ name: 'c', image: 'registry.opencode.de/x/y:1' }], dnsConfig: { nameservers: ['8.8.8.8'] } } }), /8\.8\.8\.8/),
  ts('hostAliases', (s) => new PodV1(scope(s), 'P', { metadata: { name: 'p' }, spec: { container: [{ name: 'c', image: 'registry.opencode.de/x/y:1' }], hostAliases: [{ ip: '203.0.113.9', hostnames: ['db.internal'] }] } }), /203\.0\.113\.9/),
  ts('map key URL', (s) => new Manifest(scope(s), 'M', { manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'team' }, data: { 'https://evil-corp.com/k': 'v' } } }), /evil-corp/),
]);
