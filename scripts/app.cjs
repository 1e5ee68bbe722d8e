/**
 * The app command (cdktf.json "app", `npm run app`): runs main.ts from a
 * bundle that esbuild builds into .build/, and checks on every start that
 * the bundle is the code of the sources as they are now.
 *
 * The first line of a bundle records what it was built from: the content
 * hash of every source file esbuild read (main.ts and each project file it
 * imports), of tsconfig.json, package.json and this file, and the names of
 * the source files beside each of them (so that a new file that would be
 * resolved instead of an imported one is noticed). The bundle runs only when
 * every hash is the same now; otherwise it is built again first. So an edit
 * to any imported .ts file, or a new file an edited file imports, is in the
 * next synth: no stale bundle can run.
 *
 * A new bundle is written to a temporary file and renamed, so a synth
 * running at the same time reads either the old or the new bundle, never
 * half of one; the stamp also holds the hash of the bundle's own text, and
 * the text that was checked is the text that runs (it is read once). Where
 * .build/ cannot be written (a read-only checkout), the bundle built in
 * memory runs, as it would from the folder. Packages stay in node_modules
 * (not bundled); files that use __dirname or __filename get their own source
 * folder's values. DESK_DEBUG=1 turns on source maps, so stack traces name
 * the .ts files and lines.
 *
 *   node scripts/app.cjs            (what `cdktf synth` runs)
 */
'use strict';
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { basename, dirname, join, relative, resolve, sep } = require('node:path');

const ROOT = resolve(__dirname, '..');
/** The bundle's first line, where the stamp goes (on that line, so that the source map's lines stay right). */
const BANNER = '// sovereign-desk build';
const MARK = `${BANNER} `;
/** Names that module resolution could pick instead of an imported file: esbuild's resolveExtensions below, or none. */
const RESOLVABLE = /\.(ts|js|json)$|^[^.]+$/;
/** Besides the sources esbuild reads: the files of the project that change how it builds them. */
const BUILD_INPUTS = ['tsconfig.json', 'package.json'];
/** This file, which says how bundles are built: a bundle built by another version of it is built again. */
const BUILDER = readFileSync(__filename);

const hash = (text) => createHash('sha256').update(text).digest('hex').slice(0, 32);
const toPosix = (path) => path.split(sep).join('/');

/** The hash of a file of the project, or null when there is none. */
function fileHash(root, path) {
  try {
    return hash(readFileSync(join(root, path)));
  } catch {
    return null;
  }
}

/** The hash of the names of a folder's files that module resolution could pick. */
function folderHash(root, folder) {
  try {
    return hash(readdirSync(join(root, folder)).filter((name) => RESOLVABLE.test(name)).sort().join('\n'));
  } catch {
    return null;
  }
}

/** What a bundle is built from (every input file's hash and every input folder's listing hash), and its body's hash. */
function stamp(root, inputs, body) {
  const files = [...new Set([...inputs, ...BUILD_INPUTS])].sort();
  const folders = [...new Set(files.map((file) => toPosix(dirname(file))))].sort();
  return {
    builder: hash(BUILDER),
    body: hash(body),
    files: Object.fromEntries(files.map((file) => [file, fileHash(root, file)])),
    folders: Object.fromEntries(folders.map((folder) => [folder, folderHash(root, folder)])),
  };
}

const isRecord = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * True when the stamp is of this builder and of this body (a bundle cut short
 * or edited by hand is not), and every file and folder it names has the same
 * hash now (null: there was none and there is none).
 */
function isFresh(root, recorded, body) {
  if (!isRecord(recorded) || recorded.builder !== hash(BUILDER) || recorded.body !== hash(body)) return false;
  if (!isRecord(recorded.files) || !isRecord(recorded.folders)) return false;
  if (BUILD_INPUTS.some((file) => !(file in recorded.files))) return false;
  return Object.entries(recorded.files).every(([file, digest]) => fileHash(root, file) === digest)
    && Object.entries(recorded.folders).every(([folder, digest]) => folderHash(root, folder) === digest);
}

/** The stamp on a bundle's first line, or undefined for a text that is not a bundle. */
function readStamp(text) {
  if (!text.startsWith(MARK) || !text.includes('\n')) return undefined;
  try {
    return JSON.parse(text.slice(MARK.length, text.indexOf('\n')));
  } catch {
    return undefined;
  }
}

/** A bundle's text after its first line. */
const bodyOf = (text) => text.slice(text.indexOf('\n'));

const NAMESPACE = 'sovereign-desk';

/**
 * A file that uses __dirname or __filename gets the values of its source
 * file: its folder relative to the bundle's (the real __dirname, read in a
 * module of its own, so esbuild renames the file's own declarations).
 */
function sourcePaths(outdir) {
  return {
    name: 'source-paths',
    setup(build) {
      build.onResolve({ filter: /^sovereign-desk:bundle-folder$/ }, (args) => ({ path: args.path, namespace: NAMESPACE }));
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, () => ({ contents: 'export const bundleFolder = __dirname; export const bundleFile = __filename;', loader: 'js' }));
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        const contents = readFileSync(args.path, 'utf8');
        if (!/\b__(dirname|filename)\b/.test(contents) || args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const folder = JSON.stringify(toPosix(relative(outdir, dirname(args.path))));
        const file = JSON.stringify(basename(args.path));
        // One line, so that the source map's lines stay those of the file.
        const prelude = 'import { bundleFolder as __bundleFolder } from "sovereign-desk:bundle-folder"; import { join as __joinPath } from "node:path"; '
          + `const __dirname = __joinPath(__bundleFolder, ${folder}); const __filename = __joinPath(__dirname, ${file}); `;
        return { contents: prelude + contents, loader: 'ts' };
      });
    },
  };
}

/** Builds the bundle of `entry` in memory: its text (first line: the stamp) and its source map. */
async function build(root, entry, outfile) {
  const esbuild = require('esbuild');
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    resolveExtensions: ['.ts', '.js', '.json'],
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    write: false,
    logLevel: 'silent',
    banner: { js: BANNER },
    plugins: [sourcePaths(dirname(outfile))],
  });
  // Packages are not bundled; the module of the bundle's folder is not a file.
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.startsWith('node_modules/') && !input.startsWith(`${NAMESPACE}:`));
  const text = result.outputFiles.find((file) => file.path === outfile).text;
  const map = result.outputFiles.find((file) => file.path === `${outfile}.map`).text;
  if (!text.startsWith(`${BANNER}\n`)) throw new Error(`the bundle of ${entry} does not start with its banner`);
  const body = text.slice(BANNER.length);
  return { text: `${MARK}${JSON.stringify(stamp(root, inputs, body))}${body}`, map };
}

/** Writes a file whole: a reader sees the old or the new text, never part of one. */
function writeWhole(file, text) {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/**
 * The checked text of the bundle of `entry` (a path relative to `root`):
 * the one in .build/ when it is fresh, else a new one, saved there when the
 * folder can be written.
 */
async function freshBundle(root, entry) {
  const outfile = join(root, '.build', entry.replace(/\.ts$/, '.js'));
  let text;
  try {
    text = readFileSync(outfile, 'utf8');
  } catch {
    text = undefined;
  }
  if (text !== undefined && isFresh(root, readStamp(text), bodyOf(text))) return { file: outfile, text, built: false };
  const fresh = await build(root, entry, outfile);
  try {
    mkdirSync(dirname(outfile), { recursive: true });
    // The map first: a bundle that is there has its map.
    writeWhole(`${outfile}.map`, fresh.map);
    writeWhole(outfile, fresh.text);
    return { file: outfile, text: fresh.text, built: true, saved: true };
  } catch {
    return { file: outfile, text: fresh.text, built: true, saved: false };
  }
}

/** Runs a bundle's text as the module `file` (its requires resolve from there) and returns its exports. */
function runBundle(file, text) {
  const module = new Module(file, require.main);
  module.filename = file;
  module.paths = Module._nodeModulePaths(dirname(file));
  module._compile(text, file);
  return module.exports;
}

/** True for an error of the code being built (esbuild's messages), not of esbuild itself. */
const isBuildError = (error) => Array.isArray(error && error.errors) && error.errors.length > 0;

/** Runs `entry` of the project at `root` from a fresh bundle. */
async function run(root, entry) {
  // Stack traces name the .ts files and lines (the source map is read only then).
  if (process.env.DESK_DEBUG) process.setSourceMapsEnabled(true);
  const bundle = await freshBundle(root, entry);
  return runBundle(bundle.file, bundle.text);
}

module.exports = { freshBundle, run, runBundle, isFresh, readStamp };

if (require.main === module) {
  run(ROOT, 'main.ts').catch((error) => {
    if (isBuildError(error)) {
      const where = (m) => (m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ` : '');
      console.error(`sovereign-desk: main.ts cannot be built:\n${error.errors.map((m) => `  ${where(m)}${m.text}`).join('\n')}`);
    } else {
      console.error(`sovereign-desk: ${error instanceof Error ? error.message : String(error)}`);
      if (process.env.DESK_DEBUG && error instanceof Error) console.error(error.stack);
    }
    process.exitCode = 1;
  });
}
