// The saved queries in analytics/: one .sql file each, whose header says what it answers
// and how to chart it. Running them never throws half-way: each query's outcome carries
// its rows or its error, and the report shows both (kysely's migrator does the same).
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { PROJECT_ROOT } from '../config';
import { ConfigError } from '../errors';
import { runQuery, type QueryResult } from '../query/results';

export const ANALYTICS_DIR = path.join(PROJECT_ROOT, 'analytics');

export const CHART_KINDS = ['bar', 'hbar', 'line', 'series-line', 'heatmap', 'donut'] as const;
type ChartKind = (typeof CHART_KINDS)[number];

/**
 * How a query's rows become a chart. The first column is always the label (the x value):
 * - bar, hbar, line: each column in `values` (default: the first numeric column) is a series;
 * - series-line: columns are x, series name, value (long format);
 * - heatmap: columns are row label, column label, value;
 * - donut: columns are slice label, value.
 */
export interface ChartSpec {
  kind: ChartKind;
  values: string[];
}

export interface SavedQuery {
  /** The file name without .sql, e.g. top_songs. */
  name: string;
  /** Relative to the project root, for people: analytics/top_songs.sql. */
  file: string;
  /** The question the first comment line asks. */
  title: string;
  chart: ChartSpec;
  sql: string;
}

export type QueryOutcome =
  { query: SavedQuery; result: QueryResult; seconds: number } | { query: SavedQuery; error: Error; seconds: number };

const CHART_LINE = /^--\s*chart:\s*(\S+)((?:\s+[a-z_][a-z0-9_]*)*)\s*$/;

/**
 * The order the report tells its story in: what users play, when, who pays, how they
 * come back, and how much of it the catalogue explains. Files not named here follow, by name.
 */
export const REPORT_ORDER = [
  'top_songs',
  'top_artists',
  'artist_plays_by_week',
  'daily_activity',
  'plays_by_hour',
  'plays_by_weekday',
  'plays_by_weekday_and_hour',
  'plays_by_level',
  'level_changes',
  'plays_per_user',
  'sessions_per_user',
  'songs_per_session',
  'catalogue_match',
];

/** Every analytics/*.sql file, in REPORT_ORDER, then by file name. */
export function listSavedQueries(dir = ANALYTICS_DIR): SavedQuery[] {
  let files: string[];
  try {
    files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.sql'))
      .sort();
  } catch (error) {
    throw new ConfigError(
      `Cannot read the saved queries in ${dir}: ${(error as Error).message}. Run the report from the project's folder.`,
    );
  }
  if (files.length === 0)
    throw new ConfigError(
      `${dir} holds no .sql files. Put one saved query per file there (see analytics/top_songs.sql).`,
    );
  const rank = (file: string) => {
    const index = REPORT_ORDER.indexOf(path.basename(file, '.sql'));
    return index < 0 ? REPORT_ORDER.length : index;
  };
  return files
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((file) =>
      parseSavedQuery(path.relative(PROJECT_ROOT, path.join(dir, file)), fs.readFileSync(path.join(dir, file), 'utf8')),
    );
}

/** Reads a saved query's header: `-- <question>` first, then optionally `-- chart: <kind> [value columns]`. */
export function parseSavedQuery(file: string, sql: string): SavedQuery {
  const name = path.basename(file, '.sql');
  const lines = sql.split(/\r?\n/);
  const first = lines[0] ?? '';
  if (!first.startsWith('--') || !first.slice(2).trim()) {
    throw new ConfigError(
      `${file} must start with a comment line that says what it answers, e.g. "-- Which songs do users play most?".`,
    );
  }
  const title = first.slice(2).trim();
  let chart: ChartSpec = { kind: 'bar', values: [] };
  const chartLine = lines.slice(1).find((line) => /^--\s*chart:/.test(line));
  if (chartLine) {
    const match = CHART_LINE.exec(chartLine.trim());
    const kind = match?.[1] as ChartKind | undefined;
    if (!match || !kind || !CHART_KINDS.includes(kind)) {
      throw new ConfigError(
        `${file}: "${chartLine.trim()}" is not a chart line. Write "-- chart: <kind> [value columns]" with a kind of ${CHART_KINDS.join(', ')}.`,
      );
    }
    chart = { kind, values: match[2].trim() ? match[2].trim().split(/\s+/) : [] };
  }
  return { name, file, title, chart, sql };
}

export async function runSavedQueries(
  knex: Knex,
  queries: SavedQuery[],
  onDone: (outcome: QueryOutcome) => void = () => {},
): Promise<QueryOutcome[]> {
  const outcomes: QueryOutcome[] = [];
  for (const query of queries) {
    const started = Date.now();
    let outcome: QueryOutcome;
    try {
      outcome = { query, result: await runQuery(knex, query.sql), seconds: (Date.now() - started) / 1000 };
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      // knex puts the whole statement, then " - ", before the database's message: keep the message.
      const fromDatabase = typeof (error as { code?: unknown }).code === 'string' && text.includes(' - ');
      const cause = fromDatabase ? text.slice(text.lastIndexOf(' - ') + 3) : text;
      const message = `${query.file} failed: ${cause}. Run it alone with \`npm run query -- --file ${query.file}\` to see the whole error.`;
      outcome = { query, error: new Error(message), seconds: (Date.now() - started) / 1000 };
    }
    outcomes.push(outcome);
    onDone(outcome);
  }
  return outcomes;
}
