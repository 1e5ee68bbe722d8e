/**
 * Spec problems a person can act on: syntax errors show the line and a caret
 * once, country names suggest the code, a missing field shows an example.
 */
import { SpecError, SpecProblem, codeFrame, parseDeployment, parseYaml } from '../../constructs/deployment';
import { RULE_IDS } from '../../constructs/policy/engine';
import { defaultInput } from '../util';

/** The problems a spec text or object is refused with. */
function problems(run: () => unknown): readonly SpecProblem[] {
  try {
    run();
  } catch (error) {
    if (error instanceof SpecError) return error.problems;
    throw error;
  }
  throw new Error('the spec was accepted');
}

const messageOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the spec was accepted');
};

const withSpec = (spec: Record<string, unknown>) => () => {
  const input = defaultInput();
  return parseDeployment({ ...input, spec: { ...input.spec, ...spec } }, 'desk.yaml', { knownRules: RULE_IDS });
};

describe('YAML syntax errors', () => {
  const tooDeep = 'kind: Workplace\nspec:\n  jurisdiction: DE\n   domain: desk.agency.example\n';

  it('fails if a key is indented one space too deep, showing the line and a caret once, without a value line', () => {
    const message = messageOf(() => parseYaml(tooDeep, 'desk.yaml'));
    expect(message).toBe([
      'Invalid deployment spec desk.yaml (1 problem):',
      '  line 3, column 17: Nested mappings are not allowed in compact mappings',
      '      2 | spec:',
      '      3 |   jurisdiction: DE',
      '        |                 ^',
      '      4 |    domain: desk.agency.example',
      '      allowed: YAML 1.2 or JSON',
      '      fix:     check the indentation of this line and the next: a key one space too deep continues the value above',
    ].join('\n'));
  });

  it('fails if a tab indents a key, saying to indent with spaces', () => {
    const [problem] = problems(() => parseYaml('metadata:\n\tname: x\n', 'desk.yaml'));
    expect(problem).toMatchObject({ path: 'line 2, column 1', fix: 'indent with spaces, not tabs' });
    expect(problem.frame).toEqual(['1 | metadata:', '2 | \tname: x', '  | ^']);
  });

  it('fails if a bracket is not closed, pointing at the line where the parser noticed', () => {
    const [problem] = problems(() => parseYaml('spec:\n  domain: [desk.example\n  profile: sovereign\n', 'desk.yaml'));
    expect(problem.message).toMatch(/end with a \]$/);
    expect(problem.fix).toMatch(/a \[ or \{ opened above is closed/);
  });

  it('frames the first line without a line before it', () => {
    expect(codeFrame('a: [\nb: 1', 1, 4)).toEqual(['1 | a: [', '  |    ^', '2 | b: 1']);
  });
});

describe('country names', () => {
  it.each([['Germany', 'DE'], ['Deutschland', 'DE'], ['germany', 'DE'], ['France', 'FR'], ['Österreich', 'AT']])(
    'fails if jurisdiction is %s, suggesting "%s"', (name, code) => {
      const [problem] = problems(withSpec({ jurisdiction: name }));
      expect(problem).toMatchObject({ path: 'spec.jurisdiction', value: name, fix: `did you mean "${code}"?` });
    });

  it('fails if a declared location\'s country is written by name, suggesting the code', () => {
    const [problem] = problems(withSpec({ locations: { 'logs.agency.example': { country: 'Deutschland', operator: 'DE' } } }));
    expect(problem).toMatchObject({
      path: 'spec.locations["logs.agency.example"].country', message: '"Deutschland" is not an ISO 3166-1 alpha-2 country code', fix: 'did you mean "DE"?',
    });
  });
});

describe('missing required fields', () => {
  it('fails if spec.backup.endpoint is missing, showing an example value', () => {
    const [problem] = problems(withSpec({ backup: { bucket: 'agency-de-backups' } }));
    expect(problem).toMatchObject({ path: 'spec.backup.endpoint', message: 'required field is missing', fix: 'add it, e.g. endpoint: https://fsn1.your-objectstorage.com' });
  });

  it('fails if a suppression has no reason, showing an example reason', () => {
    const [problem] = problems(withSpec({ suppressions: [{ rule: 'SD-SUPPLY-CHAIN' }] }));
    expect(problem).toMatchObject({ path: 'spec.suppressions[0].reason', fix: expect.stringMatching(/^add it, e\.g\. reason: /) });
  });

  it('fails if apiVersion is missing, showing the one value', () => {
    const input = defaultInput() as Record<string, unknown>;
    const [problem] = problems(() => parseDeployment({ ...input, apiVersion: undefined }, 'desk.yaml'));
    expect(problem).toMatchObject({ path: 'apiVersion', fix: 'add it, e.g. apiVersion: sovereign-desk/v1' });
  });
});
