// `npm run advise`: the what-if report. Candidates come from the workload's SQL, the
// figures from the data (profile.ts), the choice from recommend.ts.
import type { Knex } from 'knex';
import type { TableDeclaration } from '../schema/table';
import { catalogOf, declaredTables, type DeclaredTable } from '../migrate/declarations';
import { profileTable, type TableProfile } from './profile';
import { adviseTable, joinsToday, type QueryJoin, type TableAdvice } from './recommend';
import { readWorkload, type Workload } from './workload';

export interface AdviceReport {
  slices: number;
  nodes: number;
  basis: string;
  tables: TableAdvice[];
  joins: QueryJoin[];
  profiles: TableProfile[];
  skippedSteps: string[];
}

/**
 * A table's candidate keys: its columns that a parsed join or filter of a saved query or
 * transform touches, plus today's distribution and sort key columns so today's layout
 * is always among those compared.
 */
export function candidateColumns(table: TableDeclaration, workload: Workload): string[] {
  const used = new Set<string>();
  for (const j of workload.joins)
    for (const side of [j.left, j.right]) if (side.table === table.name) used.add(side.column);
  for (const f of workload.filters) if (f.table === table.name) used.add(f.column);
  if (table.distribution.style === 'key') used.add(table.distribution.column);
  for (const column of table.sortKey ?? []) used.add(column);
  return table.columns.map((c) => c.name).filter((name) => used.has(name));
}

/** The star tables: the ones analysts query (staging and bookkeeping serve the loads). */
export function advisedTables(declared: Map<string, DeclaredTable>): TableDeclaration[] {
  return [...declared.values()].map((d) => d.declaration).filter((t) => t.layer === 'star');
}

export async function buildAdvice(
  db: Knex,
  layout: { slices: number; nodes: number; basis: string },
  declared = declaredTables(),
): Promise<AdviceReport> {
  const workload = await readWorkload(catalogOf(declared));
  const tables = advisedTables(declared);
  const profiles = new Map<string, TableProfile>();
  for (const table of tables)
    profiles.set(table.name, await profileTable(db, table, candidateColumns(table, workload), layout.slices));
  const input = { tables, profiles, workload, slices: layout.slices, nodes: layout.nodes };
  return {
    ...layout,
    tables: tables.map((t) => adviseTable(t, input)),
    joins: joinsToday(input),
    profiles: [...profiles.values()],
    skippedSteps: workload.skippedSteps,
  };
}
