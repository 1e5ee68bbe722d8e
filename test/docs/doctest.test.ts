/** The doc-test reader: how blocks are found and how shown output is compared. */
import { docBlocks, matchesShownOutput } from './doctest';

describe('docBlocks', () => {
  const page = [
    '# Title', '', '<!-- doctest: file a.ts -->', '```ts', 'const a = 1;', '```', '',
    '<!-- doctest: sh run-a exit=1 -->', '```sh', 'node a.ts', '```', '',
    '```yaml', 'not: marked', '```', '',
    '````markdown', '```ts', 'inside a longer fence', '```', '````',
  ].join('\n');

  it('reads marked blocks with their kind, name, exit code and body', () => {
    const { blocks } = docBlocks(page);
    expect(blocks.map(({ kind, name, exit, body }) => ({ kind, name, exit, body }))).toEqual([
      { kind: 'file', name: 'a.ts', exit: 0, body: 'const a = 1;\n' },
      { kind: 'sh', name: 'run-a', exit: 1, body: 'node a.ts\n' },
    ]);
  });

  it('reports blocks without a marker, and does not read into a longer fence', () => {
    expect(docBlocks(page).unmarked).toEqual([{ lang: 'yaml', line: 13 }, { lang: 'markdown', line: 17 }]);
  });

  it('fails if a block is never closed', () => {
    expect(() => docBlocks('```ts\nopen')).toThrow('line 1: the block that opens here is never closed');
  });
});

describe('matchesShownOutput', () => {
  const actual = 'first\nERROR [a]: bad thing happened\n    fix: do x\nsecond\nlast\n';

  it('matches the whole output line by line', () => {
    expect(matchesShownOutput(actual, actual)).toBe(true);
  });

  it('reads a line … as any number of lines, and … in a line as any text', () => {
    expect(matchesShownOutput('first\n…\nlast\n', actual)).toBe(true);
    expect(matchesShownOutput('first\nERROR [a]: bad …\n…\n', actual)).toBe(true);
    expect(matchesShownOutput('…\nlast\n', actual)).toBe(true);
  });

  it('fails if a line differs, is missing or is added, or the order differs', () => {
    expect(matchesShownOutput('first\nERROR [a]: good thing happened\n…\n', actual)).toBe(false);
    expect(matchesShownOutput('first\nlast\n', actual)).toBe(false);
    expect(matchesShownOutput('…\nlast\nmore\n', actual)).toBe(false);
    expect(matchesShownOutput('last\n…\nfirst\n', actual)).toBe(false);
  });

  it('ignores colours and trailing spaces, not text', () => {
    expect(matchesShownOutput('first\n…\n', '\u001b[31mfirst\u001b[39m   \nx\n')).toBe(true);
    expect(matchesShownOutput('first.\n', 'firstx\n')).toBe(false);
  });
});
