/**
 * Chooses the deployment spec: the file named by DESK_DEPLOYMENT, or the
 * embedded default.
 */
import { resolve } from 'node:path';
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
