// A batch runs in one transaction, up and down (the tool's migrator wraps knex's rollback,
// which knex runs one transaction per migration), unless a migration opts out.
// A migration with `export const config = { transaction: false }` runs outside any
// transaction block, through our locking migrator. PostgreSQL, like Redshift, refuses
// VACUUM inside a transaction block, so it stands in here for the statements Redshift
// refuses there (ALTER COLUMN … TYPE, ALTER TABLE APPEND, VACUUM).
import { expect } from 'chai';
import knexFactory, { type Knex } from 'knex';
import { migrateLatest, migrateRollback, migrationStatus } from '../../src/migrate/migrator';
import { migrationSettings } from '../../src/targets/knex-config';
import { createTestDatabase, testServers, type TestDatabase } from '../support/databases';
import { rawMigration, withMigrations } from '../support/migration-folder';

const CREATE = rawMigration('create table "t" ("a" integer)', 'drop table "t"');

/** A knex on `db` that migrates from `dir`; knex's own messages go to `logged` rather than the test output. */
async function withMigrator<T>(
  db: TestDatabase,
  dir: string,
  work: (knex: Knex, logged: string[]) => Promise<T>,
): Promise<T> {
  const logged: string[] = [];
  const keep = (message: unknown) => void logged.push(String(message));
  const log = { warn: keep, error: keep, debug: keep, deprecate: keep };
  const knex = knexFactory({
    client: 'pg',
    connection: db.connection,
    pool: { min: 0, max: 2 },
    migrations: { ...migrationSettings, directory: dir },
    log,
  });
  try {
    return await work(knex, logged);
  } finally {
    await knex.destroy();
  }
}

async function tableExists(db: TestDatabase, name: string): Promise<boolean> {
  const result = await db.knex.raw(
    'select 1 from information_schema.tables where table_schema = current_schema() and table_name = ?',
    [name],
  );
  return result.rows.length === 1;
}

for (const server of testServers()) {
  describe(`migrations and their transactions on ${server} PostgreSQL`, () => {
    let db: TestDatabase;
    beforeEach(async () => {
      db = await createTestDatabase(server, { migrate: false });
    });
    afterEach(async () => {
      await db.drop();
    });

    it('runs that migration outside a transaction block, up and down, and frees the lock', async () => {
      const files = {
        '20270101000000_create_t.ts': CREATE,
        '20270101000100_vacuum_t.ts': rawMigration('vacuum "t"', 'vacuum "t"', { transaction: false }),
      };
      await withMigrations(files, (dir) =>
        withMigrator(db, dir, async (knex) => {
          expect((await migrateLatest(knex)).migrations).to.deep.equal(Object.keys(files));
          expect(await tableExists(db, 't')).to.equal(true);
          expect((await migrateRollback(knex, true)).migrations).to.deep.equal(Object.keys(files).reverse());
          expect(await tableExists(db, 't')).to.equal(false);
          expect((await knex('knex_migrations_lock').first('is_locked')).is_locked).to.equal(0);
        }),
      );
    });

    it('without it, the batch runs in one transaction: the statement is refused and nothing is applied', async () => {
      const files = {
        '20270101000000_create_t.ts': CREATE,
        '20270101000100_vacuum_t.ts': rawMigration('vacuum "t"', 'vacuum "t"'),
      };
      await withMigrations(files, (dir) =>
        withMigrator(db, dir, async (knex, logged) => {
          let message = '';
          await migrateLatest(knex).catch((error: Error) => (message = error.message));
          expect(message).to.match(/cannot run inside a transaction block/);
          expect(logged.join('\n')).to.contain('20270101000100_vacuum_t.ts');
          expect(await tableExists(db, 't')).to.equal(false);
          expect(await knex('knex_migrations').select('name')).to.deep.equal([]);
        }),
      );
    });

    it('rolls a batch back in one transaction: a down that fails half-way undoes nothing, and the lock is free', async () => {
      const files = {
        '20270101000000_create_t.ts': CREATE,
        '20270101000100_refuses_down.ts': rawMigration(
          'select 1',
          "do $$ begin raise exception 'this down fails'; end $$",
        ),
        '20270101000200_create_u.ts': rawMigration('create table "u" ("a" integer)', 'drop table "u"'),
      };
      await withMigrations(files, (dir) =>
        withMigrator(db, dir, async (knex) => {
          await migrateLatest(knex);
          let message = '';
          await migrateRollback(knex, true).catch((error: Error) => (message = error.message));
          expect(message).to.contain('this down fails');
          // "u" was dropped before the failing down ran: that drop is undone with the rest.
          expect(await tableExists(db, 'u')).to.equal(true);
          expect((await migrationStatus(knex)).completed).to.deep.equal(Object.keys(files));
          expect((await migrationStatus(knex)).locked).to.equal(false);
        }),
      );
    });

    it('shows a lock left taken in migrate:status', async () => {
      await withMigrations({ '20270101000000_create_t.ts': CREATE }, (dir) =>
        withMigrator(db, dir, async (knex) => {
          await migrateLatest(knex);
          expect((await migrationStatus(knex)).locked).to.equal(false);
          await knex('knex_migrations_lock').update({ is_locked: 1 });
          expect((await migrationStatus(knex)).locked).to.equal(true);
        }),
      );
    });
  });
}
