// A batch that is large against its table goes in the way pg_restore builds a table: the
// table's indexes are dropped, the rows inserted, the indexes built again and the table
// analyzed, all in the step's transaction. Row-by-row index maintenance was most of 070's time (the figures:
// docs/performance.md, "Figures behind comments"). Any failure, the rebuild's own
// included, rolls the drops back with the rest of the step, so a step never ends with an
// index missing.
//
// When: on --full-refresh (the step emptied the table first), into a table that held no
// row (a first load), or when the batch holds at least as many rows as the table already does.
// Building an index costs about a third of maintaining it row by row for the same rows,
// so rebuilding over table + batch wins until the table is about 1.8 times the batch;
// "at most the batch" keeps a margin. A daily run's batch is far smaller than its table
// and keeps the indexes: no rebuild, and readers are never blocked. A rebuild does block
// them: DROP INDEX locks the table until the step commits.
//
// Which: every index the dialect renders from the table's declaration (the latest
// migration's). The primary key too: `time` has no other index, and inserting its batch
// took about twice the server CPU with the key in place; on songplays, whose key is an
// identity, it made no difference. The primary and unique keys are among them: if a batch
// broke one, its rebuild fails the step just as the insert would have. A table with
// triggers keeps its indexes: PostgreSQL refuses CREATE INDEX and ALTER TABLE while the
// insert's trigger events are pending (a deferred constraint trigger's, until COMMIT).
import { declaredTables } from '../migrate/declarations';
import type { TableIndex } from '../dialects/dialect';
import type { TableDeclaration } from '../schema/table';
import { analyzeOnSample } from '../sampled-analyze';
import { runVerbatim } from '../verbatim';
import type { StepContext } from '../step/contract';

export interface QueryResult {
  rowCount?: number | null;
}

/** Rows the batch holds, or, when it goes straight into a table that held none, that. */
export type BatchSize = number | 'into an empty table';

/** The same insert without the batch's own dedup on `key`: its rows may share a key. */
export interface WithoutDedup {
  sql: string;
  key: string[];
}

const SAVEPOINT = 'before_insert_without_dedup';

/**
 * Runs `insert` (which adds `batch` rows to `table`) with the table's indexes rebuilt
 * around it when that is cheaper. When the rebuild includes a unique index on exactly
 * the batch's dedup key, `withoutDedup` goes first: that index's build is then the check
 * for duplicates, and the batch's own dedup, a sort of every row with all its columns, is
 * paid only when the build finds a duplicate (070's insert into the bare songplays is faster
 * without the dedup: docs/performance.md, "Figures behind comments"). On a duplicate, the
 * insert is rolled back to a savepoint and `insert`, with its dedup, runs instead. Only
 * where indexes are rebuilt (capability rebuildIndexesAfterBulkInsert: PostgreSQL), so
 * Redshift, which has no SAVEPOINT, never gets there.
 */
export async function insertBatch(
  context: StepContext,
  table: string,
  batch: BatchSize,
  insert: () => Promise<QueryResult | undefined>,
  withoutDedup?: WithoutDedup,
): Promise<QueryResult | undefined> {
  const { db } = context;
  const declaration = declarations().get(table)?.declaration;
  const large = await isLarge(context, table, batch);
  const indexes = large ? await indexesToRebuild(context, declaration, table) : [];
  for (const index of indexes) await runVerbatim(db, index.drop);
  const rebuild = async () => {
    for (const index of indexes) await runVerbatim(db, index.create);
  };
  const attempt =
    withoutDedup && indexes.length > 0 && rebuiltKeyChecks(declaration, withoutDedup.key) ? withoutDedup : undefined;
  // Statistics for the table as it now is, for the next run's plans (../sampled-analyze.ts),
  // whether or not its indexes were rebuilt (a table with triggers keeps them).
  const analyzed = async (result: QueryResult | undefined) => {
    if (large) await analyzeOnSample(db, context.dialect.quoteIdentifier(table));
    return result;
  };
  if (attempt) {
    const inserted = await insertWithoutDedup(context, attempt.sql, rebuild);
    if (inserted) return analyzed(inserted.result);
  }
  const result = await insert();
  await rebuild();
  if (attempt) await runVerbatim(db, `release savepoint ${SAVEPOINT}`);
  return analyzed(result);
}

/**
 * Whether the rebuilt indexes include a primary or unique key on exactly `key` whose
 * columns are not null (a unique index lets rows with a null in the key repeat): then its
 * build is the batch's check for duplicates.
 */
function rebuiltKeyChecks(declaration: TableDeclaration | undefined, key: string[]): boolean {
  const notNull = (name: string) =>
    declaration?.primaryKey?.includes(name) || declaration?.columns.find((c) => c.name === name)?.notNull;
  const keys = [declaration?.primaryKey, declaration?.uniqueKey].filter((k): k is string[] => !!k);
  return keys.some((k) => sameColumns(k, key) && k.every(notNull));
}

/**
 * The insert without the dedup and the rebuild, after a savepoint: its result, or
 * undefined once rolled back to the savepoint because the rebuild found a duplicate (a dry
 * run rolls back too, to show what follows a duplicate); the caller then inserts with the
 * dedup and releases the savepoint.
 */
async function insertWithoutDedup(
  { db, options }: StepContext,
  sql: string,
  rebuild: () => Promise<void>,
): Promise<{ result: QueryResult | undefined } | undefined> {
  await runVerbatim(db, `savepoint ${SAVEPOINT}`);
  try {
    const result = await runVerbatim(db, sql);
    await rebuild();
    if (!options.dryRun) {
      await runVerbatim(db, `release savepoint ${SAVEPOINT}`);
      return { result };
    }
  } catch (error) {
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
  }
  await runVerbatim(
    db,
    `rollback to savepoint ${SAVEPOINT} /* when a unique index found two rows with one key: the batch again, with its dedup */`,
  );
  return undefined;
}

/** PostgreSQL's SQLSTATE for a duplicate key (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
const UNIQUE_VIOLATION = '23505';

function sameColumns(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((column) => b.includes(column));
}

/**
 * Whether the batch is large against its table: on --full-refresh (the step emptied it),
 * into a table that held no row, or when the batch holds at least as many rows as the table.
 * PostgreSQL only (capability rebuildIndexesAfterBulkInsert): Redshift's SQL is unchanged.
 */
async function isLarge(context: StepContext, table: string, batch: BatchSize): Promise<boolean> {
  const { dialect, options } = context;
  if (!dialect.capabilities.rebuildIndexesAfterBulkInsert) return false;
  return options.fullRefresh || batch === 'into an empty table' || (await batchOutweighsTable(context, table, batch));
}

/** The declared indexes of a table a large batch goes into; none when it has triggers. */
async function indexesToRebuild(
  context: StepContext,
  declaration: TableDeclaration | undefined,
  table: string,
): Promise<TableIndex[]> {
  const { db, dialect } = context;
  const indexes = declaration ? dialect.indexesOf(declaration) : [];
  if (indexes.length === 0) return [];
  const triggers = await runVerbatim(db, dialect.countTriggers(table));
  return Number(triggers?.rows?.[0]?.triggers ?? 0) > 0 ? [] : indexes;
}

async function batchOutweighsTable({ db, dialect }: StepContext, table: string, batchRows: number): Promise<boolean> {
  if (batchRows <= 0) return false;
  // Counts no further than the batch's size: a large table costs no more than a small one.
  const existing = await runVerbatim(
    db,
    `select count(*) as table_rows from (select 1 from ${dialect.quoteIdentifier(table)} limit ${batchRows}) as existing`,
  );
  return Number(existing?.rows?.[0]?.table_rows ?? batchRows) < batchRows;
}

let declared: ReturnType<typeof declaredTables> | undefined;

/** Read once per process: the migrations do not change while it runs. */
function declarations(): ReturnType<typeof declaredTables> {
  declared ??= declaredTables();
  return declared;
}
