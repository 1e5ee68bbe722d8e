/**
 * Reading and parsing the spec file: one bounded read (pipes work, big files
 * stop at the limit), UTF-8 checked with the offset, YAML parsed in linear
 * time with duplicate keys, deep nesting and unrepresentable numbers reported
 * readably.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  MAX_SPEC_BYTES, SpecError, SpecProblem, fieldLines, invalidUtf8Offset, parseYaml, readDeployment, readDeploymentText,
} from '../../constructs/deployment';
import { DEFAULT_DEPLOYMENT, loadDeployment } from '../../stacks/load-deployment';

const DEFAULT_TEXT = readFileSync(DEFAULT_DEPLOYMENT, 'utf8');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'desk-input-'));
}

function writeTemp(name: string, content: string | Uint8Array): string {
  const file = join(tempDir(), name);
  writeFileSync(file, content);
  return file;
}

/** The problems a call throws as a SpecError (fails the test if it throws nothing or something else). */
function problemsOf(call: () => unknown): { message: string; problems: readonly SpecProblem[] } {
  try {
    call();
  } catch (error) {
    if (error instanceof SpecError) return { message: error.message, problems: error.problems };
    throw error;
  }
  throw new Error('expected a SpecError');
}

function yamlProblems(text: string): readonly SpecProblem[] {
  return problemsOf(() => parseYaml(text, 'desk.yaml')).problems;
}

describe('spec input: lawful files', () => {
  it('loadDeployment returns the deployment with the text it was parsed from', () => {
    const loaded = loadDeployment();
    expect(loaded.deployment.metadata.name).toBe('agency-de');
    expect(loaded.source).toEqual({ path: 'stacks/default-deployment.yaml', text: DEFAULT_TEXT });
  });

  it('reads a FIFO (the file is read exactly once)', async () => {
    const fifo = join(tempDir(), 'desk.yaml');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', DEFAULT_DEPLOYMENT, fifo], { stdio: 'ignore' });
    const exited = new Promise<number | null>((done) => writer.on('exit', done));
    const loaded = loadDeployment(fifo);
    expect(loaded.deployment.metadata.name).toBe('agency-de');
    expect(loaded.source.text).toBe(DEFAULT_TEXT);
    expect(await exited).toBe(0);
  });

  it('accepts a file of exactly the 1 MiB limit', () => {
    const padding = MAX_SPEC_BYTES - Buffer.byteLength(DEFAULT_TEXT) - 2;
    const file = writeTemp('big.yaml', `${DEFAULT_TEXT}#${'x'.repeat(padding)}\n`);
    expect(readFileSync(file).length).toBe(MAX_SPEC_BYTES);
    expect(readDeployment(file).metadata.name).toBe('agency-de');
  });

  it('accepts a UTF-8 byte order mark and multi-byte characters', () => {
    const file = writeTemp('bom.yaml', `\uFEFF${DEFAULT_TEXT}# Zürich, 東京, 🇪🇺\n`);
    expect(readDeploymentText(file).deployment.metadata.name).toBe('agency-de');
  });

  it('accepts a spec nested as deep as a real one and finite numbers of every notation', () => {
    expect(parseYaml('a: [[[[[[[[[[1]]]]]]]]]]\nb: [1.5e3, 0x1F, 0o17, -2, 9007199254740991]\n', 'desk.yaml')).toEqual({
      a: [[[[[[[[[[1]]]]]]]]]], b: [1500, 31, 15, -2, 9007199254740991],
    });
  });

  it('keeps equal values under different keys and equal keys in different mappings', () => {
    expect(parseYaml('a: { x: 1 }\nb: { x: 1 }\nc: [{ x: 1 }, { x: 2 }]\n', 'desk.yaml')).toEqual({ a: { x: 1 }, b: { x: 1 }, c: [{ x: 1 }, { x: 2 }] });
  });
});

describe('spec input: fails if…', () => {
  it('DESK_DEPLOYMENT is set but empty, naming the variable instead of using the default', () => {
    for (const value of ['', '  ']) {
      const { message, problems } = problemsOf(() => loadDeployment(value));
      expect(problems).toEqual([expect.objectContaining({ path: 'DESK_DEPLOYMENT', value, message: 'is set but empty, so it names no file' })]);
      expect(message).toContain('unset DESK_DEPLOYMENT');
    }
  });

  it('the file does not exist, naming DESK_DEPLOYMENT and the file', () => {
    const { message } = problemsOf(() => loadDeployment('/nonexistent/desk.yaml'));
    expect(message).toContain('Invalid deployment spec /nonexistent/desk.yaml');
    expect(message).toContain('DESK_DEPLOYMENT: file not found');
  });

  it('DESK_DEPLOYMENT names a directory', () => {
    const dir = tempDir();
    expect(problemsOf(() => loadDeployment(dir)).problems[0]).toMatchObject({ path: 'DESK_DEPLOYMENT', value: resolve(dir), message: 'is a directory, not a file' });
  });

  (process.getuid?.() === 0 ? it.skip : it)('the file is not readable', () => {
    const file = writeTemp('secret.yaml', DEFAULT_TEXT);
    chmodSync(file, 0o000);
    expect(problemsOf(() => loadDeployment(file)).problems[0]).toMatchObject({ path: 'DESK_DEPLOYMENT', message: 'permission denied' });
  });

  it('the file is larger than 1 MiB, naming the limit, the file and DESK_DEPLOYMENT', () => {
    const file = writeTemp('big.yaml', `${DEFAULT_TEXT}#${'x'.repeat(MAX_SPEC_BYTES)}\n`);
    const { message, problems } = problemsOf(() => loadDeployment(file));
    expect(problems).toEqual([expect.objectContaining({ path: 'DESK_DEPLOYMENT', value: file, message: expect.stringContaining('larger than the limit of 1 MiB (1048576 bytes)') })]);
    expect(message).toContain(`Invalid deployment spec ${file}`);
  });

  it('the file never ends (/dev/zero): the read stops past the limit', () => {
    const started = Date.now();
    expect(problemsOf(() => readDeployment('/dev/zero')).problems[0].message).toContain('larger than the limit of 1 MiB');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a FIFO delivers more than 1 MiB', async () => {
    const fifo = join(tempDir(), 'desk.yaml');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', 'head -c 2000000 /dev/zero | tr "\\0" "x" > "$1"', 'sh', fifo], { stdio: 'ignore' });
    const exited = new Promise<void>((done) => writer.on('exit', () => done()));
    expect(problemsOf(() => loadDeployment(fifo)).problems[0].message).toContain('larger than the limit of 1 MiB');
    await exited;
  });

  it('the file is not UTF-8, naming the byte offset and line', () => {
    const file = writeTemp('latin1.yaml', Buffer.concat([Buffer.from('apiVersion: sovereign-desk/v1\nkind: Workplace\n# Gr'), Buffer.from([0xfc]), Buffer.from('n\n')]));
    const { message, problems } = problemsOf(() => loadDeployment(file));
    expect(problems).toEqual([expect.objectContaining({
      path: 'DESK_DEPLOYMENT', value: file, message: 'not UTF-8 text: invalid UTF-8 sequence at byte offset 50 (line 3, byte 0xFC)',
    })]);
    expect(message).toContain(`Invalid deployment spec ${file}`);
  });

  it('a UTF-8 sequence is truncated at the end of the file', () => {
    const file = writeTemp('cut.yaml', Buffer.from([0x61, 0x3a, 0x20, 0xe2, 0x82]));
    expect(problemsOf(() => readDeployment(file)).problems[0].message).toContain('byte offset 3 (line 1, byte 0xE2)');
  });

  it('a key is duplicated, naming both lines and columns', () => {
    expect(yamlProblems('spec:\n  domain: a.example\n  domain: b.example\n')).toEqual([{
      path: 'spec.domain', value: 'domain',
      message: 'Map keys must be unique: "domain" at line 3, column 3 repeats the key at line 2, column 3',
      allowed: 'each key once per mapping', fix: 'remove one of the two entries, or merge them into one',
    }]);
  });

  it('a key is duplicated in a flow mapping, in a list, or as a different spelling of the same key', () => {
    expect(yamlProblems('a: [{ x: 1, x: 2 }]\n').map((p) => p.path)).toEqual(['a[0].x']);
    expect(yamlProblems('"k": 1\nk: 2\n').map((p) => p.path)).toEqual(['k']);
    expect(yamlProblems('1: a\n"1": b\n')).toHaveLength(1);
  });

  it('every duplicate is reported, in document order', () => {
    expect(yamlProblems('b: 1\nb: 2\na: 1\na: 2\nb: 3\n').map((p) => p.message)).toEqual([
      'Map keys must be unique: "b" at line 2, column 1 repeats the key at line 1, column 1',
      'Map keys must be unique: "a" at line 4, column 1 repeats the key at line 3, column 1',
      'Map keys must be unique: "b" at line 5, column 1 repeats the key at line 1, column 1',
    ]);
  });

  it('the YAML is malformed, naming line and column', () => {
    expect(yamlProblems('spec:\n  domain: [unclosed\n')[0].path).toMatch(/^line \d+, column \d+$/);
  });

  it('brackets nest 100,000 deep: a readable problem, not a stack overflow', () => {
    for (const text of ['['.repeat(100_000), '{a: '.repeat(100_000), '- '.repeat(100_000)]) {
      const { message, problems } = problemsOf(() => parseYaml(text, 'desk.yaml'));
      expect(problems[0]).toMatchObject({ message: expect.stringMatching(/nested (too deeply|more than 64 levels)/) });
      expect(message).not.toMatch(/^\s+at /m);
    }
  });

  it('nesting is deeper than 64 levels, naming where', () => {
    expect(yamlProblems(`a: ${'['.repeat(70)}${']'.repeat(70)}\n`)).toEqual([expect.objectContaining({
      path: 'a[0][0][0][0][0]...', message: 'nested more than 64 levels deep at line 1, column 67',
    })]);
  });

  it('a number is out of range (1e309 would be Infinity), naming the field', () => {
    expect(yamlProblems('spec:\n  backup:\n    retentionDays: 1e309\n')).toEqual([expect.objectContaining({
      path: 'spec.backup.retentionDays', value: '1e309',
      message: 'the number 1e309 at line 3, column 20 is out of range (it would be read as infinity)',
    })]);
  });

  it('a number is -1e309, .inf, .nan or an integer beyond 2^53', () => {
    expect(yamlProblems('a: [-1e309, .inf, .nan, 12345678901234567890]\n').map((p) => `${p.path} ${p.message}`)).toEqual([
      'a[0] the number -1e309 at line 1, column 5 is out of range (it would be read as infinity)',
      'a[1] the number .inf at line 1, column 13 is out of range (it would be read as infinity)',
      'a[2] the number .nan at line 1, column 19 is not a number',
      'a[3] the number 12345678901234567890 at line 1, column 25 is beyond 9007199254740991 and cannot be held exactly',
    ]);
  });

  it('a full spec file has an out-of-range number, naming the file and the field', () => {
    const file = writeTemp('inf.yaml', DEFAULT_TEXT.replace(/^spec:\n/m, 'spec:\n  report: { weights: { SOV-1: 1e999 } }\n'));
    const { message } = problemsOf(() => readDeployment(file));
    expect(message).toContain(`Invalid deployment spec ${file}`);
    expect(message).toContain('spec.report.weights["SOV-1"]: the number 1e999');
  });
});

describe('spec input: linear time', () => {
  // Bounds leave room for a loaded machine; quadratic parsing (yaml's uniqueKeys) takes over 30 s for 40,000 keys.
  const keys = (count: number, key: (i: number) => string) => Array.from({ length: count }, (_, i) => `${key(i)}: ${i}`).join('\n');

  it('parses 40,000 distinct keys in under 5 s', () => {
    const started = Date.now();
    expect(Object.keys(parseYaml(keys(40_000, (i) => `k${i}`), 'desk.yaml') as object)).toHaveLength(40_000);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports 40,000 repeats of one key in under 5 s', () => {
    const started = Date.now();
    expect(yamlProblems(keys(40_000, () => 'k'))).toHaveLength(39_999);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('validates a spec file with 40,000 unknown fields in under 10 s', () => {
    const file = writeTemp('keys.yaml', `${DEFAULT_TEXT}\n${keys(40_000, (i) => `k${i}`)}\n`);
    const started = Date.now();
    expect(problemsOf(() => readDeployment(file)).problems).toHaveLength(40_000);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('invalidUtf8Offset', () => {
  it('accepts ASCII, 2-, 3- and 4-byte sequences', () => {
    expect(invalidUtf8Offset(Buffer.from('aé€😀'))).toBeUndefined();
  });

  it.each([
    ['a lone continuation byte', [0x61, 0x80], 1],
    ['an overlong two-byte form', [0xc0, 0x80], 0],
    ['an overlong three-byte form', [0x61, 0xe0, 0x80, 0x80], 1],
    ['a surrogate', [0xed, 0xa0, 0x80], 0],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['a byte that never occurs', [0x61, 0x62, 0xff], 2],
    ['a sequence cut short by ASCII', [0xe2, 0x82, 0x61], 0],
  ])('finds %s', (_, bytes, offset) => {
    expect(invalidUtf8Offset(Uint8Array.from(bytes))).toBe(offset);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes))).toThrow();
  });
});


describe('spec input: problems name where the path came from', () => {
  it('names another setting, without telling to unset it', () => {
    const { problems } = problemsOf(() => readDeployment('/nonexistent/desk.yaml', { setting: 'the --spec option' }));
    expect(problems[0]).toMatchObject({ path: 'the --spec option', message: 'file not found', fix: 'check the path and its permissions' });
  });

  it('tells to unset DESK_DEPLOYMENT when it named the file', () => {
    expect(problemsOf(() => loadDeployment('/nonexistent/desk.yaml')).problems[0].fix).toBe(
      'check the path and its permissions, or unset DESK_DEPLOYMENT to use the default spec',
    );
  });
});

describe('fieldLines', () => {
  it('finds field lines of a spec with 40,000 keys in one mapping in under 5 s', () => {
    const text = `spec:\n  locations:\n${Array.from({ length: 40_000 }, (_, i) => `    h${i}.agency.example: x`).join('\n')}\n`;
    const started = Date.now();
    expect(fieldLines(text)('spec.locations')).toBe(3);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
