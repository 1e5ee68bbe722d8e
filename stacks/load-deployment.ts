/**
 * Chooses the deployment spec: the file named by DESK_DEPLOYMENT, or the
 * embedded default.
 */
import { readdirSync, statSync } from 'node:fs';
import { delimiter, join, relative, resolve } from 'node:path';
import { RULE_IDS } from '../constructs/policy/engine';
import {
  Deployment, Fleet, SourcedDocument, SpecError, SpecProblem, assembleFleet, parseDocumentOf, parseYaml, readDeploymentText, readSpecText,
} from '../constructs/deployment';

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

/** Extensions of spec files in a deployment folder; other files (a README) are left alone. */
export const SPEC_EXTENSIONS = ['.yaml', '.yml', '.json'] as const;

/**
 * Reads every document DESK_DEPLOYMENT names: one spec file, a folder (every
 * `*.yaml`, `*.yml` and `*.json` directly in it), or a list of files and
 * folders separated by commas or by the system's path delimiter (`:`; `;` on
 * Windows). Unset: the embedded default. Every file is read; the problems of
 * every file that cannot be used are returned together, and the others
 * become stacks.
 * @throws SpecError when DESK_DEPLOYMENT names nothing that can be read at all
 */
export function loadFleet(value?: string): Fleet {
  const files = value === undefined ? [DEFAULT_DEPLOYMENT] : fleetFiles(value);
  const setting = value === undefined ? 'default spec' : DEPLOYMENT_VARIABLE;
  const documents: SourcedDocument[] = [];
  const errors: SpecError[] = [];
  for (const file of files) {
    const path = relativePath(file);
    try {
      const text = readSpecText(file, setting);
      documents.push({ source: { path, text }, document: parseDocumentOf(parseYaml(text, path), path, { knownRules: RULE_IDS }) });
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      errors.push(error);
    }
  }
  return assembleFleet(documents, errors, setting);
}

/** The spec files DESK_DEPLOYMENT names, absolute, in the order named (a folder's sorted by name). */
function fleetFiles(value: string): string[] {
  // An empty value names nothing: refused like an empty DESK_DEPLOYMENT for one file.
  const whole = specFile(value);
  const entries = isPresent(whole) ? [value] : value.split(new RegExp(`[,${delimiter === ';' ? ';' : ':'}]`)).map((e) => e.trim()).filter(Boolean);
  const files: string[] = [];
  const problems: SpecProblem[] = [];
  for (const entry of entries) {
    const absolute = resolve(entry);
    if (isDirectory(absolute)) {
      const names = readdirSync(absolute);
      // A spec named *.YAML or *.Json would be left out without a word (on a case-insensitive file system, read there only).
      for (const name of names.filter((n) => !SPEC_EXTENSIONS.some((ext) => n.endsWith(ext)) && SPEC_EXTENSIONS.some((ext) => n.toLowerCase().endsWith(ext)))) {
        problems.push({
          path: DEPLOYMENT_VARIABLE, value: join(entry, name), message: 'names a folder with a spec file whose extension is in another case, which a fleet folder does not read',
          allowed: `spec files named ${SPEC_EXTENSIONS.map((e) => `*${e}`).join(', ')} (lower case)`,
          fix: `rename it to ${name.replace(/\.[^.]+$/, (ext) => ext.toLowerCase())}, or move it out of the folder`,
        });
      }
      const found = names.filter((name) => SPEC_EXTENSIONS.some((ext) => name.endsWith(ext))).sort()
        .map((name) => join(absolute, name)).filter((file) => !isDirectory(file));
      if (found.length === 0) {
        problems.push({
          path: DEPLOYMENT_VARIABLE, value: entry, message: 'names a folder with no spec file in it',
          allowed: `a folder holding ${SPEC_EXTENSIONS.map((e) => `*${e}`).join(', ')} files (not in subfolders)`,
          fix: 'name the folder that holds the deployment specs, e.g. DESK_DEPLOYMENT=deployments',
        });
      }
      files.push(...found);
    } else {
      files.push(absolute);
    }
  }
  const repeated = files.filter((file, index) => files.indexOf(file) !== index);
  if (repeated.length > 0) {
    problems.push({
      path: DEPLOYMENT_VARIABLE, value, message: `names ${relativePath(repeated[0])} more than once`,
      allowed: 'each file once (a folder stands for the spec files in it)', fix: 'remove the repeated entry',
    });
  }
  if (problems.length > 0) throw new SpecError(`(${DEPLOYMENT_VARIABLE})`, problems);
  return files;
}

function isPresent(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
