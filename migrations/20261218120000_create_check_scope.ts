// check_scope: what the runs wrote that the quality checks have not read yet, so a daily
// run checks its own rows and not the whole history (docs/transforms.md, "Data quality").
// The steps that write the star tables add rows; a check that passes deletes them all.
// - kind 'key': a row the run inserted or replaced, by its one-column primary key (key_value);
// - kind 'range': the range of a time-ordered sort key the run inserted into (range_from, range_to);
// - kind 'value': a value the run wrote into column_name of rows outside that range (an update);
// - kind 'nulls': the run wrote a row whose key or sort key is null (so in no key or range);
// - kind 'all': the table was filled from empty or rebuilt: every row is new;
// - kind 'ran': a step wrote to the table, perhaps nothing; `npm run check` then scopes to
//   these rows, and with none at all it checks everything.
// transform_runs.checks says which kind of check a run made: incremental or full.
import type { Knex } from 'knex';
import { addColumns, createTables, dropColumns, dropTables } from '../src/migrate/ddl';
import { timestamp, varchar, type TableDeclaration } from '../src/schema/table';
import { transformRuns } from './20261129120100_create_run_history';

export const checkScope: TableDeclaration = {
  name: 'check_scope',
  layer: 'bookkeeping',
  comment: 'rows the runs wrote that the quality checks have not read yet',
  columns: [
    { name: 'table_name', type: varchar(128), notNull: true },
    { name: 'kind', type: varchar(8), notNull: true },
    { name: 'column_name', type: varchar(128) },
    { name: 'key_value', type: varchar(512) },
    { name: 'range_from', type: timestamp },
    { name: 'range_to', type: timestamp },
  ],
  distribution: { style: 'even' },
  sortKey: ['table_name'],
};

export const transformRunsWithChecks: TableDeclaration = {
  ...transformRuns,
  columns: [...transformRuns.columns, { name: 'checks', type: varchar(16) }],
};

export async function up(knex: Knex): Promise<void> {
  await createTables(knex, [checkScope]);
  await addColumns(knex, transformRunsWithChecks, ['checks']);
}

export async function down(knex: Knex): Promise<void> {
  await dropColumns(knex, transformRunsWithChecks, ['checks']);
  await dropTables(knex, [checkScope]);
}
