// Source paths up to 4,096 bytes in the ledger and in load_errors (were 1,024). A path
// longer than the column failed the ledger insert at the end of a load, and since the
// file was then never recorded, every later run met it again and failed the same way.
// 4,096 bytes holds every path Linux opens by name (PATH_MAX, 4,096 bytes with the NUL)
// and every S3 URI (a key is at most 1,024 bytes, AWS "Naming Amazon S3 objects",
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html, plus `s3://`
// and a bucket name of at most 63). Redshift counts a varchar's length in bytes and
// PostgreSQL in characters, so 4,096 is at least 4,096 bytes on both (AWS "Character
// types", https://docs.aws.amazon.com/redshift/latest/dg/r_Character_types.html).
//
// It runs in the migration's transaction on both engines: PostgreSQL alters the columns,
// Redshift deep-copies the two tables (src/dialects/redshift.ts says why not ALTER COLUMN).
// down() restores varchar(1024) and fails, changing nothing, while a stored path is longer:
// delete those rows (or the files' ledger entries, which makes the next run load them
// again) before rolling back.
import type { Knex } from 'knex';
import { resizeColumns } from '../src/migrate/ddl';
import { varchar, type TableDeclaration } from '../src/schema/table';
import { loadErrors, loadLedger } from './20261125120200_create_load_bookkeeping';

const PATH_BYTES = 4096;

const withLongPaths = (table: TableDeclaration): TableDeclaration => ({
  ...table,
  columns: table.columns.map((c) => (c.name === 'path' ? { ...c, type: varchar(PATH_BYTES) } : c)),
});

export const loadLedgerWithLongPaths = withLongPaths(loadLedger);
export const loadErrorsWithLongPaths = withLongPaths(loadErrors);

const changes: Array<[TableDeclaration, TableDeclaration]> = [
  [loadLedger, loadLedgerWithLongPaths],
  [loadErrors, loadErrorsWithLongPaths],
];

export async function up(knex: Knex): Promise<void> {
  for (const [before, after] of changes) await resizeColumns(knex, before, after);
}

export async function down(knex: Knex): Promise<void> {
  for (const [before, after] of [...changes].reverse()) await resizeColumns(knex, after, before);
}
