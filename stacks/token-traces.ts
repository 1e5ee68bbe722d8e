/**
 * cdktf records where every token was created (each reference, Lazy, and
 * nested block of a provider binding): a stack trace of unlimited depth,
 * formatted into lines, kept only to be printed when that token cannot be
 * resolved. In a synth of this suite that is about a fifth of the time. The
 * app records them only under DESK_DEBUG; nothing else reads them.
 */
// The module object itself (not a copy of its exports), so that cdktf's own modules see the change.
import stackTrace = require('cdktf/lib/tokens/private/stack-trace');

const RECORDED = stackTrace.captureStackTrace;
const NOT_RECORDED: typeof stackTrace.captureStackTrace = () => [];

/**
 * Turns the recording of tokens' creation stacks on (cdktf's default) or off,
 * for tokens created from now on, in this process.
 *
 * @example
 * recordTokenCreationStacks(Boolean(process.env.DESK_DEBUG));
 */
export function recordTokenCreationStacks(record: boolean): void {
  stackTrace.captureStackTrace = record ? RECORDED : NOT_RECORDED;
}
