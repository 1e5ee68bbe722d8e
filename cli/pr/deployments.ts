/**
 * The deployments of a checkout and how they are synthesized: the embedded
 * default spec on its own, and the spec files of its deployments folder
 * together, as one fleet (so that a Workplace finds the Cluster it names).
 */
import { existsSync, lstatSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import type { Side } from '../../constructs/report';
import { SPEC_EXTENSIONS } from '../../stacks/load-deployment';

/** The embedded default spec, synthesized with DESK_DEPLOYMENT unset. */
export const DEFAULT_SPEC = 'stacks/default-deployment.yaml';

/** The folder of further deployment specs, relative to the repository root. */
export const DEPLOYMENTS_FOLDER = 'deployments';


/**
 * A problem with the command line or a checkout, said before anything is
 * synthesized (the command prints it and exits 2).
 *
 * @example
 * throw new ReviewSetupError('--base /tmp/base: no such folder.');
 */
export class ReviewSetupError extends Error {}

/** A spec file and the stack its `metadata.name` names. */
export interface SpecFile {
  /** Relative to the repository root, with forward slashes. */
  readonly file: string;
  /** Its metadata.name, read without validating the spec. @default - none: the file is not YAML or names no stack */
  readonly name?: string;
}

/** One synth of a checkout: the embedded default, or the deployments folder as one fleet. */
export interface DeploymentSet {
  /** The default spec, or the folder (relative to the repository root, forward slashes): DESK_DEPLOYMENT for the folder. */
  readonly target: string;
  /** The embedded default: synthesized without DESK_DEPLOYMENT. */
  readonly isDefault: boolean;
  /** The name of its synth output folder, unique within a checkout. */
  readonly key: string;
  /**
   * What its stack names get in front of them in the review: `default/` for
   * the default, whose stack may have the name of a stack of the fleet.
   */
  readonly prefix: string;
  /** The spec files it reads. */
  readonly specs: readonly SpecFile[];
}

/** A file in the deployments folder that cannot be a deployment. */
export interface ListingProblem {
  readonly side: Side;
  readonly file: string;
  readonly summary: string;
}

/** The deployments of one checkout and the files refused. */
export interface CheckoutDeployments {
  readonly side: Side;
  /** The checkout's absolute path. */
  readonly root: string;
  /** The app command of its cdktf.json. */
  readonly app: string;
  readonly deployments: readonly DeploymentSet[];
  readonly problems: readonly ListingProblem[];
}

/**
 * Checks that a folder is a checkout of this project (it has cdktf.json with
 * an app command) and lists its deployments.
 * @throws ReviewSetupError naming the flag when the folder or its cdktf.json is missing or wrong
 */
export function readCheckout(side: Side, dir: string, flag: string, folder = DEPLOYMENTS_FOLDER): CheckoutDeployments {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new ReviewSetupError(`${flag} ${dir}: no such folder. Expected a checkout of this repository (the ${side} of the pull request), e.g. \`git worktree add ../${side} <commit>\` and \`npm ci\` in it.`);
  }
  return { side, root, app: appCommand(root, dir, flag), ...listDeployments(side, root, folder) };
}

/** The `app` of the checkout's cdktf.json: how the checkout synthesizes. */
function appCommand(root: string, dir: string, flag: string): string {
  const file = join(root, 'cdktf.json');
  if (!existsSync(file)) {
    throw new ReviewSetupError(`${flag} ${dir}: cdktf.json is missing, so this is not a checkout of a cdktf project. Point ${flag} at the root of a checkout of this repository.`);
  }
  let app: unknown;
  try {
    app = (JSON.parse(readFileSync(file, 'utf8')) as { app?: unknown }).app;
  } catch (error) {
    throw new ReviewSetupError(`${flag} ${dir}: cdktf.json is not valid JSON (${(error as Error).message}); fix it in that checkout.`);
  }
  if (typeof app !== 'string' || app.trim() === '') {
    throw new ReviewSetupError(`${flag} ${dir}: cdktf.json has no "app" command (value: ${JSON.stringify(app)}); expected e.g. "node scripts/app.cjs".`);
  }
  return app;
}

/** The default's set: synthesized on its own, its stacks prefixed `default/`. */
export const DEFAULT_SET: DeploymentSet = { target: DEFAULT_SPEC, isDefault: true, key: 'default', prefix: 'default/', specs: [{ file: DEFAULT_SPEC }] };

/**
 * The embedded default, and the spec files directly in the deployments
 * folder as one fleet (none when the folder has none). Links and subfolders
 * are refused (a spec must be a file of the repository, and no spec may be
 * skipped unseen); other files are left alone.
 */
export function listDeployments(side: Side, root: string, folder = DEPLOYMENTS_FOLDER): Pick<CheckoutDeployments, 'deployments' | 'problems'> {
  const target = relative(root, resolve(root, folder)).split('\\').join('/') || '.';
  const defaultSet: DeploymentSet = { ...DEFAULT_SET, specs: [{ file: DEFAULT_SPEC, name: stackName(join(root, DEFAULT_SPEC)) }] };
  const problems: ListingProblem[] = [];
  const dir = join(root, target);
  if (!existsSync(dir)) return { deployments: [defaultSet], problems };
  const specs: SpecFile[] = [];
  for (const name of readdirSync(dir).sort()) {
    const file = `${target}/${name}`;
    const stat = lstatSync(join(dir, name));
    if (stat.isDirectory()) {
      problems.push({ side, file, summary: `is a folder; specs are read from ${target}/ itself, not from its subfolders: move its specs up to ${target}/, or the folder out of it` });
    } else if (!SPEC_EXTENSIONS.some((ext) => ext === extname(name).toLowerCase())) {
      // Other files (a README) are left alone; the extensions are the fleet loader's.
      continue;
    } else if (!stat.isFile()) {
      problems.push({ side, file, summary: `is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}; a deployment spec must be a regular file of the repository: replace it by the file itself` });
    } else {
      specs.push({ file, name: stackName(join(dir, name)) });
    }
  }
  const fleet: DeploymentSet = { target, isDefault: false, key: 'deployments', prefix: '', specs };
  return { deployments: specs.length > 0 ? [defaultSet, fleet] : [defaultSet], problems };
}

/**
 * The metadata.name of a spec file, read without validating it (the synth
 * validates it, with its own code): only to tell which file a stack came from.
 */
function stackName(file: string): string | undefined {
  let document: unknown;
  try {
    document = parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  const metadata = typeof document === 'object' && document !== null ? (document as { metadata?: unknown }).metadata : undefined;
  const name = typeof metadata === 'object' && metadata !== null ? (metadata as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name !== '' ? name : undefined;
}
