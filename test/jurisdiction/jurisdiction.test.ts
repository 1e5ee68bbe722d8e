import fc from 'fast-check';
import { COUNTRY_CODES, Country, Jurisdiction, closest, editDistance, parseJurisdiction } from '../../constructs/jurisdiction';

describe('Jurisdiction', () => {
  it('expands groups and lists', () => {
    expect(Jurisdiction.of('DE').countries).toEqual(['DE']);
    expect(Jurisdiction.of('EU').countries).toHaveLength(27);
    expect(Jurisdiction.of(['EU', 'NO', 'CH']).countries).toHaveLength(29);
    expect(Jurisdiction.of('EEA').includes('NO')).toBe(true);
  });

  it('lists the countries outside it, sorted and unique', () => {
    expect(Jurisdiction.of('EU').outside(['US', 'DE', 'CH', 'US'])).toEqual(['CH', 'US']);
  });

  it('has outside() and includes() agree for any countries', () => {
    const country = fc.constantFrom(...COUNTRY_CODES);
    fc.assert(fc.property(fc.array(country, { minLength: 1 }), fc.array(country), (members, probe) => {
      const j = Jurisdiction.of(members);
      const outside = j.outside(probe);
      return probe.every((c: Country) => outside.includes(c) !== j.includes(c));
    }));
  });
});

describe('parseJurisdiction', () => {
  it('parses a code, a group, a list, and EL', () => {
    const ok = (v: string | string[]) => {
      const r = parseJurisdiction(v);
      return 'jurisdiction' in r ? r.jurisdiction.countries : r.problems;
    };
    expect(ok('de')).toEqual(['DE']);
    expect(ok(['DE', 'EL'])).toEqual(['DE', 'GR']);
    expect(ok('eea')).toHaveLength(30);
  });

  it('fails if a term is not a country or group, with a suggestion', () => {
    expect(parseJurisdiction(['DE', 'UK', 'EUROPE', 'XX'])).toEqual({
      problems: [{ term: 'UK', suggestion: 'GB' }, { term: 'EUROPE', suggestion: 'EU' }, { term: 'XX', suggestion: undefined }],
    });
  });

  it('fails if the list is empty', () => {
    expect(parseJurisdiction([])).toEqual({ problems: [{ term: '' }] });
  });
});

describe('suggestions', () => {
  it('is a metric: symmetric, zero only for equal strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) =>
      editDistance(a, b) === editDistance(b, a) && (editDistance(a, b) === 0) === (a.toLowerCase() === b.toLowerCase())));
  });

  it('suggests near candidates only', () => {
    expect(closest('sovreign', ['residency', 'sovereign', 'strict'])).toBe('sovereign');
    expect(closest('zzz', ['residency', 'sovereign'])).toBeUndefined();
  });
});
