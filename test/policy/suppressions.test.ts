/**
 * Suppressions stay narrow: a path matches whole construct-path segments, and
 * a reason must say something (at least 10 letters).
 */
import { RULE_IDS, Suppression, evaluate, isAtOrBelow } from '../../constructs/policy/engine';
import { SpecError, SpecProblem, parseDeployment } from '../../constructs/deployment';
import { countLetters } from '../../constructs/deployment/suppression-fields';
import { context, defaultInput, placement } from '../util';

/** The registry placement of an image owned by `ownerPath` (a supply-chain warning). */
const image = (ownerPath: string) => placement('registry', 'nginx:1.27', { ownerPath });

function suppressedPaths(ownerPaths: readonly string[], suppression: Suppression): string[] {
  return evaluate(ownerPaths.map(image), context(), [suppression]).suppressed.map((f) => f.placement.ownerPath);
}

/** Problems of the default spec with these suppressions. */
function problems(suppressions: unknown[]): SpecProblem[] {
  const input = defaultInput() as unknown as { spec: Record<string, unknown> };
  try {
    parseDeployment({ ...input, spec: { ...input.spec, suppressions } }, 'desk.yaml', { knownRules: RULE_IDS });
  } catch (error) {
    if (error instanceof SpecError) return [...error.problems];
    throw error;
  }
  return [];
}

const REASON = 'upstream image, mirrored next quarter';

describe('suppression path: whole segments', () => {
  it('matches the construct itself and the ones below it', () => {
    expect(suppressedPaths(['team/Data', 'team/Data/x', 'team/Data/x/y'], { rule: 'SD-SUPPLY-CHAIN', reason: REASON, path: 'team/Data' }))
      .toEqual(['team/Data', 'team/Data/x', 'team/Data/x/y']);
  });

  it('does not match a sibling whose name only starts the same', () => {
    const result = evaluate(['team/Database', 'team/Data2/x', 'team/Dat'].map(image), context(),
      [{ rule: 'SD-SUPPLY-CHAIN', reason: REASON, path: 'team/Data' }]);
    expect(result.suppressed).toEqual([]);
    expect(result.findings.map((f) => f.placement.ownerPath).sort()).toEqual(['team/Dat', 'team/Data2/x', 'team/Database']);
    expect(result.unusedSuppressions).toHaveLength(1);
  });

  it('does not match a parent or another branch', () => {
    expect(suppressedPaths(['team', 'other/Data'], { rule: 'SD-SUPPLY-CHAIN', reason: REASON, path: 'team/Data' })).toEqual([]);
  });

  it('never matches a placement another stack provides (a shared cluster\'s service), with or without a path', () => {
    const shared = placement('registry', 'nginx:1.27', { ownerPath: 'team/Data', sharedBy: 'shared-de' });
    for (const path of [undefined, 'team/Data', 'team']) {
      const result = evaluate([shared, image('team/Data/x')], context(), [{ rule: 'SD-SUPPLY-CHAIN', reason: REASON, path }]);
      expect(result.findings.map((f) => f.placement.ownerPath)).toEqual(['team/Data']);
      expect(result.suppressed.map((f) => f.placement.ownerPath)).toEqual(['team/Data/x']);
    }
  });

  it('without a path, matches the rule everywhere; with another rule, nothing', () => {
    expect(suppressedPaths(['a/B', 'c'], { rule: 'SD-SUPPLY-CHAIN', reason: REASON })).toEqual(['a/B', 'c']);
    expect(suppressedPaths(['a/B'], { rule: 'SD-RESIDENCY', reason: REASON, path: 'a/B' })).toEqual([]);
  });

  it('isAtOrBelow compares segments and ignores a trailing slash of the scope', () => {
    expect(isAtOrBelow('team/Data/x', 'team/Data/')).toBe(true);
    expect(isAtOrBelow('team/Database', 'team/Data')).toBe(false);
    expect(isAtOrBelow('team/Data', 'team/Data')).toBe(true);
  });
});

describe('suppression reason: at least 10 letters', () => {
  it('counts letters of any script, not digits, punctuation or spaces', () => {
    expect(countLetters('OPS-12, 2027-01!')).toBe(3);
    expect(countLetters('Übergang bis Q1')).toBe(12);
    expect(countLetters('移行期間中は許容する理由あり')).toBe(14);
  });

  it('accepts a reason of exactly 10 letters among digits and punctuation', () => {
    expect(countLetters('DPO agreed: 2026-11-01 #A4711')).toBe(10);
    expect(problems([{ rule: 'SD-STATE', reason: 'DPO agreed: 2026-11-01 #A4711' }])).toEqual([]);
  });

  it('accepts reasons in other scripts', () => {
    expect(problems([{ rule: 'SD-STATE', reason: 'Übergangslösung bis Q1' }])).toEqual([]);
    expect(problems([{ rule: 'SD-STATE', reason: 'データ保護責任者が承認済み' }])).toEqual([]);
  });

  it.each([
    ['only punctuation and digits', '2026-11-01 / #4711 / !!!!!!!!!!', 0],
    ['only whitespace', '               ', 0],
    ['nine letters with a date', 'DPO agreed 2026-11-01', 9],
    ['eight letters padded with dots', 'approved.........', 8],
    ['short words with numbers', 'ok 1234567890 ok', 4],
  ])('fails if the reason is %s, naming the field, showing the value and how to fix it', (_, reason, letters) => {
    expect(problems([{ rule: 'SD-STATE', reason }])).toEqual([{
      path: 'spec.suppressions[0].reason', value: reason,
      message: `a reason needs at least 10 letters, this one has ${letters}`,
      allowed: 'a sentence of at least 10 letters saying why the finding is accepted (digits, punctuation and spaces do not count)',
      fix: 'write who accepted the finding and why, e.g. "accepted by the data protection officer until the migration in Q1"',
    }]);
  });

  it('fails if the reason is missing', () => {
    expect(problems([{ rule: 'SD-STATE' }])).toEqual([expect.objectContaining({ path: 'spec.suppressions[0].reason', message: 'required field is missing' })]);
  });
});

describe('suppression path: a construct path', () => {
  it('accepts a path as printed in findings', () => {
    expect(problems([{ rule: 'SD-STATE', reason: REASON, path: 'agency-de/Workplace/Mail' }])).toEqual([]);
  });

  it.each([
    ['a trailing slash', 'agency-de/Workplace/', 'write "agency-de/Workplace"'],
    ['a leading slash', '/agency-de/Workplace', 'write "agency-de/Workplace"'],
    ['a doubled slash', 'agency-de//Workplace', 'write "agency-de/Workplace"'],
    ['only a slash', '/', 'remove path to suppress the rule everywhere, or name the construct as printed in the finding'],
    ['empty', '', 'remove path to suppress the rule everywhere, or name the construct as printed in the finding'],
  ])('fails if the path has %s, naming the field, the value and the fix', (_, path, fix) => {
    expect(problems([{ rule: 'SD-STATE', reason: REASON, path }])).toEqual([{
      path: 'spec.suppressions[0].path', value: path,
      message: 'not a construct path: it has an empty segment (a leading, trailing or doubled slash)',
      allowed: 'construct ids separated by single slashes, as printed in the findings, e.g. agency-de/Workplace/Mail',
      fix,
    }]);
  });
});
