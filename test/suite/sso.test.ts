/**
 * Single sign-on consistency, read from the synthesized output only: every
 * application's issuer, client id, redirect and logout URLs match the
 * Keycloak realm that Keycloak imports.
 */
import { parse } from 'yaml';
import { MAS_PROVIDER_ID } from '../../constructs/apps';
import { releaseValues, resourceAt, synth, workplace } from '../util';

const out = synth(workplace());
const realmSecret = resourceAt(out.json, 'kubernetes_secret_v1', 'Identity/Realm/Secret');
const realm = JSON.parse((realmSecret.data as Record<string, string>)['desk.json']);
const keycloak = releaseValues(out.json, 'Identity/Keycloak/Release');
const hostname = (JSON.parse(keycloak.extraEnv) as { name: string; value?: string }[]).find((e) => e.name === 'KC_HOSTNAME')?.value;
const issuer = `${hostname}/realms/${realm.realm}`;
const client = (id: string) => realm.clients.find((c: { clientId: string }) => c.clientId === id);
const secretOf = (path: string, key: string) => (resourceAt(out.json, 'kubernetes_secret_v1', path).data as Record<string, string>)[key];

describe('the realm', () => {
  it('is realm desk on the identity host, with one client per signed-in app', () => {
    expect(issuer).toBe('https://id.desk.agency.example/realms/desk');
    expect(realm.clients.map((c: { clientId: string }) => c.clientId)).toEqual(['jitsi', 'matrix', 'nextcloud', 'openproject', 'xwiki']);
  });

  it('gives each client its own scope, PKCE and back-channel logout', () => {
    // Jitsi's OIDC adapter sends no PKCE challenge and has no back-channel logout (docs/suite.md says so); it signs in with its secret.
    for (const c of realm.clients) {
      expect(c.defaultClientScopes).toContain(`desk-${c.clientId}`);
      expect(realm.clientScopes.map((s: { name: string }) => s.name)).toContain(`desk-${c.clientId}`);
      expect(c.attributes['pkce.code.challenge.method']).toBe(c.clientId === 'jitsi' ? undefined : 'S256');
      if (c.clientId !== 'jitsi') expect(c.attributes['backchannel.logout.url']).toMatch(/^https:\/\//);
      expect(c.publicClient).toBe(false);
      expect(c.directAccessGrantsEnabled).toBe(false);
    }
  });

  it('protects against brute force and keeps the admin console off the public host', () => {
    expect(realm).toMatchObject({ bruteForceProtected: true, failureFactor: 5, sslRequired: 'all', registrationAllowed: false });
    const paths = keycloak.ingress.rules.flatMap((r: { paths: { path: string }[] }) => r.paths.map((p) => p.path));
    expect(paths).toEqual(['/realms/', '/resources/']);
    expect(keycloak.ingress.console.enabled).toBe(false);
  });
});

describe('files (Nextcloud) against the realm', () => {
  const values = releaseValues(out.json, 'Files/Nextcloud/Release');
  const env = Object.fromEntries((values.nextcloud.extraEnv as { name: string; value?: string }[]).map((e) => [e.name, e.value]));
  const nextcloud = client('nextcloud');

  it('uses the realm issuer, its client id, and the realm logout endpoint', () => {
    expect(env.OIDC_DISCOVERY_URL).toBe(`${issuer}/.well-known/openid-configuration`);
    expect(env.OIDC_CLIENT_ID).toBe(nextcloud.clientId);
    expect(env.OIDC_LOGOUT_URL).toBe(`${issuer}/protocol/openid-connect/logout`);
  });

  it('is allowed to redirect back to its user_oidc callback and logout page', () => {
    expect(nextcloud.redirectUris).toEqual([`https://${values.nextcloud.host}/apps/user_oidc/code`]);
    expect(nextcloud.attributes['post.logout.redirect.uris']).toBe(`https://${values.nextcloud.host}/*`);
    expect(nextcloud.attributes['backchannel.logout.url']).toBe(`https://${values.nextcloud.host}/apps/user_oidc/backchannel-logout/keycloak`);
  });

  it('reads the same generated client secret the realm holds', () => {
    const ref = (values.nextcloud.extraEnv as { name: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[])
      .find((e) => e.name === 'OIDC_CLIENT_SECRET')?.valueFrom?.secretKeyRef;
    expect(ref).toEqual({ name: 'oidc-nextcloud', key: 'client-secret' });
    expect(secretOf('Files/OidcClient/Secret', 'client-secret')).toBe(nextcloud.secret);
    expect(nextcloud.secret).toMatch(/^\$\{random_password\.[\w-]+\.result\}$/);
  });
});

describe('chat (Matrix Authentication Service) against the realm', () => {
  const upstream = parse(secretOf('Chat/UpstreamOidc', 'upstream.yaml')).upstream_oauth2.providers[0];
  const values = releaseValues(out.json, 'Chat/MatrixStack/Release');
  const matrix = client('matrix');
  const account = `https://${values.matrixAuthenticationService.ingress.host}`;

  it('uses the realm issuer and its client id', () => {
    expect(upstream.issuer).toBe(issuer);
    expect(upstream.client_id).toBe(matrix.clientId);
    expect(upstream.client_secret).toBe(matrix.secret);
  });

  it('is allowed to redirect back to the MAS callback of its provider id', () => {
    expect(upstream.id).toBe(MAS_PROVIDER_ID);
    expect(matrix.redirectUris).toEqual([`${account}/upstream/callback/${upstream.id}`]);
    expect(matrix.attributes['backchannel.logout.url']).toBe(`${account}/upstream/backchannel-logout/${upstream.id}`);
    expect(values.matrixAuthenticationService.additional['desk-upstream.yaml']).toEqual({ configSecret: 'mas-upstream-oidc', configSecretKey: 'upstream.yaml' });
  });
});

describe('video, projects and wiki against the realm', () => {
  const values = (path: string) => releaseValues(out.json, path);
  const env = (list: { name: string; value?: string }[]) => Object.fromEntries(list.map((e) => [e.name, e.value]));

  it('video (Jitsi): its OIDC adapter uses the realm issuer and the jitsi client, which may only return to the adapter on the video host', () => {
    const video = values('Video/Jitsi/Release');
    const adapter = (video.web.extraContainers as { name: string; env: { name: string; value?: string }[] }[]).find((c) => c.name === 'oidc-adapter');
    expect(env(adapter?.env ?? [])).toMatchObject({ OIDC_ISSUER_URL: issuer, OIDC_CLIENT_ID: client('jitsi').clientId });
    expect(client('jitsi').redirectUris).toEqual(['https://meet.desk.agency.example/oidc/tokenize']);
  });

  it('projects (OpenProject): the realm issuer and its endpoints, the openproject client, and a back-channel logout on the projects host', () => {
    const projects = values('Projects/OpenProject/Release');
    expect(projects.environment.OPENPROJECT_OPENID__CONNECT_KEYCLOAK_ISSUER).toBe(issuer);
    expect(projects.openproject.oidc.endSessionEndpoint).toBe(`${issuer}/protocol/openid-connect/logout`);
    const openproject = client('openproject');
    expect(openproject.redirectUris.every((uri: string) => uri.startsWith('https://projects.desk.agency.example/'))).toBe(true);
    expect(openproject.attributes['backchannel.logout.url']).toMatch(/^https:\/\/projects\.desk\.agency\.example\//);
  });

  it('wiki (XWiki): the realm as provider, the xwiki client, and redirects on the wiki host only', () => {
    const wiki = values('Wiki/XWiki/Release');
    const properties = wiki.customConfigs['xwiki.properties'] as Record<string, string>;
    expect(properties['oidc.provider']).toBe(issuer);
    expect(properties['oidc.clientid']).toBe(client('xwiki').clientId);
    expect(client('xwiki').redirectUris.every((uri: string) => uri.startsWith('https://wiki.desk.agency.example/'))).toBe(true);
    expect(client('xwiki').attributes['backchannel.logout.url']).toMatch(/^https:\/\/wiki\.desk\.agency\.example\//);
  });
});
