// Every read of a timestamp or a date through the tool's connections gives the stored value,
// whatever the machine's zone: the test sets TZ itself, far from UTC on both sides.
import { expect } from 'chai';
import { createTestDatabase, type TestDatabase } from '../support/databases';

for (const tz of ['Pacific/Chatham', 'America/New_York']) {
  describe(`timestamps and dates read exactly (TZ=${tz})`, () => {
    let db: TestDatabase;
    const saved = process.env.TZ;

    before(async () => {
      process.env.TZ = tz;
      db = await createTestDatabase('embedded', { migrate: false });
    });
    after(async () => {
      process.env.TZ = saved;
      if (saved === undefined) delete process.env.TZ;
      await db?.drop();
    });

    it('a timestamp is that instant in UTC, a date its own text', async () => {
      const { rows } = await db.knex.raw(
        "select timestamp '2018-11-01 01:01:17.846' as t, date '2018-11-01' as d, date_trunc('week', timestamp '2018-11-07 12:00:00') as week, cast(timestamp '2018-11-01 00:30:00' as date) as day",
      );
      expect((rows[0].t as Date).toISOString()).to.equal('2018-11-01T01:01:17.846Z');
      expect(rows[0].d).to.equal('2018-11-01');
      expect((rows[0].week as Date).toISOString()).to.equal('2018-11-05T00:00:00.000Z');
      expect(rows[0].day).to.equal('2018-11-01');
    });

    it("keeps what a Date cannot hold as the server's text", async () => {
      const { rows } = await db.knex.raw("select timestamp 'infinity' as t");
      expect(rows[0].t).to.equal('infinity');
    });
  });
}
