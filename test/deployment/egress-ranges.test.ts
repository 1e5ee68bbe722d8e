/**
 * spec.egress.cidrs stays per host: ranges that open the whole internet, or
 * most of it, are refused with the reason and a fix; narrow ranges pass.
 */
import { RULE_IDS } from '../../constructs/policy/engine';
import { SpecError, SpecProblem, parseDeployment } from '../../constructs/deployment';
import { readRange, wideRangeProblem } from '../../constructs/deployment/egress-ranges';
import { defaultInput } from '../util';

const HOST = 'relay.agency.example';

/** Problems of the default spec with these egress ranges for HOST. */
function problems(ranges: unknown[]): SpecProblem[] {
  const input = defaultInput() as unknown as { spec: Record<string, unknown> };
  try {
    parseDeployment({ ...input, spec: { ...input.spec, egress: { cidrs: { [HOST]: ranges } } } }, 'desk.yaml', { knownRules: RULE_IDS });
  } catch (error) {
    if (error instanceof SpecError) return [...error.problems];
    throw error;
  }
  return [];
}

const ALLOWED = `the addresses of ${HOST} only: IPv4 ranges of /16 or narrower, IPv6 of /32 or narrower, e.g. 192.0.2.10/32 or 2001:db8:1::/48`;

describe('spec.egress.cidrs: lawful narrow ranges', () => {
  it.each([
    '192.0.2.10/32', '198.51.100.0/24', '10.1.0.0/16', '0.0.0.0/16',
    '2001:db8::1/128', '2001:db8:1::/48', '2001:db8::/32', '2a01:4f8::/32',
    '::ffff:192.0.2.10/128', '::ffff:192.0.0.0/112', '64:ff9b::c000:20a/128', '::ffff:c000:0200/120',
  ])('accepts %s', (range) => {
    expect(problems([range])).toEqual([]);
  });

  it('accepts several narrow ranges for one host and for several hosts', () => {
    expect(problems(['192.0.2.10/32', '2001:db8::10/128'])).toEqual([]);
  });
});

describe('spec.egress.cidrs: fails if…', () => {
  it('a range is 0.0.0.0/0, naming the field, showing the value, explaining and fixing', () => {
    expect(problems(['192.0.2.10/32', '0.0.0.0/0'])).toEqual([{
      path: `spec.egress.cidrs["${HOST}"][1]`, value: '0.0.0.0/0',
      message: `too wide for egress: opens the whole internet; egress ranges are per host, and a range this wide opens far more than ${HOST}`,
      allowed: ALLOWED,
      fix: `list the addresses ${HOST} resolves to (dig +short A ${HOST}), each as /32, or its provider's published range`,
    }]);
  });

  it('a range is ::/0', () => {
    expect(problems(['::/0'])).toEqual([expect.objectContaining({
      path: `spec.egress.cidrs["${HOST}"][0]`, value: '::/0', message: expect.stringContaining('opens the whole internet'),
      fix: expect.stringContaining(`dig +short AAAA ${HOST}`),
    })]);
  });

  it.each([
    ['192.0.2.0/15', 'a /15 range (131,072 addresses) opens most of the internet'],
    ['10.0.0.0/8', 'a /8 range (16,777,216 addresses) opens most of the internet'],
    ['128.0.0.0/1', 'a /1 range (2,147,483,648 addresses) opens most of the internet'],
    ['2001:db8::/31', 'a /31 range (2^97 addresses) opens most of the internet'],
    ['2000::/3', 'a /3 range (2^125 addresses) opens most of the internet'],
  ])('an IPv4 range is wider than /16 or an IPv6 range wider than /32: %s', (range, reason) => {
    expect(problems([range])).toEqual([expect.objectContaining({
      path: `spec.egress.cidrs["${HOST}"][0]`, value: range,
      message: `too wide for egress: ${reason}; egress ranges are per host, and a range this wide opens far more than ${HOST}`,
      allowed: ALLOWED,
    })]);
  });

  it.each([
    ['::ffff:0:0/96', 'it contains the IPv4-mapped ::ffff:0:0/96 prefix, which holds every IPv4 address'],
    ['::/32', 'it contains the IPv4-mapped ::ffff:0:0/96 prefix, which holds every IPv4 address'],
    ['64:ff9b::/96', 'it contains the NAT64 64:ff9b::/96 prefix, which holds every IPv4 address'],
    ['::ffff:10.0.0.0/104', 'inside the IPv4-mapped ::ffff:0:0/96 prefix it is the IPv4 range /8 (16,777,216 addresses), which opens most of the internet'],
    ['64:ff9b::/100', 'inside the NAT64 64:ff9b::/96 prefix it is the IPv4 range /4 (268,435,456 addresses), which opens most of the internet'],
  ])('an IPv6 range carries most of the IPv4 internet: %s', (range, reason) => {
    expect(problems([range])).toEqual([expect.objectContaining({ value: range, message: expect.stringContaining(`too wide for egress: ${reason};`) })]);
  });

  it('every wide range is reported, for each host', () => {
    const input = defaultInput() as unknown as { spec: Record<string, unknown> };
    const cidrs = { 'a.agency.example': ['0.0.0.0/0'], 'b.agency.example': ['192.0.2.1/32', '10.0.0.0/8'] };
    expect(() => parseDeployment({ ...input, spec: { ...input.spec, egress: { cidrs } } }, 'desk.yaml')).toThrow(SpecError);
    try {
      parseDeployment({ ...input, spec: { ...input.spec, egress: { cidrs } } }, 'desk.yaml');
    } catch (error) {
      expect((error as SpecError).problems.map((p) => p.path)).toEqual(['spec.egress.cidrs["a.agency.example"][0]', 'spec.egress.cidrs["b.agency.example"][1]']);
    }
  });

  it('a range is not CIDR: only the address-range problem, no width problem', () => {
    expect(problems(['0.0.0.0'])).toEqual([expect.objectContaining({ message: 'not an address range' })]);
  });
});

describe('readRange and wideRangeProblem', () => {
  it('reads IPv4, IPv6, compressed and dotted-quad IPv6 forms', () => {
    expect(readRange('192.0.2.0/24')).toEqual({ family: 4, parts: [192, 0, 2, 0], prefix: 24 });
    expect(readRange('2001:db8::1/128')).toEqual({ family: 6, parts: [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1], prefix: 128 });
    expect(readRange('::ffff:192.0.2.1/128')).toEqual({ family: 6, parts: [0, 0, 0, 0, 0, 0xffff, 0xc000, 0x201], prefix: 128 });
    expect(readRange('1:2:3:4:5:6:7:8/64')?.parts).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it.each(['192.0.2.0', '192.0.2.0/33', '256.0.0.0/8', '1::2::3/64', '1:2:3:4:5:6:7:8:9/64', 'x/8', '::/129', '10.0.0.0/8/8'])('does not read %s', (value) => {
    expect(readRange(value)).toBeUndefined();
  });

  it('leaves narrow ranges alone', () => {
    expect(wideRangeProblem(readRange('192.0.2.0/16')!)).toBeUndefined();
    expect(wideRangeProblem(readRange('2001:db8::/32')!)).toBeUndefined();
  });
});

describe('spec.egress.cidrs: ranges the catalogue knows', () => {
  it('fails if a range of the host overlaps a provider\'s published range for another place', () => {
    expect(problems(['52.216.4.0/24'])).toEqual([expect.objectContaining({
      path: 'spec.egress.cidrs["relay.agency.example"][0]', value: '52.216.4.0/24',
      message: 'overlaps 52.216.0.0/15, published by AWS for us-east-1 (US, operator US), which is not where relay.agency.example is (DE, operator DE)',
    })]);
  });

  it('accepts a published range for the region the host is in', () => {
    const input = defaultInput() as unknown as { spec: Record<string, unknown> };
    const spec = { ...input.spec, egress: { cidrs: { 's3.eu-central-1.amazonaws.com': ['52.219.170.0/24'] } } };
    expect(() => parseDeployment({ ...input, spec }, 'desk.yaml', { knownRules: RULE_IDS })).not.toThrow();
  });
});

describe('spec.cluster ranges', () => {
  it('fails if a pod or Service range is not private address space', () => {
    const input = defaultInput() as unknown as { spec: { cluster: Record<string, unknown> } & Record<string, unknown> };
    const spec = { ...input.spec, cluster: { ...input.spec.cluster, podCidrs: ['10.42.0.0/16'], serviceCidrs: ['52.216.0.0/16'] } };
    try {
      parseDeployment({ ...input, spec }, 'desk.yaml', { knownRules: RULE_IDS });
      throw new Error('expected a spec error');
    } catch (error) {
      expect((error as SpecError).problems).toEqual([expect.objectContaining({
        path: 'spec.cluster.serviceCidrs[0]', value: '52.216.0.0/16', message: expect.stringContaining('is not private address space'),
      })]);
    }
  });
});
