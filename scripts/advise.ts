// npm run advise [-- --slices N] [-- --json] [-- --write-migration [--dry-run]] [-- --measure --target redshift]
import fs from 'node:fs';
import { parseCommand } from '../src/cli/args';
import { runMain } from '../src/cli/main';
import { loadConfig, readEnv } from '../src/config';
import { buildAdvice } from '../src/advise/advise';
import { adviceJson, formatAdvice } from '../src/advise/format';
import { sliceLayout } from '../src/advise/slices';
import { withWarehouse } from '../src/targets/connect';

const HELP = `Usage: npm run advise [-- options]
  --slices N          spread keys over N slices (default: REDSHIFT_NODE_TYPE × REDSHIFT_NODE_COUNT)
  --json              the report as JSON
  --target T          local (default), postgres or redshift
Reads the saved queries (analytics/*.sql) and the transforms for candidate keys, and
the warehouse's data for skew, NULLs, sizes and load-order correlation.`;

runMain(async (argv) => {
  const { values } = parseCommand('advise', argv, {
    slices: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const layout = sliceLayout(readEnv(), values.slices);
  const config = loadConfig({ target: values.target });
  return withWarehouse(config, async (warehouse) => {
    const report = await buildAdvice(warehouse.knex, layout);
    fs.writeSync(1, `${values.json ? adviceJson(report) : formatAdvice(report)}\n`);
    return 0;
  });
});
