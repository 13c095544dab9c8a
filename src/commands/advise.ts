// npm run advise [-- --slices N] [-- --json] [-- --write-migration [--choose t=KEY(c)]] [-- --measure --target redshift] [-- --dry-run]
import { warehouseFlags } from '../cli/args';
import { defineCommand, type Output, STANDARD_OUTPUT } from '../cli/command';
import { loadConfig, readEnv } from '../config';
import { changesFromAdvice, describeMigration, print, profileStatements, report } from '../advise/command';
import { advisedTables } from '../advise/advise';
import { catalogOf, declaredTables } from '../migrate/declarations';
import { formatMeasure, runMeasure } from '../advise/measure-command';
import { readWorkload } from '../advise/workload';
import { recordingKnex } from '../dry-run/recording-knex';
import { sliceLayout } from '../advise/slices';
import { DEFAULT_NODE_TYPE } from '../cluster/settings';
import { parseChoice } from '../advise/write-migration';
import { dialectFor } from '../dialects';
import { UsageError } from '../errors';
import { MIGRATIONS_DIR } from '../targets/knex-config';
import { withWarehouse } from '../targets/connect';

const HELP = `Usage: npm run advise [-- options]
  --slices N            spread keys over N slices (default: REDSHIFT_NODE_TYPE × REDSHIFT_NODE_COUNT)
  --json                the report as JSON
  --write-migration     write the advised key changes as a new migration (up: advice, down: today's keys)
  --choose T=LAYOUT     the change to write instead of the advice: songplays=KEY(song_id), songs=EVEN,
                        users=ALL, optionally ,SORTKEY(col, …); repeatable
  --measure             on Redshift: time the saved queries on copies of the fact and its largest
                        dimension in each candidate layout, and show Redshift's own recommendations
  --runs N              runs of each query per layout for --measure (default 5)
  --dry-run             print the SQL (or the migration and its statements) without connecting
  --target T            local (default), postgres or redshift
Candidates come from the joins and filters of analytics/*.sql and the transforms; the
figures (skew, NULLs, sizes, load-order correlation) from the warehouse's data.`;

interface AdviseOptions {
  target?: string;
  dryRun: boolean;
  slices?: string;
  json: boolean;
  writeMigration: boolean;
  /** --choose: the changes to write instead of the advice. */
  choose: string[];
  measure: boolean;
  runs: number;
}

/** @public The advice report (or its SQL, the measurement, the migration), as npm run advise prints it. */
export async function advise(options: AdviseOptions, out: Output = STANDARD_OUTPUT): Promise<number> {
  const { dryRun } = options;
  const layout = sliceLayout(readEnv(), options.slices);
  const config = loadConfig({ target: options.target, dryRun });
  const dialect = dialectFor(config.target);
  const declared = declaredTables();
  const chosen = options.choose.map((c) => parseChoice(c, declared));
  if (options.writeMigration) {
    if (chosen.length) {
      out.print(describeMigration(chosen, declared, dialect, MIGRATIONS_DIR, !dryRun));
      return 0;
    }
    if (dryRun)
      throw new UsageError(
        'A dry run reads no data, so it has no advice to write. Name the change with --choose, e.g. --choose "songplays=KEY(song_id)", or drop --dry-run.',
      );
  } else if (chosen.length)
    throw new UsageError('--choose only says which change --write-migration writes; add --write-migration.');
  const env = readEnv();
  const measureOptions = {
    runs: options.runs,
    nodeType: env.REDSHIFT_NODE_TYPE || DEFAULT_NODE_TYPE,
    nodes: layout.nodes,
    log: out.log,
  };
  if (options.measure && config.target !== 'redshift')
    throw new UsageError(
      "--measure runs on Redshift only (it reads SYS_QUERY_HISTORY and the plan's distribution steps): add --target redshift, or --dry-run to see its SQL.",
    );
  if (dryRun) {
    if (options.measure) {
      const { knex, statements } = recordingKnex('redshift');
      const workload = await readWorkload(catalogOf(declared));
      await runMeasure(knex, advisedTables(declared), workload, undefined, measureOptions);
      await knex.destroy();
      out.print(statements.map((s) => `${s};\n`).join('\n'));
      return 0;
    }
    out.print((await profileStatements(layout.slices, declared)).map((s) => `${s};\n`).join('\n'));
    return 0;
  }
  return withWarehouse(config, async (warehouse) => {
    const { text, report: built } = await report(warehouse.knex, layout, options.json);
    out.print(text);
    if (options.measure) {
      const workload = await readWorkload(catalogOf(declared));
      out.print(
        `\n${formatMeasure(await runMeasure(warehouse.knex, advisedTables(declared), workload, built, measureOptions))}`,
      );
    }
    if (options.writeMigration) {
      const changes = changesFromAdvice(built, declared);
      out.print(
        changes.length
          ? `\n${describeMigration(changes, declared, warehouse.dialect, MIGRATIONS_DIR, true)}`
          : '\nNothing to write: the advice keeps every table as it is (--choose names a change to write anyway).',
      );
    }
    return 0;
  });
}

export const command = defineCommand({
  name: 'advise',
  help: HELP,
  flags: {
    ...warehouseFlags,
    slices: { type: 'string' },
    json: { type: 'boolean', default: false },
    'write-migration': { type: 'boolean', default: false },
    choose: { type: 'string', multiple: true },
    measure: { type: 'boolean', default: false },
    runs: { type: 'string', default: '5' },
  },
  handler: async ({ values }, out) => {
    const runs = Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1 || runs > 100)
      throw new UsageError(`--runs must be a whole number from 1 to 100; got "${values.runs}".`);
    const options = {
      target: values.target,
      dryRun: values['dry-run'],
      slices: values.slices,
      json: values.json,
      writeMigration: values['write-migration'],
      choose: values.choose ?? [],
      measure: values.measure,
      runs,
    };
    // The report can be long: written at once (advise/command.ts's print), unless a test took the output.
    return advise(options, out === STANDARD_OUTPUT ? { ...out, print } : out);
  },
});
