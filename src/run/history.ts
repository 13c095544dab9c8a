// Writes the run history (migrations/20261129120100_create_run_history.ts). Every write
// is its own short autocommitted statement on the warehouse's pool, never inside a
// step's transaction: a step that fails, or a --full-refresh whose COMMIT fails, rolls
// back its own work but not the record that it ran. A killed run leaves its row
// 'running' with no finished_at, which is what `npm run history` shows.
import type { Knex } from 'knex';
import type { StepResult } from '../step/outcome';
import { stepSummary, type RunIdentity, type RunSummary, type StepSummary } from './run-summary';

export const RUNS_TABLE = 'transform_runs';
const STEPS_TABLE = 'transform_run_steps';

/** Varchar lengths count bytes on Redshift: cut the error text to fit, on a character boundary. */
export function fitBytes(text: string | null, bytes = 4096): string | null {
  if (text === null || Buffer.byteLength(text) <= bytes) return text;
  let used = 0;
  let out = '';
  for (const character of text) {
    used += Buffer.byteLength(character);
    if (used > bytes) break;
    out += character;
  }
  return out;
}

export interface RunRecorder {
  step(result: StepResult): Promise<void>;
  finish(summary: RunSummary): Promise<void>;
  /** The run was stopped from outside (a signal): 'failed' with the reason, the steps recorded so far kept. */
  interrupted(reason: string): Promise<void>;
}

/**
 * Starts recording a run, or says why it cannot: a warehouse migrated before the run
 * history existed gets a warning naming the fix, and the run goes on unrecorded.
 */
export async function startRecording(
  knex: Knex,
  identity: RunIdentity,
  secrets: ReadonlyArray<string | undefined>,
  warn: (message: string) => void,
): Promise<RunRecorder> {
  if (!(await knex.schema.hasTable(RUNS_TABLE))) {
    warn(
      `This run is not recorded: the table ${RUNS_TABLE} does not exist yet. Run \`npm run migrate\` to add the run history.`,
    );
    return { step: async () => {}, finish: async () => {}, interrupted: async () => {} };
  }
  await knex(RUNS_TABLE).insert({ ...identity, status: 'running' });
  const stepRow = (s: StepSummary) => ({ run_id: identity.run_id, ...s, error: fitBytes(s.error) });
  return {
    async step(result) {
      await knex(STEPS_TABLE).insert(stepRow(stepSummary(result, secrets)));
    },
    async finish(summary) {
      const { steps, run_id, ...run } = summary;
      // The final word on every step: a full refresh that was undone rewrites 'success'.
      await knex.transaction(async (trx) => {
        await trx(STEPS_TABLE).where({ run_id }).delete();
        if (steps.length) await trx(STEPS_TABLE).insert(steps.map(stepRow));
        await trx(RUNS_TABLE)
          .where({ run_id })
          .update({ ...run, error: fitBytes(run.error) });
      });
    },
    async interrupted(reason) {
      await knex(RUNS_TABLE)
        .where({ run_id: identity.run_id, status: 'running' })
        .update({ status: 'failed', finished_at: new Date().toISOString(), error: fitBytes(reason) });
    },
  };
}

export interface HistoryRow extends Omit<RunSummary, 'steps'> {
  steps?: StepSummary[];
}

/** The last `limit` runs, newest first. */
export async function lastRuns(knex: Knex, limit: number): Promise<HistoryRow[]> {
  const rows = await knex(RUNS_TABLE).select('*').orderBy('started_at', 'desc').limit(limit);
  return rows.map((row: Record<string, unknown>) => normalise(row) as unknown as HistoryRow);
}

export async function stepsOf(knex: Knex, runId: string): Promise<StepSummary[]> {
  const rows = await knex(STEPS_TABLE).select('*').where({ run_id: runId }).orderBy('step_id');
  return rows.map((row: Record<string, unknown>) => normalise(row) as unknown as StepSummary);
}

/** The newest run still marked running: who holds the run lock, as far as the history knows. */
export async function newestRunning(knex: Knex): Promise<HistoryRow | undefined> {
  if (!(await knex.schema.hasTable(RUNS_TABLE))) return undefined;
  const row = await knex(RUNS_TABLE).select('*').where({ status: 'running' }).orderBy('started_at', 'desc').first();
  return row ? (normalise(row) as unknown as HistoryRow) : undefined;
}

// pg returns bigint as text and timestamps as Date: give callers numbers and ISO text.
function normalise(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value instanceof Date) out[key] = value.toISOString();
    else if (typeof value === 'string' && /^(files|rows_\w+|inserted|updated|pid|seconds)$/.test(key))
      out[key] = Number(value);
    else out[key] = value;
  }
  return out;
}
