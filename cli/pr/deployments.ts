/**
 * The deployments of a checkout: the embedded default spec and every spec
 * file in its deployments folder, each synthesized as its own stack.
 */
import { existsSync, lstatSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import type { Side } from '../../constructs/report';

/** The embedded default spec, synthesized with DESK_DEPLOYMENT unset. */
export const DEFAULT_SPEC = 'stacks/default-deployment.yaml';

/** The folder of further deployment specs, relative to the repository root. */
export const DEPLOYMENTS_FOLDER = 'deployments';

/** Extensions of spec files in the deployments folder; other files (a README) are left alone. */
export const SPEC_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];

/**
 * A problem with the command line or a checkout, said before anything is
 * synthesized (the command prints it and exits 2).
 *
 * @example
 * throw new ReviewSetupError('--base /tmp/base: no such folder.');
 */
export class ReviewSetupError extends Error {}

/** One deployment of a checkout. */
export interface DeploymentFile {
  /** The spec, relative to the repository root, with forward slashes. */
  readonly file: string;
  /** The embedded default: synthesized without DESK_DEPLOYMENT. */
  readonly isDefault: boolean;
  /** The name of its synth output folder, unique within a checkout. */
  readonly key: string;
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
  readonly deployments: readonly DeploymentFile[];
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

/**
 * The embedded default and the spec files directly in the deployments
 * folder, sorted. Links and subfolders are refused (a spec must be a file of
 * the repository, and no spec may be skipped unseen); other files are left alone.
 */
export function listDeployments(side: Side, root: string, folder = DEPLOYMENTS_FOLDER): Pick<CheckoutDeployments, 'deployments' | 'problems'> {
  const deployments: DeploymentFile[] = [{ file: DEFAULT_SPEC, isDefault: true, key: 'default' }];
  const problems: ListingProblem[] = [];
  const dir = join(root, folder);
  if (!existsSync(dir)) return { deployments, problems };
  for (const name of readdirSync(dir).sort()) {
    const file = `${folder.replace(/\\/g, '/').replace(/\/+$/, '')}/${name}`;
    const stat = lstatSync(join(dir, name));
    if (stat.isDirectory()) {
      problems.push({ side, file, summary: `is a folder; specs are read from ${folder}/ itself, not from its subfolders: move its specs up to ${folder}/, or the folder out of it` });
    } else if (!SPEC_EXTENSIONS.includes(extname(name).toLowerCase())) {
      continue;
    } else if (!stat.isFile()) {
      problems.push({ side, file, summary: `is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}; a deployment spec must be a regular file of the repository: replace it by the file itself` });
    } else {
      deployments.push({ file, isDefault: false, key: name });
    }
  }
  return { deployments, problems };
}
