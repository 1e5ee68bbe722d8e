/**
 * The wiki (XWiki): its values, its OIDC client, its database and volume
 * backups, its extension repository, and the calls home it switches off.
 */
import { Wiki } from '../../constructs/apps';
import { AppNamespace, CHARTS, ExistingIngress, ExistingIssuer, PostgresOperator, baseValues } from '../../constructs/platform';
import { phoneHomeIn } from '../../constructs/policy/phone-home-settings';
import { minimalStack, releaseValues, resourceAt, resources, ruleIds, synth } from '../util';
import { EXTENSION_MIRROR, WIKI_BACKUP, WIKI_LOCATIONS, wikiStack } from './wiki-stack';

const out = synth(wikiStack().stack);
const values = releaseValues(out.json, 'Wiki/XWiki/Release');
const properties = values.customConfigs['xwiki.properties'];
const errorsOf = (o: typeof out) => o.errors.map((e) => [e.constructPath, ruleIds([e])[0]]);

describe('Wiki (XWiki)', () => {
  it('passes the proof with the registry mirror, the extension mirror and backups a real deployment gives', () => {
    expect(out.errors).toEqual([]);
    // The PostgreSQL backups are kept with the provider's keys (barman-cloud encrypts nothing itself): their only warnings.
    expect(out.warnings.map((w) => [w.constructPath, w.message.split(' ')[0]])).toEqual([
      ['test/IdentityDatabase/Backup', 'SD-KEY-CUSTODY'], ['test/Wiki/Database/Backup', 'SD-KEY-CUSTODY'],
    ]);
  });

  it('runs the pinned image from the mirror on its own PostgreSQL cluster, password from the cluster Secret', () => {
    expect(values.image).toMatchObject({ name: 'registry.mirror.example/desk/docker.io/library/xwiki', tag: CHARTS.xwiki.images[0].tag });
    expect(CHARTS.xwiki.images[0].tag).toMatch(/^\d+\.\d+\.\d+-postgres-tomcat$/);
    expect(values.externalDB).toEqual({
      type: 'postgresql', host: 'xwiki-db-rw.desk-wiki.svc', database: 'xwiki', user: 'xwiki',
      customKeyRef: { enabled: true, name: 'xwiki-db-app', key: 'password' },
    });
    expect([values.mysql.enabled, values.mariadb.enabled, values.postgresql.enabled]).toEqual([false, false, false]);
    expect(releaseValues(out.json, 'Wiki/Database/Chart/Release').backups).toMatchObject({
      enabled: true, endpointURL: WIKI_BACKUP.endpoint, destinationPath: 's3://desk-backup/postgres/xwiki-db',
    });
  });

  it('signs users in through the identity provider, the client secret read from its Secret at start', () => {
    expect(properties).toMatchObject({
      'security.authservice': 'oidc', 'oidc.provider': 'https://id.desk.test.example/realms/desk', 'oidc.clientid': 'xwiki',
      'oidc.endpoint.token.auth_method': 'client_secret_basic',
    });
    expect(properties['oidc.secret']).toBeUndefined();
    expect(values.customConfigsSecrets).toEqual({ 'xwiki.properties': { 'oidc.secret': { secret: { name: 'oidc-xwiki', key: 'client-secret' } } } });
    const realm = JSON.parse(Object.values(resourceAt(out.json, 'kubernetes_secret_v1', 'Identity/Realm/Secret').data as Record<string, string>)[0]);
    const client = realm.clients.find((c: { clientId: string }) => c.clientId === 'xwiki');
    expect(client.redirectUris).toEqual(['https://wiki.desk.test.example/oidc/authenticator/callback']);
    expect(client.attributes['backchannel.logout.url']).toBe('https://wiki.desk.test.example/oidc/authenticator/backchannel_logout');
    expect(resourceAt(out.json, 'kubernetes_secret_v1', 'Wiki/OidcClient/Secret').metadata).toMatchObject({ name: 'oidc-xwiki', namespace: expect.stringContaining('WikiNamespace') });
  });

  it('publishes the host over TLS from the issuer and lets only the ingress controller in', () => {
    expect(values.ingress).toMatchObject({
      enabled: true, className: 'traefik', annotations: { 'cert-manager.io/cluster-issuer': 'internal-ca' },
      hosts: [{ host: 'wiki.desk.test.example', paths: [{ path: '/', pathType: 'Prefix' }] }], tls: [{ secretName: 'xwiki-tls', hosts: ['wiki.desk.test.example'] }],
    });
    expect(properties).toBeDefined();
    expect(values.customConfigs['xwiki.cfg']).toEqual({ 'xwiki.url.protocol': 'https', 'xwiki.home': 'https://wiki.desk.test.example/' });
    const policy = resourceAt(out.json, 'kubernetes_network_policy_v1', 'Wiki/AllowFromIngress/Policy') as { spec: { ingress: { ports: { port: string }[] }[] } };
    expect(policy.spec.ingress[0].ports.map((p) => p.port)).toEqual(['8080']);
  });

  it('runs without capabilities or privilege escalation, with requests and limits', () => {
    for (const context of [values.containerSecurityContext, values.volumePermissions.containerSecurityContext]) {
      expect(context).toMatchObject({ enabled: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } });
    }
    expect(values.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(values.resources).toEqual({ requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } });
  });

  it('installs extensions from the mirror only', () => {
    expect(properties['extension.repositories']).toEqual([`mirror:maven:${EXTENSION_MIRROR}`]);
  });

  it('reaches the extension mirror by name and nothing of XWiki SAS', () => {
    const egress = JSON.stringify(resources(out.json, 'kubernetes_manifest').filter((m) => JSON.stringify(m).includes('desk-wiki')));
    expect(egress).toContain('maven.mirror.example');
    expect(egress).not.toMatch(/xwiki\.org|xwiki\.com/);
  });

  it('switches off every call home it knows: Active Installs, the vulnerability scan, the news feeds, jar downloads at start', () => {
    expect(properties).toMatchObject({ 'activeinstalls2.pingURL': 'http://localhost:9/', 'extension.security.scan.enabled': false, 'whatsnew.sources': '' });
    expect(phoneHomeIn(values)).toEqual([]);
    expect(phoneHomeIn(baseValues('xwiki'))).toEqual([]);
    expect([values.cluster.enabled, values.glowroot.enabled, values.prometheus.javaagent.enabled]).toEqual([false, false, false]);
  });

  it('catches each call home turned back on in xwiki.properties', () => {
    expect(phoneHomeIn('activeinstalls2.pingURL=https://extensions.xwiki.org/activeinstalls2\nextension.security.scan.enabled=true\nwhatsnew.sources=xwikiorg = xwikiblog\n')
      .map((s) => s.target)).toEqual(['https://extensions.xwiki.org/activeinstalls2', 'https://api.osv.dev/v1/query', 'https://extensions.xwiki.org/news']);
  });
});

describe('Wiki: what the proof catches', () => {
  it('fails without an extension mirror: XWiki would install from extensions.xwiki.org and nexus.xwiki.org', () => {
    const o = synth(wikiStack({ extensionRepository: undefined }).stack);
    expect(errorsOf(o)).toEqual([
      ['test/Wiki/ExtensionRepository', 'SD-PHONE-HOME'],
      ['test/Wiki/ExtensionRepository', 'SD-UNPROVEN'],
      ['test/Wiki/MavenRepository', 'SD-PHONE-HOME'],
      ['test/Wiki/MavenRepository', 'SD-UNPROVEN'],
    ]);
    expect(releaseValues(o.json, 'Wiki/XWiki/Release').customConfigs['xwiki.properties']['extension.repositories']).toBeUndefined();
  });

  it('fails if the extension mirror is abroad', () => {
    const o = synth(wikiStack({}, [WIKI_LOCATIONS[0], { pattern: 'maven.mirror.example', countries: ['US'], operator: 'US' }]).stack);
    expect(errorsOf(o)).toEqual([
      ['test/Wiki/ExtensionRepository', 'SD-OPERATOR'],
      ['test/Wiki/ExtensionRepository', 'SD-RESIDENCY'],
    ]);
  });

  it('fails if the database backups go abroad', () => {
    const o = synth(wikiStack({ backup: { ...WIKI_BACKUP, endpoint: 'https://s3.us-east-1.amazonaws.com' } }).stack);
    expect(errorsOf(o).filter(([path]) => path.startsWith('test/Wiki/'))).toEqual(expect.arrayContaining([
      ['test/Wiki/Database/Backup', 'SD-RESIDENCY'],
      ['test/Wiki/Database/Data', 'SD-BACKUP'],
    ]));
  });

  it('fails if the permanent directory is not backed up', () => {
    const { stack } = wikiStack();
    const o = synth(stack);
    expect(o.errors).toEqual([]);
    const bare = minimalStack({ locations: [...WIKI_LOCATIONS], ownDomains: ['desk.test.example'] });
    const namespace = new AppNamespace(bare, 'Ns', { name: 'desk-wiki', app: 'wiki', podSecurity: 'baseline' });
    const operator = new PostgresOperator(bare, 'Postgres', { namespace });
    new Wiki(bare, 'Wiki', {
      namespace, host: 'wiki.desk.test.example', operator, backup: WIKI_BACKUP, extensionRepository: EXTENSION_MIRROR,
      identity: { host: 'id.desk.test.example', issuerUrl: 'https://id.desk.test.example/realms/desk', registerClient: () => ({
        clientId: 'xwiki', issuerUrl: 'https://id.desk.test.example/realms/desk', discoveryUrl: '', logoutUrl: '', secretName: 'oidc-xwiki', secretKey: 'client-secret', secretReference: '',
      }) },
      ingress: new ExistingIngress('traefik', 'traefik'), issuer: new ExistingIssuer('internal-ca'),
    });
    expect(errorsOf(synth(bare))).toContainEqual(['test/Wiki/PermanentDirectory', 'SD-BACKUP']);
  });

  it.each([0, 2.5])("fails if 'storageGiB' is %s", (storageGiB) => {
    expect(() => wikiStack({ storageGiB })).toThrow(`'storageGiB' (${storageGiB}) must be a whole number of GiB, at least 1`);
  });

  it.each(['http://maven.mirror.example/', 'maven.mirror.example', 'https://maven.mirror.example/?x=1'])("fails if 'extensionRepository' is %s", (extensionRepository) => {
    expect(() => wikiStack({ extensionRepository })).toThrow(`'extensionRepository' ("${extensionRepository}") must be an https:// URL without query or fragment`);
  });
});
