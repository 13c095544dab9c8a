// The indexes a table declaration becomes on PostgreSQL, which has no sort or distribution
// keys: BRIN for a time-ordered sort key, btree for the unique, sort and lookup keys (without
// the rows whose leading column is null, where the table asks: lookupKeysSkipNulls), and a
// primary key over a wide varchar kept unique through the md5 of that column.
import type { TableDeclaration } from '../schema/table';
import { columnList, quoteIdentifier } from './dialect';

/**
 * A btree entry holds at most 2,704 bytes ("index row size … exceeds btree version 4
 * maximum 2704"), and a varchar(n) counts characters, up to 4 bytes each: a primary key
 * over a varchar longer than this (the ledger's path of up to 4,096) could not be stored
 * in its index, so that column is keyed by its md5.
 */
const WIDE_KEY_CHARS = 512;

export function wideKeyColumns(table: TableDeclaration): string[] {
  return (table.primaryKey ?? []).filter((name) => {
    const type = table.columns.find((c) => c.name === name)?.type;
    return type?.kind === 'varchar' && type.length > WIDE_KEY_CHARS;
  });
}

/**
 * The indexes that stand for a primary key over a wide varchar (none for any other key):
 * unique through the md5 of each wide column, and a hash index per wide column for
 * lookups by equality, which has no size limit.
 */
export function wideKeyIndexes(table: TableDeclaration): Array<{ name: string; sql: string }> {
  const wide = wideKeyColumns(table);
  if (!table.primaryKey || wide.length === 0) return [];
  const on = quoteIdentifier(table.name);
  const key = table.primaryKey
    .map((c) => (wide.includes(c) ? `md5(${quoteIdentifier(c)})` : quoteIdentifier(c)))
    .join(', ');
  const unique = `${table.name}_pkey_md5`;
  return [
    { name: unique, sql: `create unique index ${quoteIdentifier(unique)} on ${on} using btree (${key})` },
    ...wide.map((column) => {
      const hash = `${table.name}_${column}_hash`;
      return {
        name: hash,
        sql: `create index ${quoteIdentifier(hash)} on ${on} using hash (${quoteIdentifier(column)})`,
      };
    }),
  ];
}

/** Every index a table declaration asks for on PostgreSQL, the wide key's first. */
export function tableIndexes(table: TableDeclaration): Array<{ name: string; sql: string }> {
  const indexes: Array<{ name: string; sql: string }> = [];
  const seen = new Set<string>([table.primaryKey?.join(',') ?? '']);
  const add = (method: 'brin' | 'btree', columns: string[], unique = false, where = '') => {
    const key = columns.join(',');
    if (seen.has(key)) return; // the primary key already has its btree
    seen.add(key);
    const name = `${table.name}_${columns.join('_')}_${unique ? 'key' : method}`;
    const kind = unique ? 'unique index' : 'index';
    indexes.push({
      name,
      sql: `create ${kind} ${quoteIdentifier(name)} on ${quoteIdentifier(table.name)} using ${method} (${columnList(columns)})${where}`,
    });
  };
  indexes.push(...wideKeyIndexes(table));
  if (table.uniqueKey) add('btree', table.uniqueKey, true);
  if (table.sortKey) add(table.timeOrdered ? 'brin' : 'btree', table.timeOrdered ? [table.sortKey[0]] : table.sortKey);
  for (const columns of table.lookupKeys ?? []) add('btree', columns, false, lookupPredicate(table, columns[0]));
  return indexes;
}

/** A lookup key's partial-index predicate: none unless the table asks for one and its leading column may be null. */
function lookupPredicate(table: TableDeclaration, leading: string): string {
  const mayBeNull = !table.columns.find((c) => c.name === leading)?.notNull && !table.primaryKey?.includes(leading);
  return table.lookupKeysSkipNulls && mayBeNull ? ` where ${quoteIdentifier(leading)} is not null` : '';
}
