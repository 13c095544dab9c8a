// --measure on Redshift: copies of the fact and its largest dimension in each candidate
// layout, every saved query run N times against each with the result cache off, the
// elapsed times read back from SYS_QUERY_HISTORY, the plan's distribution steps from
// EXPLAIN, then the copies dropped. The statements are in measure-sql.ts, with their
// AWS references. Everything runs on one connection: the session settings
// (result cache, query_group) belong to it.
import type { Knex } from 'knex';
import { hourlyCost } from '../cluster/node-types';
import type { SavedQuery } from '../report/saved-queries';
import type { Distribution, TableDeclaration } from '../schema/table';
import { describeLayout } from './colocation';
import {
  advisorSql,
  againstShadows,
  createShadowSql,
  distributionSteps,
  dropShadowSql,
  elapsedSql,
  explainSql,
  RESET_LABEL,
  RESULT_CACHE_OFF,
  setLabelSql,
  shadowSizesSql,
  type ShadowTable,
} from './measure-sql';
import type { Workload } from './workload';

export interface MeasureLayout {
  name: string;
  shadows: ShadowTable[];
}

interface MeasuredQuery {
  layout: string;
  query: string;
  runs: number[];
  medianMs?: number;
  steps: string[];
}

export interface MeasureResult {
  measured: MeasuredQuery[];
  shadowMb: number;
  seconds: number;
  /** The extra storage and the cluster's time while it ran, in dollars (an estimate). */
  storageUsd?: number;
  clusterUsd?: number;
  advisor: Array<Record<string, unknown>>;
}

/**
 * RA3 managed storage, US dollars per GB-month in us-east-1, recorded 2025-11 from
 * https://aws.amazon.com/redshift/pricing/ (other regions differ; an estimate).
 */
const MANAGED_STORAGE_USD_PER_GB_MONTH = 0.024;
const LABEL = 'advise';

export interface LayoutChoice {
  distribution: Distribution;
  sortKey: string[];
}

/** Today's layout, the advised one, EVEN, both keyed on their join column, and AUTO: each once. */
export function measureLayouts(
  fact: TableDeclaration,
  dimension: TableDeclaration,
  workload: Workload,
  advised?: Map<string, LayoutChoice>,
): MeasureLayout[] {
  const today = (t: TableDeclaration): LayoutChoice => ({ distribution: t.distribution, sortKey: t.sortKey ?? [] });
  const join = workload.joins.find(
    (j) =>
      j.source.kind === 'query' &&
      new Set([j.left.table, j.right.table]).size === 2 &&
      [j.left.table, j.right.table].every((t) => t === fact.name || t === dimension.name),
  );
  const factColumn = join ? (join.left.table === fact.name ? join.left.column : join.right.column) : undefined;
  const dimColumn = join ? (join.left.table === dimension.name ? join.left.column : join.right.column) : undefined;
  const candidates: Array<[LayoutChoice, LayoutChoice]> = [
    [today(fact), today(dimension)],
    [advised?.get(fact.name) ?? today(fact), advised?.get(dimension.name) ?? today(dimension)],
    [
      { distribution: { style: 'even' }, sortKey: fact.sortKey ?? [] },
      { distribution: { style: 'even' }, sortKey: dimension.sortKey ?? [] },
    ],
    ...(factColumn && dimColumn
      ? [
          [
            { distribution: { style: 'key', column: factColumn }, sortKey: [factColumn] },
            { distribution: { style: 'key', column: dimColumn }, sortKey: [dimColumn] },
          ] as [LayoutChoice, LayoutChoice],
        ]
      : []),
    [
      { distribution: { style: 'auto' }, sortKey: fact.sortKey ?? [] },
      { distribution: { style: 'auto' }, sortKey: dimension.sortKey ?? [] },
    ],
  ];
  const seen = new Set<string>();
  const layouts: MeasureLayout[] = [];
  for (const [f, d] of candidates) {
    const name = `${fact.name} ${describeLayout(f.distribution)} / ${dimension.name} ${describeLayout(d.distribution)}`;
    const key = `${name} ${f.sortKey} ${d.sortKey}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const i = layouts.length + 1;
    layouts.push({
      name,
      shadows: [
        { source: fact.name, shadow: `advise_${i}_${fact.name}`, ...f },
        { source: dimension.name, shadow: `advise_${i}_${dimension.name}`, ...d },
      ],
    });
  }
  return layouts;
}

export interface MeasureOptions {
  runs: number;
  nodeType: string;
  nodes: number;
  advisedTables: string[];
  log(message: string): void;
}

export async function measure(
  knex: Knex,
  layouts: MeasureLayout[],
  queries: SavedQuery[],
  options: MeasureOptions,
): Promise<MeasureResult> {
  const started = Date.now();
  const connection = await knex.client.acquireConnection();
  const run = async (sql: string) =>
    (await knex.raw(sql.replace(/\?/g, '\\?')).connection(connection)) as { rows?: Array<Record<string, unknown>> };
  const measured: MeasuredQuery[] = [];
  const shadows = layouts.flatMap((l) => l.shadows);
  let shadowMb: number;
  try {
    await run(RESULT_CACHE_OFF);
    for (const [li, layout] of layouts.entries()) {
      options.log(`layout ${li + 1}/${layouts.length}: ${layout.name}`);
      for (const shadow of layout.shadows) await run(createShadowSql(shadow));
      for (const [qi, query] of queries.entries()) {
        const sql = againstShadows(query.sql, layout.shadows);
        const plan = (await run(explainSql(sql))).rows ?? [];
        const steps = distributionSteps(plan.map((row) => String(Object.values(row)[0])));
        for (let r = 0; r < options.runs; r++) {
          await run(setLabelSql(`${LABEL} ${li + 1} ${qi + 1} ${r + 1}`));
          await run(sql);
        }
        await run(RESET_LABEL);
        measured.push({ layout: layout.name, query: query.name, runs: [], steps });
      }
    }
    const elapsed = (await run(elapsedSql(`${LABEL} `))).rows ?? [];
    for (const row of elapsed) {
      const [, li, qi] = String(row.label).split(' ').map(Number);
      measured[(li - 1) * queries.length + (qi - 1)]?.runs.push(Number(row.elapsed_time) / 1000);
    }
    for (const m of measured) m.medianMs = median(m.runs);
    shadowMb = ((await run(shadowSizesSql(shadows))).rows ?? []).reduce((sum, row) => sum + Number(row.size_mb), 0);
  } finally {
    for (const shadow of shadows) await run(dropShadowSql(shadow));
    await knex.client.releaseConnection(connection);
  }
  const advisor = (await knex.raw(advisorSql(options.advisedTables).replace(/\?/g, '\\?'))).rows ?? [];
  const seconds = (Date.now() - started) / 1000;
  const hours = seconds / 3600;
  const perHour = hourlyCost(options.nodeType, options.nodes);
  return {
    measured,
    shadowMb,
    seconds,
    storageUsd: (shadowMb / 1024) * MANAGED_STORAGE_USD_PER_GB_MONTH * (hours / 730),
    clusterUsd: perHour === undefined ? undefined : perHour * hours,
    advisor,
  };
}

export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
