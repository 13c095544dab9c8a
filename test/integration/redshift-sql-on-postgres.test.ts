// Redshift SQL on the laptop: the AWS SQL reference's own examples, run through
// `npm run query` (a child process with TZ far from UTC) on each PostgreSQL test server
// (embedded, and DATABASE_URL's when set). The expected values are the pages' printed
// results, or worked out by hand from the semantics the page states where its example
// reads AWS's sample database; never taken from this tool's output.
import { expect } from 'chai';
import * as redshiftFunctions from '../../migrations/20261216120000_redshift_functions_on_postgres';
import { startCommand } from '../support/command-child';
import { printedTables } from '../support/printed-tables';
import { createTestDatabase, testServers, type TestDatabase } from '../support/databases';

const TZ = 'Pacific/Chatham';

async function query(db: TestDatabase, sql: string, tz = TZ): Promise<{ rows: string[][]; stderr: string }> {
  const result = await startCommand(db, 'query.ts', [sql], { TZ: tz }).done;
  expect(result.code, result.stderr).to.equal(0);
  return { rows: printedTables(result.stdout)[0].slice(1), stderr: result.stderr };
}

async function refused(db: TestDatabase, sql: string): Promise<string> {
  const result = await startCommand(db, 'query.ts', [sql], { TZ }).done;
  expect(result.code, result.stdout).to.not.equal(0);
  return result.stderr;
}

for (const server of testServers()) {
  describe(`Redshift SQL through npm run query on PostgreSQL (${server}, TZ=${TZ})`, function () {
    let db: TestDatabase;

    before(async () => {
      db = await createTestDatabase(server);
      // AWS's datetable (NVL page) and the WINSALES rows of the MEDIAN window function page.
      await db.knex.raw(`create table datetable (start_date date, end_date date);
insert into datetable values ('2008-06-01','2008-12-31'), (null,'2008-12-31'), ('2008-12-31',null);
create table winsales (salesid integer, sellerid integer, qty integer);
insert into winsales values (10001, 1, 10), (10005, 1, 30), (10006, 1, 10), (20001, 2, 20), (20002, 2, 20), (30001, 3, 10), (30003, 3, 15), (30004, 3, 20), (30007, 3, 30);
create table caldates (caldate date);
insert into caldates values ('2008-11-01'), ('2008-11-02'), ('2008-11-30');
create table names (id integer, grp integer, name varchar(16));
insert into names values (1, 1, 'b'), (2, 1, 'a'), (3, 1, null), (4, 1, ''), (5, 1, 'c'), (6, 2, 'a'), (7, 2, 'a');`);
    });
    after(async () => {
      await db?.drop();
    });

    // https://docs.aws.amazon.com/redshift/latest/dg/r_GETDATE.html: "the current date and time in
    // the current session time zone", "the start date or time of the current statement", printed
    // to the second (2008-12-04 16:10:43); trunc(getdate()) is the date alone.
    it('GETDATE() and TRUNC(GETDATE())', async () => {
      for (const tz of ['Pacific/Chatham', 'America/New_York']) {
        const { rows } = await query(
          db,
          "select getdate(), trunc(getdate()), getdate() = date_trunc('second', localtimestamp) as now, trunc(getdate()) = current_date as today",
          tz,
        );
        expect(rows[0][0]).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
        expect(rows[0][1]).to.match(/^\d{4}-\d\d-\d\d$/);
        expect(rows[0].slice(2)).to.deep.equal(['t', 't']);
      }
    });

    // https://docs.aws.amazon.com/redshift/latest/dg/r_NVL_function.html
    it('NVL with any number of arguments of a common type', async () => {
      expect((await query(db, 'select nvl(null, 12, null)')).rows).to.deep.equal([['12']]);
      expect((await query(db, "select nvl(null, 'Amazon Redshift', null)")).rows).to.deep.equal([['Amazon Redshift']]);
      expect((await query(db, 'select nvl(start_date, end_date) from datetable order by 1')).rows).to.deep.equal([
        ['2008-06-01'],
        ['2008-12-31'],
        ['2008-12-31'],
      ]);
    });

    // https://docs.aws.amazon.com/redshift/latest/dg/r_DATEADD_function.html: the date part as
    // a bare word; m is minutes; a date counts as its midnight; DATEADD keeps the day number
    // at a month's end (2008-02-29 plus a month is 2008-03-29).
    it('DATEADD', async () => {
      expect(
        (await query(db, 'select dateadd(day,30,caldate) as novplus30 from caldates order by caldate')).rows,
      ).to.deep.equal([['2008-12-01 00:00:00'], ['2008-12-02 00:00:00'], ['2008-12-30 00:00:00']]);
      const { rows } = await query(
        db,
        "select dateadd(month,18,'2008-02-28'), dateadd(m,30,'2008-02-28'), dateadd(month,1,'2008-02-29'), dateadd(day, -7, '2018-11-01 00:00:01')",
      );
      expect(rows).to.deep.equal([
        ['2009-08-28 00:00:00', '2008-02-28 00:30:00', '2008-03-29 00:00:00', '2018-10-25 00:00:01'],
      ]);
    });

    // https://docs.aws.amazon.com/redshift/latest/dg/r_DATEDIFF_function.html: the number of
    // the part's boundaries crossed (a year between 2008-12-31 and 2009-01-01, 2 hours between
    // 08:30 and 10:00), negative when the second is earlier; BIGINT.
    it('DATEDIFF counts boundaries crossed', async () => {
      const { rows } = await query(
        db,
        `select datediff(week,'2009-01-01','2009-12-31') as numweeks,
          datediff(hour, '2023-01-01', '2023-01-03 05:04:03'),
          datediff(days, 'Jun 1,2008 09:59:59', 'Jul 4,2008 09:59:59'),
          datediff(year, '2008-12-31', '2009-01-01'),
          datediff(hour, '2009-01-01 08:30:00', '2009-01-01 10:00:00'),
          datediff(day, '2009-01-02', '2009-01-01'),
          datediff(month, '2008-01-31', '2008-02-01'),
          datediff(qtr, '2008-03-31', '2008-04-01')`,
      );
      expect(rows).to.deep.equal([['52', '53', '33', '1', '2', '-1', '1', '1']]);
    });

    // https://docs.aws.amazon.com/redshift/latest/dg/r_LEN.html: characters, not bytes; a CHAR's
    // trailing blanks do not count, a VARCHAR's do.
    it('LEN', async () => {
      expect((await query(db, "select octet_length('français'), len('français')")).rows).to.deep.equal([['9', '8']]);
      const { rows } = await query(
        db,
        "select len('cat'), len('cat   '), len(cast('cat   ' as char(6))) as len_char, len(cast('cat   ' as varchar(6))) as len_varchar",
      );
      expect(rows).to.deep.equal([['3', '6', '3', '6']]);
    });

    // https://docs.aws.amazon.com/redshift/latest/dg/r_MEDIAN.html and r_WF_MEDIAN.html: the middle
    // value, or the mean of the two middle ones (seller 3: 10 15 20 30 → 17.5), nulls ignored,
    // DECIMAL for integers; as a window function over a partition too.
    it('MEDIAN as an aggregate and as a window function', async () => {
      const grouped = await query(db, 'select sellerid, median(qty) from winsales group by sellerid order by sellerid');
      expect(grouped.rows.map(([s, m]) => [s, Number(m)])).to.deep.equal([
        ['1', 10],
        ['2', 20],
        ['3', 17.5],
      ]);
      const windowed = await query(
        db,
        'select sellerid, qty, median(qty) over (partition by sellerid) from winsales order by sellerid, qty',
      );
      expect(windowed.rows.map((r) => Number(r[2]))).to.deep.equal([10, 10, 10, 20, 20, 17.5, 17.5, 17.5, 17.5]);
      expect((await query(db, 'select median(x) from (select cast(null as integer) as x) n')).rows).to.deep.equal([
        ['null'],
      ]);
    });

    // https://docs.aws.amazon.com/redshift/latest/dg/r_LISTAGG.html: ordered by WITHIN GROUP,
    // NULLs and empty strings ignored, DISTINCT, and no delimiter when none is given.
    it('LISTAGG … WITHIN GROUP (ORDER BY …)', async () => {
      const { rows, stderr } = await query(
        db,
        "select grp, listagg(name, ', ') within group (order by name) from names group by grp order by grp",
      );
      expect(rows).to.deep.equal([
        ['1', 'a, b, c'],
        ['2', 'a, a'],
      ]);
      expect(stderr).to.contain('listagg(…) within group (order by …) runs as listagg(… order by …)');
      expect(
        (await query(db, "select listagg(name, '|') within group (order by id desc) from names where grp = 1")).rows,
      ).to.deep.equal([['c|a|b']]);
      expect(
        (await query(db, 'select listagg(distinct name) within group (order by name) from names')).rows,
      ).to.deep.equal([['abc']]);
      expect(
        (
          await query(
            db,
            "select listagg(salesid, ',') within group (order by salesid) from winsales where sellerid = 2",
          )
        ).rows,
      ).to.deep.equal([['20001,20002']]);
    });

    // https://docs.aws.amazon.com/redshift/latest/dg/r_SELECT_list.html: TOP n behaves as LIMIT n.
    it('SELECT TOP n runs as LIMIT n and says so', async () => {
      const { rows, stderr } = await query(db, 'select top 2 salesid, qty from winsales order by qty desc, salesid');
      expect(rows).to.deep.equal([
        ['10005', '30'],
        ['30007', '30'],
      ]);
      expect(stderr).to.contain("select top 2 runs as select … limit 2 (Redshift's TOP is LIMIT)");
    });

    // https://docs.aws.amazon.com/redshift/latest/dg/r_DATE_PART_function.html: dayofweek counts
    // 0–6 from Sunday (2022-05-02 is a Monday: 1); week is ISO 8601's (18); minute 5.
    it('EXTRACT(weekday FROM …) and DATE_PART with bare Redshift date parts', async () => {
      const { rows } = await query(
        db,
        "select extract(weekday from timestamp '20220502 04:05:06.789'), date_part(dayofweek, timestamp '20220502 04:05:06.789'), date_part(week, timestamp '20220502 04:05:06.789'), date_part(minute, timestamp '20220502 04:05:06.789')",
      );
      expect(rows).to.deep.equal([['1', '1', '18', '5']]);
    });

    it('refuses a select-list alias reused in the same select list, naming the PostgreSQL form', async () => {
      const stderr = await refused(db, 'select count(*) as plays, plays * 2 as doubled from winsales');
      expect(stderr)
        .to.contain('"plays" is an alias defined in the same select list')
        .and.contain('lateral column alias')
        .and.contain('with t as (select … as plays from …)');
    });

    it("has the functions from its migration, whose down drops them, and leaves the transforms' search_path alone", async () => {
      const schemas = async () =>
        (await db.knex.raw("select nspname from pg_namespace where nspname = 'redshift_compat'")).rows.length;
      expect((await db.knex.raw("select current_setting('search_path') as path")).rows[0].path).to.not.contain(
        'redshift_compat',
      );
      expect(await schemas()).to.equal(1);
      await redshiftFunctions.down(db.knex);
      expect(await schemas()).to.equal(0);
      const stderr = await refused(db, 'select getdate()');
      expect(stderr).to.contain(
        "getdate is Redshift's; this target has it in the schema redshift_compat once `npm run migrate` has run",
      );
      await redshiftFunctions.up(db.knex);
      expect((await query(db, 'select nvl(null, 1)')).rows).to.deep.equal([['1']]);
    });

    it('warns on stderr about PostgreSQL-only syntax Redshift refuses, and still runs it', async () => {
      const { rows, stderr } = await query(
        db,
        'select distinct on (sellerid) sellerid, qty from winsales order by sellerid, qty desc',
      );
      expect(rows).to.deep.equal([
        ['1', '30'],
        ['2', '20'],
        ['3', '30'],
      ]);
      expect(stderr).to.contain(
        'warning: DISTINCT ON runs here but Redshift refuses it; on Redshift write row_number() over (partition by … order by …) = 1.',
      );
    });
  });
}
