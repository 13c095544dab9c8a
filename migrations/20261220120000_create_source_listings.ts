// source_listings: each source's listing as its last load left it, as a digest, with the
// ledger's state at that moment (src/load/unchanged-listing.ts). A run that lists the same
// files, sizes and versions, and finds the ledger as it was, has nothing to load and skips
// reading the ledger's entries. Written in the load's own transaction.
import type { Knex } from 'knex';
import { createTables, dropTables } from '../src/migrate/ddl';
import { bigint, timestamptz, varchar, type TableDeclaration } from '../src/schema/table';

export const sourceListings: TableDeclaration = {
  name: 'source_listings',
  layer: 'bookkeeping',
  comment: "a digest of each source's listing when its last load had recorded every listed file",
  columns: [
    { name: 'source', type: varchar(32), notNull: true },
    { name: 'digest', type: varchar(64), notNull: true },
    // The ledger when the digest was recorded: a ledger changed since (rows deleted by
    // hand, a --full-refresh) makes the listing count as changed.
    { name: 'ledger_files', type: bigint, notNull: true },
    { name: 'ledger_loaded_at', type: timestamptz },
  ],
  primaryKey: ['source'],
  distribution: { style: 'all' },
  sortKey: ['source'],
};

export async function up(knex: Knex): Promise<void> {
  await createTables(knex, [sourceListings]);
}

export async function down(knex: Knex): Promise<void> {
  await dropTables(knex, [sourceListings]);
}
