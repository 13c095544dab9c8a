// The benchmark's printed report: one table of throughput and memory per size, one of
// the transform's step times, and the targets with their verdicts.
import type { BenchSummary, KindSummary } from './summary';

export function formatSummary(summary: BenchSummary): string {
  const out: string[] = [];
  out.push(
    table(
      [
        'events',
        'load rows/s',
        'load MB/s',
        'limit rows/s',
        'baseline rows/s',
        'load/limit',
        'load/baseline',
        'peak RSS MB load | limit | baseline | transform',
      ],
      summary.sizes.map((s) => [
        int(s.events),
        int(s.load?.rowsPerSecond),
        fixed(s.load?.mbPerSecond, 1),
        int(s.limit?.rowsPerSecond),
        int(s.baseline?.rowsPerSecond),
        fixed(s.loadOverLimit, 2),
        fixed(s.loadOverBaseline, 1),
        [s.load, s.limit, s.baseline, s.transform].map((k) => rss(k)).join(' | '),
      ]),
    ),
  );
  const stepIds = [...new Set(summary.sizes.flatMap((s) => Object.keys(s.transform?.stepSeconds ?? {})))];
  if (stepIds.length) {
    out.push('', 'Transform, seconds per step (median):');
    out.push(
      table(
        ['step', ...summary.sizes.map((s) => `${int(s.events)} events`)],
        [
          ...stepIds.map((id) => [id, ...summary.sizes.map((s) => fixed(s.transform?.stepSeconds[id], 2))]),
          ['star schema (after staging)', ...summary.sizes.map((s) => fixed(s.transform?.seconds, 2))],
        ],
      ),
    );
  }
  const partIds = [...new Set(summary.sizes.flatMap((s) => Object.keys(s.star?.partSeconds ?? {})))];
  if (partIds.length) {
    out.push('', 'Star limit (hand-written build into unindexed tables, indexes after), seconds (median):');
    out.push(
      table(
        ['part', ...summary.sizes.map((s) => `${int(s.events)} events`)],
        [
          ...partIds.map((id) => [id, ...summary.sizes.map((s) => fixed(s.star?.partSeconds[id], 2))]),
          ['star limit', ...summary.sizes.map((s) => fixed(s.star?.seconds, 2))],
          ['star schema / star limit', ...summary.sizes.map((s) => fixed(s.starOverLimit, 2))],
        ],
      ),
    );
  }
  if (summary.sizes.some((s) => s.load?.nodeCpuMicrosPerRow != null)) {
    out.push('', 'Load CPU per row, µs (median): Node (all threads) | server backends');
    for (const s of summary.sizes)
      out.push(
        `  ${int(s.events)} events: ${fixed(s.load?.nodeCpuMicrosPerRow, 1)} | ${fixed(s.load?.serverCpuMicrosPerRow, 1)}`,
      );
  }
  const r = summary.ratios;
  out.push('', 'Ratios (medians of same-run ratios, at the largest size):');
  out.push(
    `  load / limit ${fixed(r.loadOverLimit, 2)}, load / baseline ${fixed(r.loadOverBaseline, 1)}, load peak RSS largest / smallest ${fixed(r.loadPeakRssLargeOverSmall, 2)}`,
  );
  out.push(
    `  transform: ${fixed(r.transformDataRatio, 1)}× data took ${fixed(r.transformTimeRatio, 2)}× time (growth ${fixed(r.transformTimeGrowth, 2)}; 1 is linear)`,
  );
  out.push(
    `  star schema / star limit ${fixed(r.starOverLimit, 2)}; load CPU µs per row: Node ${fixed(r.loadNodeCpuMicrosPerRow, 1)}, server ${fixed(r.loadServerCpuMicrosPerRow, 1)}`,
  );
  if (r.dailyOverShare !== null || r.dailyChecksSeconds) {
    const checks = r.dailyChecksSeconds;
    out.push(
      `  daily: the last day's run / the first run, over its share of the events ${fixed(r.dailyOverShare, 2)}; checks ${fixed(checks?.first, 2)} s in the first run, ${fixed(checks?.second, 2)} s in the last day's`,
    );
  }
  out.push('', 'Targets:');
  for (const t of summary.targets) {
    const verdict = t.met === null ? 'not measured' : t.met ? 'met' : 'NOT met';
    out.push(`  ${t.name}: ${fixed(t.value, 2)} (${t.atLeast ? '≥' : '≤'} ${t.bound}) ${verdict}`);
  }
  return out.join('\n');
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function int(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : Math.round(value).toLocaleString('en-US');
}

function fixed(value: number | null | undefined, digits: number): string {
  return value === null || value === undefined ? '—' : value.toFixed(digits);
}

function rss(kind: KindSummary | undefined): string {
  return kind ? String(Math.round(kind.peakRssMb)) : '—';
}
