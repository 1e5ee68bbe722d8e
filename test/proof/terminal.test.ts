/**
 * The terminal output of a SovereignStack: each finding once, a verdict line
 * that counts what was printed, the state location; the same for a team's
 * own stack as for the spec-driven one.
 */
import { App, S3Backend, Testing } from 'cdktf';
import { Jurisdiction } from '../../constructs/jurisdiction';
import { DeclaredPlacement, SovereignStack, StackAnnotation, TerminalSink, runByCdktfCli, tallyAnnotations, terminalLines, writeLines } from '../../constructs/proof';
import { evaluate } from '../../constructs/policy';
import { context } from '../util';

const error: StackAnnotation = { constructPath: 'a/Backup', level: '@cdktf/error', message: 'SD-RESIDENCY …' };
const warning: StackAnnotation = { constructPath: 'a/Web', level: '@cdktf/warn', message: 'SD-SUPPLY-CHAIN …' };
const unused: StackAnnotation = { constructPath: 'a', level: '@cdktf/warn', message: 'SD-SUPPRESSION-UNUSED suppression of SD-STATE matched no finding' };
const suppressed: StackAnnotation = { constructPath: 'a/Db', level: '@cdktf/info', message: 'SUPPRESSED SD-BACKUP …' };

/** A sink that records what each stream received. */
function capture(): TerminalSink & { readonly text: { out: string; err: string } } {
  const text = { out: '', err: '' };
  return { text, out: (t) => { text.out += t; }, err: (t) => { text.err += t; } };
}

describe('verdict counts what was printed', () => {
  it('counts an unused suppression\'s WARN line as a warning, and suppressed findings apart', () => {
    expect(tallyAnnotations([error, warning, unused, suppressed])).toEqual({ errors: 1, warnings: 2, suppressed: 1, notes: 0 });
  });

  it('pluralizes: 1 error, 1 warning; a note from another construct is counted as a note', () => {
    const note: StackAnnotation = { constructPath: 'a/X', level: '@cdktf/info', message: 'deprecated' };
    const lines = terminalLines('a', [error, warning, note], evaluate([], context()), { underCli: false });
    expect(lines[lines.length - 2].text).toMatch(/^a: sovereignty FAIL: 1 error, 1 warning, 0 suppressed, 1 note, 0 placements /);
  });
});

describe('terminal lines', () => {
  const result = evaluate([], context());

  it('run directly: every annotation once, errors on stderr, then verdict and state on stderr when failing', () => {
    const lines = terminalLines('a', [warning, error], result, { underCli: false });
    expect(lines.map((l) => [l.stream, l.text.split(':')[0]])).toEqual([
      ['out', 'WARN [a/Web]'], ['err', 'ERROR [a/Backup]'], ['err', 'a'], ['err', 'a'],
    ]);
  });

  it('under the cdktf CLI, which prints the annotations itself: only verdict and state, on stdout', () => {
    const lines = terminalLines('a', [warning, error], result, { underCli: true });
    expect(lines).toEqual([
      { stream: 'out', text: expect.stringMatching(/^a: sovereignty FAIL: 1 error, 1 warning,/) },
      { stream: 'out', text: 'a: Terraform state: no backend declared' },
    ]);
  });

  it('writes consecutive lines of a stream at once, and leaves the final newline to the CLI when asked', () => {
    const sink = capture();
    writeLines([{ stream: 'out', text: 'x' }, { stream: 'out', text: 'y' }], sink, false);
    expect(sink.text).toEqual({ out: 'x\ny', err: '' });
  });
});

/** The README's "A policed stack of your own", passing with four warnings. */
function teamStack(app: App, sink: TerminalSink): SovereignStack {
  const stack = new SovereignStack(app, 'team-stack', {
    jurisdiction: Jurisdiction.of('DE'), operators: Jurisdiction.of('EU'), clusterLocation: 'hetzner/fsn1',
    suppressions: [{ rule: 'SD-RESIDENCY', reason: 'the archive may move to Austria later' }],
    terminal: sink,
  });
  new S3Backend(stack, {
    bucket: 'team-state', key: 'k', region: 'fsn1', endpoints: { s3: 'https://fsn1.your-objectstorage.com' },
    skipCredentialsValidation: true, skipRegionValidation: true, skipRequestingAccountId: true, usePathStyle: true, encrypt: true,
  });
  new DeclaredPlacement(stack, 'Archive', {
    kind: 'bucket', target: 'https://fsn1.your-objectstorage.com', description: 'archive bucket', backups: ['https://nbg1.your-objectstorage.com'],
    keys: { custody: 'provider', readable: 'everything: objects are written unencrypted' },
  });
  new DeclaredPlacement(stack, 'WebImage', { kind: 'registry', target: 'nginx:1.27', description: 'web server image' });
  return stack;
}

/** The note an unsigned synth prints once per process (constructs/proof/attest.ts). */
const UNSIGNED = 'attestation: not signed (DESK_SIGNING_KEY is not set; see docs/attestation.md)';

describe('a team\'s own SovereignStack', () => {
  beforeEach(() => {
    delete process.env.DESK_SIGNING_KEY;
    // Once per process: each test here is a run of its own.
    delete (globalThis as Record<symbol, unknown>)[Symbol.for('sovereign-desk.unsigned-noted')];
  });

  it('prints its warnings, a PASS verdict counting them, and the state location, once', () => {
    const sink = capture();
    const app = Testing.app();
    teamStack(app, sink);
    app.synth();
    app.synth();
    const lines = sink.text.out.trimEnd().split('\n');
    expect(lines.filter((l) => /^(WARN|ERROR|INFO) /.test(l)).map((l) => l.split(']: ')[0] + l.split(']: ')[1].split(' ')[0])).toEqual([
      'WARN [team-stackSD-KEY-CUSTODY', 'WARN [team-stackSD-SUPPRESSION-UNUSED', 'WARN [team-stack/ArchiveSD-KEY-CUSTODY', 'WARN [team-stack/WebImageSD-SUPPLY-CHAIN',
    ]);
    expect(lines).toContain('team-stack: sovereignty PASS: 0 errors, 4 warnings, 0 suppressed, 4 placements (data DE; operators EU (27 countries); profile sovereign)');
    expect(lines.slice(-2)).toEqual(['team-stack: Terraform state (holds every generated secret): Terraform state (s3 backend), data in DE (Hetzner fsn1, Falkenstein); operator DE', UNSIGNED]);
    expect(sink.text.err).toBe('');
    expect(process.exitCode).toBeUndefined();
  });

  it('fails if it has an error finding: the exit code is 1, the finding and FAIL verdict go to stderr, no exception', () => {
    const sink = capture();
    const app = Testing.app();
    const stack = teamStack(app, sink);
    new DeclaredPlacement(stack, 'UsBackup', { kind: 'backup', target: 'https://s3.us-east-1.amazonaws.com', description: 'backup' });
    expect(() => app.synth()).not.toThrow();
    expect(sink.text.err).toMatch(/^ERROR \[team-stack\/UsBackup\]: SD-OPERATOR /m);
    expect(sink.text.out).toMatch(/^INFO \[team-stack\/UsBackup\]: SUPPRESSED SD-RESIDENCY /m);
    expect(sink.text.err).toMatch(/^team-stack: sovereignty FAIL: 2 errors, 3 warnings, 1 suppressed, /m);
    expect(process.exitCode).toBe(1);
  });

  it('under the cdktf CLI prints only verdict, state and the note on signing, and leaves the exit code to the CLI', () => {
    const sink = capture();
    const saved = process.env.CDKTF_CONTEXT_JSON;
    // What the CLI passes to the app it runs (CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS=true is set by test/util.ts, as the CLI does).
    process.env.CDKTF_CONTEXT_JSON = JSON.stringify({ cdktfRelativeModules: [] });
    try {
      const app = Testing.app();
      const stack = teamStack(app, sink);
      new DeclaredPlacement(stack, 'UsBackup', { kind: 'backup', target: 'https://s3.us-east-1.amazonaws.com', description: 'backup' });
      app.synth();
    } finally {
      if (saved === undefined) delete process.env.CDKTF_CONTEXT_JSON;
      else process.env.CDKTF_CONTEXT_JSON = saved;
    }
    expect(sink.text.out.split('\n').map((l) => l.split(':')[0])).toEqual(['team-stack', 'team-stack', 'attestation']);
    expect(sink.text.out.endsWith('\n')).toBe(false);
    expect(sink.text.err).toBe('');
    expect(process.exitCode).toBeUndefined();
  });

  it.each([
    ['the CLI context without CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS', { CDKTF_CONTEXT_JSON: '{"cdktfRelativeModules":[]}' }],
    ['CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS without the CLI context', { CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true', CDKTF_CONTEXT_JSON: '{}' }],
    ['unreadable context', { CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true', CDKTF_CONTEXT_JSON: '{' }],
    ['a context that is no object', { CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true', CDKTF_CONTEXT_JSON: '"cdktfRelativeModules"' }],
  ])('is not run by the CLI with %s (so a failing proof sets the exit code itself)', (_name, env) => {
    expect(runByCdktfCli(env)).toBe(false);
  });

  it('is run by the CLI when both are set', () => {
    expect(runByCdktfCli({ CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true', CDKTF_CONTEXT_JSON: '{"cdktfRelativeModules":[]}' })).toBe(true);
  });

  it('each of two stacks of one app prints its own verdict once', () => {
    const sink = capture();
    const app = Testing.app();
    teamStack(app, sink);
    new SovereignStack(app, 'other', { jurisdiction: Jurisdiction.of('DE'), clusterLocation: 'hetzner/fsn1', terminal: sink, report: false });
    app.synth();
    const verdicts = `${sink.text.out}${sink.text.err}`.split('\n').filter((l) => l.includes(': sovereignty '));
    expect(verdicts.map((l) => l.split(':')[0]).sort()).toEqual(['other', 'team-stack']);
  });
});
