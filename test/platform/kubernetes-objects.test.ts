/**
 * Kubernetes objects the suite creates directly (not through a chart's own
 * templates), validated against the Kubernetes and cert-manager schemas.
 */
import { Certificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import { ClusterIssuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer';
import { Secret } from 'kubernetes-models/v1/Secret';
import { parse } from 'yaml';
import { releaseValues, resources, synth, toKubernetes, workplace } from '../util';

const out = synth(workplace());

describe('objects created directly', () => {
  it('every Secret is valid Kubernetes (references stand in for the values)', () => {
    const secrets = resources(out.json, 'kubernetes_secret_v1');
    expect(secrets.length).toBeGreaterThan(5);
    for (const secret of secrets) {
      // The provider's `data` takes plain values and encodes them: Kubernetes' `stringData`.
      const metadata = { ...(toKubernetes(secret.metadata) as object), namespace: 'ns' };
      const object = new Secret({ metadata, stringData: secret.data } as never);
      expect(() => object.validate()).not.toThrow();
    }
  });

  it('the ACME ClusterIssuer is a valid cert-manager object, created after the CRDs', () => {
    const [text] = releaseValues(out.json, 'CertManager/Chart/Release').extraObjects as string[];
    const issuer = new ClusterIssuer(parse(text));
    expect(() => issuer.validate()).not.toThrow();
    expect(issuer.spec?.acme?.server).toBe('https://acme.agency.example/directory');
    expect(issuer.metadata?.annotations?.['helm.sh/hook']).toBe('post-install,post-upgrade');
  });

  it("the mail server's Certificate is a valid cert-manager object for the mail host", () => {
    const [object] = releaseValues(out.json, 'Mail/MailServer/Release').extraDeploy as object[];
    const certificate = new Certificate(object as never);
    expect(() => certificate.validate()).not.toThrow();
    expect(certificate.spec.dnsNames).toEqual(['mail.desk.agency.example']);
  });
});
