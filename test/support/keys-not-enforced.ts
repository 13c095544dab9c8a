// Redshift records primary and unique keys and NOT NULL without enforcing them; PostgreSQL
// enforces them. Tests that plant the breaches Redshift would accept drop them first, and run
// the checks with Redshift's flag (enforcesUniqueKeys off), so they count copies as they do there.
import type { Dialect } from '../../src/dialects';
import { starTables } from '../../src/transform/declared-checks';
import type { TestDatabase } from './databases';

/** Drops PostgreSQL's primary keys, unique indexes and NOT NULLs on the star tables, as Redshift does not enforce them. */
export async function enforceNothing(db: TestDatabase): Promise<void> {
  for (const table of starTables()) {
    const constraints = await db.knex.raw(
      `select conname from pg_constraint where conrelid = ?::regclass and contype in ('p', 'u')`,
      [`"${table.name}"`],
    );
    for (const { conname } of constraints.rows)
      await db.knex.raw(`alter table "${table.name}" drop constraint "${conname}"`);
    const indexes = await db.knex.raw(
      `select indexname from pg_indexes where tablename = ? and indexdef like 'CREATE UNIQUE%'`,
      [table.name],
    );
    for (const { indexname } of indexes.rows) await db.knex.raw(`drop index "${indexname}"`);
    for (const column of table.columns.filter((c) => c.notNull && c.type.kind !== 'identity'))
      await db.knex.raw(`alter table "${table.name}" alter column "${column.name}" drop not null`);
  }
}

/** PostgreSQL's dialect as the checks see Redshift: keys declared, not enforced. */
export function keysNotEnforced(dialect: Dialect): Dialect {
  return Object.create(dialect, {
    capabilities: { value: { ...dialect.capabilities, enforcesUniqueKeys: false } },
  }) as Dialect;
}
