// One run's summary: what `--json` prints on stdout and what the run history stores,
// shaped alike (snake_case, like the table columns) so orchestrators read either.
import { redact } from '../errors';
import type { RunOutcome, StepResult } from '../step/outcome';
import type { StepStats } from '../step/contract';

type RunStatus = 'running' | 'success' | 'failed';

interface Counts {
  files: number | null;
  rows_read: number | null;
  rows_loaded: number | null;
  rows_rejected: number | null;
  inserted: number | null;
  updated: number | null;
}

export interface StepSummary extends Counts {
  step_id: string;
  status: StepResult['status'];
  seconds: number;
  error: string | null;
}

export interface RunSummary extends Counts {
  run_id: string;
  target: string;
  options: string;
  status: RunStatus;
  started_at: string;
  finished_at: string | null;
  host: string;
  pid: number;
  error: string | null;
  /** Which quality checks the run made: 'incremental' (what the runs wrote since the last checks), 'full', or none. */
  checks: 'incremental' | 'full' | null;
  steps: StepSummary[];
}

export interface RunIdentity {
  run_id: string;
  target: string;
  options: string;
  started_at: string;
  host: string;
  pid: number;
}

function countsOf(stats: StepStats): Counts {
  return {
    files: stats.files ?? null,
    rows_read: stats.rowsRead ?? null,
    rows_loaded: stats.rowsLoaded ?? null,
    rows_rejected: stats.rowsRejected ?? null,
    inserted: stats.inserted ?? null,
    updated: stats.updated ?? null,
  };
}

export function stepSummary(result: StepResult, secrets: ReadonlyArray<string | undefined>): StepSummary {
  return {
    step_id: result.id,
    status: result.status,
    seconds: Number(result.seconds.toFixed(3)),
    ...countsOf(result.stats),
    error: result.error ? redact(result.error.message, secrets) : null,
  };
}

/** The finished run: counts summed over the steps that count them, the error that ended it. */
export function runSummary(
  identity: RunIdentity,
  outcome: RunOutcome,
  finishedAt: Date,
  secrets: ReadonlyArray<string | undefined>,
): RunSummary {
  const steps = outcome.results.map((r) => stepSummary(r, secrets));
  const kept = steps.filter((s) => s.status === 'success');
  const sum = (key: keyof Counts) =>
    kept.some((s) => s[key] !== null) ? kept.reduce((total, s) => total + (s[key] ?? 0), 0) : null;
  return {
    ...identity,
    status: outcome.error ? 'failed' : 'success',
    finished_at: finishedAt.toISOString(),
    files: sum('files'),
    rows_read: sum('rows_read'),
    rows_loaded: sum('rows_loaded'),
    rows_rejected: sum('rows_rejected'),
    inserted: sum('inserted'),
    updated: sum('updated'),
    error: outcome.error ? redact(outcome.error.message, secrets) : null,
    checks: outcome.results.find((r) => r.stats.checks)?.stats.checks ?? null,
    steps,
  };
}
