/**
 * Each application: its resources, its merged values, and its dependencies.
 */
import { Identity, Office } from '../../constructs/apps';
import { AppNamespace, ExistingIngress, ExistingIssuer, PostgresCluster, PostgresOperator } from '../../constructs/platform';
import { minimalStack, releaseValues, resourceAt, resources, synth, workplace } from '../util';

const out = synth(workplace());
const dependsOn = (pathSuffix: string): string[] => (resourceAt(out.json, 'helm_release', pathSuffix).depends_on as string[]) ?? [];

describe('identity (Keycloak)', () => {
  const values = releaseValues(out.json, 'Identity/Keycloak/Release');

  it('merges base values with the computed database, hostname and realm import', () => {
    expect(values.args).toEqual(['start', '--import-realm']);
    expect(values.database).toEqual({
      vendor: 'postgres', hostname: 'keycloak-db-rw.agency-de-identity.svc', port: 5432, database: 'keycloak', username: 'keycloak',
      existingSecret: 'keycloak-db-app', existingSecretKey: 'password',
    });
    expect(JSON.parse(values.extraVolumeMounts)).toEqual([{ name: 'realm', mountPath: '/opt/keycloak/data/import', readOnly: true }]);
    expect(values.resources.limits).toEqual({ cpu: '2', memory: '2Gi' });
  });

  it('runs non-root without privilege escalation', () => {
    expect(values.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(values.podSecurityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
  });

  it('waits for its database cluster, whose release waits for the operator', () => {
    expect(dependsOn('Identity/Keycloak/Release').some((d) => d.startsWith('kubernetes_secret_v1.'))).toBe(true);
    expect(dependsOn('IdentityDatabase/Chart/Release')).toEqual([expect.stringMatching(/^helm_release\.Workplace_PostgresOperator_/)]);
  });

  it('fails if a client id is registered twice', () => {
    const stack = minimalStack();
    const ns = new AppNamespace(stack, 'Ns', { name: 'identity', app: 'identity' });
    const operator = new PostgresOperator(stack, 'Operator', { namespace: ns });
    const database = new PostgresCluster(stack, 'Db', { namespace: ns, operator, name: 'db', database: 'keycloak', description: 'db' });
    const identity = new Identity(stack, 'Identity', { namespace: ns, host: 'id.example.org', database, ingress: new ExistingIngress('traefik', 'traefik'), issuer: new ExistingIssuer('ca') });
    const request = { clientId: 'app', name: 'App', rootUrl: 'https://app.example.org', redirectUris: [], postLogoutRedirectUris: [], namespace: ns };
    identity.registerClient(stack, 'A', request);
    expect(() => identity.registerClient(stack, 'B', request)).toThrow(/client 'app' is registered twice/);
  });
});

describe('files (Nextcloud)', () => {
  const values = releaseValues(out.json, 'Files/Nextcloud/Release');

  it('stores files in the S3 bucket of the spec, credentials from a Secret', () => {
    expect(values.nextcloud.objectStore.s3).toMatchObject({
      enabled: true, host: 'object.storage.eu01.onstackit.cloud', bucket: 'agency-de-files', ssl: true,
      existingSecret: 'desk-object-storage', secretKeys: { accessKey: 'access-key', secretKey: 'secret-key' },
    });
  });

  it('uses its PostgreSQL cluster and Valkey, with credentials from Secrets', () => {
    expect(values.externalDatabase).toMatchObject({ enabled: true, type: 'postgresql', host: 'nextcloud-db-rw.agency-de-files.svc:5432', database: 'nextcloud' });
    expect(values.externalDatabase.existingSecret).toEqual({ enabled: true, secretName: 'nextcloud-db-app', usernameKey: 'username', passwordKey: 'password' });
    expect(values.externalRedis).toMatchObject({ enabled: true, host: 'valkey.agency-de-files.svc', existingSecret: { enabled: true, secretName: 'valkey-users', passwordKey: 'default' } });
    expect(values.internalDatabase.enabled).toBe(false);
  });

  it('opens documents in the office app and enables the apps of the suite', () => {
    const env = Object.fromEntries((values.nextcloud.extraEnv as { name: string; value?: string }[]).map((e) => [e.name, e.value]));
    expect(env.COLLABORA_URL).toBe('https://office.desk.agency.example');
    expect(values.nextcloud.hooks['post-installation']).toContain('for app in user_oidc richdocuments mail calendar contacts');
  });

  it('keeps files on its volume without object storage', () => {
    const noStore = releaseValues(synth(workplace({ objectStorage: undefined })).json, 'Files/Nextcloud/Release');
    expect(noStore.nextcloud.objectStore.s3).toEqual({ enabled: false });
  });
});

describe('office (Collabora)', () => {
  const values = releaseValues(out.json, 'Office/Collabora/Release');

  it('accepts WOPI requests from the files host only', () => {
    expect(values.collabora.aliasgroups).toEqual([{ host: 'https://files.desk.agency.example' }]);
    expect(values.collabora.server_name).toBe('office.desk.agency.example');
    expect(values.collabora.extra_params).toContain('--o:ssl.termination=true');
  });

  it('fails if the WOPI host has a path', () => {
    const stack = minimalStack();
    const ns = new AppNamespace(stack, 'Ns', { name: 'office', app: 'office' });
    expect(() => new Office(stack, 'Office', {
      namespace: ns, host: 'office.example.org', wopiHost: 'https://files.example.org/index.php', filesNamespace: 'files', filesPodLabels: {},
      ingress: new ExistingIngress('traefik', 'traefik'), issuer: new ExistingIssuer('ca'),
    })).toThrow(/'wopiHost' \("https:\/\/files\.example\.org\/index\.php"\) must be https:\/\/<host> without a path/);
  });
});

describe('mail (docker-mailserver)', () => {
  const values = releaseValues(out.json, 'Mail/MailServer/Release');

  it('serves the mail host with a cert-manager certificate and relays through the spec relay', () => {
    expect(values.certificate).toBe('mail-tls');
    expect(values.extraDeploy[0]).toMatchObject({ kind: 'Certificate', spec: { secretName: 'mail-tls', dnsNames: ['mail.desk.agency.example'] } });
    expect(values.deployment.env).toMatchObject({ OVERRIDE_HOSTNAME: 'mail.desk.agency.example', RELAY_HOST: 'relay.agency.example', RELAY_PORT: 587, ENABLE_UPDATE_CHECK: 0 });
  });

  it('signs with a DKIM key generated into state, mounted from a Secret', () => {
    expect(values.secrets['dkim-signing-key']).toEqual({ name: 'dkim-signing-key', create: false, path: 'rspamd/dkim/rsa-2048-mail-desk.agency.example.private.txt' });
    const secret = resourceAt(out.json, 'kubernetes_secret_v1', 'Mail/DkimSecret');
    expect(Object.values(secret.data as Record<string, string>)).toEqual([expect.stringMatching(/^\$\{tls_private_key\.[\w-]+\.private_key_pem\}$/)]);
    expect(resources(out.json, 'tls_private_key')).toEqual([expect.objectContaining({ algorithm: 'RSA', rsa_bits: 2048 })]);
  });

  it('opens SMTP, submission and IMAPS to the internet and nothing else', () => {
    const policy = resourceAt(out.json, 'kubernetes_network_policy_v1', 'Mail/AllowMailPorts/Policy') as { spec: { ingress: { ports: { port: string }[] }[] } };
    expect(policy.spec.ingress[0].ports.map((p) => p.port)).toEqual(['25', '465', '587', '993']);
  });
});

describe('chat (Matrix)', () => {
  const values = releaseValues(out.json, 'Chat/MatrixStack/Release');

  it('delegates the base domain and keeps federation off', () => {
    expect(values.serverName).toBe('desk.agency.example');
    expect(values.wellKnownDelegation.enabled).toBe(true);
    expect(values.synapse.additional['desk.yaml'].config).toContain('federation_domain_whitelist: []');
    expect(values.synapse.additional['desk.yaml'].config).toContain('trusted_key_servers: []');
  });

  it('uses its CloudNativePG cluster for Synapse and MAS', () => {
    expect(values.synapse.postgres).toMatchObject({ host: 'synapse-db-rw.agency-de-chat.svc', database: 'synapse', user: 'synapse', password: { secret: 'synapse-db-app', secretKey: 'password' } });
    expect(values.matrixAuthenticationService.postgres).toMatchObject({ database: 'mas' });
    expect(releaseValues(out.json, 'ChatDatabase/Chart/Release').databases).toEqual([{ name: 'mas', owner: 'synapse', ensure: 'present' }]);
    expect(values.postgres.enabled).toBe(false);
  });
});

describe('composition', () => {
  it('fails if office is enabled without files', () => {
    expect(() => workplace({ apps: ['identity', 'office'] })).toThrow(/office edits documents stored in files, which is not enabled/);
  });

  it('fails if files is enabled without identity', () => {
    expect(() => workplace({ apps: ['files'] })).toThrow(/files signs users in through identity, which is not enabled/);
  });

  it('fails if two apps get the same host', () => {
    expect(() => workplace({ hosts: { chat: 'files.desk.agency.example' } })).toThrow(/files and chat both use "files\.desk\.agency\.example"/);
  });

  it('takes host overrides', () => {
    const values = releaseValues(synth(workplace({ hosts: { files: 'cloud.agency.example' } })).json, 'Office/Collabora/Release');
    expect(values.collabora.aliasgroups).toEqual([{ host: 'https://cloud.agency.example' }]);
  });

  it('uses an existing ClusterIssuer instead of installing cert-manager', () => {
    const json = synth(workplace({ tls: { issuer: 'internal-ca' } })).json;
    expect(resources(json, 'helm_release').map((r) => r.chart)).not.toContain('cert-manager');
    expect(releaseValues(json, 'Files/Nextcloud/Release').ingress.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'internal-ca' });
  });

  it('installs Traefik when asked', () => {
    const json = synth(workplace({ ingress: { install: true } })).json;
    expect(releaseValues(json, 'Traefik/Chart/Release').ingressClass).toEqual({ enabled: true, isDefaultClass: false, name: 'traefik' });
  });

  it('gives every namespace a default deny and lets the ingress controller reach each web app only', () => {
    const policies = resources(out.json, 'kubernetes_network_policy_v1') as { metadata: { name: string; namespace: string } }[];
    const names = policies.map((p) => p.metadata.name);
    expect(names.filter((n) => n === 'default-deny-ingress')).toHaveLength(12);
    for (const allow of ['allow-ingress-to-keycloak', 'allow-ingress-to-nextcloud', 'allow-ingress-and-files-to-collabora', 'allow-ingress-to-chat', 'allow-mail-ports', 'allow-office-to-nextcloud']) {
      expect(names).toContain(allow);
    }
  });
});
