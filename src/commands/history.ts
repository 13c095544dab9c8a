// npm run history [-- --limit N] [--run <id>] [--json] [--target T]
// The last transform runs, newest first; --run shows one run's steps.
import { targetFlag, wholeNumberFlag } from '../cli/args';
import { defineCommand, type Output, STANDARD_OUTPUT } from '../cli/command';
import { loadConfig, type WarehouseConfig } from '../config';
import { ConfigError } from '../errors';
import { lastRuns, RUNS_TABLE, stepsOf } from '../run/history';
import { runsTable, stepsTable } from '../run/history-table';
import { withWarehouse } from '../targets/connect';

const HELP = `Usage: npm run history [-- options]
  --limit N     how many runs to show, newest first; default 10
  --run <id>    one run's steps (the id, or its first characters as the table shows them)
  --json        the runs (with their steps) as JSON on stdout
  --target T    local (default), postgres or redshift`;

interface HistoryOptions {
  limit: number;
  /** One run's id, or its first characters. */
  run?: string;
  json: boolean;
}

/** @public Prints the last runs (or one run's steps) of the warehouse's history. */
export async function showHistory(
  config: WarehouseConfig,
  options: HistoryOptions,
  out: Output = STANDARD_OUTPUT,
): Promise<number> {
  return withWarehouse(
    config,
    async (warehouse) => {
      if (!(await warehouse.knex.schema.hasTable(RUNS_TABLE)))
        throw new ConfigError(`No run history yet: the table ${RUNS_TABLE} does not exist. Run \`npm run migrate\`.`);
      let runs = await lastRuns(warehouse.knex, options.run ? 1000 : options.limit);
      if (options.run) {
        runs = runs.filter((r) => r.run_id.startsWith(options.run!));
        if (runs.length !== 1)
          throw new ConfigError(
            `--run ${options.run}: ${runs.length === 0 ? 'no such run among the last 1000' : 'several runs start so; give more characters'}.`,
          );
      }
      for (const run of runs) if (options.json || options.run) run.steps = await stepsOf(warehouse.knex, run.run_id);
      if (options.json) out.print(JSON.stringify(runs, null, 2));
      else if (options.run) out.print(`${runsTable(runs)}\n\n${stepsTable(runs[0].steps!)}`);
      else out.print(runsTable(runs));
      return 0;
    },
    { log: out.log },
  );
}

export const command = defineCommand({
  name: 'history',
  help: HELP,
  flags: {
    ...targetFlag,
    limit: { type: 'string' },
    run: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  handler: async ({ values }, out) => {
    const limit = wholeNumberFlag('limit', values.limit, 10, 1);
    return showHistory(loadConfig({ target: values.target }), { limit, run: values.run, json: values.json }, out);
  },
});
