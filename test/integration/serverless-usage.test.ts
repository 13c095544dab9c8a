// status --serverless reads the RPU-hours used only as a superuser (issue 23, item 6):
// sys_serverless_usage shows its rows to superusers only, so anyone else would read a sum
// of 0. The queries run on real PostgreSQL, with a table standing in for the view.
import { expect } from 'chai';
import knexFactory from 'knex';
import { readServerlessUsage } from '../../src/cluster/serverless/usage';
import { createTestDatabase, type TestDatabase } from '../support/databases';

describe('status --serverless: RPU-hours used, as a superuser only (real PostgreSQL)', () => {
  let db: TestDatabase;
  const role = `usage_reader_${process.pid}`;

  before(async () => {
    db = await createTestDatabase('embedded');
    await db.knex.raw('create table sys_serverless_usage (start_time timestamp, charged_seconds bigint)');
    await db.knex.raw(
      `insert into sys_serverless_usage values ('2025-11-26 23:59:59', 99999), ('2025-11-27 01:00:00', 7200), ('2025-11-27 02:00:00', 1800)`,
    );
    await db.knex.raw(`create role ${role} login password 'reader-Pw1' nosuperuser`);
    await db.knex.raw(`grant select on sys_serverless_usage to ${role}`);
  });

  after(async () => {
    await db?.knex.raw(`drop owned by ${role}`);
    await db?.knex.raw(`drop role ${role}`);
    await db?.drop();
  });

  it('a superuser reads the RPU-hours since the period start', async () => {
    expect(await readServerlessUsage(db.knex, new Date('2025-11-27T00:00:00Z'))).to.deep.equal({ rpuHours: 2.5 });
  });

  it('any other user gets "needs a superuser", not the 0 the view would show', async () => {
    const reader = knexFactory({
      client: 'pg',
      connection: { ...db.connection, user: role, password: 'reader-Pw1' },
      pool: { min: 0, max: 1 },
    });
    try {
      expect(await readServerlessUsage(reader, new Date('2025-11-27T00:00:00Z'))).to.equal('needs-superuser');
    } finally {
      await reader.destroy();
    }
  });
});
