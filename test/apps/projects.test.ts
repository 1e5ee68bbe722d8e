/**
 * Projects (OpenProject) as a team composes it on its own: proven, hardened,
 * logged in through the identity provider, calling nobody home.
 */
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { phoneHomeIn } from '../../constructs/policy/phone-home-settings';
import { ruleIds, releaseValues, resourceAt, resources, synth, toKubernetes } from '../util';
import { PROJECTS_HOST, projectsStack } from './projects-stack';

const out = synth(projectsStack().stack);
const values = releaseValues(out.json, 'Projects/OpenProject/Release');
const env = values.environment as Record<string, string>;
const secretEnv = Object.fromEntries((values.extraEnvVars as { name: string; valueFrom: { secretKeyRef: { name: string; key: string } } }[])
  .map((e) => [e.name, e.valueFrom.secretKeyRef]));

describe('projects (OpenProject)', () => {
  it('passes the proof with the mirror, backup target and locations a real user gives', () => {
    expect(out.errors).toEqual([]);
    expect(synth(projectsStack({ objectStore: true }).stack).errors).toEqual([]);
  });

  it('uses its own CloudNativePG cluster, with WAL archiving and base backups to the backup target, not the bundled PostgreSQL', () => {
    expect(values.postgresql).toMatchObject({
      bundled: false,
      connection: { host: 'openproject-db-rw.agency-de-projects.svc', port: 5432 },
      auth: { username: 'openproject', database: 'openproject', existingSecret: 'openproject-db-app', secretKeys: { userPasswordKey: 'password' } },
      options: { sslmode: 'require' },
    });
    const cluster = releaseValues(out.json, 'Projects/Database/Chart/Release');
    expect(cluster.backups).toMatchObject({ enabled: true, method: 'barmanObjectStore', endpointURL: 'https://fsn1.your-objectstorage.com', destinationPath: 's3://agency-de-backups/postgres/openproject-db' });
    expect(cluster.backups.scheduledBackups).toEqual([expect.objectContaining({ schedule: '0 0 2 * * *' })]);
  });

  it('signs users in through the identity provider with its own client, back-channel logout and direct login', () => {
    const realm = JSON.parse((resourceAt(out.json, 'kubernetes_secret_v1', 'Identity/Realm/Secret').data as Record<string, string>)['desk.json']);
    const client = (realm.clients as { clientId: string; redirectUris: string[]; attributes: Record<string, string> }[]).find((c) => c.clientId === 'openproject');
    expect(client?.redirectUris).toEqual([`https://${PROJECTS_HOST}/auth/keycloak/callback`]);
    expect(JSON.stringify(client)).toContain(`https://${PROJECTS_HOST}/auth/keycloak/backchannel-logout`);
    expect(values.openproject.oidc).toMatchObject({
      enabled: true, provider: 'keycloak', host: 'id.desk.agency.example', identifier: 'openproject', existingSecret: 'oidc-openproject',
      tokenEndpoint: 'https://id.desk.agency.example/realms/desk/protocol/openid-connect/token',
      endSessionEndpoint: 'https://id.desk.agency.example/realms/desk/protocol/openid-connect/logout',
    });
    expect(env.OPENPROJECT_OPENID__CONNECT_KEYCLOAK_ISSUER).toBe('https://id.desk.agency.example/realms/desk');
    expect(env.OPENPROJECT_OMNIAUTH__DIRECT__LOGIN__PROVIDER).toBe('keycloak');
    expect(secretEnv.OPENPROJECT_OPENID__CONNECT_KEYCLOAK_SECRET).toEqual({ name: 'oidc-openproject', key: 'client-secret' });
  });

  it('seeds the admin with a generated password, never the chart default', () => {
    expect(values.openproject.admin_user).toMatchObject({ password: '', secret: 'openproject-admin', secretKeys: { password: 'password' } });
    expect(secretEnv.OPENPROJECT_SEED_ADMIN_USER_PASSWORD).toEqual({ name: 'openproject-admin', key: 'password' });
    expect(out.text).not.toMatch(/"admin"/);
  });

  it('switches off every call home it knows of, and the scan finds none on', () => {
    expect(env).toMatchObject({
      OPENPROJECT_SECURITY__BADGE__DISPLAYED: 'false',
      OPENPROJECT_PLUGIN__OPENPROJECT__AVATARS: '{enable_gravatars: false, enable_local_avatars: true}',
      OPENPROJECT_SHOW__COMMUNITY__LINKS: 'false',
      OPENPROJECT_ONBOARDING__ENABLED: 'false',
      OPENPROJECT_EE__MANAGER__VISIBLE: 'false',
      OPENPROJECT_CROWDIN__IN__CONTEXT__TRANSLATIONS: 'false',
      APPSIGNAL_ENABLED: 'false',
      OPENPROJECT_FORCE__HELP__LINK: `https://${PROJECTS_HOST}/`,
      OPENPROJECT_FORCE__FORMATTING__HELP__LINK: `https://${PROJECTS_HOST}/`,
    });
    expect(phoneHomeIn(values)).toEqual([]);
    expect(ruleIds(out.annotations)).not.toContain('SD-PHONE-HOME');
  });

  it('points the help links where the team says', () => {
    const own = releaseValues(synth(projectsStack({ props: { helpUrl: 'https://servicedesk.agency.example/projects' } }).stack).json, 'Projects/OpenProject/Release');
    expect(own.environment.OPENPROJECT_FORCE__HELP__LINK).toBe('https://servicedesk.agency.example/projects');
  });

  it('keeps attachments on a ReadWriteMany volume by default, declared and covered by the volume backups', () => {
    expect(values.persistence).toEqual({ enabled: true, size: '20Gi' });
    expect(values.s3).toEqual({ enabled: false });
  });

  it('keeps attachments in the bucket when given one, credentials only as Secret references', () => {
    const s3 = releaseValues(synth(projectsStack({ objectStore: true }).stack).json, 'Projects/OpenProject/Release');
    expect(s3.persistence).toEqual({ enabled: false });
    expect(s3.s3).toMatchObject({ enabled: true, endpoint: 'https://object.storage.eu01.onstackit.cloud', bucketName: 'agency-de-projects', pathStyle: true, directUploads: false });
    const refs = Object.fromEntries((s3.extraEnvVars as { name: string; valueFrom: { secretKeyRef: unknown } }[]).map((e) => [e.name, e.valueFrom.secretKeyRef]));
    expect(refs.OPENPROJECT_FOG_CREDENTIALS_AWS__ACCESS__KEY__ID).toEqual({ name: 'desk-object-storage', key: 'access-key' });
    expect(refs.OPENPROJECT_FOG_CREDENTIALS_AWS__SECRET__ACCESS__KEY).toEqual({ name: 'desk-object-storage', key: 'secret-key' });
  });

  it('pulls every image through the registry mirror, pinned, and runs non-root with a read-only root filesystem', () => {
    for (const image of [values.image, values.hocuspocus.image, values.dbInit.image, values.memcached.image]) {
      expect(image.registry).toBe('registry.agency.example/desk');
      expect(image.tag).not.toMatch(/latest/);
    }
    // The chart's own defaults stay: runAsNonRoot, readOnlyRootFilesystem, drop ALL, RuntimeDefault seccomp.
    expect(values.containerSecurityContext).toBeUndefined();
    expect(values.develop).toBe(false);
    expect(resourceAt(out.json, 'helm_release', 'Projects/OpenProject/Release').repository).toBe('oci://registry.agency.example/desk/charts');
  });

  it('gives every container requests and limits', () => {
    for (const path of ['resources', 'workers.default.resources', 'hocuspocus.resources', 'appInit.resources', 'dbInit.resources', 'seederJob.resources', 'memcached.resources']) {
      const r = path.split('.').reduce((v: any, k) => v[k], values);
      expect([path, Object.keys(r.requests).sort(), Object.keys(r.limits).sort()]).toEqual([path, ['cpu', 'memory'], ['cpu', 'memory']]);
    }
  });

  it('serves TLS through the issuer and allows ingress only to the web and Hocuspocus pods, and the app only to its database and cache', () => {
    expect(values.ingress).toMatchObject({ ingressClassName: 'traefik', host: PROJECTS_HOST, annotations: { 'cert-manager.io/cluster-issuer': 'corp-ca' }, tls: { enabled: true, secretName: 'openproject-tls' } });
    const policies = resources(out.json, 'kubernetes_network_policy_v1')
      .map((p) => toKubernetes(p) as { metadata: { name: string } })
      .filter((p) => /openproject|hocuspocus|memcached/.test(p.metadata.name));
    expect(policies.map((p) => p.metadata.name).sort()).toEqual([
      'allow-ingress-to-hocuspocus', 'allow-ingress-to-openproject', 'allow-openproject-db-operator-and-replication', 'allow-openproject-to-database', 'allow-openproject-to-memcached',
    ]);
    for (const policy of policies) {
      const { metadata, ...rest } = policy as { metadata: { name: string; namespace: string } };
      expect(() => new NetworkPolicy({ metadata: { name: metadata.name, namespace: 'agency-de-projects' }, ...rest } as never).validate()).not.toThrow();
    }
  });
});

describe('projects fails', () => {
  it('if the database backup goes abroad', () => {
    const abroad = synth(projectsStack({ backupEndpoint: 'https://s3.us-east-1.amazonaws.com' }).stack);
    expect(ruleIds(abroad.errors)).toContain('SD-RESIDENCY');
    expect(abroad.errors.some((e) => e.constructPath.includes('Projects/Database'))).toBe(true);
  });

  it('if the attachments volume is not backed up', () => {
    const uncovered = synth(projectsStack({ volumeBackups: false }).stack);
    expect(uncovered.errors.some((e) => e.message.startsWith('SD-BACKUP') && e.message.includes('attachments'))).toBe(true);
  });

  it.each([
    ['a host with a scheme', { host: 'https://projects.example.org' }, /'host' \("https:\/\/projects.example.org"\) is not a host name/],
    ['no web pods', { webReplicas: 0 }, /'webReplicas' \(0\) must be a whole number from 1 to 20/],
    ['half a worker', { workerReplicas: 1.5 }, /'workerReplicas' \(1.5\) must be a whole number from 1 to 20/],
    ['an empty volume', { attachmentsGiB: 0 }, /'attachmentsGiB' \(0\) must be a whole number of GiB/],
    ['a help link over http', { helpUrl: 'http://help.example.org' }, /'helpUrl' \("http:\/\/help.example.org"\) must be an https:\/\/ URL/],
  ] as const)('if given %s', (_name, props, message) => {
    expect(() => projectsStack({ props })).toThrow(message);
  });

  it('if given a volume size and a bucket', () => {
    expect(() => projectsStack({ objectStore: true, props: { attachmentsGiB: 50 } })).toThrow(/attachments go to the object store/);
  });
});
