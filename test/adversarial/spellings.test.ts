/**
 * Property: any spelling of a foreign host in a ConfigMap value — case,
 * trailing dot, port, path, query, IDNA form — resolves like its canonical
 * form: the synth fails with at least the same rules, naming the host.
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import fc from 'fast-check';
import { configMap, outcome } from './harness';

/** Foreign hosts, canonical (lower-case ASCII, A-labels). */
const HOSTS = ['exfil.evil-corp.com', 's3.us-east-1.amazonaws.com', 'storage.googleapis.com', domainToASCII('bücher-evil.de'), 'fsn1.ash.your-objectstorage.com'];

const rules = (errors: readonly string[]) => new Set(errors.map((e) => e.split(' ')[0]));
const canonical = new Map(HOSTS.map((host) => [host, rules(outcome(() => configMap(`https://${host}/`, 'url')).errors)]));

/** A spelling of `host`: per-letter case, full-width letters or its U-label, a trailing dot. */
const spelling = (host: string) => fc.record({
  upper: fc.array(fc.boolean(), { minLength: host.length, maxLength: host.length }),
  form: fc.constantFrom('ascii', 'unicode', 'fullwidth'),
  dot: fc.boolean(),
}).map(({ upper, form, dot }) => {
  let name = form === 'unicode' ? domainToUnicode(host) : host;
  name = [...name].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
  if (form === 'fullwidth') name = name.replace(/[a-z]/gi, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
  return name + (dot ? '.' : '');
});

const url = fc.constantFrom(...HOSTS).chain((host) => fc.record({
  host: fc.constant(host),
  name: spelling(host),
  scheme: fc.constantFrom('https://', 'http://', 'HTTPS://', 'wss://', ''),
  port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  path: fc.option(fc.stringMatching(/^\/[a-z0-9_./-]{0,12}$/), { nil: undefined }),
  query: fc.option(fc.stringMatching(/^\?[a-z0-9=&]{0,10}$/), { nil: undefined }),
}));

describe('any spelling of a foreign host resolves like its canonical form', () => {
  it.each(HOSTS)('the canonical form of %s fails', (host) => {
    expect(canonical.get(host)?.size).toBeGreaterThan(0);
  });

  it('fails with the canonical rules and names the host', () => {
    fc.assert(fc.property(url, ({ host, name, scheme, port, path, query }) => {
      const text = `${scheme}${name}${port !== undefined ? `:${port}` : ''}${path ?? (query ? '/' : '')}${query ?? ''}`;
      const out = outcome(() => configMap(text, 'url'));
      const found = rules(out.errors);
      for (const rule of canonical.get(host) ?? []) {
        if (!found.has(rule)) throw new Error(`${text}: ${rule} missing, found ${[...found].join(', ')}`);
      }
      if (!out.errors.some((e) => e.toLowerCase().includes(host))) throw new Error(`${text}: no error names ${host}:\n${out.errors.join('\n')}`);
    }), { numRuns: 150, seed: 20261127 });
  });
});
