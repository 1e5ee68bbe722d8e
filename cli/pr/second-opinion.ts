/**
 * The reviewing code's own judgment of the head: the head's code synthesizes
 * the head, and its report says what its proof found; but a pull request can
 * change the proof together with what it proves. So the code that runs the
 * review (the base's, in the workflow) builds the head's deployments again
 * with its own loader and constructs (a fleet as a fleet, so that tenants
 * find their Cluster), proves each configuration the head wrote with them,
 * and every error it finds that the head's report does not list is a
 * finding of the review.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { SpecError } from '../../constructs/deployment';
import type { TerraformJson } from '../../constructs/policy';
import type { SovereignStack } from '../../constructs/proof';
import type { DisagreementFinding, SovereigntyReport } from '../../constructs/report';
import { addFleet } from '../../stacks/fleet-app';
import { loadFleet } from '../../stacks/load-deployment';

/** What the reviewing code's proof says about one stack of the head. */
export type SecondOpinion =
  | { readonly status: 'agrees' }
  | { readonly status: 'disagrees'; readonly findings: readonly DisagreementFinding[] }
  | { readonly status: 'cannot-judge'; readonly reason: string };

/** A stack the head's code wrote. */
export interface HeadStack {
  /** Its name in the head's synth. */
  readonly name: string;
  /** Its cdk.tf.json. */
  readonly configFile: string;
  /** The head's own report of it. @default - none: every error the proof finds is new */
  readonly report?: SovereigntyReport;
}

/** The key a finding is matched by across the two proofs: rule and target (owners may be named differently). */
const key = (f: { ruleId: string; target: string }) => `${f.ruleId}\u0000${f.target}`;

/**
 * Builds the deployments `specs` names (a spec file or a folder, as
 * DESK_DEPLOYMENT would name them: the head's) with this code, proves the
 * configuration of each stack the head wrote, and compares the errors with
 * the head's own report. Every stack gets an opinion, Cluster stacks too; a
 * stack this code cannot build from the head's specs cannot be judged.
 */
export function secondOpinions(specs: string, stacks: readonly HeadStack[]): Map<string, SecondOpinion> {
  const opinions = new Map<string, SecondOpinion>();
  const outdir = mkdtempSync(join(tmpdir(), 'desk-second-opinion-'));
  try {
    const built = buildFleet(specs, outdir);
    for (const stack of stacks) {
      const proof = built.stacks.get(stack.name);
      opinions.set(stack.name, proof ? judge(proof, stack) : { status: 'cannot-judge', reason: built.unreadable ?? missing(stack.name, built) });
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  return opinions;
}

/** The head's specs as this code builds them. */
interface BuiltFleet {
  /** The stacks it builds, by name. */
  readonly stacks: ReadonlyMap<string, SovereignStack>;
  /** The files it cannot read (their stacks are not built). */
  readonly errors: readonly SpecError[];
  /** Why it cannot read the specs at all. @default - it can */
  readonly unreadable?: string;
}

function buildFleet(specs: string, outdir: string): BuiltFleet {
  try {
    const fleet = loadFleet(specs);
    const app = new App({ outdir, skipValidation: true });
    const { clusters, workplaces } = addFleet(app, fleet, { report: false, terminal: false });
    return { stacks: new Map<string, SovereignStack>([...clusters, ...workplaces]), errors: fleet.errors };
  } catch (error) {
    return { stacks: new Map(), errors: [], unreadable: unreadable(error) };
  }
}

/** Why a stack the head wrote is not among those this code built from the head's specs. */
function missing(name: string, built: BuiltFleet): string {
  if (built.errors.length > 0) return `this code cannot read the head's specs: ${built.errors.map((e) => firstLines(e.message)).join('; ')}`;
  return `this code builds no stack "${name}" from the head's specs (it builds ${[...built.stacks.keys()].join(', ') || 'none'})`;
}

function judge(proof: SovereignStack, stack: HeadStack): SecondOpinion {
  try {
    const config = JSON.parse(readFileSync(stack.configFile, 'utf8')) as TerraformJson;
    const reported = new Set((stack.report?.findings ?? []).filter((f) => f.severity === 'error').map(key));
    const findings = proof.judge(config).findings
      .filter((f) => f.severity === 'error' && !reported.has(key({ ruleId: f.ruleId, target: f.placement.target })))
      .map((f) => ({ ruleId: f.ruleId, owner: f.placement.ownerPath.split('/').slice(1).join('/'), target: f.placement.target, problem: f.problem }));
    return findings.length === 0 ? { status: 'agrees' } : { status: 'disagrees', findings };
  } catch (error) {
    return { status: 'cannot-judge', reason: unreadable(error) };
  }
}

function unreadable(error: unknown): string {
  return error instanceof SpecError ? `this code cannot read the head's spec: ${firstLines(error.message)}`
    : `${error instanceof Error ? error.message : String(error)}`;
}

/** The first three lines of a spec error, as one line. */
function firstLines(message: string): string {
  return message.split('\n').slice(0, 3).map((l) => l.trim()).join(' ');
}
