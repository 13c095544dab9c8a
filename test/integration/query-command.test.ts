// npm run query prints what the warehouse holds, value for value as psql prints it: with the
// command's TZ far from UTC, columns of the same name, exact bigints and numerics, nulls, and
// several statements in one input.
import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import { databaseUrl, startCommand } from '../support/command-child';
import { printedTables } from '../support/printed-tables';
import { createTestDatabase, type TestDatabase } from '../support/databases';

async function query(db: TestDatabase, sql: string, tz: string): Promise<string> {
  const result = await startCommand(db, 'query.ts', [sql], { TZ: tz }).done;
  expect(result.code, result.stderr).to.equal(0);
  return result.stdout;
}

describe('npm run query: exactly what the warehouse holds', function () {
  let db: TestDatabase;

  before(async () => {
    db = await createTestDatabase('embedded', { migrate: false });
    await db.knex
      .raw(`create table plays (level varchar(8), user_id varchar(8), start_time timestamp, day date, big bigint, amount numeric(38, 10), note varchar(8));
insert into plays values
  ('free', '1', '2018-11-01 01:01:17.846', '2018-11-01', 9007199254740993, 12345678901234567890.0000000001, null),
  ('free', '1', '2018-11-01 23:59:59.999', '2018-11-01', 1, 1.5, 'x'),
  ('free', '2', '2018-11-02 00:00:00', '2018-11-02', 2, 0, 'y'),
  ('paid', '3', '2018-11-30 12:00:00', '2018-11-30', -3, -1.25, 'z');`);
  });
  after(async () => {
    await db?.drop();
  });

  for (const tz of ['Pacific/Chatham', 'America/New_York']) {
    it(`shows two columns of the same name each with its own value (TZ=${tz})`, async () => {
      const out = await query(
        db,
        'select level, count(*), count(distinct user_id) from plays group by level order by level',
        tz,
      );
      expect(printedTables(out)[0]).to.deep.equal([
        ['level', 'count', 'count'],
        ['free', '3', '2'],
        ['paid', '1', '1'],
      ]);
    });

    it(`shows timestamps and dates as stored, bigints and numerics exactly, nulls as null (TZ=${tz})`, async () => {
      const out = await query(
        db,
        "select start_time, cast(start_time as date) as day, big, amount, note from plays where user_id = '1' order by start_time",
        tz,
      );
      expect(printedTables(out)[0]).to.deep.equal([
        ['start_time', 'day', 'big', 'amount', 'note'],
        ['2018-11-01 01:01:17.846', '2018-11-01', '9007199254740993', '12345678901234567890.0000000001', 'null'],
        ['2018-11-01 23:59:59.999', '2018-11-01', '1', '1.5000000000', 'x'],
      ]);
    });
  }

  it('right-aligns numbers and left-aligns text', async () => {
    const out = await query(db, 'select big, level from plays order by big', 'UTC');
    const lines = out.replace(/\n+$/, '').split('\n');
    expect(lines[0]).to.equal('             big  level');
    expect(lines[2]).to.equal('              -3  paid ');
    expect(lines[5]).to.equal('9007199254740993  free ');
  });

  it('runs every statement of the input and prints each result, as psql does', async () => {
    const out = await query(
      db,
      "select count(*) as plays from plays; select count(*) as paid from plays where level = 'paid'; update plays set note = note where 1 = 0",
      'UTC',
    );
    const printed = printedTables(out);
    expect(printed.slice(0, 2)).to.deep.equal([
      [['plays'], ['4']],
      [['paid'], ['1']],
    ]);
    expect(out).to.contain('UPDATE (0 rows affected)');
  });

  it('prints the values psql prints for the same statement', function () {
    const psql = spawnSync('psql', ['--version'], { encoding: 'utf8' });
    if (psql.error || psql.status !== 0) {
      console.log('      psql is not installed: the side-by-side comparison is skipped (the values above are checked)');
      this.skip();
    }
    const sql =
      'select level, count(*), count(distinct user_id), min(start_time), max(amount), sum(big) from plays group by level order by level';
    const viaPsql = spawnSync('psql', [databaseUrl(db), '-X', '-A', '-t', '-F', '|', '-c', sql], {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'Pacific/Chatham' },
    });
    expect(viaPsql.status, viaPsql.stderr).to.equal(0);
    return query(db, sql, 'Pacific/Chatham').then((out) => {
      const ours = printedTables(out)[0].slice(1);
      const theirs = viaPsql.stdout
        .trim()
        .split('\n')
        .map((line) => line.split('|'));
      expect(ours).to.deep.equal(theirs);
    });
  });
});
