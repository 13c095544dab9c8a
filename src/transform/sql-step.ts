// A step made of SQL statements in the subset Redshift and Postgres both run. Each
// statement may say what its row count means, so the summary can report inserted and
// updated rows: an upsert deletes the rows it replaces, then inserts the new versions.
// Statements are rendered when the step runs, with the dialect of its engine.
import type { Dialect } from '../dialects';
import { blockComment, quoteIdentifier } from '../dialects/dialect';
import { runVerbatim } from '../verbatim';
import { insertBatch, type WithoutDedup } from './bulk-insert';
import { recordStaged, recordTable, SCOPE_TABLE } from './check-scope';
import { tablesNamedIn } from './table-locks';
import { defineStep, type StepContext, type StepStats, type TransformStep } from '../step/contract';

export interface Statement {
  sql: string;
  /** replaced: rows deleted to be inserted again (updates); updated: rows updated in place; inserted: rows inserted; deleted: rows removed. */
  counts?: 'replaced' | 'updated' | 'inserted' | 'deleted';
  /** batched: its row count is the rows put into the temp batch; unbatched: rows taken out of it again. */
  batch?: 'batched' | 'unbatched';
  /** The statement inserts the temp batch into this table: bulk-insert.ts may rebuild the table's indexes around it. */
  insertsBatchInto?: string;
  /** It runs only when the table held no row (see WhenEmpty): its indexes are rebuilt around it, whatever the batch's size. */
  intoEmptyTable?: boolean;
  /** The same insert without the batch's dedup, which bulk-insert.ts may try first. */
  withoutDedup?: WithoutDedup;
  /** A query of one row and one number, reported in the step's stats under this name. */
  tally?: 'repairedMatches';
}

/**
 * Statements chosen when the step runs: `whenEmpty` if `table` holds no row (a first
 * load, or a --full-refresh that emptied it), else `otherwise`. A dry run cannot know, so
 * it renders both; every statement says in a comment when it runs, in real runs too.
 */
export interface WhenEmpty {
  table: string;
  whenEmpty: Statement[];
  otherwise: Statement[];
}

type StepStatement = Statement | WhenEmpty;

/** What statements are rendered with: the dialect's quoting of identifiers. */
export type SqlDialect = Pick<Dialect, 'quoteIdentifier' | 'binaryText'>;

export interface SqlStepDefinition {
  description: string;
  /** The table the step writes; --full-refresh empties it first. */
  target: string;
  /** The step's statements, rendered for the engine the step runs on. */
  statements(dialect: SqlDialect): StepStatement[];
}

export function sqlStep(definition: SqlStepDefinition): TransformStep {
  // Every engine quotes names alike, so the tables a rendering names are the same on all.
  const named = tablesNamedIn(
    definition.statements({ quoteIdentifier, binaryText: (expression) => expression }).flatMap((s) => ('whenEmpty' in s ? [...s.whenEmpty, ...s.otherwise] : [s]).map((t) => t.sql)),
  );
  return defineStep({
    description: definition.description,
    tables: [...new Set([definition.target, ...named, SCOPE_TABLE])],
    async run(context): Promise<StepStats> {
      const { db, dialect, options } = context;
      if (options.fullRefresh) await db.raw(`delete from ${dialect.quoteIdentifier(definition.target)}`);
      const rows = { replaced: 0, updated: 0, inserted: 0, deleted: 0 };
      let batchRows = 0;
      const tallies: Pick<StepStats, 'repairedMatches'> = {};
      for await (const statement of asRun(context, definition.statements(dialect))) {
        const execute = async () => await runVerbatim(db, statement.sql);
        const into = statement.insertsBatchInto;
        const result = into ? await insertBatch(context, into, statement.intoEmptyTable ? 'into an empty table' : batchRows, execute, statement.withoutDedup) : await execute();
        const count = Number(result?.rowCount ?? 0);
        if (statement.counts) rows[statement.counts] += count;
        if (statement.batch) batchRows += statement.batch === 'batched' ? count : -count;
        if (statement.tally) tallies[statement.tally] = Number(Object.values(result?.rows?.[0] ?? {})[0] ?? 0);
      }
      // The step wrote to its table, perhaps nothing: the next checks scope to what it recorded.
      await runVerbatim(db, recordTable(definition.target, options.fullRefresh ? 'all' : 'ran'));
      return { inserted: rows.inserted - rows.replaced, updated: rows.replaced + rows.updated, ...(rows.deleted ? { deleted: rows.deleted } : {}), ...tallies };
    },
  });
}

/** The statements in order, each WhenEmpty resolved where it stands by asking whether its table holds a row (in a dry run, both). */
async function* asRun(context: StepContext, statements: StepStatement[]): AsyncGenerator<Statement> {
  for (const statement of statements) {
    if ('whenEmpty' in statement) yield* await chosen(context, statement);
    else yield statement;
  }
}

async function chosen({ db, dialect, options }: StepContext, choice: WhenEmpty): Promise<Statement[]> {
  const table = dialect.quoteIdentifier(choice.table);
  const found = await runVerbatim(db, `select 1 as found from ${table} limit 1`);
  const empty = (found?.rows ?? []).length === 0;
  const tag = (sql: string, when: string) => `${sql} ${blockComment(`when ${table} ${when}`)}`;
  const tagged = (list: Statement[], when: string) =>
    list.map((s) => ({ ...s, sql: tag(s.sql, when), ...(s.withoutDedup ? { withoutDedup: { ...s.withoutDedup, sql: tag(s.withoutDedup.sql, when) } } : {}) }));
  return [...(options.dryRun || empty ? tagged(choice.whenEmpty, 'is empty') : []), ...(options.dryRun || !empty ? tagged(choice.otherwise, 'has rows') : [])];
}

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
export function upsertFromBatch(dialect: SqlDialect, { table, key, columns, batch, text = [] }: BatchUpsert): Statement[] {
  const target = dialect.quoteIdentifier(table);
  const staged = `${table}_batch`;
  const matchesKey = key.map((k) => `${staged}.${k} = ${target}.${k}`).join('\n  and ');
  const others = columns.filter((c) => !key.includes(c));
  return [
    { sql: `\ncreate temp table ${staged} as\n${batch.trim()}`, batch: 'batched' },
    { sql: `\ndelete from ${staged}\nusing ${target}\nwhere ${matchesKey}\n  and ${sameValues(staged, target, others, text)}`, batch: 'unbatched' },
    ...recordStaged(table, staged).map((sql) => ({ sql: `\n${sql}` })),
    { sql: `\ndelete from ${target}\nusing ${staged}\nwhere ${matchesKey}`, counts: 'replaced' },
    { sql: `\ninsert into ${target} (${columns.join(', ')})\nselect ${columns.join(', ')} from ${staged}`, counts: 'inserted', insertsBatchInto: table },
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
export function insertNewFromBatch(dialect: SqlDialect, { table, key, columns, batch, range, undeduplicated }: BatchInsert): WhenEmpty {
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
      { sql: `\ndelete from ${staged}\nusing ${target}\nwhere ${matchesKey}\n  and ${inBatchRange}`, batch: 'unbatched' },
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
      const equal = text.includes(c) ? `(${left}.${c} = ${right}.${c} and length(${left}.${c}) = length(${right}.${c}))` : `${left}.${c} = ${right}.${c}`;
      return `(${equal} or (${left}.${c} is null and ${right}.${c} is null))`;
    })
    .join('\n  and ');
}

/** Epoch milliseconds to a timestamp that keeps the milliseconds, on both engines. */
export function epochMillisToTimestamp(column: string): string {
  return `timestamp 'epoch' + ${column} / 1000.0 * interval '1 second'`;
}
