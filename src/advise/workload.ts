// The workload the advice is about: the saved queries in analytics/ and the statements
// of the transform steps, both read at run time (the transforms rendered the way a
// dry run renders them), so new queries, steps or columns change the advice without
// any change here.
import { loadConfig, PUBLIC_SPARKIFY_SOURCES } from '../config';
import { redshift } from '../dialects';
import { listSavedQueries, type SavedQuery } from '../report/saved-queries';
import { dryRunSteps } from '../transform/dry-run';
import { loadSteps } from '../transform/runner';
import { DEFAULT_RUN_OPTIONS } from '../step/contract';
import { UsageReader, type Catalog, type FilterUse, type JoinUse } from './sql-usage';

type UseSource = { kind: 'query'; name: string } | { kind: 'transform'; name: string };

export interface Workload {
  queries: SavedQuery[];
  /** Every equality join found, with where it was found. */
  joins: Array<JoinUse & { source: UseSource }>;
  filters: Array<FilterUse & { source: UseSource }>;
  /** Steps whose SQL could not be rendered offline (their joins are missing from the advice). */
  skippedSteps: string[];
}

export async function readWorkload(
  catalog: Catalog,
  options: { analyticsDir?: string; transformsDir?: string } = {},
): Promise<Workload> {
  const queries = listSavedQueries(options.analyticsDir);
  const workload: Workload = { queries, joins: [], filters: [], skippedSteps: [] };
  for (const query of queries)
    add(workload, new UsageReader(catalog), [query.sql], { kind: 'query', name: query.name });
  for (const step of await transformStatements(options.transformsDir)) {
    if (step.statements) add(workload, new UsageReader(catalog), step.statements, { kind: 'transform', name: step.id });
    else workload.skippedSteps.push(step.id);
  }
  return workload;
}

function add(workload: Workload, reader: UsageReader, statements: string[], source: UseSource): void {
  for (const sql of statements) {
    const usage = reader.read(sql);
    workload.joins.push(...usage.joins.map((j) => ({ ...j, source })));
    workload.filters.push(...usage.filters.map((f) => ({ ...f, source })));
  }
}

/**
 * The transform steps' SQL, rendered for Redshift from the public sample's S3 URIs, so
 * no file or bucket is read. The upserts are the same text on both engines (a golden
 * test pins that), so the Redshift rendering stands for both.
 */
async function transformStatements(dir?: string): Promise<Array<{ id: string; statements?: string[] }>> {
  const config = loadConfig({
    target: 'redshift',
    dryRun: true,
    env: {
      LOG_DATA: PUBLIC_SPARKIFY_SOURCES.logData,
      SONG_DATA: PUBLIC_SPARKIFY_SOURCES.songData,
      LOG_JSONPATH: PUBLIC_SPARKIFY_SOURCES.logJsonPath,
    },
  });
  const steps = loadSteps(dir);
  const rendered: Array<{ id: string; statements?: string[] }> = [];
  for (const step of steps) {
    try {
      const [result] = (await dryRunSteps(redshift, [step], config, { ...DEFAULT_RUN_OPTIONS, dryRun: true })).results;
      rendered.push({ id: step.id, statements: result.statements });
    } catch {
      rendered.push({ id: step.id });
    }
  }
  return rendered;
}
