import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { LocationResolver, parseEndpoint, printable } from '../../constructs/jurisdiction';

/**
 * How the parsers our consumers use read the host of each input, from their
 * documentation and source (Go 1.22 net/url `Parse` + `URL.Hostname`, Python
 * 3.12 `urllib.parse.urlsplit(...).hostname`, PHP 8.3 `parse_url(..., PHP_URL_HOST)`).
 * `error` means the parser rejects the input. Hosts are compared as DNS names:
 * case and a trailing dot do not matter.
 */
const CASES: readonly { input: string; go: string; python: string; php: string; why: string }[] = [
  { input: 'https://fsn1.your-objectstorage.com/b', go: 'fsn1.your-objectstorage.com', python: 'fsn1.your-objectstorage.com', php: 'fsn1.your-objectstorage.com', why: 'plain' },
  { input: 'HTTPS://FSN1.Your-ObjectStorage.COM:443/b?x=1#y', go: 'FSN1.Your-ObjectStorage.COM', python: 'fsn1.your-objectstorage.com', php: 'FSN1.Your-ObjectStorage.COM', why: 'case, port, query, fragment' },
  { input: 'https://evil.example./x', go: 'evil.example.', python: 'evil.example.', php: 'evil.example.', why: 'trailing dot' },
  { input: 'smtp://relay.agency.example:587', go: 'relay.agency.example', python: 'relay.agency.example', php: 'relay.agency.example', why: 'non-special scheme' },
  { input: 'https://[2001:db8::1]:8443/', go: '2001:db8::1', python: '2001:db8::1', php: '[2001:db8::1]', why: 'IPv6 literal' },
  { input: 'https://192.0.2.10/', go: '192.0.2.10', python: '192.0.2.10', php: '192.0.2.10', why: 'IPv4 dotted decimal' },
  { input: 'https://good.example@evil.example/', go: 'evil.example', python: 'evil.example', php: 'evil.example', why: 'userinfo' },
  { input: 'https://evil.example#@good.example/', go: 'evil.example', python: 'evil.example', php: 'good.example', why: 'fragment before @ (PHP < 8 reads the part after @)' },
  { input: 'https://evil.example\\@good.example/', go: 'error', python: 'good.example', php: 'good.example', why: 'backslash: WHATWG reads evil.example' },
  { input: 'https://evil.example\\.good.example/', go: 'evil.example\\.good.example', python: 'evil.example\\.good.example', php: 'evil.example\\.good.example', why: 'backslash as path: WHATWG reads evil.example' },
  { input: 'https://ev\til.example/', go: 'error', python: 'evil.example', php: 'ev\til.example', why: 'tab, which WHATWG and Python drop' },
  { input: 'https://evil.example /x', go: 'error', python: 'evil.example ', php: 'evil.example ', why: 'space' },
  { input: 'https://%65vil.example/', go: 'evil.example', python: '%65vil.example', php: '%65vil.example', why: 'percent-encoded host' },
  { input: 'https://0x7f.1/', go: '0x7f.1', python: '0x7f.1', php: '0x7f.1', why: 'hex IPv4: WHATWG and inet_aton read 127.0.0.1, Go DNS' },
  { input: 'https://2130706433/', go: '2130706433', python: '2130706433', php: '2130706433', why: 'integer IPv4' },
  { input: 'https://0177.0.0.1/', go: '0177.0.0.1', python: '0177.0.0.1', php: '0177.0.0.1', why: 'octal IPv4' },
  { input: 'https:///evil.example/', go: '', python: '', php: 'error', why: 'three slashes: WHATWG reads evil.example' },
  { input: 'https://ｅvil.example/', go: 'ｅvil.example', python: 'ｅvil.example', php: 'ｅvil.example', why: 'full-width letter: WHATWG maps it to evil.example' },
  { input: 'https://evil.example:443:80/', go: 'error', python: 'evil.example', php: 'error', why: 'two ports' },
  { input: 'https://evil.example:0x50/', go: 'error', python: 'evil.example', php: 'error', why: 'hex port' },
];

function sameDnsName(a: string, b: string): boolean {
  const norm = (h: string) => h.toLowerCase().replace(/\.$/, '').replace(/^\[|\]$/g, '');
  return norm(a) === norm(b);
}

function whatwgHost(input: string): string {
  try {
    return new URL(input).hostname;
  } catch {
    return 'error';
  }
}

describe('endpoint parser: never a host other than the consumers\'', () => {
  it.each(CASES)('$why: $input', ({ input, go, python, php }) => {
    const parsed = parseEndpoint(input);
    if (!parsed.ok) return; // refused: no host is judged
    for (const theirs of [go, python, php, whatwgHost(input)]) {
      expect(theirs).not.toBe('error');
      expect(sameDnsName(parsed.endpoint.host, theirs)).toBe(true);
    }
  });

  it('refuses every case on which the parsers disagree', () => {
    for (const { input, go, python, php } of CASES) {
      const hosts = [go, python, php, whatwgHost(input)];
      const agree = hosts.every((h) => h !== 'error' && sameDnsName(h, hosts[0]));
      if (!agree) expect({ input: printable(input), accepted: parseEndpoint(input).ok }).toEqual({ input: printable(input), accepted: false });
    }
  });

  const python = (() => {
    try {
      execFileSync('python3', ['-c', 'pass'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  (python ? it : it.skip)('agrees with the Python column when python3 is installed', () => {
    const script = 'import json,sys\nfrom urllib.parse import urlsplit\nout=[]\nfor u in json.load(sys.stdin):\n  try:\n    h=urlsplit(u).hostname\n    out.append(h if h is not None else "")\n  except ValueError:\n    out.append("error")\nprint(json.dumps(out))';
    const got = JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(CASES.map((c) => c.input)) }).toString()) as string[];
    CASES.forEach((c, i) => {
      if (c.python === 'error') expect(got[i]).toBe('error');
      else expect(sameDnsName(got[i], c.python)).toBe(true);
    });
  });
});

describe('endpoint parser: canonical form', () => {
  it.each([
    ['HTTPS://Fsn1.Your-ObjectStorage.com./bucket', 'https://fsn1.your-objectstorage.com/bucket'],
    ['smtp://Relay.Agency.Example:587', 'smtp://relay.agency.example:587'],
    ['https://bücher.example/x', 'https://xn--bcher-kva.example/x'],
    ['https://[2001:DB8:0:0:0:0:0:1]/', 'https://[2001:db8::1]/'],
    ['registry.agency.example:5000/desk', 'registry.agency.example:5000/desk'],
    ['postgres://keycloak:s%40cret@Keycloak-DB-rw.identity.svc:5432/keycloak', 'postgres://keycloak-db-rw.identity.svc:5432/keycloak'],
  ])('%s is written as %s', (input, canonical) => {
    const parsed = parseEndpoint(input);
    expect(parsed.ok && parsed.endpoint.canonical).toBe(canonical);
  });

  it.each([
    ['https://a.example:0/', /outside 1-65535/],
    ['https://a.example:65536/', /outside 1-65535/],
    ['https://a.example:/', /not a decimal number/],
    ['https://[::1/', /unclosed/],
    ['https://[::1]x/', /after its IPv6 address/],
    ['https://a..example/', /empty label/],
    ['https://a_b!.example/', /not a DNS name/],
    ['mailto:someone', /scheme without "\/\/"/],
    ['https://', /no host/],
    ['https://1.2.3.4.5/', /WHATWG URL refuses/],
    ['https://[zz::1]/', /not an IPv6 address/],
    ['https://xn--a.example/', /not a valid IDNA|WHATWG/],
  ])('fails if the endpoint is %s', (input, reason) => {
    const parsed = parseEndpoint(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});

describe('endpoint parser: any spelling of a host resolves like its canonical form', () => {
  const resolver = new LocationResolver({
    cluster: new LocationResolver().resolve('stackit/eu01'),
    declarations: [{ pattern: '*.agency.example', countries: ['DE'], operator: 'DE' }],
  });
  const hosts = ['s3.us-east-1.amazonaws.com', 'fsn1.your-objectstorage.com', 'ghcr.io', 'logs.agency.example', 'unknown.example.org', 'bücher.example'];
  const spelling = fc.record({
    host: fc.constantFrom(...hosts),
    upper: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
    dot: fc.boolean(),
    port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    path: fc.constantFrom('', '/', '/a/b', '/x?y=1', '/p#frag', '?q=a.b'),
    scheme: fc.constantFrom('https://', 'HTTPS://', 's3://'.replace('s3', 'ftp'), 'postgres://', ''),
  });

  it('resolves to the same result as the canonical host', () => {
    fc.assert(fc.property(spelling, ({ host, upper, dot, port, path, scheme }) => {
      const cased = [...host].map((c, i) => (upper[i % upper.length] ? c.toUpperCase() : c)).join('');
      const written = `${scheme}${cased}${dot ? '.' : ''}${port ? `:${port}` : ''}${scheme || path.startsWith('/') ? path : ''}`;
      const canonical = resolver.resolve(`https://${host}/`);
      expect(resolver.resolve(written)).toEqual(canonical);
    }));
  });
});
