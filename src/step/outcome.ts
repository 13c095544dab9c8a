// What a run reports: one result a step, and what ended the run early. The runner
// (src/transform/runner.ts) makes it; the summaries and the run history (src/run/) read it.
import type { StepStats } from './contract';

/** 'rolled back': the step succeeded inside a --full-refresh whose transaction was then undone. */
type StepStatus = 'success' | 'error' | 'not run' | 'rolled back';

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

export interface RunOutcome {
  /** What ended the run early: the failed step's error, or the transaction's own (COMMIT, connect). */
  error?: Error;
  /** One result per selected step, in order. */
  results: StepResult[];
}
