// Printing step results: one line per step as it ends, a table at the end.
import { hintFor } from './failure-hints';
import { formatTable } from '../cli/table';
import { redact } from '../errors';
import type { RunOutcome, StepResult } from '../step/outcome';
import type { RunOptions, StepStats } from '../step/contract';

const n = (value: number | undefined) => (value === undefined ? '' : value.toLocaleString('en-US'));

function describeStats(stats: StepStats): string {
  const parts: string[] = [];
  if (stats.rowsRead !== undefined) {
    parts.push(`read ${n(stats.rowsRead)} = loaded ${n(stats.rowsLoaded)} + rejected ${n(stats.rowsRejected)}`);
    if (stats.files !== undefined)
      parts.push(
        `${n(stats.files)} files (${n(stats.filesSkipped)} already loaded), ${((stats.bytes ?? 0) / 1e6).toFixed(1)} MB`,
      );
  }
  if (stats.inserted !== undefined) parts.push(`inserted ${n(stats.inserted)}, updated ${n(stats.updated)}`);
  if (stats.deleted) parts.push(`deleted ${n(stats.deleted)}`);
  if (stats.checks)
    parts.push(stats.checks === 'full' ? 'every row checked' : 'checked the rows written since the last checks');
  if (stats.repairedMatches)
    parts.push(
      `${n(stats.repairedMatches)} new plays matched a song only once their double-encoded names were repaired`,
    );
  return parts.join('; ');
}

export function stepLine(result: StepResult): string {
  const mark = { success: 'ok  ', error: 'FAIL', 'not run': 'skip', 'rolled back': 'undo' }[result.status];
  const detail = result.status === 'error' ? String(result.error?.message ?? '') : describeStats(result.stats);
  return `  ${mark} ${result.id} (${result.seconds.toFixed(2)} s)${detail ? `: ${detail}` : ''}`;
}

export function summaryTable(results: StepResult[]): string {
  const header = ['step', 'status', 'read', 'loaded', 'rejected', 'inserted', 'updated', 'seconds'];
  const rows = results.map((r) => [
    r.id,
    r.status,
    n(r.stats.rowsRead),
    n(r.stats.rowsLoaded),
    n(r.stats.rowsRejected),
    n(r.stats.inserted),
    n(r.stats.updated),
    r.status === 'not run' ? '' : r.seconds.toFixed(2),
  ]);
  return formatTable(header, rows);
}

/**
 * The line that says why a run failed, in the database's own words: a step's error, or
 * for --full-refresh the transaction's (COMMIT or connect), after which nothing changed.
 */
function describeFailure(
  outcome: RunOutcome,
  options: Pick<RunOptions, 'fullRefresh'>,
  secrets: ReadonlyArray<string | undefined>,
): string {
  const message = redact(outcome.error?.message ?? 'unknown error', secrets);
  const failedStep = outcome.results.find((r) => r.status === 'error');
  if (failedStep) {
    const undone = options.fullRefresh
      ? ' The full refresh was rolled back: the warehouse is as it was before the run.'
      : '';
    return `${failedStep.id} failed: ${message}${undone}`;
  }
  if (options.fullRefresh) {
    // knex puts the statement in front of the server's words: "COMMIT; - <message>".
    const atCommit = /^commit;? - /i.test(message);
    const reason = atCommit ? ` at COMMIT: ${message.replace(/^commit;? - /i, '')}` : `: ${message}`;
    return `The full refresh failed and was rolled back${reason}\nThe warehouse is as it was before the run. Fix the cause above and run --full-refresh again.`;
  }
  return `The run failed: ${message}`;
}

/** The failure as the command prints it, with what a known Redshift error means and its fix. */
export function failureMessage(
  outcome: RunOutcome,
  options: Pick<RunOptions, 'fullRefresh'>,
  secrets: ReadonlyArray<string | undefined>,
): string {
  const described = describeFailure(outcome, options, secrets);
  const hint = hintFor(outcome.error?.message ?? '');
  return hint ? `${described}\n${hint}` : described;
}
