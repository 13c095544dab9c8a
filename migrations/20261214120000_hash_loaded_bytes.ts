// load_ledger.content_sha256: the SHA-256 of the bytes a load read of each file (the
// decompressed bytes of a .gz). Size and version (mtime or ETag) say only that a file may
// have changed; with the hash the next run tells an append (the old bytes are a prefix of
// the new: load only the tail) from an edit in place (stop, and say to run --full-refresh),
// and a touched but unchanged file from both (load nothing). README, "Re-runs and increments".
// Nullable: rows written before this migration, and every row the Redshift loader writes
// (COPY reads the files, the tool never does), have no hash.
import type { Knex } from 'knex';
import { addColumns, dropColumns } from '../src/migrate/ddl';
import { varchar, type TableDeclaration } from '../src/schema/table';
import { loadLedgerWithLongPaths } from './20261207120000_widen_source_paths';

export const loadLedgerWithHash: TableDeclaration = {
  ...loadLedgerWithLongPaths,
  columns: [...loadLedgerWithLongPaths.columns, { name: 'content_sha256', type: varchar(64) }],
};

export async function up(knex: Knex): Promise<void> {
  await addColumns(knex, loadLedgerWithHash, ['content_sha256']);
}

export async function down(knex: Knex): Promise<void> {
  await dropColumns(knex, loadLedgerWithHash, ['content_sha256']);
}
