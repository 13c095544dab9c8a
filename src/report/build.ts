// npm run report: runs the saved queries and reads the schema on an open warehouse, then
// renders the page. Like the transform runner it does not throw half-way: a failed query
// becomes a section that says so, and `failed` lets the command set its exit code.
import fs from 'node:fs';
import path from 'node:path';
import type { Warehouse } from '../targets/connect';
import { buildChart, renderChartSvg } from './charts';
import { renderReportPage, type ReportSection } from './html';
import { listSavedQueries, runSavedQueries, type QueryOutcome, type SavedQuery } from './saved-queries';
import { readSchema, type SchemaInfo } from './schema';
import { renderSchemaSvg, starLayout } from './schema-diagram';

export interface BuildOptions {
  queries?: SavedQuery[];
  /** The date the page carries; now by default (tests pin it). */
  now?: Date;
  log?: (message: string) => void;
}

export interface Report {
  html: string;
  outcomes: QueryOutcome[];
  sections: ReportSection[];
  schema: SchemaInfo;
  /** Queries that failed, plus charts that could not be drawn. */
  failed: number;
}

export async function buildReport(
  warehouse: Pick<Warehouse, 'knex' | 'target' | 'location'>,
  options: BuildOptions = {},
): Promise<Report> {
  const log = options.log ?? (() => {});
  const queries = options.queries ?? listSavedQueries();
  const outcomes = await runSavedQueries(warehouse.knex, queries, (outcome) => {
    const what = 'error' in outcome ? `FAIL ${outcome.error.message}` : `${outcome.result.rows.length} rows`;
    log(`  ${outcome.query.file} (${outcome.seconds.toFixed(2)} s): ${what}`);
  });
  const sections = outcomes.map(toSection);
  const schema = await readSchema(warehouse.knex);
  const layout = starLayout(schema);
  const html = renderReportPage({
    generatedAt: options.now ?? new Date(),
    target: warehouse.target,
    location: warehouse.location,
    sections,
    schema,
    schemaSvg: layout && renderSchemaSvg(schema, layout),
    otherTables: layout ? layout.others : schema.tables,
  });
  const failed = sections.filter((s) => s.error || s.chartError).length;
  return { html, outcomes, sections, schema, failed };
}

function toSection(outcome: QueryOutcome): ReportSection {
  const { query } = outcome;
  if ('error' in outcome) return { query, error: outcome.error.message, wide: false };
  const { result } = outcome;
  if (result.rows.length === 0) return { query, result, wide: false };
  try {
    const chart = buildChart(query.chart, result);
    return { query, result, svg: renderChartSvg(chart), wide: chart.size.wide };
  } catch (error) {
    return { query, result, chartError: `${query.file}: ${(error as Error).message}`, wide: false };
  }
}

/** Writes the page, creating its folder. */
export function writeReport(file: string, html: string): string {
  const target = path.resolve(file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, html);
  return target;
}
