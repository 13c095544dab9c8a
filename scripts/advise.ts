// npm run advise [-- --slices N] [-- --json] [-- --write-migration [--choose t=KEY(c)]] [-- --measure --target redshift] [-- --dry-run]
import { parseCommand } from '../src/cli/args';
import { runMain } from '../src/cli/main';
import { loadConfig, readEnv } from '../src/config';
import { changesFromAdvice, describeMigration, print, profileStatements, report } from '../src/advise/command';
import { advisedTables } from '../src/advise/advise';
import { catalogOf, declaredTables } from '../src/migrate/declarations';
import { formatMeasure, runMeasure } from '../src/advise/measure-command';
import { readWorkload } from '../src/advise/workload';
import { recordingKnex } from '../src/dry-run/recording-knex';
import { sliceLayout } from '../src/advise/slices';
import { DEFAULT_NODE_TYPE } from '../src/cluster/settings';
import { parseChoice } from '../src/advise/write-migration';
import { dialectFor } from '../src/dialects';
import { ConfigError } from '../src/errors';
import { MIGRATIONS_DIR } from '../src/targets/knex-config';
import { withWarehouse } from '../src/targets/connect';

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

runMain(async (argv) => {
  const { values } = parseCommand('advise', argv, {
    slices: { type: 'string' },
    json: { type: 'boolean', default: false },
    'write-migration': { type: 'boolean', default: false },
    choose: { type: 'string', multiple: true },
    measure: { type: 'boolean', default: false },
    runs: { type: 'string', default: '5' },
  });
  if (values.help) {
    print(HELP);
    return 0;
  }
  const dryRun = values['dry-run'];
  const layout = sliceLayout(readEnv(), values.slices);
  const config = loadConfig({ target: values.target, dryRun });
  const dialect = dialectFor(config.target);
  const declared = declaredTables();
  const chosen = (values.choose ?? []).map((c) => parseChoice(c, declared));
  if (values['write-migration']) {
    if (chosen.length) {
      print(describeMigration(chosen, declared, dialect, MIGRATIONS_DIR, !dryRun));
      return 0;
    }
    if (dryRun) throw new ConfigError('A dry run reads no data, so it has no advice to write. Name the change with --choose, e.g. --choose "songplays=KEY(song_id)", or drop --dry-run.');
  } else if (chosen.length) throw new ConfigError('--choose only says which change --write-migration writes; add --write-migration.');
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new ConfigError(`--runs must be a whole number from 1 to 100; got "${values.runs}".`);
  const env = readEnv();
  const measureOptions = { runs, nodeType: env.REDSHIFT_NODE_TYPE || DEFAULT_NODE_TYPE, nodes: layout.nodes, log: (m: string) => process.stderr.write(`${m}\n`) };
  if (values.measure && config.target !== 'redshift')
    throw new ConfigError("--measure runs on Redshift only (it reads SYS_QUERY_HISTORY and the plan's distribution steps): add --target redshift, or --dry-run to see its SQL.");
  if (dryRun) {
    if (values.measure) {
      const { knex, statements } = recordingKnex('redshift');
      const workload = await readWorkload(catalogOf(declared));
      await runMeasure(knex, advisedTables(declared), workload, undefined, measureOptions);
      await knex.destroy();
      print(statements.map((s) => `${s};\n`).join('\n'));
      return 0;
    }
    print((await profileStatements(layout.slices, declared)).map((s) => `${s};\n`).join('\n'));
    return 0;
  }
  return withWarehouse(config, async (warehouse) => {
    const { text, report: built } = await report(warehouse.knex, layout, values.json);
    print(text);
    if (values.measure) {
      const workload = await readWorkload(catalogOf(declared));
      print(`\n${formatMeasure(await runMeasure(warehouse.knex, advisedTables(declared), workload, built, measureOptions))}`);
    }
    if (values['write-migration']) {
      const changes = changesFromAdvice(built, declared);
      print(
        changes.length
          ? `\n${describeMigration(changes, declared, warehouse.dialect, MIGRATIONS_DIR, true)}`
          : '\nNothing to write: the advice keeps every table as it is (--choose names a change to write anyway).',
      );
    }
    return 0;
  });
});
