// When a batch's staged rows may go. A load that keeps a batch ('events': the days not yet
// in the star schema) marks its files published once every step that reads the staging
// table has taken them in, and the same step clears the table. The runner decides which
// step that is from what the steps declare they read (their `tables`): the last reader
// after the load, in file order, publishes and clears in its own transaction, so the rows
// leave staging exactly when they are in the star. A new step that reads staging_events
// after 070 moves both to itself, with no other change.
//
// Cleared here, not by the next load (which still clears what an older version left,
// load/staging.ts): staging then holds only what is not yet in the star, between runs as
// during them, and the run that took a batch in pays for dropping it. A 964k-event batch
// left for the next day's run cost that run's TRUNCATE about 0.13 s at its commit, as
// PostgreSQL dropped the old file (docs/performance.md, "Figures behind comments").
import { publishStaged } from '../load/ledger';
import { clearStatement } from '../load/staging';
import { runVerbatim } from '../verbatim';
import type { TransformStep } from '../step/contract';

/** `steps` in file order, the last reader of each batch load's table publishing that load's files. */
export function withStagingReleased<S extends TransformStep>(steps: S[]): S[] {
  const releases = new Map<number, Array<{ table: string; source: string; clear: boolean }>>();
  steps.forEach((step, index) => {
    if (step.stages?.keeps !== 'batch') return;
    const { table, source } = step.stages;
    const readers = steps.map((s, i) => (i > index && s.tables?.includes(table) ? i : -1)).filter((i) => i >= 0);
    // Read by no later step: nothing waits for the rows, so the load itself publishes them,
    // and keeps them (the next load clears them).
    const releaser = readers.length ? readers[readers.length - 1] : index;
    releases.set(releaser, [...(releases.get(releaser) ?? []), { table, source, clear: releaser !== index }]);
  });
  return steps.map((step, index) => {
    const batches = releases.get(index);
    if (!batches) return step;
    return {
      ...step,
      tables: [...new Set([...(step.tables ?? []), 'load_ledger'])],
      publishes: batches.map((b) => b.source),
      async run(context) {
        const stats = await step.run(context);
        for (const { table, source, clear } of batches) {
          await publishStaged(context.db, source);
          if (clear) await runVerbatim(context.db, clearStatement(context, { table }));
        }
        return stats;
      },
    };
  });
}
