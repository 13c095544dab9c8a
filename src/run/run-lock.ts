// The run lock: one transform at a time, and never a transform and a migrate at once.
//
// Design: a dedicated connection holds an open transaction that has run
// `lock knex_migrations_lock` for the whole run. Why this one:
// - It is the table our migrator already LOCKs inside its own transaction
//   (src/migrate/migrator.ts), so the same lock keeps migrate and transform apart.
// - LOCK is the one explicit lock both engines have: Redshift's takes no mode and no
//   NOWAIT (AWS SQL reference, "LOCK": `LOCK [ TABLE ] table_name [, ...]`, always
//   ACCESS EXCLUSIVE), and it has no advisory locks.
// - A transaction dies with its session, so a run killed with SIGKILL (or a terminated
//   backend) never leaves the lock held; knex's is_locked row would stay set.
// - On Redshift a run is several transactions (one per step); this one spans them all.
// Not waiting (--no-wait), and noticing that we wait, use statement_timeout, which both
// engines have (AWS, "statement_timeout": it "stops any statement that takes over the
// specified number of milliseconds"): the first attempt gives up after a moment, we say
// who holds the lock, and then either stop or wait for as long as it takes.
// Who holds it: the newest run in the run history still marked 'running' (written by
// the holder in its own short transaction right after it got the lock), rather than
// pg_locks/STV_LOCKS, so one query serves both engines.
// Losing it: the lock lives only as long as its connection. If that connection dies
// mid-run (pg_terminate_backend on it alone, a dropped network) another run can start at
// once, so the holder must stop: `lost` rejects the moment the driver reports the
// connection gone, and `check()` asks the connection before each step starts and before
// each step commits (a silent network drop shows there). Issue 21: a run went on
// loading beside a second one (deadlock detected), or exited 1 after every step.
import os from 'node:os';
import type { Knex } from 'knex';
import { quoteIdentifier } from '../dialects/dialect';
import { ConfigError, RunLockError, RunLockLostError } from '../errors';
import { migrationSettings } from '../targets/knex-config';
import { acquireOwnConnection } from '../targets/raw-connection';
import { newestRunning } from './history';
import type { RunLockGuard } from './lock-guard';

export const RUN_LOCK_TABLE = `${migrationSettings.tableName}_lock`;

/** How long the first attempt waits before we say that we wait (or stop, with --no-wait). */
const PATIENCE_MS = 1500;

interface PgConnection {
  query(sql: string): Promise<unknown>;
  on?(event: 'error' | 'end', listener: (error?: Error) => void): void;
}

export interface RunLock extends RunLockGuard {
  release(): Promise<void>;
}

export interface RunLockOptions {
  /** false: stop at once with RunLockError when another run holds the lock (--no-wait). */
  wait: boolean;
  log(message: string): void;
  /** What the lock is for, in the messages: "transform" or "migrate". */
  purpose?: string;
}

export async function acquireRunLock(knex: Knex, options: RunLockOptions): Promise<RunLock> {
  // A connection of its own, outside the pool: the steps' transactions never wait for
  // it, and closing it is what lets the lock go. Built from the pool's settings, IAM
  // credentials and TLS included (raw-connection.ts).
  const connection = (await acquireOwnConnection(knex)) as PgConnection;
  const lock = `lock ${quoteIdentifier(RUN_LOCK_TABLE)}`;
  let released = false;
  let lostError: RunLockLostError | undefined;
  let markLost: (error: RunLockLostError) => void = () => {};
  const lost = new Promise<never>((_, reject) => (markLost = reject));
  lost.catch(() => {}); // a run that never asks is told by check()
  const loseLock = (cause?: Error) => {
    if (released || lostError) return;
    lostError = new RunLockLostError(
      `This run lost the run lock: its connection ended${cause?.message ? ` (${cause.message})` : ''}, so another transform or a migrate may start. ` +
        'The run stopped and rolled back the step it was in; the steps before it are kept. Run the transform again.',
    );
    markLost(lostError);
  };
  connection.on?.('error', loseLock);
  connection.on?.('end', () => loseLock());
  const check = async () => {
    if (!lostError) await connection.query('select 1').catch((error: Error) => loseLock(error));
    if (lostError) throw lostError;
  };
  const release = async () => {
    if (released) return;
    released = true;
    try {
      // A lost lock's connection is gone: nothing to roll back.
      if (!lostError) await connection.query('rollback');
    } finally {
      await knex.client.destroyRawConnection(connection);
    }
  };
  try {
    await connection.query(`set statement_timeout to ${PATIENCE_MS}`);
    await connection.query('begin');
    try {
      await connection.query(lock);
    } catch (error) {
      if (!isTimeout(error)) throw error;
      await connection.query('rollback');
      const message = await whoHolds(knex);
      if (!options.wait)
        throw new RunLockError(
          `${message}. --no-wait: stopping. Run again when it has finished, or without --no-wait to wait for it.`,
        );
      options.log(`${message} ...`);
      await connection.query('set statement_timeout to 0');
      await connection.query('begin');
      await connection.query(lock);
    }
    return { release, lost, check };
  } catch (error) {
    await release().catch(() => {});
    if ((error as { code?: string }).code === '42P01') {
      throw new ConfigError(
        `The warehouse has no tables yet (${RUN_LOCK_TABLE} is missing): run \`npm run migrate\` first.`,
      );
    }
    throw error;
  }
}

/** Holds the run lock while `work` runs, and always lets it go. */
export async function withRunLock<T>(
  knex: Knex,
  options: RunLockOptions,
  work: (lock: RunLockGuard) => Promise<T>,
): Promise<T> {
  const lock = await acquireRunLock(knex, options);
  try {
    return await work(lock);
  } finally {
    await lock.release();
  }
}

async function whoHolds(knex: Knex): Promise<string> {
  const holder = await newestRunning(knex).catch(() => undefined);
  if (!holder) return 'waiting for another transform or migrate to finish';
  const where = holder.host && holder.host !== os.hostname() ? ` on ${holder.host}` : '';
  return `waiting for another transform (pid ${holder.pid}${where}, started ${holder.started_at})`;
}

// PostgreSQL: "canceling statement due to statement timeout" (57014); Redshift cancels
// with "Query (…) canceled on user's request" (AWS, "statement_timeout").
function isTimeout(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return code === '57014' || /statement timeout|canceled on user's request/i.test(message ?? '');
}

/**
 * Migrate's side of the same lock: its own LOCK of the table runs inside knex's
 * migration transaction (src/migrate/migrator.ts) and waits in silence, so first wait
 * here, saying for whom, and let go: by then the transform has finished.
 */
export async function waitForRunningTransform(knex: Knex, log: (message: string) => void): Promise<void> {
  if (!(await knex.schema.hasTable(RUN_LOCK_TABLE))) return; // a first migrate: nothing can be running
  const lock = await acquireRunLock(knex, { wait: true, log });
  await lock.release();
}
