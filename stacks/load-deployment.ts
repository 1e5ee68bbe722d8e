/**
 * Chooses the deployment spec: the file named by DESK_DEPLOYMENT, or the
 * embedded default.
 */
import { relative, resolve } from 'node:path';
import { RULE_IDS } from '../constructs/policy/engine';
import { Deployment, SpecError, readDeploymentText, readSpecText } from '../constructs/deployment';

/** The embedded default deployment (a German agency on STACKIT eu01). */
export const DEFAULT_DEPLOYMENT = resolve(__dirname, 'default-deployment.yaml');

/** The environment variable that names the spec file. */
export const DEPLOYMENT_VARIABLE = 'DESK_DEPLOYMENT';

/** Where a spec came from, for reports that point at its lines. */
export interface DeploymentSource {
  /** Path relative to the working directory (the repository root in CI). */
  readonly path: string;
  readonly text: string;
}

/** A validated spec and the file it was read from. */
export interface LoadedDeployment {
  readonly deployment: Deployment;
  /** The text the deployment was parsed from (the file is read once, so pipes work). */
  readonly source: DeploymentSource;
}

/**
 * Reads the spec once and validates it.
 * @param file the value of DESK_DEPLOYMENT, relative to the working directory. @default - the embedded default
 * @throws SpecError with every problem of the spec, naming DESK_DEPLOYMENT or the file
 */
export function loadDeployment(file?: string): LoadedDeployment {
  const absolute = specFile(file);
  const setting = file === undefined ? 'default spec' : DEPLOYMENT_VARIABLE;
  const { deployment, text } = readDeploymentText(absolute, { knownRules: RULE_IDS, setting });
  return { deployment, source: { path: relativePath(absolute), text } };
}

/**
 * The file of the spec {@link loadDeployment} reads, read on its own (for
 * tools that only need the text; the app uses the source loadDeployment returns).
 */
export function deploymentSource(file?: string): DeploymentSource {
  const absolute = specFile(file);
  return { path: relativePath(absolute), text: readSpecText(absolute, file === undefined ? 'default spec' : DEPLOYMENT_VARIABLE) };
}

/**
 * The absolute path of the spec: DESK_DEPLOYMENT resolved, or the default when it is unset.
 * @throws SpecError when DESK_DEPLOYMENT is set but empty
 */
function specFile(file: string | undefined): string {
  if (file === undefined) return DEFAULT_DEPLOYMENT;
  if (file.trim() === '') {
    throw new SpecError(`(${DEPLOYMENT_VARIABLE} is empty)`, [{
      path: DEPLOYMENT_VARIABLE, value: file,
      message: 'is set but empty, so it names no file',
      allowed: 'the path of a YAML or JSON deployment spec, or the variable unset for the embedded default',
      fix: `set ${DEPLOYMENT_VARIABLE}=path/to/desk.yaml, or run \`unset ${DEPLOYMENT_VARIABLE}\` to use the default spec`,
    }]);
  }
  return resolve(file);
}

function relativePath(absolute: string): string {
  return relative(process.cwd(), absolute).split('\\').join('/');
}
