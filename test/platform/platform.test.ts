import {
  AllowIngress, AppNamespace, CHARTS, GeneratedSecret, PostgresCluster, PostgresOperator, RegistryMirror, S3Bucket, mergeValues, toYaml,
} from '../../constructs/platform';
import { minimalStack, releaseValues, synth, workplace } from '../util';

describe('RegistryMirror', () => {
  it('pulls every chart and image of the suite through the mirror', () => {
    const stack = workplace();
    const out = synth(stack);
    const repositories = Object.values(out.json.resource?.helm_release ?? {}).map((r) => r.repository);
    expect(new Set(repositories)).toEqual(new Set(['oci://registry.agency.example/desk/charts']));
    const registries = stack.prove().placements.filter((p) => p.kind === 'registry' && p.origin === 'declared' && !p.field);
    expect(registries.length).toBeGreaterThan(10);
    for (const p of registries) expect(p.target).toMatch(/^registry\.agency\.example\/desk\//);
    expect(releaseValues(out.json, 'Files/Nextcloud/Release').image).toEqual({
      registry: 'registry.agency.example/desk', repository: 'docker.io/library/nextcloud', tag: '34.0.1-apache',
    });
    expect(releaseValues(out.json, 'CertManager/Chart/Release')).toMatchObject({ imageRegistry: 'registry.agency.example/desk', imageNamespace: 'quay.io/jetstack' });
  });

  it('pulls from upstream without a mirror, and the policy warns about every foreign registry', () => {
    const out = synth(workplace({ registry: undefined }));
    expect(releaseValues(out.json, 'Identity/Keycloak/Release').image).toEqual({ repository: 'quay.io/keycloak/keycloak', tag: '26.5.6' });
    const supplyChain = out.warnings.filter((w) => w.message.startsWith('SD-SUPPLY-CHAIN'));
    expect(supplyChain.length).toBeGreaterThan(10);
    // Hosts with no proven location (oci.element.io, valkey.io, cr.fluentbit.io, the app store) fail closed,
    // and without a mirror Nextcloud needs its app store: a call home.
    expect(new Set(out.errors.map((e) => e.message.split(' ')[0]))).toEqual(new Set(['SD-UNPROVEN', 'SD-PHONE-HOME']));
  });

  it('never pins an image to latest', () => {
    for (const chart of Object.values(CHARTS)) {
      for (const image of chart.images) expect(image.tag).not.toMatch(/^latest$/);
    }
  });
});

describe('values loader', () => {
  it('merges mappings key by key and replaces lists and scalars', () => {
    expect(mergeValues({ a: { b: 1, c: [1] }, d: 1 }, { a: { c: [2], e: 3 } })).toEqual({ a: { b: 1, c: [2], e: 3 }, d: 1 });
  });

  it('renders YAML with sorted keys and no folded lines', () => {
    expect(toYaml({ b: 1, a: 'x'.repeat(200) })).toBe(`a: ${'x'.repeat(200)}\nb: 1\n`);
  });
});

describe('platform constructs: fails if…', () => {
  it('a generated secret is shorter than 24 characters', () => {
    expect(() => new GeneratedSecret(minimalStack(), 'S', { namespace: 'n', name: 's', generated: ['p'], length: 12 })).toThrow(/'length' \(12\) is too short/);
  });

  it('a generated secret is asked for a key it does not generate', () => {
    const secret = new GeneratedSecret(minimalStack(), 'S', { namespace: 'n', name: 's', generated: ['password'] });
    expect(() => secret.value('token')).toThrow(/no generated key 'token'\. Allowed: password/);
  });

  it('an allow has no port or no source', () => {
    expect(() => new AllowIngress(minimalStack(), 'A', { namespace: 'n', name: 'a', from: [], ports: [80] })).toThrow(/must not be empty/);
  });

  it('a database cluster has an impossible size', () => {
    const stack = minimalStack();
    const namespace = new AppNamespace(stack, 'Ns', { name: 'n', app: 'x' });
    const operator = new PostgresOperator(stack, 'Op', { namespace });
    expect(() => new PostgresCluster(stack, 'A', { namespace, operator, name: 'a', database: 'a', description: 'a', instances: 0 })).toThrow(/'instances' \(0\) must be a whole number from 1 to 9/);
    expect(() => new PostgresCluster(stack, 'B', { namespace, operator, name: 'b', database: 'b', description: 'b', storageGiB: 0.5 })).toThrow(/'storageGiB' \(0\.5\)/);
  });

  it('an S3 endpoint has a path', () => {
    expect(() => new S3Bucket(minimalStack(), 'B', { endpoint: 'https://s3.example.org/bucket', bucket: 'b', credentialsSecret: 's', description: 'd' }))
      .toThrow(/'endpoint' \("https:\/\/s3\.example\.org\/bucket"\) must be an https:\/\/ URL without a path/);
  });

  it('mirror paths end without a slash', () => {
    expect(RegistryMirror.at('registry.example.org/desk/').chartRepository(CHARTS.valkey)).toBe('oci://registry.example.org/desk/charts');
  });
});
