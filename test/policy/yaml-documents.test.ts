/**
 * YAML texts are parsed once per text and reading, across scans and stacks,
 * with the most recently read texts kept up to a bound (constructs/policy/yaml-documents.ts).
 */
import { PARSE_MEMO_CHARS, parseMemoSize, remembered, yamlDocuments } from '../../constructs/policy/yaml-documents';
import { scanTerraform } from '../../constructs/policy/scan';

/** A Helm release whose values are `values`. */
const release = (values: string) => ({
  resource: { helm_release: { r: { name: 'r', chart: 'c', repository: 'oci://registry.agency.example/charts', values: [values] } } },
});

describe('remembered parse results', () => {
  it('parses a text once per reading, also across two scans of two stacks', () => {
    const parse = jest.fn((text: string) => text.length);
    const text = `unique text ${Math.random()}`;
    expect([remembered('test-a', text, parse), remembered('test-a', text, parse), remembered('test-b', text, parse)]).toEqual([text.length, text.length, text.length]);
    expect(parse).toHaveBeenCalledTimes(2);
  });

  it('gives two scans of the same Helm values the same parse result, and the same placements', () => {
    const values = `sink:\n  url: https://logs.evil-corp.com/${Math.random()}\n`;
    const first = scanTerraform(release(values) as never, 'one');
    const parsed = yamlDocuments(values);
    const second = scanTerraform(release(values) as never, 'two');
    expect(yamlDocuments(values)).toBe(parsed);
    expect(second.map((p) => p.target)).toEqual(first.map((p) => p.target));
    expect(first.map((p) => p.target)).toContainEqual(expect.stringMatching(/^https:\/\/logs\.evil-corp\.com\//));
  });

  it('keeps the texts it stands for within the bound, dropping the least recently read', () => {
    const size = Math.ceil(PARSE_MEMO_CHARS / 8);
    const text = (i: number) => `${i}`.padEnd(size, 'x');
    const parse = jest.fn((t: string) => t.slice(0, 8));
    remembered('test-bound', text(0), parse);
    for (let i = 1; i < 12; i++) {
      remembered('test-bound', text(i), parse);
      remembered('test-bound', text(0), parse);
    }
    const calls = parse.mock.calls.length;
    remembered('test-bound', text(0), parse);
    remembered('test-bound', text(1), parse);
    expect(parseMemoSize().chars).toBeLessThanOrEqual(PARSE_MEMO_CHARS);
    // text(0) was read all along and stayed; text(1), read long ago, was dropped and is parsed again.
    expect(parse.mock.calls.length).toBe(calls + 1);
    expect(parse.mock.calls[calls][0]).toBe(text(1));
  });
});
