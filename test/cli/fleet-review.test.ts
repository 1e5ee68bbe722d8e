/**
 * The pull-request review of a fleet, without synthesizing: which synths a
 * checkout needs (the default on its own, the deployments folder as one
 * fleet), which spec file each stack came from, the files a fleet synth
 * could not make a stack of, and the reviewing code's second opinion when
 * it cannot build a stack of the head.
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CheckoutDeployments, DEFAULT_SPEC, DeploymentSet, listDeployments } from '../../cli/pr/deployments';
import { secondOpinions } from '../../cli/pr/second-opinion';
import { specErrorBlock, synthStacks } from '../../cli/pr/synth-stacks';
import type { SynthOutcome } from '../../cli/pr/synthesize';

const ROOT = resolve(__dirname, '..', '..');

/** A checkout with the given files (relative path → text). */
function checkout(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'desk-fleet-review-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return root;
}

/** A synth output folder holding the given stacks, each with an empty configuration and a passing report. */
function synthOutput(stacks: readonly string[]): string {
  const outdir = mkdtempSync(join(tmpdir(), 'desk-fleet-out-'));
  mkdirSync(join(outdir, 'sovereignty'));
  writeFileSync(join(outdir, 'manifest.json'), JSON.stringify({ stacks: Object.fromEntries(stacks.map((s) => [s, { synthesizedStackPath: `stacks/${s}/cdk.tf.json` }])) }));
  for (const stack of stacks) {
    mkdirSync(join(outdir, 'stacks', stack), { recursive: true });
    writeFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), '{}');
    writeFileSync(join(outdir, 'sovereignty', `${stack}.json`), JSON.stringify({ stack, verdict: 'pass', placements: [], findings: [], suppressed: [] }));
  }
  return outdir;
}

const FLEET: DeploymentSet = {
  target: 'deployments', isDefault: false, key: 'deployments', prefix: '',
  specs: [{ file: 'deployments/a.yaml', name: 'a' }, { file: 'deployments/b.yaml', name: 'b' }, { file: 'deployments/c.yaml', name: 'c' }],
};

function outcome(deployment: DeploymentSet, stacks: readonly string[], props: Partial<SynthOutcome> = {}): SynthOutcome {
  const checkoutOf = { side: 'head', root: '/head', app: 'node main.ts', deployments: [deployment], problems: [] } as CheckoutDeployments;
  return { checkout: checkoutOf, deployment, outdir: synthOutput(stacks), status: 'synthesized', stacks, output: '', ...props };
}

const SPEC_ERROR = [
  '\u001b[31mInvalid deployment spec deployments/b.yaml (2 problems):\u001b[0m',
  '  spec.profil: unknown field',
  '      allowed: the fields of spec',
  '  spec.domain: is missing',
  'agency-de: sovereignty PASS: 0 errors',
].join('\n');

describe('the synths of a checkout', () => {
  it('are the default on its own and the deployments folder as one fleet, each spec with the stack it names', () => {
    const root = checkout({
      [DEFAULT_SPEC]: 'metadata:\n  name: agency-de\n',
      'deployments/shared-de.yaml': 'kind: Cluster\nmetadata:\n  name: shared-de\n',
      'deployments/agency-de.yml': 'metadata: { name: agency-de }\n',
      'deployments/broken.json': '{ "metadata": ',
      'deployments/README.md': '# not a spec',
    });
    const { deployments, problems } = listDeployments('head', root);
    expect(problems).toEqual([]);
    expect(deployments).toEqual([
      { target: DEFAULT_SPEC, isDefault: true, key: 'default', prefix: 'default/', specs: [{ file: DEFAULT_SPEC, name: 'agency-de' }] },
      {
        target: 'deployments', isDefault: false, key: 'deployments', prefix: '',
        specs: [{ file: 'deployments/agency-de.yml', name: 'agency-de' }, { file: 'deployments/broken.json', name: undefined }, { file: 'deployments/shared-de.yaml', name: 'shared-de' }],
      },
    ]);
  });

  it('are the default alone when the folder is missing or holds no spec, and a folder given as ./x/ is named x', () => {
    expect(listDeployments('base', checkout({ [DEFAULT_SPEC]: '' })).deployments.map((d) => d.target)).toEqual([DEFAULT_SPEC]);
    expect(listDeployments('base', checkout({ 'deployments/README.md': '' })).deployments.map((d) => d.target)).toEqual([DEFAULT_SPEC]);
    const root = checkout({ 'fleet/a.yaml': 'metadata: { name: a }\n' });
    expect(listDeployments('base', root, './fleet/').deployments[1]).toMatchObject({ target: 'fleet', specs: [{ file: 'fleet/a.yaml', name: 'a' }] });
  });

  it('fails if the folder holds a subfolder, naming it', () => {
    const root = checkout({ 'deployments/a.yaml': 'metadata: { name: a }\n', 'deployments/more/b.yaml': '' });
    expect(listDeployments('head', root).problems).toEqual([{ side: 'head', file: 'deployments/more', summary: expect.stringMatching(/^is a folder; specs are read from deployments\/ itself/) }]);
  });
});

describe('the stacks of a fleet synth', () => {
  it('are keyed by name, each with its spec file; the default\'s get default/ in front', () => {
    expect(synthStacks(outcome(FLEET, ['a', 'b', 'c'])).stacks.map((s) => [s.key, s.spec])).toEqual([['a', 'deployments/a.yaml'], ['b', 'deployments/b.yaml'], ['c', 'deployments/c.yaml']]);
    const defaultSet: DeploymentSet = { target: DEFAULT_SPEC, isDefault: true, key: 'default', prefix: 'default/', specs: [{ file: DEFAULT_SPEC, name: 'a' }] };
    const read = synthStacks(outcome(defaultSet, ['a']));
    expect(read.stacks.map((s) => [s.key, s.name, s.spec])).toEqual([['default/a', 'a', DEFAULT_SPEC]]);
    expect(read.problems).toEqual([]);
  });

  it('fails for a file the synth could not read, with what the synth printed about it, and withholds its stack', () => {
    const read = synthStacks(outcome(FLEET, ['a', 'c'], { output: SPEC_ERROR }));
    expect(read.problems).toEqual([{
      side: 'head', file: 'deployments/b.yaml',
      summary: 'deployments was synthesized without it: Invalid deployment spec deployments/b.yaml (2 problems): spec.profil: unknown field',
      output: 'Invalid deployment spec deployments/b.yaml (2 problems):\n  spec.profil: unknown field\n      allowed: the fields of spec\n  spec.domain: is missing',
    }]);
    expect(read.stacks.map((s) => s.key)).toEqual(['a', 'c']);
    expect(read.withheld).toEqual(['b']);
  });

  it('fails for a file whose stack is missing though the synth printed nothing about it', () => {
    const read = synthStacks(outcome(FLEET, ['a', 'b'], { output: 'no word of c' }));
    expect(read.problems).toEqual([{ side: 'head', file: 'deployments/c.yaml', summary: 'the synth of deployments wrote no stack "c" for it', output: 'no word of c' }]);
  });

  it('fails for two files with one stack name, naming both, and compares that stack on neither side', () => {
    const twins: DeploymentSet = { ...FLEET, specs: [...FLEET.specs, { file: 'deployments/twin.yml', name: 'a' }] };
    const read = synthStacks(outcome(twins, ['b', 'c']));
    expect(read.problems).toEqual([{
      side: 'head', file: 'deployments/a.yaml',
      summary: 'defines stack "a", and so does deployments/twin.yml; every deployment needs its own metadata.name (the stack name): rename one of them',
    }]);
    expect(read.withheld).toEqual(['a']);
  });

  it('fails once, for the folder, when the synth failed for another reason than its files, and withholds every stack', () => {
    const read = synthStacks(outcome(FLEET, [], { status: 'failed', summary: 'did not finish within 300 s and was stopped', output: 'partial' }));
    expect(read.problems).toEqual([{ side: 'head', file: 'deployments', summary: 'did not finish within 300 s and was stopped', output: 'partial' }]);
    expect(read.withheld).toEqual(['a', 'b', 'c']);
  });

  it('fails per file when the synth wrote no stack because no file could be read', () => {
    const all = ['a', 'b', 'c'].map((n) => `Invalid deployment spec deployments/${n}.yaml (1 problem):\n  kind: is not a kind`).join('\n');
    const read = synthStacks(outcome(FLEET, [], { status: 'failed', summary: 'synth (exit 1) wrote no stack', output: all }));
    expect(read.problems.map((p) => p.file)).toEqual(['deployments/a.yaml', 'deployments/b.yaml', 'deployments/c.yaml']);
  });
});

describe('the lines a synth printed about a spec file', () => {
  it('are the loader\'s headline and the indented lines under it, and nothing for another file', () => {
    expect(specErrorBlock(SPEC_ERROR, 'deployments/b.yaml')?.split('\n')).toHaveLength(4);
    expect(specErrorBlock(SPEC_ERROR, 'deployments/b.yml')).toBeUndefined();
    expect(specErrorBlock(SPEC_ERROR, 'deployments/a.yaml')).toBeUndefined();
  });
});

describe("the reviewing code's second opinion of a fleet", () => {
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-second-opinion-fleet-'));
    for (const file of ['shared-de.yaml', 'agency-de.yaml', 'eu-body.yaml']) copyFileSync(join(ROOT, 'deployments', file), join(dir, file));
    return dir;
  };

  it("cannot judge the stacks of a Cluster it cannot read, nor its tenants', and says why", () => {
    const dir = folder();
    writeFileSync(join(dir, 'shared-de.yaml'), `${'kind: Cluster\nmetadata:\n  name: shared-de\n'}spec:\n  jurisdiction: DE\n  futureField: 1\n`);
    const opinions = secondOpinions(dir, ['shared-de', 'agency-de'].map((name) => ({ name, configFile: '/nonexistent' })));
    expect(opinions.get('shared-de')).toEqual({ status: 'cannot-judge', reason: expect.stringMatching(/^this code cannot read the head's specs: Invalid deployment spec \S*shared-de\.yaml/) });
    expect(opinions.get('agency-de')).toEqual({ status: 'cannot-judge', reason: expect.stringContaining('spec.cluster.ref: no Cluster of the fleet is named "shared-de"') });
  });

  it('cannot judge a stack the head wrote that its specs do not name', () => {
    expect(secondOpinions(folder(), [{ name: 'ghost', configFile: '/nonexistent' }]).get('ghost')).toEqual({
      status: 'cannot-judge', reason: 'this code builds no stack "ghost" from the head\'s specs (it builds shared-de, agency-de, eu-body)',
    });
  });

  it('cannot judge anything when the specs are not there at all', () => {
    expect(secondOpinions('/nonexistent/deployments', [{ name: 'a', configFile: '/nonexistent' }]).get('a')).toMatchObject({ status: 'cannot-judge' });
  });
});
