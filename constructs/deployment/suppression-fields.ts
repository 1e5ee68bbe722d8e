/**
 * Fields of a spec suppression: a written reason and an optional construct
 * path, each checked so that a suppression stays narrow and justified.
 */
import { z } from 'zod';
import { fail } from './fields';

/** Letters (any script, `\p{L}`) a suppression reason needs at least. */
export const MIN_REASON_LETTERS = 10;

/** Letters in `text`; digits, punctuation and whitespace do not count. */
export function countLetters(text: string): number {
  return text.match(/\p{L}/gu)?.length ?? 0;
}

/** Why a finding is accepted: at least {@link MIN_REASON_LETTERS} letters. */
export const suppressionReason = z.string().trim().superRefine((value, ctx) => {
  const letters = countLetters(value);
  if (letters < MIN_REASON_LETTERS) {
    fail(ctx, `a reason needs at least ${MIN_REASON_LETTERS} letters, this one has ${letters}`,
      `a sentence of at least ${MIN_REASON_LETTERS} letters saying why the finding is accepted (digits, punctuation and spaces do not count)`,
      'write who accepted the finding and why, e.g. "accepted by the data protection officer until the migration in Q1"');
  }
});

/**
 * A construct path such as `agency-de/Workplace/Mail`: ids separated by single
 * slashes. A suppression with it matches that construct and the ones below it.
 */
export const constructPath = z.string().superRefine((value, ctx) => {
  const segments = value.split('/');
  if (segments.every((segment) => segment.length > 0)) return;
  const cleaned = segments.filter((segment) => segment.length > 0).join('/');
  fail(ctx, 'not a construct path: it has an empty segment (a leading, trailing or doubled slash)',
    'construct ids separated by single slashes, as printed in the findings, e.g. agency-de/Workplace/Mail',
    cleaned ? `write "${cleaned}"` : 'remove path to suppress the rule everywhere, or name the construct as printed in the finding');
});
