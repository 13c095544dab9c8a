// The statements of an upsert or an insert-only load through a temp batch table, as a
// sqlStep runs them: each says what its row count means.
import { recordStaged, recordTable } from './check-scope';
import type { SqlDialect, Statement, WhenEmpty } from './sql-step';

export interface BatchUpsert {
  /** The target table. */
  table: string;
  /** Its key: one batch row per key value. */
  key: string[];
  /** Every column the batch provides, key included. */
  columns: string[];
  /** The select (CTEs welcome) that yields the batch, one row per key. */
  batch: string;
  /** The varchar columns among the non-key ones: compared with their trailing blanks (see sameValues). */
  text?: string[];
}

export interface BatchInsert extends BatchUpsert {
  /**
   * The target's sort-key column, which a row's key determines (a re-delivered play has
   * the same start_time). The anti-join reads only the target's rows within the batch's
   * range of it, so Redshift's zone maps skip the blocks of earlier days (AWS "Sort keys",
   * https://docs.aws.amazon.com/redshift/latest/dg/t_Sorting_data.html: range-restricted
   * predicates skip blocks by their min and max values).
   */
  range: string;
  /**
   * The batch without its own dedup on `key` (its rows may share one). Into an empty
   * table whose rebuilt unique index checks `key`, bulk-insert.ts tries it first.
   */
  undeduplicated?: string;
}

/**
 * Upsert through a temp batch table: rows that would change nothing are dropped from the
 * batch (a re-run reports 0 updates), the rows being replaced are deleted, the batch is
 * inserted. Redshift's documented staging-table upsert, and valid PostgreSQL. What is left
 * of the batch, the rows inserted or replaced, is recorded for the next checks (check-scope.ts).
 */
export function upsertFromBatch(
  dialect: SqlDialect,
  { table, key, columns, batch, text = [] }: BatchUpsert,
): Statement[] {
  const target = dialect.quoteIdentifier(table);
  const staged = `${table}_batch`;
  const matchesKey = key.map((k) => `${staged}.${k} = ${target}.${k}`).join('\n  and ');
  const others = columns.filter((c) => !key.includes(c));
  return [
    { sql: `\ncreate temp table ${staged} as\n${batch.trim()}`, batch: 'batched' },
    {
      sql: `\ndelete from ${staged}\nusing ${target}\nwhere ${matchesKey}\n  and ${sameValues(staged, target, others, text)}`,
      batch: 'unbatched',
    },
    ...recordStaged(table, staged).map((sql) => ({ sql: `\n${sql}` })),
    { sql: `\ndelete from ${target}\nusing ${staged}\nwhere ${matchesKey}`, counts: 'replaced' },
    {
      sql: `\ninsert into ${target} (${columns.join(', ')})\nselect ${columns.join(', ')} from ${staged}`,
      counts: 'inserted',
      insertsBatchInto: table,
    },
    { sql: `drop table ${staged}` },
  ];
}

/**
 * Insert-only: rows whose key is already there are skipped. Into an empty table, the batch
 * goes straight in: there is nothing to check it against, and staging it in a temp table
 * first cost a write and a read of every row (docs/performance.md, "Figures behind
 * comments"; 070 gains less than 060 because PostgreSQL runs CREATE TABLE AS with parallel
 * workers and INSERT without). INSERT takes a query, and a query may open with a WITH
 * clause (AWS "INSERT",
 * https://docs.aws.amazon.com/redshift/latest/dg/r_INSERT_30.html, and "WITH clause",
 * https://docs.aws.amazon.com/redshift/latest/dg/r_WITH_clause.html). Otherwise through a
 * temp batch table, checked against the target's rows in the batch's range. The checks
 * read what it recorded (check-scope.ts): every row after a fill from empty, else the range.
 */
export function insertNewFromBatch(
  dialect: SqlDialect,
  { table, key, columns, batch, range, undeduplicated }: BatchInsert,
): WhenEmpty {
  const target = dialect.quoteIdentifier(table);
  const staged = `${table}_batch`;
  const matchesKey = key.map((k) => `${staged}.${k} = ${target}.${k}`).join('\n  and ');
  const inBatchRange = `${target}.${range} between (select min(${range}) from ${staged}) and (select max(${range}) from ${staged})`;
  const insert = `\ninsert into ${target} (${columns.join(', ')})\n`;
  return {
    table,
    whenEmpty: [
      {
        sql: `${insert}${batch.trim()}`,
        counts: 'inserted',
        insertsBatchInto: table,
        intoEmptyTable: true,
        ...(undeduplicated ? { withoutDedup: { sql: `${insert}${undeduplicated.trim()}`, key } } : {}),
      },
      { sql: recordTable(table, 'all') },
    ],
    otherwise: [
      { sql: `\ncreate temp table ${staged} as\n${batch.trim()}`, batch: 'batched' },
      {
        sql: `\ndelete from ${staged}\nusing ${target}\nwhere ${matchesKey}\n  and ${inBatchRange}`,
        batch: 'unbatched',
      },
      ...recordStaged(table, staged).map((sql) => ({ sql: `\n${sql}` })),
      { sql: `${insert}select ${columns.join(', ')} from ${staged}`, counts: 'inserted', insertsBatchInto: table },
      { sql: `drop table ${staged}` },
    ],
  };
}

/**
 * `a.col = b.col` for every column, where two nulls count as equal (Redshift has no IS
 * NOT DISTINCT FROM). Redshift ignores trailing blanks when it compares varchar, and
 * PostgreSQL does not (AWS "Examples with character types",
 * https://docs.aws.amazon.com/redshift/latest/dg/r_Examples_with_character_types.html); LENGTH counts them on both,
 * so text columns also compare lengths: 'x ' and 'x' differ on both engines, and the new
 * value is stored, exactly as the source gave it.
 */
export function sameValues(left: string, right: string, columns: string[], text: string[] = []): string {
  return columns
    .map((c) => {
      const equal = text.includes(c)
        ? `(${left}.${c} = ${right}.${c} and length(${left}.${c}) = length(${right}.${c}))`
        : `${left}.${c} = ${right}.${c}`;
      return `(${equal} or (${left}.${c} is null and ${right}.${c} is null))`;
    })
    .join('\n  and ');
}
