// What migrations call: render declarations with the dialect of the knex they are given
// (a real connection, or the dry-run client that only records the SQL).
import type { Knex } from 'knex';
import { dialectOf } from '../dialects';
import { runVerbatim } from '../verbatim';
import type { TableDeclaration } from '../schema/table';

export async function createTables(knex: Knex, tables: TableDeclaration[]): Promise<void> {
  const dialect = dialectOf(knex);
  for (const table of tables) {
    for (const statement of dialect.createTable(table)) await runVerbatim(knex, statement);
  }
}

/** Drops in reverse order of creation, so a later table never outlives one it refers to. */
export async function dropTables(knex: Knex, tables: TableDeclaration[]): Promise<void> {
  const dialect = dialectOf(knex);
  for (const table of [...tables].reverse()) {
    for (const statement of dialect.dropTable(table)) await runVerbatim(knex, statement);
  }
}

/**
 * Changes a table's distribution, sort key or lookup keys in a new migration: Redshift
 * gets ALTER TABLE … ALTER DISTSTYLE/SORTKEY, Postgres gets its indexes swapped.
 * Call it with (before, after) in up() and (after, before) in down(); `npm run advise --
 * --write-migration` writes migrations that do.
 */
export async function changeKeys(knex: Knex, from: TableDeclaration, to: TableDeclaration): Promise<void> {
  for (const statement of dialectOf(knex).changeKeys(from, to)) await runVerbatim(knex, statement);
}

/**
 * Adds columns in a new migration: `to` is the declaration that has them. Redshift gets
 * one ALTER TABLE … ADD COLUMN per column, with the column's encoding and default
 * (AWS "ALTER TABLE": ADD [ COLUMN ] name type [ DEFAULT expr ] [ ENCODE enc ] [ NOT NULL ]).
 */
export async function addColumns(knex: Knex, to: TableDeclaration, columns: string[]): Promise<void> {
  const dialect = dialectOf(knex);
  for (const column of columns)
    for (const statement of dialect.addColumn(to, column)) await runVerbatim(knex, statement);
}

/** Undoes addColumns, last column first. */
export async function dropColumns(knex: Knex, from: TableDeclaration, columns: string[]): Promise<void> {
  const dialect = dialectOf(knex);
  for (const column of [...columns].reverse())
    for (const statement of dialect.dropColumn(from, column)) await runVerbatim(knex, statement);
}

/**
 * Changes varchar lengths in a new migration: `from` is the declaration before, `to` the
 * one after. Call it with (before, after) in up() and (after, before) in down().
 * PostgreSQL alters the columns; Redshift deep-copies the table (see RedshiftDialect).
 */
export async function resizeColumns(knex: Knex, from: TableDeclaration, to: TableDeclaration): Promise<void> {
  for (const statement of dialectOf(knex).resizeColumns(from, to)) await runVerbatim(knex, statement);
}

/**
 * Keys a table's wide varchar primary-key columns the way createTable now does (on
 * PostgreSQL by their md5: a btree entry holds at most 2,704 bytes); nothing on Redshift.
 */
export async function keyWideColumns(knex: Knex, table: TableDeclaration): Promise<void> {
  for (const statement of dialectOf(knex).keyWideColumns(table)) await runVerbatim(knex, statement);
}

export async function unkeyWideColumns(knex: Knex, table: TableDeclaration): Promise<void> {
  for (const statement of dialectOf(knex).unkeyWideColumns(table)) await runVerbatim(knex, statement);
}
