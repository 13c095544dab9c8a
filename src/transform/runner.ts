// Runs the ordered transform files. Each step gets its own transaction, so a failure,
// Ctrl-C or kill leaves the tables as they were before that step; the next run picks up
// from the ledger and the idempotent upserts. With --full-refresh every step runs in one
// transaction: the rebuild lands whole or not at all. Like kysely's migrator, it does not
// throw half-way: it returns `{ error, results }`, each step's result next to the error
// that ended the run (a step's, or the full refresh's COMMIT or connection), and the
// command sets the exit code.
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { PROJECT_ROOT, type WarehouseConfig } from '../config';
import type { Dialect } from '../dialects';
import { ConfigError, UsageError } from '../errors';
import type { RunLockGuard } from '../run/lock-guard';
import { guardedTransaction } from './guarded-transaction';
import { silentProgress, type Progress } from '../step/progress';
import type { RunOptions, StepContext, StepStats, TransformStep } from '../step/contract';
import type { RunOutcome, StepResult } from '../step/outcome';
import { withStagingReleased } from './staging-release';
import { tableLockStatement, tablesOf } from './table-locks';
import { loadModule } from '../load-module';

export const TRANSFORMS_DIR = path.join(PROJECT_ROOT, 'transforms');
const STEP_FILE = /^(\d{3})_([a-z0-9_]+)\.ts$/;

export interface LoadedStep extends TransformStep {
  id: string;
}

export interface Selection {
  only?: string;
  from?: string;
  /** The last step to run: `--to 070` leaves the checks for a separate `npm run check`. */
  to?: string;
}

export function loadSteps(dir = TRANSFORMS_DIR): LoadedStep[] {
  // Every step, before any selection: which step publishes a load's batch depends on them all.
  const steps = fs
    .readdirSync(dir)
    .filter((file) => STEP_FILE.test(file))
    .sort()
    .map((file) => {
      const step = (loadModule(path.join(dir, file)) as { default?: TransformStep }).default;
      if (!step || typeof step.run !== 'function') {
        throw new ConfigError(
          `transforms/${file} must \`export default\` a step (stageStep, sqlStep or checkStep from src/transform/).`,
        );
      }
      return { ...step, id: file.replace(/\.ts$/, '') };
    });
  return withStagingReleased(steps);
}

/**
 * --only, --from and --to take a full id (070_fact_songplays), its number (070) or its
 * name (fact_songplays). --from and --to bound a range, both ends included.
 */
export function selectSteps(steps: LoadedStep[], selection: Selection): LoadedStep[] {
  const find = (wanted: string, flag: string) => {
    const index = steps.findIndex((s) => s.id === wanted || s.id.slice(0, 3) === wanted || s.id.slice(4) === wanted);
    if (index < 0)
      throw new UsageError(`${flag} ${wanted}: no such step. Steps: ${steps.map((s) => s.id).join(', ')}.`);
    return index;
  };
  if (selection.only && (selection.from || selection.to))
    throw new UsageError(`Use --only or --${selection.from ? 'from' : 'to'}, not both.`);
  if (selection.only) return [steps[find(selection.only, '--only')]];
  const first = selection.from ? find(selection.from, '--from') : 0;
  const last = selection.to ? find(selection.to, '--to') : steps.length - 1;
  if (last < first)
    throw new UsageError(
      `--to ${selection.to} comes before --from ${selection.from}: nothing would run. Give --from the earlier step.`,
    );
  return steps.slice(first, last + 1);
}

export interface RunnerIo {
  log(message: string): void;
  progress?: Progress;
  onStepDone?(result: StepResult): void | Promise<void>;
  /** The run lock held for the run: a step commits only while it is (guarded-transaction.ts). */
  lock?: RunLockGuard;
}

export interface Runnable {
  knex: Knex;
  dialect: Dialect;
}

/** Runs one step's work in `db`, locking its tables first where the dialect asks for it. */
export async function runStepIn(
  db: Knex,
  dialect: Dialect,
  step: TransformStep,
  work: () => Promise<StepStats>,
  lockTables = true,
): Promise<StepStats> {
  const lock = lockTables ? tableLockStatement(dialect, step.tables ?? []) : undefined;
  if (lock) await db.raw(lock);
  return work();
}

/**
 * Runs steps in order with `transactionFor` and stops at the first failure: the steps
 * after it are 'not run'. Shared by real runs and dry runs, so both report alike.
 */
export async function runInOrder(
  steps: LoadedStep[],
  io: RunnerIo,
  runOne: (step: LoadedStep, index: number) => Promise<StepStats>,
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const [index, step] of steps.entries()) {
    if (results.some((r) => r.status === 'error')) {
      results.push({ id: step.id, description: step.description, status: 'not run', stats: {}, seconds: 0 });
      continue;
    }
    io.log(`${step.id}: ${step.description}`);
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const stats = await runOne(step, index);
      results.push({ id: step.id, description: step.description, status: 'success', stats, seconds: seconds() });
    } catch (error) {
      results.push({
        id: step.id,
        description: step.description,
        status: 'error',
        stats: {},
        seconds: seconds(),
        error: asError(error),
      });
    }
    await io.onStepDone?.(results[results.length - 1]);
  }
  return results;
}

export async function runSteps(
  warehouse: Runnable,
  steps: LoadedStep[],
  config: WarehouseConfig,
  options: RunOptions,
  io: RunnerIo,
): Promise<RunOutcome> {
  const context = (db: Knex): StepContext => ({
    db,
    outside: warehouse.knex,
    dialect: warehouse.dialect,
    config,
    options,
    progress: io.progress ?? silentProgress,
    log: io.log,
  });
  if (!options.fullRefresh) {
    const results = await runInOrder(steps, io, (step) =>
      guardedTransaction(warehouse.knex, io.lock, (trx) =>
        runStepIn(trx, warehouse.dialect, step, () => step.run(context(trx))),
      ),
    );
    return { error: results.find((r) => r.status === 'error')?.error, results };
  }
  let results: StepResult[] = [];
  try {
    await guardedTransaction(warehouse.knex, io.lock, async (trx) => {
      // One transaction for the whole rebuild: lock everything it touches up front.
      const lock = tableLockStatement(warehouse.dialect, tablesOf(steps));
      if (lock) await trx.raw(lock);
      results = await runInOrder(steps, io, (step) =>
        runStepIn(trx, warehouse.dialect, step, () => step.run(context(trx)), false),
      );
      // A failed step must undo the whole rebuild, not just itself.
      const failed = results.find((r) => r.status === 'error');
      if (failed) throw failed.error ?? new Error(`step ${failed.id} failed`);
    });
    return { results };
  } catch (error) {
    // Nothing of the rebuild stays: what had succeeded is rolled back. When the error is
    // not a step's, the transaction itself failed: at connect, or at COMMIT (a deferred
    // constraint; on Redshift a serializable-isolation conflict).
    for (const r of results) if (r.status === 'success') r.status = 'rolled back';
    for (const step of steps.slice(results.length))
      results.push({ id: step.id, description: step.description, status: 'not run', stats: {}, seconds: 0 });
    return { error: asError(error), results };
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
