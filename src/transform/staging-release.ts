// When a batch's staged rows may go. A load that keeps a batch ('events': the days not yet
// in the star schema) marks its files published once every step that reads the staging
// table has taken them in; the next load then clears the table (load/staging.ts). The
// runner decides which step that is from what the steps declare they read (their
// `tables`): the last reader after the load, in file order, publishes in its own
// transaction, so the rows are published exactly when they are in the star. A new step that
// reads staging_events after 070 moves the publishing to itself, with no other change.
import { publishStaged } from '../load/ledger';
import type { TransformStep } from '../step/contract';

/** `steps` in file order, the last reader of each batch load's table publishing that load's files. */
export function withStagingReleased<S extends TransformStep>(steps: S[]): S[] {
  const releases = new Map<number, string[]>();
  steps.forEach((step, index) => {
    if (step.stages?.keeps !== 'batch') return;
    const { table, source } = step.stages;
    const readers = steps.map((s, i) => (i > index && s.tables?.includes(table) ? i : -1)).filter((i) => i >= 0);
    // Read by no later step: nothing waits for the rows, so the load itself publishes them.
    const releaser = readers.length ? readers[readers.length - 1] : index;
    releases.set(releaser, [...(releases.get(releaser) ?? []), source]);
  });
  return steps.map((step, index) => {
    const sources = releases.get(index);
    if (!sources) return step;
    return {
      ...step,
      tables: [...new Set([...(step.tables ?? []), 'load_ledger'])],
      async run(context) {
        const stats = await step.run(context);
        for (const source of sources) await publishStaged(context.db, source);
        return stats;
      },
    };
  });
}
