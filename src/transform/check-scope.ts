// Which rows the runs wrote, kept in check_scope (migrations/20261218120000_create_check_scope.ts)
// until the quality checks have read them: the writers add to it, the checks read only what it
// names, and a check that passes empties it. Each star table's scope follows its declaration:
// - a time-ordered sort key (songplays, time): the range of it the run inserted, read through
//   the sort key's zone maps on Redshift and its BRIN or btree index on PostgreSQL (AWS "Sort
//   keys", https://docs.aws.amazon.com/redshift/latest/dg/t_Sorting_data.html);
// - else a one-column text primary key (users, songs, artists): the keys the run inserted or replaced;
// - else none: the table is always checked whole.
import { declaredTables } from '../migrate/declarations';
import { quoteIdentifier as quote } from '../dialects/dialect';
import type { TableDeclaration } from '../schema/table';

export const SCOPE_TABLE = 'check_scope';

export type Scope = { kind: 'range'; column: string } | { kind: 'key'; column: string } | { kind: 'whole' };

/** key_value's length in check_scope: longer keys are not kept by value. */
const KEY_BYTES = 512;

export function scopeOf(table: TableDeclaration): Scope {
  const type = (name: string | undefined) => table.columns.find((c) => c.name === name)?.type;
  const sort = table.sortKey?.[0];
  if (sort && type(sort)?.kind === 'timestamp') return { kind: 'range', column: sort };
  const key = table.primaryKey?.length === 1 ? table.primaryKey[0] : undefined;
  const keyType = type(key);
  if (key && keyType?.kind === 'varchar' && keyType.length <= KEY_BYTES) return { kind: 'key', column: key };
  return { kind: 'whole' };
}

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
const insertInto = (columns: string) => `insert into ${SCOPE_TABLE} (${columns})`;

/** What the scope of `table` holds of `kind`, as a condition on check_scope (named `alias`, if given). */
export function scopeRows(
  table: string,
  kind: 'key' | 'range' | 'value' | 'nulls',
  column?: string,
  alias?: string,
): string {
  const at = (name: string) => (alias ? `${alias}.${name}` : name);
  return `(${at('table_name')} = ${literal(table)} and ${at('kind')} = '${kind}'${column ? ` and ${at('column_name')} = ${literal(column)}` : ''})`;
}

/** The rows of `table` (written `alias`) that its scope names; undefined when it has none (checked whole). */
export function inScope(table: TableDeclaration, alias: string): string | undefined {
  const scope = scopeOf(table);
  if (scope.kind === 'whole') return undefined;
  // IN with a subquery (AWS "IN condition", https://docs.aws.amazon.com/redshift/latest/dg/r_in_condition.html).
  if (scope.kind === 'key')
    return `${alias}.${quote(scope.column)} in (select key_value from ${SCOPE_TABLE} where ${scopeRows(table.name, 'key')})`;
  return inRange(table.name, `${alias}.${quote(scope.column)}`);
}

/** `expression` within the range the runs inserted into `table`. */
export function inRange(table: string, expression: string): string {
  const bound = (fn: 'min' | 'max', column: string) =>
    `(select ${fn}(${column}) from ${SCOPE_TABLE} where ${scopeRows(table, 'range')})`;
  return `${expression} between ${bound('min', 'range_from')} and ${bound('max', 'range_to')}`;
}

/**
 * The statements that record what a writer is about to insert into `table`: `staged`, a
 * temp table holding exactly those rows (the upserts' replaced rows among them).
 */
export function recordStaged(table: string, staged: string): string[] {
  const scope = scopeOfTable(table);
  if (scope.kind === 'whole') return [recordTable(table, 'all')];
  const { column } = scope;
  const written =
    scope.kind === 'key'
      ? `${insertInto('table_name, kind, key_value')}\nselect ${literal(table)}, 'key', ${column} from ${staged} where ${column} is not null`
      : `${insertInto('table_name, kind, range_from, range_to')}\nselect ${literal(table)}, 'range', min(${column}), max(${column}) from ${staged}`;
  // A row with no key or outside every range is in no scope: that it exists is recorded apart.
  const nulls = `${insertInto('table_name, kind')}\nselect distinct ${literal(table)}, 'nulls' from ${staged} where ${column} is null`;
  return [written, nulls];
}

/** Values written into `columns` of `table` by an update, read from `from` (the rows it updated). */
export function recordUpdated(table: string, from: string, columns: string[]): string[] {
  return columns.map(
    (column) =>
      `${insertInto('table_name, kind, column_name, key_value')}\nselect distinct ${literal(table)}, 'value', ${literal(column)}, ${column} from ${from} where ${column} is not null`,
  );
}

/** 'all': every row of the table is new (filled from empty, or rebuilt); 'ran': a step wrote to it. */
export function recordTable(table: string, kind: 'all' | 'ran'): string {
  return `${insertInto('table_name, kind')} values (${literal(table)}, '${kind}')`;
}

let declared: Map<string, TableDeclaration> | undefined;

/** A table no migration declares (a test's) is scoped whole. */
function scopeOfTable(table: string): Scope {
  declared ??= new Map([...declaredTables().values()].map((t) => [t.declaration.name, t.declaration]));
  const declaration = declared.get(table);
  return declaration ? scopeOf(declaration) : { kind: 'whole' };
}
