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

/**
 * Builds and writes the three reports of one stack.
 * @returns the report data
 */
export function writeReports(outdir: string, stack: string, result: PolicyResult, options: WriteReportOptions): SovereigntyReport {
  const report = buildReport(stack, result, options);
  const dir = join(outdir, REPORT_DIR);
  mkdirSync(dir, { recursive: true });
  const jurisdiction = result.context.jurisdiction.countries;
  writeFileSync(join(dir, `${stack}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, `${stack}.md`), renderMarkdown(report, jurisdiction));
  writeFileSync(join(dir, `${stack}.sarif`), `${JSON.stringify(renderSarif(report, options), null, 2)}\n`);
  return report;
}
