/**
 * The app records where tokens were created only under DESK_DEBUG
 * (stacks/token-traces.ts): cdktf's recording is switched, resolution is not.
 */
import { Lazy, TerraformOutput, TerraformStack, Testing, Tokenization } from 'cdktf';
import { recordTokenCreationStacks } from '../../stacks/token-traces';

const creationStack = () => Tokenization.reverseString(Lazy.stringValue({ produce: () => 'x' })).tokens[0].creationStack;

describe('recordTokenCreationStacks', () => {
  afterEach(() => recordTokenCreationStacks(true));

  it('records no creation stack when off, and resolves tokens as before', () => {
    recordTokenCreationStacks(false);
    const stack = new TerraformStack(Testing.app(), 'test');
    new TerraformOutput(stack, 'out', { value: Lazy.stringValue({ produce: () => 'resolved' }) });
    expect(creationStack()).toEqual([]);
    expect(JSON.parse(Testing.synth(stack)).output.out.value).toBe('resolved');
  });

  it('records the creation stack again when on (cdktf\'s default)', () => {
    recordTokenCreationStacks(false);
    recordTokenCreationStacks(true);
    expect(creationStack().some((frame) => frame.includes('token-traces.test.ts'))).toBe(true);
  });
});
