// One transform at a time, and never with a migrate: two transforms started together
// give exactly one run's warehouse; --no-wait stops at once; a killed holder frees the
// lock; migrate waits for a running transform.
import { expect } from 'chai';
import knexFactory, { type Knex } from 'knex';
import { RunLockError } from '../../src/errors';
import { migrateLatest } from '../../src/migrate/migrator';
import { newestRunning } from '../../src/run/history';
import { acquireRunLock, RUN_LOCK_TABLE } from '../../src/run/run-lock';
import { loadSteps, runSteps } from '../../src/transform/runner';
import { startCommand } from '../support/command-child';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { sourcesOf, testSample } from '../support/sample';
import { count, starState } from '../support/warehouse-state';

const quiet = { log: () => {} };

/** Row counts and order-independent checksums of staging and bookkeeping, as starState does for the star. */
async function stagingState(knex: Knex): Promise<Record<string, { rows: number; checksum: string }>> {
  const state: Record<string, { rows: number; checksum: string }> = {};
  const tables: Record<string, string> = {
    staging_events: 'staging_events',
    staging_songs: 'staging_songs',
    load_ledger: 'load_ledger',
  };
  for (const [name, table] of Object.entries(tables)) {
    // The ledger's loaded_at differs between runs: leave it out.
    const row =
      table === 'load_ledger'
        ? 'row(source, path, size_bytes, version, rows_loaded, rows_rejected, published)'
        : `${table}`;
    const result = await knex.raw(
      `select count(*) as row_count, coalesce(md5(string_agg(md5(cast(${row} as text)), ',' order by md5(cast(${row} as text)))), '') as checksum from ${table}`,
    );
    state[name] = { rows: Number(result.rows[0].row_count), checksum: result.rows[0].checksum };
  }
  return state;
}

async function eventually(check: () => Promise<boolean>, seconds: number): Promise<boolean> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

async function lockIsFree(knex: Knex): Promise<boolean> {
  try {
    const lock = await acquireRunLock(knex, { wait: false, log: () => {} });
    await lock.release();
    return true;
  } catch (error) {
    if (error instanceof RunLockError) return false;
    throw error;
  }
}

describe('the run lock', function () {
  let sources: ReturnType<typeof sourcesOf>;
  const dbs: TestDatabase[] = [];
  const database = async () => {
    const db = await createTestDatabase('embedded', { sources });
    dbs.push(db);
    return db;
  };

  before(async () => {
    sources = sourcesOf(await testSample({ events: 60000, songs: 15000 }));
  });
  after(async () => {
    for (const db of dbs) await db.drop();
  });

  it("two transforms at once: the second waits, says for whom, then finds nothing new; the warehouse is one run's", async () => {
    const db = await database();
    const reference = await database();
    const first = startCommand(db, 'transform.ts', []);
    await first.waitFor('010_stage_events'); // it holds the lock now
    const second = startCommand(db, 'transform.ts', []);
    const [one, two] = await Promise.all([first.done, second.done]);
    expect(one.code, one.stdout + one.stderr).to.equal(0);
    expect(two.code, two.stdout + two.stderr).to.equal(0);
    expect(two.stdout).to.match(/waiting for another transform \(pid \d+, started \d{4}-\d\d-\d\dT/);
    // The second run found every file in the ledger: it loaded nothing.
    expect(two.stdout).to.match(/ok {3}010_stage_events .*read 0 = loaded 0 \+ rejected 0/);
    expect(two.stdout).to.match(/ok {3}020_stage_songs .*read 0 = loaded 0 \+ rejected 0/);

    // The same two runs one after the other: what the lock must make of them.
    for (let i = 0; i < 2; i++)
      expect(
        (
          await runSteps(
            reference,
            loadSteps(),
            reference.config,
            { fullRefresh: false, maxErrors: 0, dryRun: false },
            quiet,
          )
        ).error,
      ).to.equal(undefined);
    expect(await count(db.knex, 'select count(*) from staging_songs')).to.equal(15000);
    expect(await stagingState(db.knex)).to.deep.equal(await stagingState(reference.knex));
    expect(await starState(db.knex)).to.deep.equal(await starState(reference.knex));
    expect(await count(db.knex, "select count(*) from transform_runs where status = 'success'")).to.equal(2);
  });

  it('--no-wait stops at once with a non-zero code and says who holds the lock', async () => {
    const db = await database();
    const held = await acquireRunLock(db.knex, { wait: false, log: () => {} });
    try {
      await db.knex('transform_runs').insert({
        run_id: 'holder-run',
        target: 'postgres',
        status: 'running',
        started_at: new Date('2026-11-29T10:00:00Z'),
        host: 'cron-box',
        pid: 4242,
      });
      const started = Date.now();
      const { code, stderr, stdout } = await startCommand(db, 'transform.ts', ['--no-wait']).done;
      expect(code).to.equal(1);
      expect(stderr)
        .to.contain('waiting for another transform (pid 4242 on cron-box, started 2026-11-29T10:00:00.000Z)')
        .and.to.contain('--no-wait');
      expect(stdout).not.to.contain('010_stage_events');
      expect(Date.now() - started).to.be.below(20000);
      expect(await count(db.knex, 'select count(*) from staging_events')).to.equal(0);
    } finally {
      await held.release();
    }
    expect(await lockIsFree(db.knex)).to.equal(true);
  });

  it('a transform killed with SIGKILL frees the lock, and the history shows it unfinished', async () => {
    const db = await database();
    const run = startCommand(db, 'transform.ts', []);
    await run.waitFor('010_stage_events');
    expect(await lockIsFree(db.knex)).to.equal(false);
    run.killGroup();
    await run.done;
    expect(await eventually(() => lockIsFree(db.knex), 15), 'the lock is still held after the kill').to.equal(true);
    const killed = await newestRunning(db.knex);
    expect(killed).to.include({ status: 'running', finished_at: null });
  });

  it('a terminated backend frees the lock', async () => {
    const db = await database();
    const held = await acquireRunLock(db.knex, { wait: false, log: () => {} });
    expect(await lockIsFree(db.knex)).to.equal(false);
    const { rows } = await db.knex.raw(
      `select pid from pg_locks where relation = '${RUN_LOCK_TABLE}'::regclass and granted`,
    );
    expect(rows).to.have.length(1);
    await db.knex.raw('select pg_terminate_backend(?)', [rows[0].pid]);
    expect(await eventually(() => lockIsFree(db.knex), 10)).to.equal(true);
    await held.release().catch(() => {}); // its connection is gone already
  });

  // Issue 21 item 8: terminating only the lock's backend let a second run start at once while
  // the first went on loading (a deadlock, or exit 1 after every step had run).
  it('a run whose lock connection dies stops at once, rolls its step back, records failed; the next run never overlaps it', async () => {
    const db = await database();
    const first = startCommand(db, 'transform.ts', []);
    await first.waitFor('010_stage_events');
    const holder = await db.knex.raw(
      `select l.pid from pg_locks l join pg_class c on c.oid = l.relation where c.relname = '${RUN_LOCK_TABLE}' and l.granted and l.mode = 'AccessExclusiveLock'`,
    );
    expect(holder.rows, 'the lock holder').to.have.length(1);
    await db.knex.raw('select pg_terminate_backend(?)', [holder.rows[0].pid]);
    const terminatedAt = Date.now();
    const second = startCommand(db, 'transform.ts', []);

    const one = await first.done;
    expect(one.code, one.stdout + one.stderr).to.equal(1);
    expect(Date.now() - terminatedAt, 'the first run stopped at once').to.be.below(15000);
    expect(one.stdout + one.stderr, one.stdout + one.stderr).to.match(/lost the run lock/);
    expect(one.stdout)
      .to.match(/010_stage_events/)
      .and.not.to.match(/ok {3}070_fact_songplays/);

    const two = await second.done;
    expect(two.code, two.stdout + two.stderr).to.equal(0);
    const runs = (await db.knex('transform_runs').orderBy('started_at')).map((r: Record<string, unknown>) => ({
      ...r,
    }));
    expect(runs.map((r) => r.status)).to.deep.equal(['failed', 'success']);
    expect(String(runs[0].error)).to.match(/lost the run lock/);
    // Never two runs at once: the first had finished (rolled back, recorded) before the second began.
    expect(new Date(runs[0].finished_at as string).getTime()).to.be.at.most(
      new Date(runs[1].started_at as string).getTime(),
    );
    // The second run loaded every file: nothing of the first run's step was kept.
    expect(await count(db.knex, 'select count(*) from load_ledger')).to.equal(
      await count(db.knex, 'select count(*) from load_ledger where rows_loaded is not null'),
    );
    expect(await count(db.knex, 'select count(*) from staging_songs')).to.equal(15000);
    expect(await lockIsFree(db.knex)).to.equal(true);
  });

  it('migrate waits for a running transform, saying so, and goes on when it ends', async () => {
    const db = await database();
    const held = await acquireRunLock(db.knex, { wait: false, log: () => {} });
    await db.knex('transform_runs').insert({
      run_id: 'a-transform',
      target: 'postgres',
      status: 'running',
      started_at: new Date(),
      host: 'here',
      pid: 777,
    });
    const said: string[] = [];
    let finished = false;
    const migrating = migrateLatest(db.knex, (m) => said.push(m)).then((r) => ((finished = true), r));
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(finished, 'migrate ran while a transform held the lock').to.equal(false);
    expect(said.join('\n')).to.match(/waiting for another transform \(pid 777/);
    await held.release();
    expect((await migrating).migrations).to.deep.equal([]);
  });
});

// REDSHIFT_AUTH=iam gives knex an async connection provider, resolved only inside its pool:
// the lock's own connection must use what the provider gave, not libpq's defaults. The
// shell's PG* variables point nowhere, so a connection built without settings cannot
// reach a server by luck.
describe('the run lock with an async connection provider', () => {
  const saved = { PGHOST: process.env.PGHOST, PGUSER: process.env.PGUSER, PGPORT: process.env.PGPORT };
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase('embedded');
    Object.assign(process.env, { PGHOST: 'no-such-host.invalid', PGUSER: 'nobody', PGPORT: '1' });
  });
  after(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await db?.drop();
  });

  it('connects with the provider settings before the pool has made any connection', async () => {
    const knex = knexFactory({
      client: 'pg',
      connection: async () => ({ ...db.connection }),
      pool: { min: 0, max: 2 },
    });
    try {
      const lock = await acquireRunLock(knex, { wait: false, log: () => {} });
      await lock.release();
    } finally {
      await knex.destroy();
    }
  });
});
