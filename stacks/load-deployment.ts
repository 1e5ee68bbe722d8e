/**
 * Chooses the deployment spec: the file named by DESK_DEPLOYMENT, or the
 * embedded default.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { RULE_IDS } from '../constructs/policy/engine';
import { Deployment, readDeployment } from '../constructs/spec';

/** The embedded default deployment (a German agency on STACKIT eu01). */
export const DEFAULT_DEPLOYMENT = resolve(__dirname, 'default-deployment.yaml');

/**
 * Reads and validates the spec.
 * @param file path from DESK_DEPLOYMENT, relative to the working directory. @default - the embedded default
 * @throws SpecError with every problem of the spec
 */
export function loadDeployment(file?: string): Deployment {
  return readDeployment(file ? resolve(file) : DEFAULT_DEPLOYMENT, { knownRules: RULE_IDS });
}

/** Where a spec came from, for reports that point at its lines. */
export interface DeploymentSource {
  /** Path relative to the working directory (the repository root in CI). */
  readonly path: string;
  readonly text: string;
}

/** The file of the spec {@link loadDeployment} reads. */
export function deploymentSource(file?: string): DeploymentSource {
  const absolute = file ? resolve(file) : DEFAULT_DEPLOYMENT;
  return { path: relative(process.cwd(), absolute).split('\\').join('/'), text: readFileSync(absolute, 'utf8') };
}
