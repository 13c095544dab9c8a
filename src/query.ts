// Runs one ad hoc statement and renders its rows as a text table (npm run query).
import fs from 'node:fs';
import type { Knex } from 'knex';
import { ConfigError } from './errors';
import { runVerbatim } from './verbatim';
import { formatTable } from './cli/table';

export interface QueryResult {
  columns: string[];
  rows: Array<Record<string, unknown>>;
  rowCount: number;
}

export async function runQuery(knex: Knex, sql: string): Promise<QueryResult> {
  const result = await runVerbatim(knex, sql);
  const columns: string[] = (result.fields ?? []).map((f: { name: string }) => f.name);
  return { columns, rows: result.rows ?? [], rowCount: Number(result.rowCount ?? result.rows?.length ?? 0) };
}

export function readQueryFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read ${file}: ${(error as Error).message}. Give a path to an .sql file, e.g. --file analytics/top_songs.sql.`);
  }
}

export function renderRows(result: QueryResult): string {
  if (result.columns.length === 0) return `(${result.rowCount} rows affected)`;
  const cells = result.rows.map((row) => result.columns.map((c) => formatCell(row[c])));
  return `${formatTable(result.columns, cells)}\n(${result.rows.length} row${result.rows.length === 1 ? '' : 's'})`;
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace('Z', '');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
