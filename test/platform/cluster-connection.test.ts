/**
 * ClusterConnection, DeclaredIssuer and the providers constructs add when they
 * need them: what a team composing its own stack writes instead of wiring
 * providers and the backend by hand.
 */
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { Testing } from 'cdktf';
import { Jurisdiction } from '../../constructs/jurisdiction';
import { AppNamespace, ClusterConnection, DeclaredIssuer, GeneratedSecret } from '../../constructs/platform';
import { SovereignStack } from '../../constructs/proof';
import { TEST_API_SERVER, TEST_PROVIDER_MIRROR, ruleIds, synth } from '../util';

const API_SERVER = `https://${TEST_API_SERVER.pattern}:6443`;

function stack(): SovereignStack {
  return new SovereignStack(Testing.app(), 'team', {
    jurisdiction: Jurisdiction.of('DE'), clusterLocation: 'stackit/eu01',
    locations: [TEST_API_SERVER, TEST_PROVIDER_MIRROR], providerMirror: `https://${TEST_PROVIDER_MIRROR.pattern}/`,
  });
}

describe('ClusterConnection', () => {
  it('points the Kubernetes and Helm providers and the state backend at one API server, and passes', () => {
    const s = stack();
    new ClusterConnection(s, 'Connection', { apiServer: API_SERVER, kubeconfig: '~/.kube/team', context: 'team' });
    const out = synth(s);
    expect(out.errors).toEqual([]);
    expect(out.json.provider?.kubernetes).toEqual([{ host: API_SERVER, config_path: '~/.kube/team', config_context: 'team' }]);
    expect(out.json.provider?.helm).toEqual([{ kubernetes: { host: API_SERVER, config_path: '~/.kube/team', config_context: 'team' } }]);
    expect(out.json.terraform?.backend?.kubernetes).toEqual({
      secret_suffix: 'team', namespace: 'desk-system', config_path: '~/.kube/team', config_context: 'team', host: API_SERVER,
    });
  });

  it('leaves the backend to the team with state: false', () => {
    const s = stack();
    new ClusterConnection(s, 'Connection', { apiServer: API_SERVER, state: false });
    expect(synth(s).json.terraform?.backend?.kubernetes).toBeUndefined();
  });

  it.each(['http://api.k8s.test.example:6443', 'api.k8s.test.example', 'https://a@b@api.k8s.test.example'])(
    'fails if apiServer is %s, naming the prop, the value and an example', (apiServer) => {
      expect(() => new ClusterConnection(stack(), 'Connection', { apiServer })).toThrow(
        new RegExp(`^new ClusterConnection\\(…, 'Connection', \\{ apiServer \\}\\): "${apiServer.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}" is not an https:// URL.*Fix: .*e\\.g\\. https://`),
      );
    });

  it('fails the proof if no apiServer is given: the kubeconfig decides at apply time, and the fix names the construct', () => {
    const s = stack();
    new ClusterConnection(s, 'Connection', {});
    const out = synth(s);
    expect(ruleIds(out.errors)).toContain('SD-UNPROVEN');
    expect(out.errors.map((e) => e.message).join('\n')).toContain("new ClusterConnection(stack, 'Connection', { apiServer })");
  });
});

describe('providers the constructs need', () => {
  it('a GeneratedSecret adds the random provider once, however many there are', () => {
    const s = stack();
    new ClusterConnection(s, 'Connection', { apiServer: API_SERVER });
    const ns = new AppNamespace(s, 'Ns', { name: 'team', app: 'identity' });
    new GeneratedSecret(s, 'A', { namespace: ns.name, name: 'a', generated: ['password'] });
    new GeneratedSecret(s, 'B', { namespace: ns.name, name: 'b', generated: ['password'] });
    expect(synth(s).json.provider?.random).toEqual([{}]);
  });

  it('a random provider the team configured is used, not a second one (not applicable: nothing to add)', () => {
    const s = stack();
    new ClusterConnection(s, 'Connection', { apiServer: API_SERVER });
    new RandomProvider(s, 'TeamRandom', { alias: 'team' });
    const ns = new AppNamespace(s, 'Ns', { name: 'team', app: 'identity' });
    new GeneratedSecret(s, 'A', { namespace: ns.name, name: 'a', generated: ['password'] });
    expect(synth(s).json.provider?.random).toEqual([{ alias: 'team' }]);
  });
});

describe('DeclaredIssuer', () => {
  it('places the CA of an in-cluster issuer in the cluster, and passes', () => {
    const s = stack();
    new ClusterConnection(s, 'Connection', { apiServer: API_SERVER });
    const issuer = new DeclaredIssuer(s, 'Issuer', { clusterIssuer: 'internal-ca', server: 'in-cluster' });
    expect(issuer.clusterIssuer).toBe('internal-ca');
    expect(synth(s).errors).toEqual([]);
  });

  it('fails if the CA is not said, and the fix names the prop', () => {
    const s = stack();
    new ClusterConnection(s, 'Connection', { apiServer: API_SERVER });
    new DeclaredIssuer(s, 'Issuer', { clusterIssuer: 'corp-ca' });
    const [error] = synth(s).errors;
    expect(error.constructPath).toBe('team/Issuer/CertificateAuthority');
    expect(error.message).toContain("clusterissuer:corp-ca (new DeclaredIssuer(…, { clusterIssuer: 'corp-ca' }))");
    expect(error.message).toContain("fix:          set new DeclaredIssuer(stack, 'Issuer', { clusterIssuer, server })");
  });

  it('fails if the CA is abroad', () => {
    const s = stack();
    new ClusterConnection(s, 'Connection', { apiServer: API_SERVER });
    new DeclaredIssuer(s, 'Issuer', { clusterIssuer: 'le', server: 'https://acme-v02.api.letsencrypt.org/directory' });
    expect(ruleIds(synth(s).errors)).toContain('SD-RESIDENCY');
  });
});
