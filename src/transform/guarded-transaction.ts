// A step's transaction under the run lock: it commits only while the lock is held.
//
// The run lock is a connection of its own (src/run/run-lock.ts). When it dies, another run
// may start at once, so the step in progress must not go on beside it: the transaction
// stops as soon as the lock is reported lost, its statement in flight is cancelled (a COPY
// would otherwise stream on to its end before ROLLBACK could run, the statement ahead of it
// on the same connection), and it rolls back. Before it starts and before it commits the
// lock's connection is asked too, for a loss no event reported.
import type { Knex } from 'knex';
import type { RunLockGuard } from '../run/lock-guard';

/** knex.transaction(work), held to `guard` when there is one. */
export async function guardedTransaction<T>(
  knex: Knex,
  guard: RunLockGuard | undefined,
  work: (trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  if (!guard) return knex.transaction(work);
  await guard.check(); // lost between steps: this one never starts
  return knex.transaction(async (trx) => {
    let running = true;
    let lostWith: Error | undefined;
    const stopped = guard.lost.catch(async (error: Error) => {
      lostWith = error;
      if (running) await cancelStatementOf(knex, trx);
      throw error;
    });
    try {
      const result = await Promise.race([work(trx), stopped]);
      await guard.check(); // the last moment before COMMIT
      return result;
    } catch (error) {
      // The cancel makes the statement fail ("canceling statement due to user request"),
      // often before `stopped` itself rejects: the step failed because the lock was lost.
      throw lostWith ?? error;
    } finally {
      running = false;
    }
  });
}

/** Cancels what the transaction's connection is running (pg_cancel_backend on both engines), from the pool. */
async function cancelStatementOf(knex: Knex, trx: Knex.Transaction): Promise<void> {
  try {
    // knex's transaction client hands back the transaction's own connection; node-pg keeps its backend pid.
    const connection =
      (await (
        trx.client as unknown as { acquireConnection(): Promise<{ processID?: number | null }> }
      ).acquireConnection()) ?? {};
    if (connection.processID) await knex.raw('select pg_cancel_backend(?)', [connection.processID]);
  } catch {
    // Nothing to cancel, or no way to: the rollback still follows the statement.
  }
}
