// Run history: one row per `npm run transform` and one per step, written outside the
// steps' transactions so a failed run is recorded as failed and a killed one stays
// 'running' with no finish. `npm run history` reads them; `--json` prints the same summary.
import type { Knex } from 'knex';
import { createTables, dropTables } from '../src/migrate/ddl';
import { bigint, double, integer, timestamptz, varchar, type TableDeclaration } from '../src/schema/table';

// The row counts a run and each of its steps report (sums over the steps for a run).
const counts = [
  { name: 'files', type: bigint },
  { name: 'rows_read', type: bigint },
  { name: 'rows_loaded', type: bigint },
  { name: 'rows_rejected', type: bigint },
  { name: 'inserted', type: bigint },
  { name: 'updated', type: bigint },
];

export const transformRuns: TableDeclaration = {
  name: 'transform_runs',
  layer: 'bookkeeping',
  comment: 'one row per transform run',
  columns: [
    { name: 'run_id', type: varchar(36), notNull: true },
    { name: 'target', type: varchar(16), notNull: true },
    // The flags it ran with, e.g. "--full-refresh --only 030".
    { name: 'options', type: varchar(256) },
    // running, success or failed; a killed run stays running with no finished_at.
    { name: 'status', type: varchar(16), notNull: true },
    { name: 'started_at', type: timestamptz, notNull: true },
    { name: 'finished_at', type: timestamptz },
    // Who ran it: the waiting message of a second run names them.
    { name: 'host', type: varchar(256) },
    { name: 'pid', type: integer },
    ...counts,
    { name: 'error', type: varchar(4096) },
  ],
  primaryKey: ['run_id'],
  distribution: { style: 'all' },
  sortKey: ['started_at'],
  timeOrdered: true,
};

export const transformRunSteps: TableDeclaration = {
  name: 'transform_run_steps',
  layer: 'bookkeeping',
  comment: 'one row per step of a transform run',
  columns: [
    { name: 'run_id', type: varchar(36), notNull: true },
    { name: 'step_id', type: varchar(64), notNull: true },
    // success, error, not run, or rolled back (a --full-refresh that was undone).
    { name: 'status', type: varchar(16), notNull: true },
    { name: 'seconds', type: double },
    ...counts,
    { name: 'error', type: varchar(4096) },
  ],
  primaryKey: ['run_id', 'step_id'],
  distribution: { style: 'all' },
  sortKey: ['run_id', 'step_id'],
};

const tables = [transformRuns, transformRunSteps];

export async function up(knex: Knex): Promise<void> {
  await createTables(knex, tables);
}

export async function down(knex: Knex): Promise<void> {
  await dropTables(knex, tables);
}
