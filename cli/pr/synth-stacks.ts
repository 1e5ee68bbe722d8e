/**
 * The stacks one synth wrote, each with the spec file it came from, and the
 * spec files it could not make a stack of. A fleet synth writes the stacks of
 * the files it can read and prints the problems of the others; each such file
 * is a problem of the review, with the lines the synth printed about it.
 */
import { ReviewInputError, ReviewProblem, SynthesizedStack, readSynthDir } from '../../constructs/report';
import type { SpecFile } from './deployments';
import type { SynthOutcome } from './synthesize';

/** A stack of a synth, under its name in the review. */
export interface NamedStack {
  /** Its name in the review: the synth's name, `default/` in front for the default's. */
  readonly key: string;
  /** Its name in the synth (the spec's metadata.name). */
  readonly name: string;
  /** The spec file it came from (the synth's folder when no file names it). */
  readonly spec: string;
  readonly stack: SynthesizedStack;
}

/** What one synth gives the review. */
export interface SynthStacks {
  readonly stacks: readonly NamedStack[];
  readonly problems: readonly ReviewProblem[];
  /** Review names of stacks that are not compared on either side: their files have problems on this side. */
  readonly withheld: readonly string[];
}

/**
 * Reads the stacks of a synth and tells which of its spec files have none:
 * two files naming one stack (the loader synthesizes neither), and a file
 * the synth could not read (its problems are cut from the synth's output).
 * A synth that failed as a whole (a crash, a time-out) is one problem of its
 * target, unless every file's problems are in its output.
 */
export function synthStacks(o: SynthOutcome): SynthStacks {
  const set = o.deployment;
  const side = o.checkout.side;
  const problems: ReviewProblem[] = [];
  const keyOf = (name: string) => `${set.prefix}${name}`;
  const owners = new Map<string, SpecFile[]>();
  for (const spec of set.specs) if (spec.name) owners.set(spec.name, [...(owners.get(spec.name) ?? []), spec]);
  const twins = [...owners].filter(([, files]) => files.length > 1);
  for (const [name, files] of twins) {
    problems.push({
      side, file: files[0].file,
      summary: `defines stack "${name}", and so does ${files.slice(1).map((f) => f.file).join(' and ')}; every deployment needs its own metadata.name (the stack name): rename one of them`,
    });
  }
  const twinNames = new Set(twins.map(([name]) => name));
  const written = new Map<string, SynthesizedStack>();
  let failure: ReviewProblem | undefined = o.status === 'failed' ? { side, file: set.target, summary: o.summary ?? 'synth failed', output: o.output } : undefined;
  if (!failure) {
    try {
      for (const [name, stack] of readSynthDir(o.outdir, `${side} ${set.target}`)) written.set(name, stack);
    } catch (error) {
      if (!(error instanceof ReviewInputError)) throw error;
      failure = { side, file: set.target, summary: error.message };
    }
  }
  const unread = set.specs.filter((s) => !(s.name && (twinNames.has(s.name) || written.has(s.name))));
  const explained = unread.map((spec) => ({ spec, block: specErrorBlock(o.output, spec.file) }));
  if (failure && (unread.length === 0 || explained.some((e) => !e.block))) {
    return { stacks: [], problems: [...problems, failure], withheld: set.specs.flatMap((s) => (s.name ? [keyOf(s.name)] : [])) };
  }
  for (const { spec, block } of explained) {
    problems.push(block
      ? { side, file: spec.file, summary: `${set.target} was synthesized without it: ${oneLine(block)}`, output: block }
      : { side, file: spec.file, summary: `the synth of ${set.target} wrote no stack${spec.name ? ` "${spec.name}"` : ''} for it`, output: o.output });
  }
  const specOf = new Map(set.specs.filter((s) => s.name && !twinNames.has(s.name)).map((s) => [s.name as string, s.file]));
  const stacks = [...written].filter(([name]) => !twinNames.has(name))
    .map(([name, stack]) => ({ key: keyOf(name), name, spec: specOf.get(name) ?? set.target, stack }));
  const withheld = [...twinNames, ...unread.flatMap((s) => (s.name ? [s.name] : []))].map(keyOf);
  return { stacks, problems, withheld: [...new Set(withheld)] };
}

/**
 * The lines the synth printed about one spec file: the spec loader's
 * `Invalid deployment spec <file> (n problems):` and the indented problems
 * under it, without terminal colours.
 */
export function specErrorBlock(output: string, file: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  const lines = output.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').split('\n');
  const start = lines.findIndex((l) => l.startsWith(`Invalid deployment spec ${file} (`));
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && /^\s+\S/.test(lines[end])) end += 1;
  return lines.slice(start, end).join('\n');
}

/** The headline and the first problem of a block, as one line. */
function oneLine(block: string): string {
  return block.split('\n').slice(0, 2).map((l) => l.trim()).join(' ');
}
