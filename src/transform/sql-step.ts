// A step made of SQL statements in the subset Redshift and Postgres both run. Each
// statement may say what its row count means, so the summary can report inserted and
// updated rows: an upsert deletes the rows it replaces, then inserts the new versions.
// Statements are rendered when the step runs, with the dialect of its engine.
import type { Dialect } from '../dialects';
import { blockComment, quoteIdentifier } from '../dialects/dialect';
import { runVerbatim } from '../verbatim';
import { insertBatch, type WithoutDedup } from './bulk-insert';
import { analyzeOnSample } from '../sampled-analyze';
import { recordTable, SCOPE_TABLE } from './check-scope';
import { inputsUnchanged, INPUTS_TABLE, recordInputs, type Catalogue } from './unchanged-inputs';
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
  /**
   * The statement changes rows of this table: when it changed any (in a dry run, which cannot
   * know: always), the table is analyzed on a sample where the dialect asks for it
   * (capabilities.analyzesChangedTables), `when`:
   * - 'now': the step's next statements join it, and are planned on its size and keys;
   * - 'after the step': later runs plan their reads with it, and the step's later statements
   *   keep the plans they had. (070's insert into an empty songplays, planned on staging_songs
   *   analyzed after 070 marked it, hashed the plays instead of the catalogue and stored them
   *   out of time order: start_time's correlation fell from 1.00 to 0.01, and every later
   *   range read of the fact became a scan.)
   */
  analyzes?: { table: string; when: 'now' | 'after the step' };
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
  /**
   * The load source whose whole catalogue the step derives its table from: the step is
   * skipped when that catalogue, its statements, the schema and the table's row count are
   * as they were when it last derived the table (unchanged-inputs.ts).
   */
  derivesFromCatalogue?: Catalogue;
}

export function sqlStep(definition: SqlStepDefinition): TransformStep {
  // Every engine quotes names alike, so the tables a rendering names are the same on all.
  const named = tablesNamedIn(
    definition
      .statements({ quoteIdentifier, binaryText: (expression) => expression })
      .flatMap((s) => ('whenEmpty' in s ? [...s.whenEmpty, ...s.otherwise] : [s]).map((t) => t.sql)),
  );
  return defineStep({
    description: definition.description,
    tables: [
      ...new Set([
        definition.target,
        ...named,
        SCOPE_TABLE,
        ...(definition.derivesFromCatalogue
          ? ['load_ledger', definition.derivesFromCatalogue.table, INPUTS_TABLE]
          : []),
      ]),
    ],
    async run(context): Promise<StepStats> {
      const { db, dialect, options } = context;
      const statements = definition.statements(dialect);
      const derived = definition.derivesFromCatalogue && {
        target: definition.target,
        catalogue: definition.derivesFromCatalogue,
        rendered: JSON.stringify(statements),
      };
      if (derived && !options.fullRefresh && (await inputsUnchanged(context, derived))) {
        await runVerbatim(db, recordTable(definition.target, 'ran'));
        return { inserted: 0, updated: 0 };
      }
      if (options.fullRefresh) await db.raw(`delete from ${dialect.quoteIdentifier(definition.target)}`);
      const rows = { replaced: 0, updated: 0, inserted: 0, deleted: 0 };
      let batchRows = 0;
      const tallies: Pick<StepStats, 'repairedMatches'> = {};
      const analyzedAfter = new Set<string>();
      for await (const statement of asRun(context, statements)) {
        const execute = async () => await runVerbatim(db, statement.sql);
        const into = statement.insertsBatchInto;
        const result = into
          ? await insertBatch(
              context,
              into,
              statement.intoEmptyTable ? 'into an empty table' : batchRows,
              execute,
              statement.withoutDedup,
            )
          : await execute();
        const count = Number(result?.rowCount ?? 0);
        if (statement.counts) rows[statement.counts] += count;
        if (statement.batch) batchRows += statement.batch === 'batched' ? count : -count;
        if (statement.tally) tallies[statement.tally] = Number(Object.values(result?.rows?.[0] ?? {})[0] ?? 0);
        const { analyzes } = statement;
        if (analyzes && dialect.capabilities.analyzesChangedTables && (count > 0 || options.dryRun)) {
          if (analyzes.when === 'now') await analyzeOnSample(db, dialect.quoteIdentifier(analyzes.table));
          else analyzedAfter.add(analyzes.table);
        }
      }
      for (const table of analyzedAfter) await analyzeOnSample(db, dialect.quoteIdentifier(table));
      // The step wrote to its table, perhaps nothing: the next checks scope to what it recorded.
      await runVerbatim(db, recordTable(definition.target, options.fullRefresh ? 'all' : 'ran'));
      if (derived) await recordInputs(context, derived);
      return {
        inserted: rows.inserted - rows.replaced,
        updated: rows.replaced + rows.updated,
        ...(rows.deleted ? { deleted: rows.deleted } : {}),
        ...tallies,
      };
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
    list.map((s) => ({
      ...s,
      sql: tag(s.sql, when),
      ...(s.withoutDedup ? { withoutDedup: { ...s.withoutDedup, sql: tag(s.withoutDedup.sql, when) } } : {}),
    }));
  return [
    ...(options.dryRun || empty ? tagged(choice.whenEmpty, 'is empty') : []),
    ...(options.dryRun || !empty ? tagged(choice.otherwise, 'has rows') : []),
  ];
}

/** Epoch milliseconds to a timestamp that keeps the milliseconds, on both engines. */
export function epochMillisToTimestamp(column: string): string {
  return `timestamp 'epoch' + ${column} / 1000.0 * interval '1 second'`;
}
