// Runs ad hoc SQL and renders its rows as text tables (npm run query), and runs one saved
// query for the report (rows as arrays by column position, values parsed for its charts).
import type { Knex } from 'knex';
import { runVerbatim } from '../verbatim';
import { formatTable } from '../cli/table';
import { quoteIdentifier } from '../dialects/dialect';

/** Rows as arrays, one cell per column by position: two columns of one name (`count(*), count(…)`) both keep their values. */
export interface QueryResult {
  columns: string[];
  rows: unknown[][];
  rowCount: number;
}

export async function runQuery(knex: Knex, sql: string): Promise<QueryResult> {
  const result = await runVerbatim(knex, sql).options({ rowMode: 'array' });
  const columns: string[] = (result.fields ?? []).map((f: { name: string }) => f.name);
  return { columns, rows: result.rows ?? [], rowCount: Number(result.rowCount ?? result.rows?.length ?? 0) };
}

/**
 * What one statement of `npm run query` gave back, every value as the text the server sent
 * (the driver parses nothing: no Date moved by the machine's zone, no bigint or numeric
 * rounded through a JS number), columns by position so that two of the same name both show.
 */
export interface ShownResult {
  /** The command tag's verb: SELECT, INSERT, … */
  command: string;
  columns: Array<{ name: string; numeric: boolean }>;
  rows: Array<Array<string | null>>;
  rowCount: number;
}

// PostgreSQL type oids of the number types (pg_type): int8, int2, int4, oid, float4, float8, numeric.
const NUMBER_TYPES = new Set([20, 21, 23, 26, 700, 701, 1700]);
const AS_SENT = { getTypeParser: () => (text: string) => text };

/** A node-pg connection (withConnection in src/targets/connect.ts, or one of knex's pool). */
interface Connection {
  query(config: object): Promise<unknown>;
}

interface PgResult {
  command: string;
  rowCount: number | null;
  fields: Array<{ name: string; dataTypeID: number }>;
  rows: Array<Array<string | null>>;
}

export interface DisplayOptions {
  /**
   * A schema searched after the session's own for this command's statements only (the
   * Redshift functions on PostgreSQL targets): set on the connection for the run and put
   * back after it, so no other user of the pool sees it.
   */
  alsoSearch?: string;
}

/**
 * Runs `sql` as psql does: every statement in it (the server splits them: the simple query
 * protocol), each result in order. The text goes to the server as written.
 */
export async function runForDisplay(
  connection: Connection,
  sql: string,
  options: DisplayOptions = {},
): Promise<ShownResult[]> {
  let searchPath: string | undefined;
  try {
    if (options.alsoSearch) {
      const saved = (await connection.query({
        text: "select current_setting('search_path') as path",
        rowMode: 'array',
      })) as PgResult;
      searchPath = String(saved.rows[0][0]);
      await connection.query({
        text: "select set_config('search_path', $1, false)",
        values: [`${searchPath}, ${quoteIdentifier(options.alsoSearch)}`],
      });
    }
    const answer = (await connection.query({ text: sql, rowMode: 'array', types: AS_SENT })) as PgResult | PgResult[];
    return (Array.isArray(answer) ? answer : [answer]).map((result) => ({
      command: result.command,
      columns: (result.fields ?? []).map((f) => ({ name: f.name, numeric: NUMBER_TYPES.has(f.dataTypeID) })),
      rows: result.rows ?? [],
      rowCount: Number(result.rowCount ?? result.rows?.length ?? 0),
    }));
  } finally {
    // A statement that failed inside its own BEGIN leaves the transaction refusing this; the pool's next user then gets a fresh session anyway.
    if (searchPath !== undefined)
      await connection
        .query({ text: "select set_config('search_path', $1, false)", values: [searchPath] })
        .catch(() => undefined);
  }
}

/** One result as a table (numbers right-aligned, text left), or the count a command affected. */
export function renderShown(result: ShownResult): string {
  if (result.columns.length === 0)
    return `${result.command} (${result.rowCount} row${result.rowCount === 1 ? '' : 's'} affected)`;
  const cells = result.rows.map((row) => row.map((value) => value ?? 'null'));
  const textColumns = result.columns.flatMap((c, i) => (c.numeric ? [] : [i]));
  return `${formatTable(
    result.columns.map((c) => c.name),
    cells,
    textColumns,
    { firstLeft: false },
  )}\n(${result.rows.length} row${result.rows.length === 1 ? '' : 's'})`;
}
