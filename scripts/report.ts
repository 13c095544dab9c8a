// npm run report [-- --target T] [--out report/index.html]: the saved queries in
// analytics/ as one self-contained HTML page of charts and tables, with the schema.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseCommand } from '../src/cli/args';
import { runMain } from '../src/cli/main';
import { loadConfig, PROJECT_ROOT } from '../src/config';
import { buildReport, writeReport } from '../src/report/build';
import { listSavedQueries } from '../src/report/saved-queries';
import { withWarehouse } from '../src/targets/connect';

const DEFAULT_OUT = path.join(PROJECT_ROOT, 'report', 'index.html');

runMain(async (argv) => {
  const { values } = parseCommand('report', argv, { out: { type: 'string' } });
  if (values.help) {
    console.log('Usage: npm run report [-- --target local|postgres|redshift] [--out report/index.html]: runs analytics/*.sql and writes an HTML report.');
    return 0;
  }
  const out = path.resolve(values.out ?? DEFAULT_OUT);
  const queries = listSavedQueries();
  if (values['dry-run']) {
    console.log(`Would run ${queries.length} saved queries and write ${out}:`);
    for (const query of queries) console.log(`  ${query.file} (${query.chart.kind}): ${query.title}`);
    return 0;
  }
  const config = loadConfig({ target: values.target });
  return withWarehouse(config, async (warehouse) => {
    console.log(`Running ${queries.length} saved queries on ${warehouse.target} (${warehouse.location})`);
    const report = await buildReport(warehouse, { queries, log: (line) => console.log(line) });
    const file = writeReport(out, report.html);
    console.log(`Wrote ${path.relative(process.cwd(), file) || file}; open it in a browser: ${pathToFileURL(file).href}`);
    if (report.failed > 0) {
      console.error(`${report.failed} section${report.failed === 1 ? '' : 's'} failed; the page says why in each. Fix the query and run npm run report again.`);
      return 1;
    }
    return 0;
  });
});
