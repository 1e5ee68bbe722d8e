/**
 * The reviewing code's own judgment of the head: the head's code synthesizes
 * the head, and its report says what its proof found; but a pull request can
 * change the proof together with what it proves. So the code that runs the
 * review (the base's, in the workflow) proves each configuration the head
 * wrote again, with the head's spec, and every error it finds that the head's
 * report does not list is a finding of the review.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { SpecError } from '../../constructs/deployment';
import type { TerraformJson } from '../../constructs/policy';
import type { DisagreementFinding, SovereigntyReport } from '../../constructs/report';
import { loadDeployment } from '../../stacks/load-deployment';
import { WorkplaceStack } from '../../stacks/workplace-stack';

/** What the reviewing code's proof says about one stack of the head. */
export type SecondOpinion =
  | { readonly status: 'agrees' }
  | { readonly status: 'disagrees'; readonly findings: readonly DisagreementFinding[] }
  | { readonly status: 'cannot-judge'; readonly reason: string };

/** The key a finding is matched by across the two proofs: rule and target (owners may be named differently). */
const key = (f: { ruleId: string; target: string }) => `${f.ruleId}\u0000${f.target}`;

/**
 * Proves the configuration `configFile` (the head's cdk.tf.json of stack
 * `stack`) with this code, the spec `specFile` (the head's) giving the bounds,
 * and compares the errors with the head's own report.
 */
export function secondOpinion(specFile: string, stack: string, configFile: string, headReport: SovereigntyReport | undefined): SecondOpinion {
  let app: App | undefined;
  const outdir = mkdtempSync(join(tmpdir(), 'desk-second-opinion-'));
  try {
    const { deployment } = loadDeployment(specFile);
    if (deployment.metadata.name !== stack) {
      return { status: 'cannot-judge', reason: `the spec names stack "${deployment.metadata.name}", the head's synth wrote "${stack}"` };
    }
    app = new App({ outdir, skipValidation: true });
    const proof = new WorkplaceStack(app, stack, { deployment, report: false, terminal: false });
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as TerraformJson;
    const reported = new Set((headReport?.findings ?? []).filter((f) => f.severity === 'error').map(key));
    const findings = proof.judge(config).findings
      .filter((f) => f.severity === 'error' && !reported.has(key({ ruleId: f.ruleId, target: f.placement.target })))
      .map((f) => ({ ruleId: f.ruleId, owner: f.placement.ownerPath.split('/').slice(1).join('/'), target: f.placement.target, problem: f.problem }));
    return findings.length === 0 ? { status: 'agrees' } : { status: 'disagrees', findings };
  } catch (error) {
    const reason = error instanceof SpecError ? `this code cannot read the head's spec: ${error.message.split('\n').slice(0, 3).join(' ')}`
      : `${error instanceof Error ? error.message : String(error)}`;
    return { status: 'cannot-judge', reason };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
