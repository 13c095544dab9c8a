// knex's migrator with a lock that holds on Redshift too. knex takes its lock with
// `update knex_migrations_lock set is_locked = 1 where is_locked = 0`; on Redshift two
// such updates race into a serializable-isolation error (1023) instead of one waiting,
// and knex's `forUpdate()` compiles to nothing there. An explicit LOCK of the lock table
// as the transaction's first statement makes the second runner wait on both engines;
// when it gets the lock, knex re-reads the completed list and finds nothing left to do.
// The same LOCK is the transforms' run lock (src/run/run-lock.ts): a transform holds it
// for its whole run, so migrate waits for a running transform, and the other way round.
import type { Knex } from 'knex';
import { quoteIdentifier } from '../dialects/dialect';
import { MigrationLockError } from '../errors';
import { waitForRunningTransform } from '../run/run-lock';
import { migrationSettings } from '../targets/knex-config';
import { loadModule } from '../load-module';

type Direction = 'up' | 'down';
type BatchOutcome = [number, string[]];

/** The parts of knex's Migrator (knex/lib/migrations/migrate/Migrator.js) used here. */
interface KnexMigratorInternals {
  knex: Knex;
  config: {
    tableName: string;
    disableTransactions?: boolean;
    migrationSource: { getMigration(m: unknown): Promise<object>; getMigrationName(m: unknown): string };
  };
  _lockMigrations(trx: Knex.Transaction): Promise<void>;
  _useTransaction(migration: object, disableTransactions?: boolean): boolean;
  _getLock(trx: Knex.Transaction): Promise<void>;
  _freeLock(trx: Knex.Transaction): Promise<void>;
  _latestBatchNumber(trx: Knex.Transaction): Promise<number>;
  _waterfallBatch(
    batch: number,
    migrations: unknown[],
    direction: Direction,
    trx: Knex.Transaction,
  ): Promise<BatchOutcome>;
  _runBatch(migrations: unknown[], direction: Direction, trx?: Knex.Transaction): Promise<BatchOutcome>;
}

const { Migrator: KnexMigrator } = loadModule('knex/lib/migrations/migrate/Migrator') as {
  Migrator: new (knex: Knex) => KnexMigratorInternals;
};

interface MigratorApi {
  latest(): Promise<[number, string[]]>;
  rollback(config: unknown, all: boolean): Promise<[number, string[]]>;
  list(): Promise<[Array<{ name: string }>, Array<{ file: string }>]>;
  forceFreeMigrationsLock(): Promise<void>;
  make(name: string): Promise<string>;
}

class LockingMigrator extends KnexMigrator {
  override async _lockMigrations(trx: Knex.Transaction): Promise<void> {
    const lockTable = `${migrationSettings.tableName}_lock`;
    await trx.raw(`lock ${quoteIdentifier(lockTable)}`);
    return super._lockMigrations(trx);
  }

  /**
   * knex runs `latest` in one transaction when every migration allows it, but a rollback one
   * transaction per migration, with the lock taken and freed in transactions of its own: a
   * rollback stopped half-way (Ctrl-C, a failing down) left some migrations undone and the
   * lock taken. A rollback gets what `latest` gets: one transaction for the batch, the lock
   * inside it, so stopping it anywhere leaves the schema and the lock as they were.
   */
  override async _runBatch(migrations: unknown[], direction: Direction, trx?: Knex.Transaction): Promise<BatchOutcome> {
    if (direction !== 'down' || trx || !(await this.allInTransaction(migrations)))
      return super._runBatch(migrations, direction, trx);
    return this.knex.transaction(async (batch) => {
      await this._getLock(batch);
      // Another rollback may have undone some while this one waited for the lock.
      const applied = new Set(
        (await batch(this.config.tableName).select<Array<{ name: string }>>('name')).map((row) => row.name),
      );
      const stillApplied = migrations.filter((m) => applied.has(this.config.migrationSource.getMigrationName(m)));
      const number = await this._latestBatchNumber(batch);
      const outcome: BatchOutcome =
        stillApplied.length > 0 ? await this._waterfallBatch(number, stillApplied, 'down', batch) : [number, []];
      await this._freeLock(batch);
      return outcome;
    });
  }

  private async allInTransaction(migrations: unknown[]): Promise<boolean> {
    if (this.config.disableTransactions) return false;
    for (const migration of migrations) {
      if (!this._useTransaction(await this.config.migrationSource.getMigration(migration))) return false;
    }
    return true;
  }
}

function migrator(knex: Knex): MigratorApi {
  return new LockingMigrator(knex) as unknown as MigratorApi;
}

async function translateLockError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if ((error as Error).name === 'MigrationLocked' || /already locked/i.test((error as Error).message)) {
      throw new MigrationLockError(
        'The migration lock is taken: another migrate is running, or one was killed while it ran outside a transaction. ' +
          'If none is running, free it with `npm run migrate:unlock`.',
      );
    }
    throw error;
  }
}

export interface BatchResult {
  batch: number;
  migrations: string[];
}

/** `log`: say so when a running transform makes us wait (the commands pass it; tests need not). */
export async function migrateLatest(knex: Knex, log?: (message: string) => void): Promise<BatchResult> {
  if (log) await waitForRunningTransform(knex, log);
  const [batch, migrations] = await translateLockError(() => migrator(knex).latest());
  return { batch, migrations };
}

export async function migrateRollback(knex: Knex, all: boolean, log?: (message: string) => void): Promise<BatchResult> {
  if (log) await waitForRunningTransform(knex, log);
  const [batch, migrations] = await translateLockError(() => migrator(knex).rollback(undefined, all));
  return { batch, migrations };
}

export interface MigrationStatus {
  completed: string[];
  pending: string[];
  /** knex_migrations_lock says a migrate holds the lock (or one was killed outside a transaction). */
  locked: boolean;
}

export async function migrationStatus(knex: Knex): Promise<MigrationStatus> {
  const [completed, pending] = await migrator(knex).list();
  const lockTable = `${migrationSettings.tableName}_lock`;
  const lock = (await knex.schema.hasTable(lockTable))
    ? await knex(lockTable).first<{ is_locked: number | string } | undefined>('is_locked')
    : undefined;
  return {
    completed: completed.map((m) => m.name),
    pending: pending.map((m) => m.file),
    locked: Number(lock?.is_locked ?? 0) === 1,
  };
}

export async function freeMigrationLock(knex: Knex): Promise<void> {
  await migrator(knex).forceFreeMigrationsLock();
}

/** Writes a new migration from our TypeScript stub; needs no connection. */
export async function makeMigration(knex: Knex, name: string): Promise<string> {
  return migrator(knex).make(name);
}
