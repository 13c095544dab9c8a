// What a transform file exports: one step, and what the step is given to run. The runner
// (src/transform/runner.ts) orders steps by their numeric prefix, gives each its own
// transaction, and collects their stats; the loaders (src/load/) are steps too.
import type { Knex } from 'knex';
import type { WarehouseConfig } from '../config';
import type { Dialect } from '../dialects';
import type { Progress } from './progress';

export interface RunOptions {
  fullRefresh: boolean;
  /** Lines a load may reject before it fails (Redshift's MAXERROR); 0 fails on the first. */
  maxErrors: number;
  dryRun: boolean;
  /** ACCEPTINVCHARS: replace invalid UTF-8 with this character instead of rejecting the line. */
  acceptInvalidChars?: string;
  /** --full: the quality checks read every row, not only what the runs wrote since the last checks. */
  fullChecks?: boolean;
}

/** A plain run: incremental, no line rejected, statements sent. */
export const DEFAULT_RUN_OPTIONS: RunOptions = { fullRefresh: false, maxErrors: 0, dryRun: false };

export interface StepContext {
  /** The step's transaction, or in a dry run a knex that records instead of running. */
  db: Knex | Knex.Transaction;
  /** The warehouse outside the step's transaction (to read load errors after a failed COPY). */
  outside: Knex;
  dialect: Dialect;
  config: WarehouseConfig;
  options: RunOptions;
  progress: Progress;
  log(message: string): void;
}

export interface StepStats {
  files?: number;
  filesSkipped?: number;
  bytes?: number;
  rowsRead?: number;
  rowsLoaded?: number;
  rowsRejected?: number;
  inserted?: number;
  updated?: number;
  deleted?: number;
  checksFailed?: number;
  /** Which quality checks ran: of the rows written since the last checks, or of every row. */
  checks?: 'incremental' | 'full';
  /** Plays that matched a song only once their double-encoded names were repaired (070). */
  repairedMatches?: number;
}

export interface TransformStep {
  /** The file name without extension, e.g. 030_dim_users; set by the runner. */
  id?: string;
  description: string;
  /**
   * Every table the step reads or writes. Where the dialect asks for explicit locks
   * (Redshift), the runner locks them as its transaction's first statement.
   */
  tables?: string[];
  /**
   * A load's staging table and what it keeps: a 'batch' is published (and later cleared)
   * once the last step that reads the table has run (staging-release.ts); a 'catalogue' stays.
   */
  stages?: { table: string; source: string; keeps: 'batch' | 'catalogue' };
  /** Set by the runner: the batch loads (sources) whose files this step publishes (staging-release.ts). */
  publishes?: string[];
  run(context: StepContext): Promise<StepStats>;
}

export function defineStep(step: TransformStep): TransformStep {
  return step;
}
