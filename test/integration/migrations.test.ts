import { expect } from 'chai';
import knexFactory from 'knex';
import { freeMigrationLock, migrateLatest, migrateRollback, migrationStatus } from '../../src/migrate/migrator';
import { migrationNames } from '../../src/migrate/dry-run';
import { migrationSettings } from '../../src/targets/knex-config';
import { createTestDatabase, testServers, type TestDatabase } from '../support/databases';

const OUR_TABLES = [
  'staging_events',
  'staging_songs',
  'songplays',
  'users',
  'songs',
  'artists',
  'time',
  'load_ledger',
  'load_errors',
];

async function tablesOf(db: TestDatabase): Promise<string[]> {
  const result = await db.knex.raw(
    "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
  );
  return result.rows.map((r: { table_name: string }) => r.table_name);
}

for (const server of testServers()) {
  describe(`migrations on ${server} PostgreSQL`, () => {
    let db: TestDatabase;

    beforeEach(async () => {
      db = await createTestDatabase(server, { migrate: false });
    });
    afterEach(async () => {
      await db.drop();
    });

    it('migrates to latest, reports status, rolls everything back, and migrates again', async () => {
      const first = await migrateLatest(db.knex);
      expect(first.migrations).to.deep.equal(migrationNames());
      expect(await tablesOf(db)).to.include.members(OUR_TABLES);

      const status = await migrationStatus(db.knex);
      expect(status.completed).to.deep.equal(migrationNames());
      expect(status.pending).to.deep.equal([]);

      const again = await migrateLatest(db.knex);
      expect(again.migrations).to.deep.equal([]);

      const rolledBack = await migrateRollback(db.knex, true);
      expect(rolledBack.migrations).to.deep.equal([...migrationNames()].reverse());
      const left = await tablesOf(db);
      expect(left.filter((t) => OUR_TABLES.includes(t))).to.deep.equal([]);
      expect((await migrationStatus(db.knex)).pending).to.have.length(migrationNames().length);

      await migrateLatest(db.knex);
      expect(await tablesOf(db)).to.include.members(OUR_TABLES);
    });

    it('renders the declared keys as indexes on Postgres', async () => {
      await migrateLatest(db.knex);
      const result = await db.knex.raw(
        "select indexname, indexdef from pg_indexes where tablename = 'songplays' order by indexname",
      );
      const definitions = result.rows.map((r: { indexdef: string }) => r.indexdef).join('\n');
      expect(definitions).to.match(/USING brin \(start_time\)/);
      expect(definitions).to.match(/UNIQUE INDEX .* USING btree \(user_id, session_id, item_in_session\)/);
      expect(definitions).to.match(/USING btree \(song_id\)/);
    });

    it('lets two concurrent migrate runs apply each migration exactly once', async () => {
      const second = knexFactory({
        client: 'pg',
        connection: db.connection,
        pool: { min: 0, max: 2 },
        migrations: migrationSettings,
      });
      try {
        // Create knex's bookkeeping tables first so both runners race on the lock itself.
        await migrateLatest(db.knex);
        await migrateRollback(db.knex, true);
        const [a, b] = await Promise.all([migrateLatest(db.knex), migrateLatest(second)]);
        const applied = [...a.migrations, ...b.migrations].sort();
        expect(applied).to.deep.equal(migrationNames());
        const rows = await db.knex('knex_migrations').select('name');
        expect(rows.map((r) => r.name).sort()).to.deep.equal(migrationNames());
        const lock = await db.knex('knex_migrations_lock').first('is_locked');
        expect(lock.is_locked).to.equal(0);
      } finally {
        await second.destroy();
      }
    });

    it('reports a lock left behind with the command that frees it', async () => {
      await migrateLatest(db.knex);
      await migrateRollback(db.knex, false);
      await db.knex('knex_migrations_lock').update({ is_locked: 1 });
      let message = '';
      await migrateLatest(db.knex).catch((error: Error) => {
        message = error.message;
      });
      expect(message).to.contain('npm run migrate:unlock');
      await freeMigrationLock(db.knex);
      // the last batch held all three migrations
      expect((await migrateLatest(db.knex)).migrations).to.deep.equal(migrationNames());
    });
  });
}
