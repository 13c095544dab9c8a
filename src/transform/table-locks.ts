// Explicit table locks at the start of a step's transaction, where the dialect asks for
// them (Redshift). Redshift's serializable isolation fails overlapping writers with
// error 1023; the remedy AWS documents is to "force serialization by locking all tables
// in each session": an explicit LOCK of every table the transaction reads or writes, as
// its first statement (AWS, "Troubleshooting serializable isolation errors" and
// "Managing concurrent write operations"). LOCK takes a list of tables and always locks
// in ACCESS EXCLUSIVE mode (AWS SQL reference, "LOCK": `LOCK [ TABLE ] table_name [, ...]`).
// The names are sorted so two transactions always ask in the same order.
import type { Dialect } from '../dialects';
import type { TransformStep } from '../step/contract';

export function tableLockStatement(dialect: Dialect, tables: Iterable<string>): string | undefined {
  if (!dialect.capabilities.explicitTableLocks) return undefined;
  const names = [...new Set(tables)].sort();
  if (names.length === 0) return undefined;
  return `lock ${names.map((name) => dialect.quoteIdentifier(name)).join(', ')}`;
}

/** Every table the steps declare, for --full-refresh's one transaction. */
export function tablesOf(steps: TransformStep[]): string[] {
  return steps.flatMap((step) => step.tables ?? []);
}

// Words that put a table name after them in the statements we write. `extract(hour from
// start_time)` and `trim(both from x)` have a "from" before a column: those are cut first.
const NOT_A_TABLE = /\b(?:extract|trim|substring|position|overlay)\s*\([^()]*?\bfrom\b/gi;
const TABLE_POSITION = /\b(?:from|join|using|into|update|table)\s+"?([a-z_][a-z0-9_]*)"?/gi;

/**
 * The tables a block of SQL names in a FROM, JOIN, USING, INTO, UPDATE or TABLE position,
 * less those it creates itself (temp batch tables) and its CTEs.
 */
export function tablesNamedIn(sqls: string[]): string[] {
  const found = new Set<string>();
  const own = new Set<string>();
  for (const sql of sqls) {
    for (const match of sql.matchAll(/\bcreate\s+(?:temp|temporary)\s+table\s+"?([a-z_][a-z0-9_]*)"?/gi))
      own.add(match[1].toLowerCase());
    for (const match of sql.matchAll(/\b([a-z_][a-z0-9_]*)\s+as\s*\(/gi)) own.add(match[1].toLowerCase());
    for (const match of sql.replace(NOT_A_TABLE, '(').matchAll(TABLE_POSITION)) found.add(match[1].toLowerCase());
  }
  return [...found].filter((name) => !own.has(name));
}
