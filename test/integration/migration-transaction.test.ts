// A migration with `export const config = { transaction: false }` runs outside any
// transaction block, through our locking migrator. PostgreSQL, like Redshift, refuses
// VACUUM inside a transaction block, so it stands in here for the statements Redshift
// refuses there (ALTER COLUMN … TYPE, ALTER TABLE APPEND, VACUUM).
import { expect } from 'chai';
import knexFactory, { type Knex } from 'knex';
import { migrateLatest, migrateRollback } from '../../src/migrate/migrator';
import { migrationSettings } from '../../src/targets/knex-config';
import { createTestDatabase, testServers, type TestDatabase } from '../support/databases';
import { rawMigration, withMigrations } from '../support/migration-folder';

const CREATE = rawMigration('create table "t" ("a" integer)', 'drop table "t"');

/** A knex on `db` that migrates from `dir`; knex's own messages go to `logged` rather than the test output. */
async function withMigrator<T>(db: TestDatabase, dir: string, work: (knex: Knex, logged: string[]) => Promise<T>): Promise<T> {
  const logged: string[] = [];
  const keep = (message: unknown) => void logged.push(String(message));
  const log = { warn: keep, error: keep, debug: keep, deprecate: keep };
  const knex = knexFactory({ client: 'pg', connection: db.connection, pool: { min: 0, max: 2 }, migrations: { ...migrationSettings, directory: dir }, log });
  try {
    return await work(knex, logged);
  } finally {
    await knex.destroy();
  }
}

async function tableExists(db: TestDatabase, name: string): Promise<boolean> {
  const result = await db.knex.raw('select 1 from information_schema.tables where table_schema = current_schema() and table_name = ?', [name]);
  return result.rows.length === 1;
}

for (const server of testServers()) {
  describe(`config.transaction = false on ${server} PostgreSQL`, () => {
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
  });
}
