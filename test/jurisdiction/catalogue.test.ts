import fc from 'fast-check';
import {
  COUNTRY_CODES, EEA_COUNTRIES, EU_COUNTRIES, LocationResolver, PROVIDERS, REGION_IDS, contradictions,
  normaliseCountry, registryOf, resolveRegionId,
} from '../../constructs/jurisdiction';

const resolver = new LocationResolver({
  cluster: new LocationResolver().resolve('stackit/eu01'),
  declarations: [
    { pattern: '*.agency.example', countries: ['DE'], operator: 'DE' },
    { pattern: 'acct.blob.core.windows.net', countries: ['NL'], operator: 'US' },
  ],
  ownDomains: ['desk.agency.example'],
});

function where(target: string) {
  const r = resolver.resolve(target);
  if (r.status !== 'resolved') throw new Error(`expected ${target} to resolve: ${r.reason}`);
  return { countries: r.location.countries, operator: r.location.operator, parent: r.location.parent, proof: r.location.proof };
}

describe('catalogue: host patterns', () => {
  it.each([
    ['https://s3.eu-central-1.amazonaws.com', ['DE'], 'US', 'US'],
    ['https://s3.us-east-1.amazonaws.com', ['US'], 'US', 'US'],
    ['https://my-bucket.s3.eu-west-3.amazonaws.com/key', ['FR'], 'US', 'US'],
    ['https://s3.amazonaws.com', ['US'], 'US', 'US'],
    ['https://db-1.cluster-x.eu-central-1.rds.amazonaws.com', ['DE'], 'US', 'US'],
    ['https://s3-eu-west-1.amazonaws.com', ['IE'], 'US', 'US'],
    ['https://s3.eusc-de-east-1.amazonaws.eu', ['DE'], 'DE', 'US'],
    ['https://fsn1.your-objectstorage.com', ['DE'], 'DE', 'DE'],
    ['https://hel1.your-objectstorage.com', ['FI'], 'DE', 'DE'],
    ['https://object.storage.eu01.onstackit.cloud', ['DE'], 'DE', 'DE'],
    ['https://s3.gra.io.cloud.ovh.net', ['FR'], 'FR', 'FR'],
    ['https://s3.us-east-va.io.cloud.ovh.us', ['US'], 'US', 'FR'],
    ['https://s3-eu-central-2.ionoscloud.com', ['DE'], 'DE', 'DE'],
    ['https://s3.eu-central-3.ionoscloud.com', ['DE'], 'DE', 'DE'],
    ['https://s3.nl-ams.scw.cloud', ['NL'], 'FR', 'FR'],
    ['rg.fr-par.scw.cloud/desk/nginx', ['FR'], 'FR', 'FR'],
    ['https://obs.eu-nl.otc.t-systems.com', ['NL'], 'DE', 'DE'],
    ['https://sos-de-fra-1.exo.io', ['DE'], 'AT', 'MX'],
    ['https://s3.pub1.infomaniak.cloud', ['CH'], 'CH', 'CH'],
    ['https://s3-sto2.citycloud.com', ['SE'], 'SE', 'GB'],
    ['https://r1-it.storage.cloud.it', ['IT'], 'IT', 'IT'],
    ['https://europe-west3-docker.pkg.dev', ['DE'], 'US', 'US'],
    ['https://x.hcp.germanywestcentral.azmk8s.io:443', ['DE'], 'US', 'US'],
  ])('%s is in %j, operator %s, parent %s', (url, countries, operator, parent) => {
    expect(where(url)).toMatchObject({ countries, operator, parent, proof: 'catalogue' });
  });

  it.each([
    ['registry.opencode.de', ['DE'], 'DE'],
    ['docker.io', ['US'], 'US'],
    ['ghcr.io', ['US'], 'US'],
    ['quay.io', ['US'], 'US'],
    ['registry.k8s.io', ['US'], 'US'],
    ['oci://ghcr.io/element-hq/ess-helm/matrix-stack', ['US'], 'US'],
    ['https://codecentric.github.io/helm-charts', ['US'], 'US'],
    ['https://acme-v02.api.letsencrypt.org/directory', ['US'], 'US'],
    ['https://matrix.org', ['GB'], 'GB'],
  ])('service %s is in %j, operator %s', (target, countries, operator) => {
    expect(where(target)).toMatchObject({ countries, operator });
  });

  it('resolves images to their registry, Docker Hub when none is named', () => {
    expect(registryOf('nginx:1.27')).toBe('docker.io');
    expect(registryOf('bitnami/postgresql:16')).toBe('docker.io');
    expect(registryOf('quay.io/keycloak/keycloak:26.0')).toBe('quay.io');
    expect(registryOf('localhost:5000/x')).toBe('localhost');
    expect(registryOf('registry.agency.example:5000/desk/x@sha256:abc')).toBe('registry.agency.example');
    const image = resolver.resolveImage('registry.opencode.de/bmi/opendesk/nextcloud:29');
    expect(image.status === 'resolved' && image.location.countries).toEqual(['DE']);
  });

  it('resolves an unknown region on a catalogued host to unproven with a suggestion', () => {
    const r = resolver.resolve('https://fsn2.your-objectstorage.com');
    expect(r).toMatchObject({ status: 'unproven', reason: 'Hetzner has no catalogued region "fsn2"', hint: 'did you mean "fsn1"?' });
  });
});

describe('catalogue: regions', () => {
  it('resolves provider/region ids, including region codes with a slash', () => {
    expect(where('stackit/eu01')).toMatchObject({ countries: ['DE'], operator: 'DE' });
    expect(where('ionos/de/fra')).toMatchObject({ countries: ['DE'], operator: 'DE' });
    expect(where('ionos/us/ewr')).toMatchObject({ countries: ['US'], operator: 'US', parent: 'DE' });
    expect(where('plusserver/de-west')).toMatchObject({ countries: ['DE'], operator: 'DE', parent: 'GB' });
  });

  it('keeps every country of a multi-country region', () => {
    expect(where('upcloud/europe-1').countries).toEqual(['DE', 'FI']);
  });

  it('treats a region without a confirmed location as unproven', () => {
    expect(resolveRegionId('stackit/eu02')).toMatchObject({ status: 'unproven' });
  });

  it('suggests the closest region for a typo', () => {
    expect(resolveRegionId('stackit/eu1')).toMatchObject({ status: 'unproven', hint: 'did you mean "eu01"?' });
  });

  it('is not applicable to unknown providers (they may be declared hosts)', () => {
    expect(resolveRegionId('k8s.agency.example/x')).toBeUndefined();
  });

  it('resolves every catalogued region with a confirmed location to exactly its countries', () => {
    for (const provider of PROVIDERS) {
      for (const [code, region] of Object.entries(provider.regions) as [string, { countries: readonly string[] }][]) {
        const r = resolveRegionId(`${provider.id}/${code}`);
        if (region.countries.length === 0) expect(r?.status).toBe('unproven');
        else expect(r?.status === 'resolved' && r.location.countries).toEqual([...region.countries].sort());
      }
    }
    expect(REGION_IDS.length).toBeGreaterThan(100);
  });
});

describe('catalogue: hosts that hide their region', () => {
  it('is unproven without a declaration', () => {
    expect(resolver.resolve('https://other.blob.core.windows.net')).toMatchObject({ status: 'unproven' });
    expect(resolver.resolve('https://x.upcloudobjects.com')).toMatchObject({ status: 'unproven' });
    expect(resolver.resolve('https://storage.googleapis.com/b')).toMatchObject({ status: 'unproven' });
  });

  it('takes a declaration that agrees with the catalogue', () => {
    expect(where('https://acct.blob.core.windows.net/c')).toMatchObject({ countries: ['NL'], operator: 'US', proof: 'declaration' });
  });
});

describe('declarations against the catalogue', () => {
  it('fails if a declaration claims another operator for a provider domain', () => {
    const problems = contradictions({ pattern: '*.amazonaws.com', countries: ['DE'], operator: 'DE' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^\*\.amazonaws\.com covers AWS hosts \(S3 \(global endpoint\), S3, .*\) that the catalogue places differently, in us-east-1 \(data in US, operator US\); .* and \d+ more$/);
  });

  it('fails if a declaration moves a catalogued host', () => {
    expect(contradictions({ pattern: 's3.us-east-1.amazonaws.com', countries: ['DE'], operator: 'US' })).toEqual([
      's3.us-east-1.amazonaws.com covers AWS hosts (S3, regional service endpoint) that the catalogue places differently, in us-east-1 (data in US, operator US)',
    ]);
    expect(contradictions({ pattern: 'ghcr.io', countries: ['DE'], operator: 'DE' })).toEqual([
      'ghcr.io covers GitHub (ghcr.io, github.com, *.github.io, raw.githubusercontent.com, objects.githubusercontent.com), catalogued as data in US, operator US',
    ]);
  });

  it('fails if a declaration names a country where the provider has no region', () => {
    const problems = contradictions({ pattern: 'a.blob.core.windows.net', countries: ['LU'], operator: 'US' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^a\.blob\.core\.windows\.net covers Microsoft Azure storage \(account host\), whose regions are germanywestcentral \(data in DE, operator US\); .*; the declaration must match one of them$/);
  });

  it('accepts declarations of hosts outside the catalogue', () => {
    expect(contradictions({ pattern: '*.agency.example', countries: ['DE'], operator: 'DE' })).toEqual([]);
  });
});

describe('resolver: cluster, own domains, declarations, computed values', () => {
  it('puts in-cluster names and the suite domain in the cluster', () => {
    for (const host of ['postgres.files.svc', 'x.y.svc.cluster.local', 'localhost', 'files.desk.agency.example', 'desk.agency.example']) {
      expect(where(host)).toMatchObject({ countries: ['DE'], proof: 'cluster' });
    }
  });

  it('takes the most specific declaration', () => {
    const r = new LocationResolver({
      declarations: [
        { pattern: '*.example.org', countries: ['FR'], operator: 'FR' },
        { pattern: '*.de.example.org', countries: ['DE'], operator: 'DE' },
        { pattern: 'x.de.example.org', countries: ['AT'], operator: 'AT' },
      ],
    });
    const at = (h: string) => { const x = r.resolve(h); return x.status === 'resolved' ? x.location.countries : x.status; };
    expect(at('x.de.example.org')).toEqual(['AT']);
    expect(at('y.de.example.org')).toEqual(['DE']);
    expect(at('y.example.org')).toEqual(['FR']);
    expect(at('example.org')).toBe('unproven');
  });

  it('treats references computed at apply time as unproven, never compliant', () => {
    expect(resolver.resolve('https://${aws_s3_bucket.b.bucket_regional_domain_name}')).toMatchObject({ status: 'unproven' });
    expect(resolver.resolveImage('${var.image}')).toMatchObject({ status: 'unproven' });
    expect(resolver.resolve('https://{{ .Values.host }}/x')).toMatchObject({ status: 'unproven' });
  });

  it('treats unknown hosts as unproven with a declaration hint', () => {
    expect(resolver.resolve('https://logs.example.com')).toMatchObject({
      status: 'unproven', hint: expect.stringContaining('spec.locations'),
    });
  });

  it('never throws and answers resolved or unproven for any input', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      const r = resolver.resolve(s);
      return r.status === 'resolved' ? r.location.countries.length > 0 : r.reason.length > 0 && r.hint.length > 0;
    }), { numRuns: 500 });
  });

  it('resolves any subdomain under a wildcard declaration', () => {
    fc.assert(fc.property(fc.array(fc.stringMatching(/^[a-z0-9]{1,10}$/), { minLength: 1, maxLength: 4 }), (labels) => {
      const r = resolver.resolve(`https://${labels.join('.')}.agency.example/path`);
      return r.status === 'resolved' && r.location.countries.join() === 'DE';
    }));
  });
});

describe('countries', () => {
  it('accepts EL for Greece and normalises it to GR', () => {
    expect(normaliseCountry('EL')).toBe('GR');
    expect(normaliseCountry('el')).toBe('GR');
    expect(normaliseCountry('GR')).toBe('GR');
  });

  it('rejects codes that are not ISO 3166-1 alpha-2', () => {
    expect(normaliseCountry('UK')).toBeUndefined();
    expect(normaliseCountry('EU')).toBeUndefined();
    expect(normaliseCountry('DEU')).toBeUndefined();
  });

  it('normalises every ISO code to itself', () => {
    fc.assert(fc.property(fc.constantFrom(...COUNTRY_CODES), (c) => normaliseCountry(c.toLowerCase()) === c));
  });

  it('has 27 EU and 30 EEA members, without the UK', () => {
    expect(new Set(EU_COUNTRIES).size).toBe(27);
    expect(new Set(EEA_COUNTRIES).size).toBe(30);
    expect(EU_COUNTRIES).not.toContain('GB');
    expect(EU_COUNTRIES).toContain('GR');
  });
});
