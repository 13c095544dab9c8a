// npm run report [-- --target T] [--out report/index.html]: the saved queries in
// analytics/ as one self-contained HTML page of charts and tables, with the schema.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { warehouseFlags } from '../cli/args';
import { defineCommand, type Output, STANDARD_OUTPUT } from '../cli/command';
import { loadConfig, PROJECT_ROOT } from '../config';
import { buildReport, writeReport } from '../report/build';
import { listSavedQueries } from '../report/saved-queries';
import { withWarehouse } from '../targets/connect';

const DEFAULT_OUT = path.join(PROJECT_ROOT, 'report', 'index.html');

interface ReportOptions {
  target?: string;
  dryRun: boolean;
  /** The HTML file to write. */
  out: string;
}

/** Runs analytics/*.sql and writes the page; with `dryRun`, lists what it would run. 1 when a section failed. */
export async function writeAnalystReport(options: ReportOptions, out: Output = STANDARD_OUTPUT): Promise<number> {
  const queries = listSavedQueries();
  if (options.dryRun) {
    out.print(`Would run ${queries.length} saved queries and write ${options.out}:`);
    for (const query of queries) out.print(`  ${query.file} (${query.chart.kind}): ${query.title}`);
    return 0;
  }
  const config = loadConfig({ target: options.target });
  return withWarehouse(config, async (warehouse) => {
    out.print(`Running ${queries.length} saved queries on ${warehouse.target} (${warehouse.location})`);
    const report = await buildReport(warehouse, { queries, log: out.print });
    const file = writeReport(options.out, report.html);
    out.print(`Wrote ${path.relative(process.cwd(), file) || file}; open it in a browser: ${pathToFileURL(file).href}`);
    if (report.failed > 0) {
      out.log(
        `${report.failed} section${report.failed === 1 ? '' : 's'} failed; the page says why in each. Fix the query and run npm run report again.`,
      );
      return 1;
    }
    return 0;
  });
}

export const command = defineCommand({
  name: 'report',
  help: 'Usage: npm run report [-- --target local|postgres|redshift] [--out report/index.html] [--dry-run]: runs analytics/*.sql and writes an HTML report.',
  flags: { ...warehouseFlags, out: { type: 'string' } },
  handler: async ({ values }, out) =>
    writeAnalystReport(
      { target: values.target, dryRun: values['dry-run'], out: path.resolve(values.out ?? DEFAULT_OUT) },
      out,
    ),
});
