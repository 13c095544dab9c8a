// The transform command as a function: npm run transform, npm run check and npm start
// call it. Takes the run lock, records the run in the history, prints progress and
// results, and returns the run's summary with whether it failed.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { WarehouseConfig } from '../config';
import { dialectFor } from '../dialects';
import { lineComment } from '../dialects/dialect';
import { redact } from '../errors';
import { startRecording } from '../run/history';
import { CONNECTION_LOST } from '../server-trouble';
import { onStopSignal } from '../signals';
import { withRunLock } from '../run/run-lock';
import { runSummary, type RunSummary } from '../run/run-summary';
import { withWarehouse, type Warehouse } from '../targets/connect';
import { matchedShare } from './matched-share';
import { terminalProgress } from '../step/progress';
import { dryRunSteps } from './dry-run';
import { loadSteps, runSteps, selectSteps, type Selection } from './runner';
import type { RunOutcome, StepResult } from '../step/outcome';
import type { RunOptions } from '../step/contract';
import { failureMessage, stepLine, summaryTable } from './summary';

export interface TransformCommandOptions {
  selection: Selection;
  options: RunOptions;
  /** Stop at once, instead of waiting, when another transform or a migrate is running. */
  noWait?: boolean;
  /** Reuse an open warehouse (npm start); otherwise one is opened and closed. */
  warehouse?: Warehouse;
  print?: (text: string) => void;
}

export interface TransformCommandResult {
  results: StepResult[];
  failed: boolean;
  /** The run as the history records it (absent for dry runs). */
  summary?: RunSummary;
}

export async function runTransformCommand(
  config: WarehouseConfig,
  command: TransformCommandOptions,
): Promise<TransformCommandResult> {
  const print = command.print ?? ((text: string) => console.log(text));
  const steps = selectSteps(loadSteps(), command.selection);

  if (command.options.dryRun) {
    const dialect = dialectFor(config.target);
    const outcome = await dryRunSteps(dialect, steps, config, command.options);
    const transactions = command.options.fullRefresh
      ? 'every step runs in one transaction'
      : 'each step runs in its own transaction';
    print(`-- transform --dry-run for ${dialect.name}: ${transactions}.`);
    for (const r of outcome.results) {
      if (r.status === 'not run') continue;
      print(`\n${lineComment(`${r.id}: ${r.description}`)}\n${r.statements!.map((s) => `${s.trim()};`).join('\n\n')}`);
    }
    if (outcome.error) print(`\n${failureMessage(outcome, command.options, config.secrets)}`);
    return { results: outcome.results, failed: outcome.error !== undefined };
  }

  const run = async (warehouse: Warehouse): Promise<TransformCommandResult> => {
    print(`Target: ${warehouse.target} (${warehouse.location})`);
    return withRunLock(warehouse.knex, { wait: !command.noWait, log: print }, async (lock) => {
      const identity = {
        run_id: randomUUID(),
        target: warehouse.target,
        options: describeOptions(command),
        started_at: new Date().toISOString(),
        host: os.hostname(),
        pid: process.pid,
      };
      const history = await startRecording(warehouse.knex, identity, config.secrets, print);
      const forgetStop = onStopSignal(async (signal) => {
        const undone = command.options.fullRefresh
          ? 'the whole --full-refresh rolls back (it is one transaction)'
          : 'the step in progress rolls back (its transaction never commits), the steps before it stay';
        print(
          `\nStopped by ${signal}: ${undone}, and the run history records the run as failed. Run the same command again to go on.`,
        );
        await history
          .interrupted(`stopped by ${signal} while running`)
          .catch((error: Error) => print(`run history: ${redact(error.message, config.secrets)}`));
      });
      let outcome: RunOutcome;
      try {
        outcome = await runSteps(warehouse, steps, config, command.options, {
          log: print,
          lock,
          progress: terminalProgress(),
          onStepDone: (result) => {
            print(redact(stepLine(result), config.secrets));
            // The history is a record, not the work: a failed write warns and the run goes on.
            return history
              .step(result)
              .catch((error: Error) => print(`run history: ${redact(error.message, config.secrets)}`));
          },
        });
      } finally {
        forgetStop();
      }
      const summary = runSummary(identity, outcome, new Date(), config.secrets);
      // A server that just crashed cannot take the record; the run's own report comes first.
      await history
        .finish(summary)
        .catch((error: Error) => print(`run history: ${redact(error.message, config.secrets)}`));
      print(`\n${summaryTable(outcome.results)}`);
      if (!outcome.error) print(`\n${await matchedShare(warehouse.knex)}`);
      if (outcome.error) print(`\n${failureMessage(outcome, command.options, config.secrets)}`);
      // A server that crashed (a full disk's PANIC) sends no message: its log has one.
      const dropped =
        outcome.error && CONNECTION_LOST.test(outcome.error.message) ? warehouse.whyDropped?.() : undefined;
      if (dropped) print(dropped);
      return { results: outcome.results, failed: outcome.error !== undefined, summary };
    });
  };
  return command.warehouse ? run(command.warehouse) : withWarehouse(config, run, { log: print });
}

/** The flags that shape a run, for the history. */
function describeOptions(command: TransformCommandOptions): string {
  const parts: string[] = [];
  if (command.options.fullRefresh) parts.push('--full-refresh');
  if (command.options.fullChecks) parts.push('--full');
  if (command.selection.only) parts.push(`--only ${command.selection.only}`);
  if (command.selection.from) parts.push(`--from ${command.selection.from}`);
  if (command.selection.to) parts.push(`--to ${command.selection.to}`);
  if (command.options.maxErrors) parts.push(`--max-errors ${command.options.maxErrors}`);
  return parts.join(' ');
}
