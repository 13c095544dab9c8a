// Runs the ordered transform files. Each step gets its own transaction, so a failure,
// Ctrl-C or kill leaves the tables as they were before that step; the next run picks up
// from the ledger and the idempotent upserts. With --full-refresh every step runs in one
// transaction: the rebuild lands whole or not at all. Like kysely's migrator, it does not
// throw half-way: it returns each step's result, and the command sets the exit code.
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { PROJECT_ROOT, type WarehouseConfig } from '../config';
import type { Dialect } from '../dialects';
import { ConfigError } from '../errors';
import { recordingKnex } from '../migrate/recording-knex';
import { silentProgress, type Progress } from './progress';
import type { RunOptions, StepContext, StepStats, TransformStep } from './step';

export const TRANSFORMS_DIR = path.join(PROJECT_ROOT, 'transforms');
const STEP_FILE = /^(\d{3})_([a-z0-9_]+)\.ts$/;

export interface LoadedStep extends TransformStep {
  id: string;
}

export type StepStatus = 'success' | 'error' | 'not run';

export interface StepResult {
  id: string;
  description: string;
  status: StepStatus;
  stats: StepStats;
  seconds: number;
  error?: Error;
  /** Dry runs: the statements the step would run. */
  statements?: string[];
}

export interface Selection {
  only?: string;
  from?: string;
}

export function loadSteps(dir = TRANSFORMS_DIR): LoadedStep[] {
  return fs
    .readdirSync(dir)
    .filter((file) => STEP_FILE.test(file))
    .sort()
    .map((file) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const step = require(path.join(dir, file)).default as TransformStep | undefined;
      if (!step || typeof step.run !== 'function') {
        throw new ConfigError(`transforms/${file} must \`export default\` a step (stageStep, sqlStep or checkStep from src/transform/).`);
      }
      return { ...step, id: file.replace(/\.ts$/, '') };
    });
}

/** --only and --from take a full id (070_fact_songplays), its number (070) or its name (fact_songplays). */
export function selectSteps(steps: LoadedStep[], selection: Selection): LoadedStep[] {
  const find = (wanted: string, flag: string) => {
    const index = steps.findIndex((s) => s.id === wanted || s.id.slice(0, 3) === wanted || s.id.slice(4) === wanted);
    if (index < 0) throw new ConfigError(`${flag} ${wanted}: no such step. Steps: ${steps.map((s) => s.id).join(', ')}.`);
    return index;
  };
  if (selection.only && selection.from) throw new ConfigError('Use --only or --from, not both.');
  if (selection.only) return [steps[find(selection.only, '--only')]];
  if (selection.from) return steps.slice(find(selection.from, '--from'));
  return steps;
}

export interface RunnerIo {
  log(message: string): void;
  progress?: Progress;
  onStepDone?(result: StepResult): void;
}

export interface Runnable {
  knex: Knex;
  dialect: Dialect;
}

export async function runSteps(warehouse: Runnable, steps: LoadedStep[], config: WarehouseConfig, options: RunOptions, io: RunnerIo): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const context = (db: Knex): StepContext => ({
    db,
    outside: warehouse.knex,
    dialect: warehouse.dialect,
    config,
    options,
    progress: io.progress ?? silentProgress,
    log: io.log,
  });
  const runAll = async (transactionFor: (work: (db: Knex) => Promise<StepStats>) => Promise<StepStats>) => {
    for (const step of steps) {
      if (results.some((r) => r.status === 'error')) {
        results.push({ id: step.id, description: step.description, status: 'not run', stats: {}, seconds: 0 });
        continue;
      }
      io.log(`${step.id}: ${step.description}`);
      const started = process.hrtime.bigint();
      const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
      try {
        const stats = await transactionFor((db) => step.run(context(db)));
        results.push({ id: step.id, description: step.description, status: 'success', stats, seconds: seconds() });
      } catch (error) {
        results.push({ id: step.id, description: step.description, status: 'error', stats: {}, seconds: seconds(), error: error as Error });
      }
      io.onStepDone?.(results[results.length - 1]);
    }
  };
  if (options.fullRefresh) {
    try {
      await warehouse.knex.transaction(async (trx) => {
        await runAll((work) => work(trx));
        // A failed step must undo the whole rebuild, not just itself.
        const failed = results.find((r) => r.status === 'error');
        if (failed) throw failed.error;
      });
    } catch {
      for (const r of results) if (r.status === 'success') r.status = 'not run';
    }
  } else {
    await runAll((work) => warehouse.knex.transaction((trx) => work(trx)));
  }
  return results;
}

/** Every statement each step would run, rendered for `engine` with no connection. */
export async function dryRunSteps(engine: 'postgres' | 'redshift', dialect: Dialect, steps: LoadedStep[], config: WarehouseConfig, options: RunOptions): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const step of steps) {
    const { knex, statements } = recordingKnex(engine);
    const stats = await step.run({ db: knex, outside: knex, dialect, config, options, progress: silentProgress, log: () => {} });
    await knex.destroy();
    results.push({ id: step.id, description: step.description, status: 'success', stats, seconds: 0, statements: [...statements] });
  }
  return results;
}
