import { LocationDeclaration, LocationResolver, declarationProblems, ownDomainProblems, readPattern } from '../../constructs/jurisdiction';

const DE: Omit<LocationDeclaration, 'pattern'> = { countries: ['DE'], operator: 'DE' };

describe('declarations: at least a registrable domain, ranges no wider than /16 or /32', () => {
  it.each([
    ['*', /not at least a registrable domain/],
    ['*.com', /com is a public suffix/],
    ['*.co.uk', /co\.uk is a public suffix/],
    ['*.io', /io is a public suffix/],
    ['*.github.io', /github\.io is a public suffix/],
    ['*.s3.amazonaws.com', /public suffix/],
    ['com', /public suffix/],
    ['intranet', /not at least a registrable domain/],
    ['192.0.2.10', /is an address: declare it as a range/],
    ['0.0.0.0/0', /wider than \/16/],
    ['10.0.0.0/8', /wider than \/16/],
    ['::/0', /wider than \/32/],
    ['2001:db8::/16', /wider than \/32/],
    ['300.0.0.0/24', /not an address range/],
  ])('fails if the pattern is %s', (pattern, problem) => {
    const read = readPattern(pattern);
    expect('problem' in read && read.problem).toMatch(problem);
  });

  it.each(['*.agency.example', 'logs.agency.example', 'mybucket.s3.amazonaws.com', '192.0.2.0/24', '198.51.100.7/32', '2001:db8:1::/48', '*.corp.internal'])(
    'reads %s', (pattern) => expect(readPattern(pattern)).not.toHaveProperty('problem'),
  );
});

describe('declarations: an IPv4-mapped IPv6 range is the IPv4 range it stands for', () => {
  const resolves = (pattern: string, url: string) => new LocationResolver({ declarations: [{ pattern, ...DE }] }).resolve(url).status;

  it('places the IPv4 addresses of a mapped range, and only those', () => {
    expect(resolves('::ffff:192.0.2.0/120', 'https://192.0.2.7/x')).toBe('resolved');
    expect(resolves('::ffff:c000:200/120', 'https://192.0.2.7/x')).toBe('resolved');
    expect(resolves('::ffff:192.0.2.0/120', 'https://192.0.3.7/x')).toBe('unproven');
    expect(resolves('192.0.2.0/24', 'https://[::ffff:192.0.2.7]/x')).toBe('resolved');
  });

  it.each(['::/64', '::ffff:0:0/80', '::/96'])('places no IPv4 address by an IPv6 range that holds the mapped space: %s', (pattern) => {
    expect(resolves(pattern, 'https://203.0.113.7/x')).toBe('unproven');
  });

  it('fails if a mapped range is wider than /16 as IPv4', () => {
    expect(declarationProblems({ pattern: '::ffff:0:0/96', ...DE })[0]).toMatch(/wider than \/16/);
    expect(declarationProblems({ pattern: '::ffff:10.0.0.0/104', ...DE })[0]).toMatch(/wider than \/16/);
  });
});

describe('declarations: cannot widen or contradict the catalogue', () => {
  it.each([
    ['*.eu-central-1.amazonaws.com', { countries: ['DE'], operator: 'DE' }, /places differently, in eu-central-1 \(data in DE, operator US\)/],
    ['*.amazonaws.com', { countries: ['DE'], operator: 'US' }, /places differently, in us-east-1/],
    ['*.t-systems.com', { countries: ['DE'], operator: 'DE' }, /eu-nl \(data in NL, operator DE\)/],
    ['*.your-objectstorage.com', { countries: ['DE'], operator: 'DE' }, /hel1 \(data in FI, operator DE\)/],
    ['*.onstackit.cloud', { countries: ['DE'], operator: 'DE' }, /eu02 \(data in an unconfirmed place, operator DE\)/],
    ['fsn1.your-objectstorage.com', { countries: ['FI'], operator: 'DE' }, /fsn1 \(data in DE, operator DE\)/],
    ['s3.eu-central-1.amazonaws.com', { countries: ['FR'], operator: 'US' }, /eu-central-1 \(data in DE, operator US\)/],
    ['bucket.s3.eu-west-3.amazonaws.com', { countries: ['DE'], operator: 'US' }, /eu-west-3 \(data in FR, operator US\)/],
    ['*.docker.io', { countries: ['DE'], operator: 'DE' }, /covers Docker Hub/],
    ['pages.github.io', { countries: ['DE'], operator: 'DE' }, /covers GitHub/],
    ['raw.githubusercontent.com', { countries: ['DE'], operator: 'DE' }, /covers GitHub/],
    ['acct.blob.core.windows.net', { countries: ['LU'], operator: 'US' }, /must match one of them/],
    ['acct.blob.core.windows.net', { countries: ['DE'], operator: 'DE' }, /must match one of them/],
    ['sts.amazonaws.com', { countries: ['DE'], operator: 'DE' }, /under AWS's domains/],
    ['52.216.0.0/16', { countries: ['DE'], operator: 'DE' }, /overlaps 52\.216\.0\.0\/15, published by AWS for us-east-1 \(data in US, operator US\)/],
    ['52.219.170.0/24', { countries: ['FR'], operator: 'US' }, /published by AWS for eu-central-1/],
  ] as const)('fails if %s is declared %j', (pattern, place, problem) => {
    const problems = declarationProblems({ pattern, ...place });
    expect(problems.join('\n')).toMatch(problem);
  });

  it.each([
    ['*.agency.example', DE],
    ['*.eu-central-1.amazonaws.com', { countries: ['DE'], operator: 'US' }],
    ['s3.eu-central-1.amazonaws.com', { countries: ['DE'], operator: 'US' }],
    ['acct.blob.core.windows.net', { countries: ['NL'], operator: 'US' }],
    ['sts.amazonaws.com', { countries: ['US'], operator: 'US' }],
    ['object.storage.eu01.onstackit.cloud', DE],
    ['192.0.2.0/24', DE],
    ['52.219.170.0/24', { countries: ['DE'], operator: 'US' }],
  ] as const)('accepts %s declared %j', (pattern, place) => {
    expect(declarationProblems({ pattern, ...place })).toEqual([]);
  });
});

describe('spec.domain: the cluster\'s own names', () => {
  it.each([
    ['amazonaws.com', /AWS's domains/],
    ['eu01.onstackit.cloud', /STACKIT's domains/],
    ['co.uk', /public suffix/],
    ['github.io', /public suffix/],
    ['l.google.com', /Google public STUN/],
  ])('fails if spec.domain is %s', (domain, problem) => {
    expect(ownDomainProblems(domain).join('\n')).toMatch(problem);
  });

  it('accepts a domain of the agency', () => expect(ownDomainProblems('desk.agency.example')).toEqual([]));
});

describe('resolver: only exact in-cluster forms are in the cluster', () => {
  const resolver = new LocationResolver({
    cluster: new LocationResolver().resolve('stackit/eu01'),
    declarations: [{ pattern: '*.agency.example', ...DE }, { pattern: '198.51.100.0/24', countries: ['FR'], operator: 'FR' }],
    ownDomains: ['desk.agency.example'],
    clusterCidrs: ['10.42.0.0/16', 'fd00:42::/48'],
  });
  const proof = (target: string) => {
    const r = resolver.resolve(target);
    return r.status === 'resolved' ? r.location.proof : 'unproven';
  };

  it.each([
    'postgres.files.svc', 'postgres.files.svc.cluster.local', 'kubernetes.default.svc', 'localhost', 'http://localhost:8080/health',
    'http://127.0.0.1:9000', 'http://[::1]:80', 'http://[::ffff:127.0.0.1]/', '0.0.0.0:8080', 'http://10.42.3.4:5432', 'http://[fd00:42::5]/',
    'k8s://pvc/mail/data', 'files.desk.agency.example', 'desk.agency.example',
  ])('%s is in the cluster', (target) => expect(proof(target)).toBe('cluster'));

  it.each([
    ['127.evil.example', /not in the catalogue/],
    ['localhost.evil.example', /not in the catalogue/],
    ['keycloak', /has no dot/],
    ['http://keycloak:8080', /has no dot/],
    ['evil.svc', /not in the catalogue/],
    ['a.b.c.svc', /not in the catalogue/],
    ['x.cluster.local', /not in the catalogue/],
    ['svc.cluster.local.evil.example', /not in the catalogue/],
    ['http://192.0.2.10/', /IP address outside every declared range/],
    ['http://[2001:db8::1]/', /IP address outside every declared range/],
    ['http://[::2]/', /IP address outside every declared range/],
    ['http://10.43.0.1/', /IP address outside every declared range/],
    ['http://0x7f.1/', /WHATWG URL reads as 127\.0\.0\.1/],
    ['http://2130706433/', /WHATWG URL reads as 127\.0\.0\.1/],
    ['s3://backups/db', /names a bucket, not a host/],
    ['local:./secrets.txt', /on whichever machine runs Terraform/],
    ['module:network', /not in the synthesized configuration/],
    ['provider:hashicorp/aws', /not in the catalogue/],
    ['clusterissuer:corp-ca', /names its certificate authority by reference/],
    ['https://${var.host}/', /computed at apply time/],
    ['x.eu-central-1.evil.amazonaws.com', /matches none of its catalogued host patterns/],
    ['s3.eu-central-1.amazonaws.com.evil.example', /not in the catalogue/],
    ['evil.eu01.onstackit.cloud', /matches none of its catalogued host patterns/],
    ['https://desk.agency.example@evil.example/', /^evil\.example is not in the catalogue/],
    ['https://evil.example#@desk.agency.example/', /"@" where URL parsers disagree/],
    ['https://a@b@desk.agency.example/', /"@" where URL parsers disagree/],
  ])('%s is unproven', (target, reason) => {
    const r = resolver.resolve(target);
    expect(r.status).toBe('unproven');
    if (r.status === 'unproven') expect(r.reason).toMatch(reason);
  });

  it('takes a bare Service name only where the field is a known Service reference', () => {
    expect(resolver.resolve('keycloak', { serviceReference: true }).status).toBe('resolved');
    expect(resolver.resolve('keycloak').status).toBe('unproven');
  });

  it('places an address in a declared range where the declaration says', () => {
    const r = resolver.resolve('https://198.51.100.7/');
    expect(r.status === 'resolved' && r.location).toMatchObject({ countries: ['FR'], proof: 'declaration' });
  });
});
