// Bookkeeping for loads: which source files are in the warehouse already (so a re-run
// loads only new or changed files), and every rejected input line (so nothing is lost).
import type { Knex } from 'knex';
import { createTables, dropTables } from '../src/migrate/ddl';
import { bigint, integer, timestamptz, varchar, type TableDeclaration } from '../src/schema/table';

export const loadLedger: TableDeclaration = {
  name: 'load_ledger',
  layer: 'bookkeeping',
  comment: 'one row per source file loaded into staging',
  columns: [
    { name: 'source', type: varchar(32), notNull: true },
    { name: 'path', type: varchar(1024), notNull: true },
    { name: 'size_bytes', type: bigint, notNull: true },
    // An S3 ETag, or the file's mtime in ms for local files: a change means reload.
    { name: 'version', type: varchar(128), notNull: true },
    { name: 'rows_loaded', type: bigint },
    { name: 'rows_rejected', type: bigint },
    // 0 while the file's rows sit in staging and the star schema has not taken them yet.
    { name: 'published', type: integer, notNull: true },
    { name: 'loaded_at', type: timestamptz, notNull: true },
  ],
  primaryKey: ['source', 'path'],
  distribution: { style: 'all' },
  sortKey: ['source', 'path'],
};

export const loadErrors: TableDeclaration = {
  name: 'load_errors',
  layer: 'bookkeeping',
  comment: 'one row per rejected input line',
  columns: [
    { name: 'source', type: varchar(32), notNull: true },
    { name: 'path', type: varchar(1024), notNull: true },
    { name: 'line_number', type: bigint },
    { name: 'reason', type: varchar(1024), notNull: true },
    { name: 'raw_line', type: varchar(65535) },
    { name: 'loaded_at', type: timestamptz, notNull: true },
  ],
  distribution: { style: 'even' },
  sortKey: ['loaded_at'],
  timeOrdered: true,
};

const tables = [loadLedger, loadErrors];

export async function up(knex: Knex): Promise<void> {
  await createTables(knex, tables);
}

export async function down(knex: Knex): Promise<void> {
  await dropTables(knex, tables);
}
