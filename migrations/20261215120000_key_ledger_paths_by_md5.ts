// load_ledger's primary key (source, path) on PostgreSQL, keyed by md5(path) instead of
// the path itself. A btree entry holds at most 2,704 bytes ("index row size … exceeds
// btree version 4 maximum 2704"), so a path of 4,096 bytes, which the ledger's column
// takes since 20261207120000, failed the ledger insert of the run that loaded it. The key
// stays unique through a unique index on (source, md5(path)); lookups by path go through a
// hash index, which has no size limit. A warehouse created after this change already has
// that key (createTable renders it), and this migration changes nothing there. Redshift
// keeps the key as declared: it is informational there and stored in no index.
//
// down() puts the inline primary key back, and fails, changing nothing, while a stored
// path is too long for it: delete those ledger rows first (the files then load again).
import type { Knex } from 'knex';
import { keyWideColumns, unkeyWideColumns } from '../src/migrate/ddl';
import { loadLedgerWithHash } from './20261214120000_hash_loaded_bytes';

export async function up(knex: Knex): Promise<void> {
  await keyWideColumns(knex, loadLedgerWithHash);
}

export async function down(knex: Knex): Promise<void> {
  await unkeyWideColumns(knex, loadLedgerWithHash);
}
