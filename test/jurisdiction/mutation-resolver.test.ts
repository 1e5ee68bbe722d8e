/**
 * The resolver branch by branch: each kind of target, each source of a
 * location, and what an unproven answer says.
 */
import { CODE_SETTING_NAMES, LocationResolver, Resolution, declarationLocation, hostOf, registryOf } from '../../constructs/jurisdiction';

/**
 * Resolvers are built inside each test, so that a mutation of the constructor
 * is judged by the tests that use what it built.
 */
const stackit = () => new LocationResolver().resolve('stackit/eu01');
const make = () => new LocationResolver({
  cluster: stackit(),
  ownDomains: ['Desk.Agency.Example'],
  clusterCidrs: ['10.42.0.0/16', 'not-a-range', 'fd00:42::/64'],
  declarations: [
    { pattern: '*.example.org', countries: ['FR'], operator: 'FR' },
    { pattern: 'x.example.org', countries: ['AT', 'DE', 'AT'], operator: 'AT', parent: 'DE' },
    { pattern: '*.long.example.org', countries: ['BE'], operator: 'BE' },
    { pattern: '198.51.0.0/16', countries: ['NL'], operator: 'NL' },
    { pattern: '198.51.100.0/24', countries: ['LU'], operator: 'LU' },
    { pattern: '2001:db8::/32', countries: ['IE'], operator: 'IE' },
  ],
});

function located(resolution: Resolution): { countries: readonly string[]; proof: string; label: string; evidence: string } {
  if (resolution.status !== 'resolved') throw new Error(`unproven: ${resolution.reason}`);
  const { countries, proof, label, evidence } = resolution.location;
  return { countries, proof, label, evidence };
}

function why(resolution: Resolution): { reason: string; hint: string } {
  if (resolution.status !== 'unproven') throw new Error(`resolved: ${resolution.location.label}`);
  return { reason: resolution.reason, hint: resolution.hint };
}

describe('resolver: computed values', () => {
  it.each(['https://${var.host}', 'https://{{ .Values.host }}', 'https://#{host}', 'https://%{ if x }a%{ endif }'])('%s is computed', (target) => {
    expect(why(make().resolve(target)).reason).toBe(`"${target}" is computed at apply time (a reference or template), so its location cannot be proven at synthesis`);
    expect(why(make().resolve(target)).hint).toMatch(/^use a literal host/);
    expect(why(make().resolveImage(target)).reason).toContain('computed at apply time');
    expect(why(make().resolveHost(target)).reason).toContain('computed at apply time');
  });

  it('a brace or a hash alone is no template', () => {
    expect(located(make().resolve('https://a.example.org/{x}#frag')).countries).toEqual(['FR']);
  });
});

describe('resolver: targets that name no place', () => {
  it.each([
    ['local:state.json', /^state\.json is a file on whichever machine runs Terraform$/, /^keep data in the cluster/],
    ['module:vpc', /^module vpc creates resources that are not in the synthesized configuration/, /^write the resources as constructs/],
    ['clusterissuer:letsencrypt', /^the ClusterIssuer letsencrypt names its certificate authority by reference/, /^set spec\.tls\.issuerServer/],
    ['provider:random', /^provider random is not in the catalogue/, /^use a catalogued provider/],
  ])('%s', (target, reason, hint) => {
    const answer = why(make().resolve(target));
    expect(answer.reason).toMatch(reason);
    expect(answer.hint).toMatch(hint);
  });

  it.each(['s3://b/k', 'S3://b/k', 'gs://b', 'az://c', 'abfs://c', 'abfss://c', 'wasb://c', 'wasbs://c'])('%s names a bucket, not a host', (target) => {
    expect(why(make().resolve(target))).toEqual({
      reason: `${target} names a bucket, not a host: the service that holds it is set by the endpoint configured beside it (without one, the cloud's default, e.g. AWS S3)`,
      hint: 'configure the endpoint next to the bucket URL (e.g. endpointURL) with a proven host',
    });
  });

  it('a scheme that only starts like a bucket scheme is a URL', () => {
    expect(located(make().resolve('gsx://a.example.org')).countries).toEqual(['FR']);
  });
});

describe('resolver: the cluster', () => {
  it('k8s:// objects, localhost, Service names and own domains are in the cluster, with why', () => {
    expect(located(make().resolve('k8s://files/secret/x')).evidence).toMatch(/^k8s:\/\/files\/secret\/x is an object of the cluster; /);
    expect(located(make().resolve('http://localhost:8080')).evidence).toMatch(/^localhost is the pod itself; /);
    expect(located(make().resolve('db.files.svc')).evidence).toMatch(/^db\.files\.svc is a Service name of the cluster's DNS; /);
    expect(located(make().resolve('a.b.svc.cluster.local')).evidence).toMatch(/^a\.b\.svc\.cluster\.local is a Service name/);
    expect(located(make().resolve('https://desk.agency.example')).evidence).toMatch(/^desk\.agency\.example is served by the cluster's ingress; /);
    expect(located(make().resolve('https://files.desk.agency.example')).proof).toBe('cluster');
    for (const target of ['k8s://x', 'localhost', 'db.files.svc', 'desk.agency.example']) {
      expect(located(make().resolve(target))).toMatchObject({ countries: ['DE'], proof: 'cluster' });
    }
  });

  it('a Service name has exactly two labels before .svc, or ends in svc.cluster.local', () => {
    expect(make().resolve('a.b.c.svc').status).toBe('unproven');
    expect(make().resolve('a.svc').status).toBe('unproven');
    expect(make().resolve('-a.b.svc').status).toBe('unproven');
    expect(make().resolve('a.b.svc.cluster.local.evil.example').status).toBe('unproven');
  });

  it('an own domain counts for itself and its subdomains, not for a name that only ends like it', () => {
    expect(make().resolve('https://evildesk.agency.example').status).toBe('unproven');
    expect(make().resolve('https://agency.example').status).toBe('unproven');
  });

  it('the cluster\'s ranges are in the cluster; an unreadable range is ignored', () => {
    expect(located(make().resolve('http://10.42.7.1')).evidence).toMatch(/^10\.42\.7\.1 is in the cluster's pod or service ranges \(spec\.cluster\.podCidrs \/ serviceCidrs\); /);
    expect(located(make().resolve('http://[fd00:42::5]')).proof).toBe('cluster');
    expect(make().resolve('http://10.43.0.1').status).toBe('unproven');
  });

  it('loopback and unspecified addresses never leave the node', () => {
    expect(located(make().resolve('http://127.0.0.1:9000')).evidence).toMatch(/^127\.0\.0\.1 is a loopback or unspecified address, which never leaves the node; /);
  });

  it('without a known cluster, in-cluster names are as unproven as the cluster', () => {
    const bare = new LocationResolver();
    for (const target of ['k8s://x', 'localhost', 'db.files.svc', 'http://127.0.0.1']) {
      expect(why(bare.resolve(target))).toEqual({ reason: 'the cluster location is not known', hint: 'set spec.cluster.location' });
    }
  });

  it('in the cluster means the cluster\'s location with both reasons', () => {
    const inside = located(make().resolve('localhost'));
    const outside = located(stackit());
    expect(inside.label).toBe(outside.label);
    expect(inside.evidence).toBe(`localhost is the pod itself; ${outside.evidence}`);
  });
});

describe('resolver: names without a dot', () => {
  it('are a Service only where the field references one', () => {
    expect(located(make().resolve('http://keycloak:8080', { serviceReference: true })).evidence).toMatch(/^keycloak is a Service of the namespace; /);
    expect(why(make().resolve('http://keycloak:8080'))).toEqual({
      reason: 'keycloak has no dot: the pod\'s DNS search path decides what it reaches, so it is not proven to be in the cluster',
      hint: 'write the in-cluster name in full (keycloak.<namespace>.svc), or a fully qualified host',
    });
    expect(located(make().resolveHost('keycloak', { serviceReference: true })).proof).toBe('cluster');
  });

  it('a Service reference must be a valid Service name', () => {
    expect(make().resolve('http://1keycloak', { serviceReference: true }).status).toBe('unproven');
    expect(make().resolve('http://keycloak-', { serviceReference: true }).status).toBe('unproven');
    expect(make().resolve(`http://k${'a'.repeat(62)}`, { serviceReference: true }).status).toBe('resolved');
    expect(make().resolve('http://k', { serviceReference: true }).status).toBe('resolved');
  });
});

describe('resolver: declarations', () => {
  it('an exact host wins over a wildcard, a longer wildcard over a shorter one', () => {
    expect(located(make().resolve('https://x.example.org'))).toEqual({
      countries: ['AT', 'DE'], proof: 'declaration', label: 'declared x.example.org', evidence: 'spec.locations["x.example.org"]',
    });
    expect(located(make().resolve('https://a.long.example.org')).countries).toEqual(['BE']);
    expect(located(make().resolve('https://a.x.example.org')).countries).toEqual(['FR']);
  });

  it('the order of declarations does not matter', () => {
    const reversed = new LocationResolver({
      declarations: [
        { pattern: '*.long.example.org', countries: ['BE'], operator: 'BE' },
        { pattern: 'x.example.org', countries: ['AT'], operator: 'AT' },
        { pattern: '*.example.org', countries: ['FR'], operator: 'FR' },
        { pattern: '198.51.100.0/24', countries: ['LU'], operator: 'LU' },
        { pattern: '198.51.0.0/16', countries: ['NL'], operator: 'NL' },
      ],
    });
    expect(located(reversed.resolve('https://x.example.org')).countries).toEqual(['AT']);
    expect(located(reversed.resolve('https://a.long.example.org')).countries).toEqual(['BE']);
    expect(located(reversed.resolve('http://198.51.100.9')).countries).toEqual(['LU']);
    expect(located(reversed.resolve('http://198.51.7.9')).countries).toEqual(['NL']);
  });

  it('the longest declared range wins', () => {
    expect(located(make().resolve('http://198.51.100.9')).countries).toEqual(['LU']);
    expect(located(make().resolve('http://198.51.7.9')).countries).toEqual(['NL']);
    expect(located(make().resolve('http://[2001:db8::1]')).countries).toEqual(['IE']);
  });

  it('an address outside every range says which range to declare', () => {
    expect(why(make().resolve('http://203.0.113.7'))).toEqual({
      reason: '203.0.113.7 is an IP address outside every declared range, so where it is cannot be proven',
      hint: 'declare its range: spec.locations: { "203.0.113.7/32": { country: <code>, operator: <code> } }, or add the cluster\'s ranges to spec.cluster.podCidrs / serviceCidrs',
    });
    expect(why(make().resolve('http://[2001:db9::1]')).hint).toMatch(/^declare its range: spec\.locations: \{ "2001:db9::1\/128"/);
  });

  it('an unknown host says how to declare it', () => {
    expect(why(make().resolve('https://logs.unknown.example'))).toEqual({
      reason: 'logs.unknown.example is not in the catalogue and nothing in spec.locations matches it',
      hint: 'declare it: spec.locations: { "logs.unknown.example": { country: <code>, operator: <code> } }, or use a catalogued endpoint',
    });
  });

  it('the location of a declaration: countries deduplicated and sorted, parent defaulting to the operator', () => {
    expect(declarationLocation({ pattern: 'a.example', countries: ['FR', 'DE', 'FR'], operator: 'FR' })).toEqual({
      countries: ['DE', 'FR'], operator: 'FR', parent: 'FR', label: 'declared a.example', proof: 'declaration', evidence: 'spec.locations["a.example"]',
    });
    expect(declarationLocation({ pattern: 'a.example', countries: ['FR'], operator: 'FR', parent: 'US' }).parent).toBe('US');
  });
});

describe('resolver: the catalogue', () => {
  it('a catalogued service is placed by the catalogue even when a wildcard declaration covers it', () => {
    const r = new LocationResolver({ declarations: [{ pattern: '*.your-objectstorage.com', countries: ['FR'], operator: 'FR' }] });
    expect(located(r.resolve('https://fsn1.your-objectstorage.com')).countries).toEqual(['DE']);
  });

  it('a region id resolves; a region-like id that is not catalogued gets a suggestion', () => {
    expect(located(make().resolve('stackit/eu01')).countries).toEqual(['DE']);
    expect(why(make().resolve('stackit/eu1')).hint).toBe('did you mean "eu01"?');
  });

  it('an unparsable target says so', () => {
    const answer = why(make().resolve('https://exa mple.org'));
    expect(answer.reason).toMatch(/, so where it leads cannot be proven$/);
  });
});

describe('resolveImage and registryOf', () => {
  it.each([
    ['nginx', 'docker.io'],
    ['library/nginx:1.27', 'docker.io'],
    ['Registry.Agency.Example:5000/team/app:1', 'registry.agency.example'],
    ['localhost/app', 'localhost'],
    ['localhost:5000/app', 'localhost'],
    ['host:5000/app@sha256:abc', 'host'],
    ['quay.io/a/b@sha256:abc', 'quay.io'],
    ['quay.io/a@https://x', 'quay.io'],
    ['host:5000x/app', 'host:5000x'],
    ['team/app', 'docker.io'],
  ])('%s is on %s', (image, registry) => {
    expect(registryOf(image)).toBe(registry);
  });

  it.each(['', 'a b', 'a\tb', 'a\\b', 'a//b', '/a', 'a/', 'https://quay.io/a', 'oci://ghcr.io/a', 'a\u0000b', 'a\u007fb'])('%j is no image reference', (image) => {
    expect(registryOf(image)).toBeUndefined();
  });

  it('an image is placed at its registry; a malformed one is unproven with a hint', () => {
    expect(located(make().resolveImage('x.example.org/team/app:1')).countries).toEqual(['AT', 'DE']);
    expect(why(make().resolveImage('a b'))).toEqual({
      reason: '"a b" is not an image reference every runtime reads the same way',
      hint: 'write the image as registry.example/path/name:tag or @sha256:digest',
    });
  });
});

describe('resolveHost and hostOf', () => {
  it('reads a bare host, an IPv6 address with or without brackets, and rejects what is no host', () => {
    expect(located(make().resolveHost('x.example.org')).countries).toEqual(['AT', 'DE']);
    expect(located(make().resolveHost('2001:db8::1')).countries).toEqual(['IE']);
    expect(located(make().resolveHost('[2001:db8::1]')).countries).toEqual(['IE']);
    expect(why(make().resolveHost('a b.example')).reason).toMatch(/^"a b\.example" /);
  });

  it('hostOf: the lower-case host of a URL or host, after trimming', () => {
    expect(hostOf('  https://X.Example.org:8443/p  ')).toBe('x.example.org');
    expect(hostOf('x.example.org/p')).toBe('x.example.org');
    expect(hostOf('https://')).toBeUndefined();
  });
});

describe('resolver: refused declarations place nothing', () => {
  const refusing = () => new LocationResolver({
    cluster: stackit(),
    declarations: [
      { pattern: '*.com', countries: ['DE'], operator: 'DE' },
      { pattern: '0.0.0.0/0', countries: ['DE'], operator: 'DE' },
      { pattern: '::/0', countries: ['DE'], operator: 'DE' },
      { pattern: '*.example.org', countries: ['FR'], operator: 'FR' },
      { pattern: 'x.example.org', countries: ['AT'], operator: 'AT' },
    ],
    ownDomains: ['com', 'Desk.Example'],
    clusterCidrs: ['0.0.0.0/0', '10.0.0.0/16', 'nonsense'],
  });

  it('a host under a refused wildcard says which declaration was refused and why', () => {
    expect(why(refusing().resolve('https://evil.com'))).toEqual({
      reason: 'evil.com matches only the declaration "*.com", which is refused: *.com is not at least a registrable domain: com is a public suffix shared by unrelated owners',
      hint: 'declare the registrable domain you control or the exact host, as the catalogue places it',
    });
  });

  it('an address in a refused range says which range was refused, and the narrow range to declare', () => {
    expect(why(refusing().resolve('http://203.0.113.7'))).toEqual({
      reason: '203.0.113.7 is only in the declared range 0.0.0.0/0, which is refused: 0.0.0.0/0 is wider than /16: a declared range claims where every address in it is, and this one covers too much of the internet to be one place',
      hint: 'declare the narrow range the address is in (e.g. "203.0.113.7/32")',
    });
    expect(why(refusing().resolve('http://[2001:db8::1]')).hint).toBe('declare the narrow range the address is in (e.g. "2001:db8::1/128")');
  });

  it('the declarations that are not refused still count, exact before wildcard in any order', () => {
    expect(located(refusing().resolve('https://x.example.org')).countries).toEqual(['AT']);
    expect(located(refusing().resolve('https://y.example.org')).countries).toEqual(['FR']);
  });

  it('a refused own domain or cluster range is not the cluster; the others are, in any case', () => {
    expect(why(refusing().resolve('https://x.com')).reason).toMatch(/refused/);
    expect(located(refusing().resolve('https://DESK.example')).proof).toBe('cluster');
    expect(located(refusing().resolve('https://a.desk.example')).proof).toBe('cluster');
    expect(why(refusing().resolve('http://198.18.0.1')).reason).toMatch(/^198\.18\.0\.1 is only in the declared range 0\.0\.0\.0\/0/);
    expect(located(refusing().resolve('http://10.0.0.5')).evidence).toMatch(/^10\.0\.0\.5 is in the cluster's pod or service ranges/);
  });

  it('a region-like target that is no URL gets the closest region as a hint', () => {
    expect(why(refusing().resolve('stackit/eu 1')).hint).toBe('did you mean "stackit/eu01"?');
    expect(why(refusing().resolve('zz/q q')).hint).toBe('use a URL, a host, or provider/region from the catalogue');
    expect(why(refusing().resolve('zzzz/qqqq')).reason).toMatch(/^zzzz has no dot/);
  });

  it('a bucket scheme counts only at the start of the target', () => {
    expect(why(refusing().resolve('https://a.example.net/?u=s3://b')).reason).toMatch(/^a\.example\.net is not in the catalogue/);
  });
});

describe('resolver: fixes worded for a stack written in code', () => {
  const code = new LocationResolver({ names: CODE_SETTING_NAMES, declarations: [{ pattern: 'db.team.example', countries: ['DE'], operator: 'DE' }] });
  const hintOf = (target: string) => why(code.resolve(target)).hint;

  it.each([
    ['https://logs.unknown.example', "new SovereignStack(…, { locations: [{ pattern: 'logs.unknown.example', countries: ['<code>'], operator: '<code>' }] })"],
    ['http://203.0.113.7', "new SovereignStack(…, { locations: [{ pattern: '203.0.113.7/32'"],
    ['http://203.0.113.7', 'new SovereignStack(…, { clusterCidrs: [...] })'],
    ['clusterissuer:internal-ca', "new DeclaredIssuer(stack, 'Issuer', { clusterIssuer, server })"],
    ['kubeconfig:~/.kube/config', "new ClusterConnection(stack, 'Connection', { apiServer })"],
    ['https://foo.blob.core.windows.net', "new SovereignStack(…, { locations: [{ pattern: 'foo.blob.core.windows.net', countries: ['<code>'], operator: 'US' }] })"],
    ['https://x.amazonaws.com', 'the locations of new SovereignStack(…, { locations: [...] })'],
  ])('%s: the hint names the construct or prop (%s)', (target, named) => {
    expect(hintOf(target)).toContain(named);
    expect(hintOf(target)).not.toMatch(/spec\./);
  });

  it('an unknown cluster location names the prop, and a declaration is evidenced by the prop', () => {
    expect(why(code.resolve('k8s://x')).hint).toBe("set new SovereignStack(…, { clusterLocation: '<provider>/<region>' })");
    expect(located(code.resolve('https://db.team.example')).evidence).toBe('locations: "db.team.example"');
  });

  it('a resolver without names words its fixes for the spec (not applicable: the code words)', () => {
    expect(why(new LocationResolver().resolve('clusterissuer:x')).hint).toMatch(/^set spec\.tls\.issuerServer /);
  });
});
