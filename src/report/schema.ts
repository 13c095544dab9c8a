// The live schema, read from information_schema (both engines have it), so the report's
// diagram shows what the database holds rather than what the migrations meant it to.
import type { Knex } from 'knex';

interface ColumnInfo {
  name: string;
  type: string;
  nullable: boolean;
}

export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  /** Empty when the table has none, or the database would not say. */
  primaryKey: string[];
}

/** A column that names another table's one-column primary key: songplays.user_id → users.user_id. */
export interface Relation {
  from: string;
  to: string;
  column: string;
}

export interface SchemaInfo {
  tables: TableInfo[];
  relations: Relation[];
  /** Why the keys are missing, when information_schema would not give them. */
  keysUnavailable?: string;
}

export async function readSchema(knex: Knex): Promise<SchemaInfo> {
  const columns = await knex.raw(`
select
    columns.table_name,
    columns.column_name,
    columns.data_type,
    columns.character_maximum_length,
    columns.is_nullable
from information_schema.columns as columns
inner join information_schema.tables as tables
    on tables.table_schema = columns.table_schema
    and tables.table_name = columns.table_name
where columns.table_schema = current_schema()
  and tables.table_type = 'BASE TABLE'
order by columns.table_name, columns.ordinal_position`);
  const byName = new Map<string, TableInfo>();
  for (const row of columns.rows as Array<Record<string, unknown>>) {
    const tableName = String(row.table_name);
    let table = byName.get(tableName);
    if (!table) byName.set(tableName, (table = { name: tableName, columns: [], primaryKey: [] }));
    table.columns.push({
      name: String(row.column_name),
      type: shortType(String(row.data_type), row.character_maximum_length),
      nullable: row.is_nullable === 'YES',
    });
  }

  let keysUnavailable: string | undefined;
  try {
    const keys = await knex.raw(`
select
    constraints.table_name,
    key_columns.column_name
from information_schema.table_constraints as constraints
inner join information_schema.key_column_usage as key_columns
    on key_columns.constraint_schema = constraints.constraint_schema
    and key_columns.constraint_name = constraints.constraint_name
    and key_columns.table_name = constraints.table_name
where constraints.table_schema = current_schema()
  and constraints.constraint_type = 'PRIMARY KEY'
order by constraints.table_name, key_columns.ordinal_position`);
    for (const row of keys.rows as Array<Record<string, unknown>>)
      byName.get(String(row.table_name))?.primaryKey.push(String(row.column_name));
  } catch (error) {
    keysUnavailable = `information_schema did not give the primary keys (${(error as Error).message}), so the diagram shows no relations.`;
  }

  const tables = [...byName.values()];
  return { tables, relations: findRelations(tables), keysUnavailable };
}

/**
 * Relations by naming convention (the star schema declares no foreign keys: Redshift
 * would not enforce them): a table with a primary key of its own that has a column named
 * like another table's one-column primary key refers to that table.
 */
export function findRelations(tables: TableInfo[]): Relation[] {
  const relations: Relation[] = [];
  for (const target of tables) {
    if (target.primaryKey.length !== 1) continue;
    const [column] = target.primaryKey;
    for (const source of tables) {
      if (source === target || source.primaryKey.length === 0) continue;
      if (source.primaryKey.length === 1 && source.primaryKey[0] === column) continue;
      if (source.columns.some((c) => c.name === column)) relations.push({ from: source.name, to: target.name, column });
    }
  }
  return relations;
}

function shortType(dataType: string, length: unknown): string {
  const names: Record<string, string> = {
    'character varying': 'varchar',
    character: 'char',
    'double precision': 'double',
    'timestamp without time zone': 'timestamp',
    'timestamp with time zone': 'timestamptz',
  };
  const name = names[dataType] ?? dataType;
  return length !== null && length !== undefined && (name === 'varchar' || name === 'char')
    ? `${name}(${length})`
    : name;
}
