// `npm run history` as text: the last runs as a table, and one run's steps.
import { formatTable } from '../cli/table';
import type { HistoryRow } from './history';
import type { StepSummary } from './run-summary';

const n = (value: number | null | undefined) =>
  value === null || value === undefined ? '' : value.toLocaleString('en-US');

/** "2026-11-29 19:30:01" in UTC: short, sortable, and the same on every machine. */
const when = (iso: string | null) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '');

function seconds(row: HistoryRow): string {
  if (!row.finished_at) return '';
  return ((Date.parse(row.finished_at) - Date.parse(row.started_at)) / 1000).toFixed(1);
}

function firstLine(text: string | null, width = 60): string {
  const line = (text ?? '').split('\n')[0];
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

export function runsTable(rows: HistoryRow[]): string {
  if (rows.length === 0) return 'No runs recorded yet: `npm run transform` records one.';
  const header = [
    'run',
    'target',
    'started (UTC)',
    'seconds',
    'status',
    'files',
    'read',
    'loaded',
    'rejected',
    'inserted',
    'updated',
    'options',
    'error',
  ];
  const body = rows.map((r) => [
    r.run_id.slice(0, 8),
    r.target,
    when(r.started_at),
    seconds(r),
    // A run that never finished was killed, or is still going.
    r.status === 'running' && r.finished_at === null ? 'running (no finish)' : r.status,
    n(r.files),
    n(r.rows_read),
    n(r.rows_loaded),
    n(r.rows_rejected),
    n(r.inserted),
    n(r.updated),
    r.options ?? '',
    firstLine(r.error),
  ]);
  return formatTable(header, body, [1, 2, 4, 11, 12]);
}

export function stepsTable(steps: StepSummary[]): string {
  const header = ['step', 'status', 'seconds', 'files', 'read', 'loaded', 'rejected', 'inserted', 'updated', 'error'];
  const body = steps.map((s) => [
    s.step_id,
    s.status,
    s.seconds === null ? '' : Number(s.seconds).toFixed(2),
    n(s.files),
    n(s.rows_read),
    n(s.rows_loaded),
    n(s.rows_rejected),
    n(s.inserted),
    n(s.updated),
    firstLine(s.error),
  ]);
  return formatTable(header, body, [1, 9]);
}
