/**
 * The README's "Compose your own stack" example: two constructs without the
 * Workplace, a managed database swapped in through IDatabase.
 */
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { Testing } from 'cdktf';
import { Identity } from '../../constructs/apps';
import { Jurisdiction } from '../../constructs/jurisdiction';
import { AppNamespace, ExistingIngress, ExistingIssuer, IDatabase, KubernetesBackend } from '../../constructs/platform';
import { DeclaredPlacement, SovereignStack } from '../../constructs/proof';
import { releaseValues, synth } from '../util';

function composed(host: string) {
  const stack = new SovereignStack(Testing.app(), 'team-identity', {
    jurisdiction: Jurisdiction.of('DE'), operators: Jurisdiction.of('EU'), clusterLocation: 'stackit/eu01',
    ownDomains: ['team.example'],   // hosts the cluster's ingress serves
    terminal: false,
  });
  const apiServer = 'https://api.k8s.team.example:6443';   // the cluster's API server (ownDomains: in the cluster)
  new KubernetesProvider(stack, 'Kubernetes', { host: apiServer });
  new HelmProvider(stack, 'Helm', { kubernetes: { host: apiServer } });
  new RandomProvider(stack, 'Random');
  new KubernetesBackend(stack, { secretSuffix: 'team-identity', namespace: 'desk-system', host: apiServer });
  new DeclaredPlacement(stack, 'InternalCa', {
    kind: 'endpoint', target: 'k8s://clusterissuer/internal-ca', issuer: 'internal-ca', description: 'CA of the ClusterIssuer internal-ca (keys in the cluster)',
  });
  const namespace = new AppNamespace(stack, 'Identity', { name: 'team-identity', app: 'identity' });
  const managedDb: IDatabase = { host, port: 5432, database: 'keycloak', credentialsSecret: 'keycloak-db', podLabels: {} };
  new DeclaredPlacement(stack, 'ManagedDb', {
    kind: 'database', target: managedDb.host, description: 'managed PostgreSQL', backups: ['stackit/eu01'], // the provider's backups, same region
    keys: { custody: 'provider', readable: 'everything: the provider runs the database and holds its keys' },
  });
  new Identity(stack, 'Keycloak', {
    namespace, host: 'id.team.example', database: managedDb,
    ingress: new ExistingIngress('traefik', 'traefik'), issuer: new ExistingIssuer('internal-ca'),
  });
  return stack;
}

describe('a stack composed without the Workplace', () => {
  it('synthesizes Keycloak on the managed database and passes the policy', () => {
    const out = synth(composed('pg-42.postgresql.eu01.onstackit.cloud'));
    expect(out.errors).toEqual([]);
    // The provider holds the keys of a managed database: said once, as a warning.
    expect(out.warnings.filter((w) => w.message.startsWith('SD-KEY-CUSTODY')).map((w) => w.constructPath)).toEqual(['team-identity/ManagedDb']);
    expect(releaseValues(out.json, 'Keycloak/Keycloak/Release').database.hostname).toBe('pg-42.postgresql.eu01.onstackit.cloud');
  });

  it('fails if the swapped-in database is abroad', () => {
    const out = synth(composed('db.c9akciq32abc.us-east-1.rds.amazonaws.com'));
    expect(out.errors.map((e) => [e.constructPath, e.message.split(' ')[0]])).toEqual([
      // Warning under sovereign, but not at AWS: the custody of a database abroad is judged the same, the location is the error.
      ['team-identity/ManagedDb', 'SD-OPERATOR'],
      ['team-identity/ManagedDb', 'SD-RESIDENCY'],
    ]);
    // Its backups are declared in eu01 (DE), so SD-BACKUP holds; the store itself is abroad.
  });
});
