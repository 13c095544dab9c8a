// `--measure`: choose the fact and its largest dimension, run measure.ts, print its table.
import type { Knex } from 'knex';
import { listSavedQueries } from '../report/saved-queries';
import type { TableDeclaration } from '../schema/table';
import { formatTable } from '../cli/table';
import type { AdviceReport } from './advise';
import { measure, measureLayouts, type LayoutChoice, type MeasureResult } from './measure';
import { factTable } from './recommend';
import type { Workload } from './workload';

/** The fact (the table the saved queries join most) and the dimension it joins that is largest (by rows when known, else by joins). */
function measuredTables(
  tables: TableDeclaration[],
  workload: Workload,
  report?: AdviceReport,
): { fact: TableDeclaration; dimension: TableDeclaration } {
  const factName = factTable({ tables, workload, profiles: new Map(), slices: 1, nodes: 1 }) ?? tables[0].name;
  const partners = new Map<string, number>();
  for (const j of workload.joins.filter((j) => j.source.kind === 'query')) {
    const sides = [j.left.table, j.right.table];
    if (sides.includes(factName))
      for (const t of sides.filter((t) => t !== factName)) partners.set(t, (partners.get(t) ?? 0) + 1);
  }
  const size = (t: string) => report?.profiles.find((p) => p.table === t)?.rows ?? partners.get(t) ?? 0;
  const dimensionName = [...partners.keys()].sort((a, b) => size(b) - size(a))[0];
  const byName = (name: string) => tables.find((t) => t.name === name)!;
  return { fact: byName(factName), dimension: byName(dimensionName ?? tables.find((t) => t.name !== factName)!.name) };
}

export async function runMeasure(
  knex: Knex,
  tables: TableDeclaration[],
  workload: Workload,
  report: AdviceReport | undefined,
  options: { runs: number; nodeType: string; nodes: number; log(m: string): void },
): Promise<MeasureResult> {
  const { fact, dimension } = measuredTables(tables, workload, report);
  const advised = new Map<string, LayoutChoice>(
    (report?.tables ?? []).map((t) => [t.table, { distribution: t.distribution, sortKey: t.sortKey }]),
  );
  const layouts = measureLayouts(fact, dimension, workload, advised);
  return measure(knex, layouts, listSavedQueries(), { ...options, advisedTables: tables.map((t) => t.name) });
}

export function formatMeasure(result: MeasureResult): string {
  const rows = result.measured.map((m) => [
    m.layout,
    m.query,
    m.medianMs === undefined ? '-' : m.medianMs.toFixed(1),
    String(m.runs.length),
    m.steps.join(' ') || '-',
  ]);
  const cost = [
    `Copies: ${result.shadowMb} MB for ${result.seconds.toFixed(0)} s`,
    result.storageUsd === undefined ? '' : `storage about $${result.storageUsd.toFixed(6)}`,
    result.clusterUsd === undefined
      ? ''
      : `cluster time about $${result.clusterUsd.toFixed(2)} (on-demand, us-east-1 prices)`,
  ]
    .filter(Boolean)
    .join('; ');
  const advisor = result.advisor.length
    ? formatTable(
        ['table', 'type', 'ddl', 'auto'],
        result.advisor.map((r) => [String(r.table_name), String(r.type), String(r.ddl), String(r.auto_eligible)]),
      )
    : '(no recommendation from Redshift for these tables)';
  return `Measured on Redshift (median of each query's runs, result cache off)\n${formatTable(['layout', 'query', 'median ms', 'runs', 'distribution steps'], rows)}\n${cost}\n\nRedshift's own recommendations (SVV_ALTER_TABLE_RECOMMENDATIONS)\n${advisor}`;
}
