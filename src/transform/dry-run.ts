// --dry-run: every statement each step would run, rendered for an engine with no
// connection. A step that throws while rendering is reported as an 'error' result, and
// the steps after it 'not run', exactly as a real run reports them.
import type { WarehouseConfig } from '../config';
import type { Dialect } from '../dialects';
import { recordingKnex } from '../dry-run/recording-knex';
import { silentProgress } from '../step/progress';
import { runInOrder, runStepIn, type LoadedStep } from './runner';
import type { RunOutcome } from '../step/outcome';
import type { RunOptions } from '../step/contract';
import { tableLockStatement, tablesOf } from './table-locks';

export async function dryRunSteps(
  dialect: Dialect,
  steps: LoadedStep[],
  config: WarehouseConfig,
  options: RunOptions,
): Promise<RunOutcome> {
  const rendered: string[][] = [];
  const results = await runInOrder(steps, { log: () => {} }, async (step, index) => {
    const { knex, statements } = recordingKnex(dialect.name);
    rendered[index] = statements;
    try {
      // --full-refresh: one transaction, whose first statement locks every step's tables.
      const fullRefreshLock =
        options.fullRefresh && index === 0 ? tableLockStatement(dialect, tablesOf(steps)) : undefined;
      if (fullRefreshLock) await knex.raw(fullRefreshLock);
      return await runStepIn(
        knex,
        dialect,
        step,
        () => step.run({ db: knex, outside: knex, dialect, config, options, progress: silentProgress, log: () => {} }),
        !options.fullRefresh,
      );
    } finally {
      await knex.destroy();
    }
  });
  results.forEach((result, index) => (result.statements = [...(rendered[index] ?? [])]));
  return { error: results.find((r) => r.status === 'error')?.error, results };
}
