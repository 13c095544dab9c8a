// npm run history [-- --limit N] [--run <id>] [--json] [--target T]
// The last transform runs, newest first; --run shows one run's steps.
import { parseCommand } from '../src/cli/args';
import { runMain } from '../src/cli/main';
import { loadConfig } from '../src/config';
import { ConfigError } from '../src/errors';
import { lastRuns, RUNS_TABLE, stepsOf } from '../src/run/history';
import { runsTable, stepsTable } from '../src/run/history-table';
import { withWarehouse } from '../src/targets/connect';

const HELP = `Usage: npm run history [-- options]
  --limit N     how many runs to show, newest first; default 10
  --run <id>    one run's steps (the id, or its first characters as the table shows them)
  --json        the runs (with their steps) as JSON on stdout
  --target T    local (default), postgres or redshift`;

runMain(async (argv) => {
  const { values } = parseCommand('history', argv, {
    limit: { type: 'string', default: '10' },
    run: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new ConfigError(`--limit takes a whole number of runs, 1 or more; got "${values.limit}".`);
  if (values['dry-run']) throw new ConfigError('npm run history only reads: there is no --dry-run.');
  const config = loadConfig({ target: values.target });
  const log = (text: string) => process.stderr.write(`${text}\n`);
  return withWarehouse(
    config,
    async (warehouse) => {
      if (!(await warehouse.knex.schema.hasTable(RUNS_TABLE))) throw new ConfigError(`No run history yet: the table ${RUNS_TABLE} does not exist. Run \`npm run migrate\`.`);
      let runs = await lastRuns(warehouse.knex, values.run ? 1000 : limit);
      if (values.run) {
        runs = runs.filter((r) => r.run_id.startsWith(values.run!));
        if (runs.length !== 1) throw new ConfigError(`--run ${values.run}: ${runs.length === 0 ? 'no such run among the last 1000' : 'several runs start so; give more characters'}.`);
      }
      for (const run of runs) if (values.json || values.run) run.steps = await stepsOf(warehouse.knex, run.run_id);
      if (values.json) console.log(JSON.stringify(runs, null, 2));
      else if (values.run) console.log(`${runsTable(runs)}\n\n${stepsTable(runs[0].steps!)}`);
      else console.log(runsTable(runs));
      return 0;
    },
    { log },
  );
});
