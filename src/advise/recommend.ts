// From figures to advice: for each table, every candidate layout (KEY on each candidate
// column, EVEN, ALL) scored by the bytes the saved queries' joins would move with the
// other tables at today's keys, its skew, and its storage; then one choice and the
// reason in a line. Sort keys: the columns the saved queries range-filter, filter or
// join on, with how well each follows load order.
import type { Distribution, TableDeclaration } from '../schema/table';
import { describeLayout, joinCost, type JoinCost } from './colocation';
import type { TableProfile } from './profile';
import type { ColumnRef, FilterKind } from './sql-usage';
import type { Workload } from './workload';

/** A key whose fullest slice holds 1.5× the mean makes every scan wait 1.5× as long for that slice. */
const MAX_SKEW = 1.5;

interface LayoutOption {
  layout: Distribution;
  label: string;
  skew?: number;
  nullShare?: number;
  bytesMoved: number;
  storageBytes: number;
  rejected?: string;
}

interface SortOption {
  column: string;
  rangeFilters: number;
  equalityFilters: number;
  nullTests: number;
  joins: number;
  loadCorrelation?: number;
  score: number;
}

export interface TableAdvice {
  table: string;
  today: { distribution: string; sortKey: string };
  options: LayoutOption[];
  sortOptions: SortOption[];
  distribution: Distribution;
  sortKey: string[];
  reason: string;
}

export interface QueryJoin {
  query: string;
  join: string;
  cost: JoinCost;
}

export interface AdviceInput {
  tables: TableDeclaration[];
  profiles: Map<string, TableProfile>;
  workload: Workload;
  slices: number;
  nodes: number;
}

const queryJoins = (workload: Workload) => workload.joins.filter((j) => j.source.kind === 'query');
const involves = (join: { left: ColumnRef; right: ColumnRef }, table: string) =>
  join.left.table === table || join.right.table === table;
const sizesOf = (profiles: Map<string, TableProfile>) => ({
  bytes: (table: string) => profiles.get(table)?.bytes ?? 0,
});
const pct = (share: number) => `${Math.round(share * 100)}%`;

export function joinsToday(input: AdviceInput): QueryJoin[] {
  const layouts = new Map(input.tables.map((t) => [t.name, t.distribution]));
  return queryJoins(input.workload).map((j) => ({
    query: j.source.name,
    join: `${j.left.table}.${j.left.column} = ${j.right.table}.${j.right.column}`,
    cost: joinCost(j, layouts, sizesOf(input.profiles), input.nodes),
  }));
}

export function adviseTable(table: TableDeclaration, input: AdviceInput): TableAdvice {
  const profile = input.profiles.get(table.name)!;
  const joins = queryJoins(input.workload).filter((j) => involves(j, table.name));
  const today = new Map(input.tables.map((t) => [t.name, t.distribution]));
  const moved = (layout: Distribution) => {
    const layouts = new Map(today).set(table.name, layout);
    return joins.reduce((sum, j) => sum + joinCost(j, layouts, sizesOf(input.profiles), input.nodes).bytesMoved, 0);
  };
  const options: LayoutOption[] = profile.columns.map((c) => {
    const layout: Distribution = { style: 'key', column: c.column };
    const nullShare = c.rows ? c.nulls / c.rows : 0;
    const skew = `skew ${c.skew.toFixed(1)} on ${input.slices} slices`;
    const rejected =
      c.skew <= MAX_SKEW
        ? undefined
        : nullShare >= 0.5
          ? `${c.column} is ${pct(nullShare)} null (${skew})`
          : `${c.column} has ${c.distinct} distinct values (${skew})`;
    return {
      layout,
      label: describeLayout(layout),
      skew: c.skew,
      nullShare,
      bytesMoved: moved(layout),
      storageBytes: profile.bytes,
      rejected,
    };
  });
  const evenSkew = profile.rows ? Math.ceil(profile.rows / input.slices) / (profile.rows / input.slices) : 1;
  options.push({
    layout: { style: 'even' },
    label: 'EVEN',
    skew: evenSkew,
    bytesMoved: moved({ style: 'even' }),
    storageBytes: profile.bytes,
  });
  // The fact (the table the saved queries join most) is never copied to every node:
  // each node would then scan all of it, and every load would write it N times.
  const fact = factTable(input);
  const allRejected =
    fact === table.name ? `${table.name} is the fact: ALL would put every row on every node` : undefined;
  options.push({
    layout: { style: 'all' },
    label: 'ALL',
    bytesMoved: moved({ style: 'all' }),
    storageBytes: profile.bytes * input.nodes,
    rejected: allRejected,
  });

  const current = describeLayout(table.distribution);
  const eligible = options.filter((o) => !o.rejected);
  const chosen = [...eligible].sort(
    (a, b) =>
      a.bytesMoved - b.bytesMoved ||
      Number(b.label === current) - Number(a.label === current) ||
      a.storageBytes - b.storageBytes,
  )[0];
  const sortOptions = sortCandidates(table, profile, input.workload, chosen.layout);
  const sortKey = chooseSortKey(table, sortOptions);
  return {
    table: table.name,
    today: { distribution: current, sortKey: table.sortKey?.join(', ') ?? 'none' },
    options,
    sortOptions,
    distribution: chosen.layout,
    sortKey,
    reason: reasonFor(table.name, chosen, options, input),
  };
}

/** The table that the most saved-query joins touch. */
export function factTable(input: AdviceInput): string | undefined {
  const counts = new Map<string, number>();
  for (const j of queryJoins(input.workload))
    for (const t of new Set([j.left.table, j.right.table])) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

function reasonFor(table: string, chosen: LayoutOption, options: LayoutOption[], input: AdviceInput): string {
  const parts: string[] = [];
  const joins = queryJoins(input.workload).filter((j) => involves(j, table));
  const joinColumns = new Set(
    joins
      .flatMap((j) => [j.left, j.right])
      .filter((side) => side.table === table)
      .map((side) => side.column),
  );
  // Name the skewed keys a reader would have considered: the ones the queries join on.
  const skewed = options.filter((o) => o.rejected && o.layout.style === 'key' && joinColumns.has(o.layout.column));
  parts.push(...skewed.map((o) => o.rejected!));
  if (joins.length === 0) {
    parts.push(`no saved query joins ${table}, so ${chosen.label} moves nothing either way`);
    return parts.join('; ');
  }
  const viaColumn = chosen.layout.style === 'key' ? chosen.layout.column : undefined;
  const relevant = viaColumn
    ? joins.filter((j) => [j.left, j.right].some((s) => s.table === table && s.column === viaColumn))
    : joins;
  const partners = [...new Set(relevant.flatMap((j) => [j.left.table, j.right.table]).filter((t) => t !== table))];
  const queries = new Set(relevant.map((j) => j.source.name)).size;
  const subject = viaColumn ? `${viaColumn} joins` : 'joins';
  if (queries > 0)
    parts.push(
      `${subject} ${partners.join(', ') || `${table} itself`} in ${queries} saved quer${queries === 1 ? 'y' : 'ies'}; all its joins move ${formatBytes(chosen.bytesMoved)}`,
    );
  const runnerUp = options.filter((o) => o !== chosen && !o.rejected).sort((a, b) => a.bytesMoved - b.bytesMoved)[0];
  if (runnerUp)
    parts.push(
      `${runnerUp.label} would move ${formatBytes(runnerUp.bytesMoved)}${runnerUp.layout.style === 'all' ? ` and store ${input.nodes} copies` : ''}`,
    );
  return parts.join('; ');
}

function sortCandidates(
  table: TableDeclaration,
  profile: TableProfile,
  workload: Workload,
  distribution: Distribution,
): SortOption[] {
  const count = (column: string, kind: FilterKind) =>
    workload.filters.filter(
      (f) => f.source.kind === 'query' && f.table === table.name && f.column === column && f.kind === kind,
    ).length;
  return profile.columns.map((c) => {
    const joins = queryJoins(workload).filter((j) =>
      [j.left, j.right].some((s) => s.table === table.name && s.column === c.column),
    ).length;
    const option = {
      column: c.column,
      rangeFilters: count(c.column, 'range'),
      equalityFilters: count(c.column, 'equality'),
      nullTests: count(c.column, 'null test'),
      joins,
      loadCorrelation: c.loadCorrelation,
    };
    // Zone maps skip blocks for ranges and equalities. A join gains from the sort key
    // only as a merge join, which needs the join column to be the distribution key too
    // (AWS, "Choose the best sort key"). IS [NOT] NULL tests skip blocks only where
    // NULLs happen to cluster: not scored.
    const mergeJoins = distribution.style === 'key' && distribution.column === c.column ? joins : 0;
    return { ...option, score: 3 * option.rangeFilters + 2 * option.equalityFilters + mergeJoins };
  });
}

function chooseSortKey(table: TableDeclaration, options: SortOption[]): string[] {
  const best = [...options].sort(
    (a, b) =>
      b.score - a.score ||
      Number(b.column === table.sortKey?.[0]) - Number(a.column === table.sortKey?.[0]) ||
      (b.loadCorrelation ?? 0) - (a.loadCorrelation ?? 0),
  )[0];
  if (!best || best.score === 0) return table.sortKey ?? [];
  return best.column === table.sortKey?.[0] ? table.sortKey : [best.column];
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
