// The report as text tables (the project's formatTable) and as JSON for machines.
import { formatTable } from '../cli/table';
import { describeLayout } from './colocation';
import type { AdviceReport } from './advise';
import { formatBytes } from './recommend';

const fixed = (n: number | undefined, digits = 2) => (n === undefined ? '-' : n.toFixed(digits));

export function formatAdvice(report: AdviceReport): string {
  const sections: string[] = [];
  sections.push(
    `Slices: ${report.slices} (${report.basis}). Placement: MD5 of each value modulo the slice count, an approximation of Redshift's hash; NULLs share one slice.`,
  );

  const layoutRows = report.tables.flatMap((t) =>
    t.options.map((o) => [
      t.table,
      o.label + (o.label === t.today.distribution ? ' (today)' : ''),
      o.nullShare === undefined ? '-' : `${(o.nullShare * 100).toFixed(1)}%`,
      distinctOf(report, t.table, o.layout.style === 'key' ? o.layout.column : undefined),
      fixed(o.skew),
      formatBytes(o.bytesMoved),
      formatBytes(o.storageBytes),
      o.rejected ? (o.layout.style === 'all' ? 'the fact' : 'skewed') : '',
    ]),
  );
  sections.push(
    `Distribution candidates (bytes moved: the saved queries' joins, other tables at today's keys)\n${formatTable(['table', 'layout', 'nulls', 'distinct', 'skew', 'moved', 'stored', 'note'], layoutRows)}`,
  );

  const joinRows = report.joins.map((j) => [
    j.query,
    j.join,
    j.cost.placement,
    j.cost.step,
    formatBytes(j.cost.bytesMoved),
  ]);
  sections.push(
    `Joins of the saved queries with today's keys\n${formatTable(['query', 'join', 'placement', 'plan step', 'moved'], joinRows)}`,
  );

  const sortRows = report.tables.flatMap((t) =>
    t.sortOptions.map((s) => [
      t.table,
      s.column + (t.today.sortKey.split(', ')[0] === s.column ? ' (today)' : ''),
      String(s.rangeFilters),
      String(s.equalityFilters),
      String(s.nullTests),
      String(s.joins),
      fixed(s.loadCorrelation),
    ]),
  );
  sections.push(
    `Sort key candidates (uses in the saved queries; correlation of the column's order with load order)\n${formatTable(['table', 'column', 'ranges', 'equalities', 'null tests', 'joins', 'load corr.'], sortRows)}`,
  );

  const adviceRows = report.tables.map((t) => [
    t.table,
    describeLayout(t.distribution),
    t.sortKey.join(', ') || 'none',
    t.today.distribution === describeLayout(t.distribution) && t.today.sortKey === (t.sortKey.join(', ') || 'none')
      ? 'keep'
      : 'change',
  ]);
  sections.push(
    `Recommendation\n${formatTable(['table', 'distribution', 'sort key', 'vs today'], adviceRows)}\n${report.tables.map((t) => `${t.table}: ${describeLayout(t.distribution)} — ${t.reason}`).join('\n')}`,
  );
  if (report.skippedSteps.length)
    sections.push(`Not read (could not be rendered offline): ${report.skippedSteps.join(', ')}`);
  return sections.join('\n\n');
}

function distinctOf(report: AdviceReport, table: string, column?: string): string {
  if (!column) return '-';
  const profile = report.profiles.find((p) => p.table === table)?.columns.find((c) => c.column === column);
  return profile ? String(profile.distinct) : '-';
}

export function adviceJson(report: AdviceReport): string {
  return JSON.stringify(report, null, 2);
}
