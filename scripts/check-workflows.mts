/**
 * `npm run check:workflows [file …]`: validates GitHub Actions workflow files
 * against GitHub's own workflow schema (@actions/workflow-parser, the parser
 * behind the Actions editor support): unknown keys, wrong values, broken
 * expressions. Without files, every .github/workflows/*.yml and *.yaml.
 *
 * Run with tsx: the package is an ES module that imports its schema as JSON.
 * Exit codes: 0 valid, 1 errors found (each printed with file, line and column), 2 bad input.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } from '@actions/workflow-parser';

const WORKFLOWS = join('.github', 'workflows');

/** The errors of one workflow file, each with its line and column. */
export async function workflowErrors(file: string, content: string): Promise<string[]> {
  const parsed = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (errors.length > 0 || parsed.value === undefined) return errors.length > 0 ? errors : [`${file}: not a workflow`];
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  return (template.errors ?? []).map((e) => e.Message);
}

function defaultFiles(): string[] {
  if (!existsSync(WORKFLOWS)) return [];
  return readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(WORKFLOWS, f));
}

async function main(args: readonly string[]): Promise<number> {
  const files = args.length > 0 ? [...args] : defaultFiles();
  if (files.length === 0) {
    console.error(`check:workflows: no workflow files: ${WORKFLOWS} has no *.yml or *.yaml; pass files as arguments.`);
    return 2;
  }
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0) {
    console.error(`check:workflows: no such file: ${missing.join(', ')}`);
    return 2;
  }
  let failed = 0;
  for (const file of files) {
    const errors = await workflowErrors(file, readFileSync(file, 'utf8'));
    if (errors.length === 0) {
      console.log(`check:workflows: ${file}: valid`);
      continue;
    }
    failed += 1;
    for (const error of errors) console.error(`check:workflows: ${error}`);
  }
  return failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error: unknown) => {
  console.error(`check:workflows: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  process.exitCode = 2;
});
