/**
 * Writes `sovereignty/<stack>.md`, `.json` and `.sarif` into the synthesis
 * output directory.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PolicyResult } from '../policy/engine';
import { ReportOptions, SovereigntyReport, buildReport } from './data';
import { renderMarkdown } from './markdown';
import { SarifOptions, renderSarif } from './sarif';

/** Options of {@link writeReports}. */
export type WriteReportOptions = ReportOptions & SarifOptions;

/** Folder of the reports inside the output directory. */
export const REPORT_DIR = 'sovereignty';

/** The report files of a stack, relative to the output directory: `sovereignty/<stack>.json`, `.md` and `.sarif`. */
export function reportFiles(stack: string): string[] {
  return ['json', 'md', 'sarif'].map((extension) => `${REPORT_DIR}/${stack}.${extension}`);
}

/**
 * Builds and writes the three reports of one stack ({@link reportFiles}).
 * @returns the report data
 */
export function writeReports(outdir: string, stack: string, result: PolicyResult, options: WriteReportOptions): SovereigntyReport {
  const report = buildReport(stack, result, options);
  mkdirSync(join(outdir, REPORT_DIR), { recursive: true });
  const [json, markdown, sarif] = reportFiles(stack).map((file) => join(outdir, file));
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(markdown, renderMarkdown(report, result.context.jurisdiction.countries));
  writeFileSync(sarif, `${JSON.stringify(renderSarif(report, options), null, 2)}\n`);
  return report;
}
