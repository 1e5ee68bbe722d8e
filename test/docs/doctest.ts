/**
 * Doc tests: the blocks of a Markdown page that a reader is told to save or
 * run, and the output the page shows for them.
 *
 * A block is marked by the HTML comment on the line before it:
 *
 * - `<!-- doctest: file <name> -->` — saved as `<name>` in the clone;
 * - `<!-- doctest: sh <id> [exit=<code>] -->` — run with bash in the clone, as written;
 * - `<!-- doctest: output <id> -->` — what `sh <id>` prints (stdout and stderr as a
 *   terminal shows them). A line `…` stands for any number of lines, `…` inside a
 *   line for any text;
 * - `<!-- doctest: setup -->` — the set-up commands (`npm ci && npm run <script>`);
 *   the test runs the synth of the first line as `sh default`.
 */

/** One marked block. */
export interface DocBlock {
  readonly kind: 'file' | 'sh' | 'output' | 'setup';
  /** File name or run id. */
  readonly name: string;
  /** The exit code a `sh` block must end with. */
  readonly exit: number;
  readonly lang: string;
  readonly body: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
}

/** A fenced block with no doctest marker. */
export interface UnmarkedBlock {
  readonly lang: string;
  readonly line: number;
}

const MARKER = /^<!-- doctest: (file|sh|output|setup)(?: ([^\s]+))?(?: exit=(\d+))? -->$/;
const FENCE = /^(`{3,})([a-z]*)$/;

/** The marked blocks of a page, and the fenced blocks that have no marker. */
export function docBlocks(markdown: string): { blocks: DocBlock[]; unmarked: UnmarkedBlock[] } {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  const unmarked: UnmarkedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = FENCE.exec(lines[i]);
    if (!fence || !fence[2]) continue;
    const end = lines.findIndex((l, j) => j > i && l === fence[1]);
    if (end < 0) throw new Error(`line ${i + 1}: the block that opens here is never closed`);
    const marker = i > 0 ? MARKER.exec(lines[i - 1]) : null;
    const body = `${lines.slice(i + 1, end).join('\n')}\n`;
    if (marker) {
      const kind = marker[1] as DocBlock['kind'];
      blocks.push({ kind, name: marker[2] ?? (kind === 'setup' ? 'default' : ''), exit: Number(marker[3] ?? 0), lang: fence[2], body, line: i + 1 });
    } else {
      unmarked.push({ lang: fence[2], line: i + 1 });
    }
    i = end;
  }
  return { blocks, unmarked };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether `actual` is the output a page shows: line by line, where a line `…`
 * matches any number of lines and `…` inside a line any text.
 */
export function matchesShownOutput(shown: string, actual: string): boolean {
  const normalize = (text: string) => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').split('\n').map((l) => l.trimEnd()).join('\n').replace(/\n+$/, '');
  const pattern = normalize(shown).split('\n')
    .map((line) => (line === '…' ? '(?:[^\\n]*\\n)*?' : `${line.split('…').map(escape).join('[^\\n]*')}\\n`))
    .join('');
  return new RegExp(`^${pattern}$`).test(`${normalize(actual)}\n`);
}
