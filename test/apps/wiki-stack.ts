/**
 * The wiki composed as a team would compose it without the Workplace: its
 * namespace, Keycloak for the login, the database operator, Velero over the
 * wiki's namespace, egress, and the locations a real deployment declares.
 */
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { Identity, Wiki, WikiProps } from '../../constructs/apps';
import { LocationDeclaration } from '../../constructs/jurisdiction';
import {
  AppNamespace, EgressPolicy, ExistingIngress, ExistingIssuer, IBackupTarget, PostgresCluster, PostgresOperator, RegistryMirror, VolumeBackups,
} from '../../constructs/platform';
import { DeclaredPlacement, SovereignStack } from '../../constructs/proof';
import { minimalStack } from '../util';

/** The registry mirror and the Maven mirror of the extension repository, both in DE. */
export const WIKI_LOCATIONS: readonly LocationDeclaration[] = [
  { pattern: 'registry.mirror.example', countries: ['DE'], operator: 'DE' },
  { pattern: 'maven.mirror.example', countries: ['DE'], operator: 'DE' },
];
/** Backups in STACKIT eu01 (DE). */
export const WIKI_BACKUP: IBackupTarget = {
  endpoint: 'https://object.storage.eu01.onstackit.cloud', bucket: 'desk-backup', region: 'eu01',
  credentialsSecret: 'desk-backup', schedule: '0 2 * * *', retentionDays: 30,
};
export const EXTENSION_MIRROR = 'https://maven.mirror.example/xwiki/';

/** Everything a real user gives; `wiki` overrides the wiki's props. */
export function wikiStack(wiki: Partial<WikiProps> = {}, locations: readonly LocationDeclaration[] = WIKI_LOCATIONS): { stack: SovereignStack; wiki: Wiki } {
  const stack = minimalStack({ locations: [...locations], ownDomains: ['desk.test.example'] });
  new RandomProvider(stack, 'Random');
  new DeclaredPlacement(stack, 'InternalCa', {
    kind: 'endpoint', target: 'k8s://clusterissuer/internal-ca', issuer: 'internal-ca', description: 'CA of the ClusterIssuer internal-ca (keys in the cluster)',
  });
  const mirror = RegistryMirror.at('registry.mirror.example/desk');
  const ingress = new ExistingIngress('traefik', 'traefik');
  const issuer = new ExistingIssuer('internal-ca');
  const platform = new AppNamespace(stack, 'PlatformNamespace', { name: 'desk-platform', app: 'platform' });
  const operator = new PostgresOperator(stack, 'Postgres', { namespace: platform, mirror });
  const identityNs = new AppNamespace(stack, 'IdentityNamespace', { name: 'desk-identity', app: 'identity' });
  const keycloakDb = new PostgresCluster(stack, 'IdentityDatabase', {
    namespace: identityNs, operator, name: 'keycloak-db', database: 'keycloak', description: 'Keycloak database', backup: WIKI_BACKUP, mirror,
  });
  const identity = new Identity(stack, 'Identity', { namespace: identityNs, host: 'id.desk.test.example', database: keycloakDb, ingress, issuer, mirror });
  const namespace = new AppNamespace(stack, 'WikiNamespace', { name: 'desk-wiki', app: 'wiki', podSecurity: 'baseline' });
  const created = new Wiki(stack, 'Wiki', {
    namespace, host: 'wiki.desk.test.example', operator, identity, ingress, issuer, backup: WIKI_BACKUP, extensionRepository: EXTENSION_MIRROR, mirror, ...wiki,
  });
  const backupNs = new AppNamespace(stack, 'BackupNamespace', { name: 'desk-backup', app: 'backup', podSecurity: 'privileged' });
  new VolumeBackups(stack, 'VolumeBackups', { namespace: backupNs, target: WIKI_BACKUP, namespaces: [namespace.name], mirror });
  for (const ns of [platform, identityNs, namespace, backupNs]) {
    new EgressPolicy(ns, 'Egress', { namespace: ns, ingressNamespace: ingress.namespace, cni: 'cilium' });
  }
  return { stack, wiki: created };
}
