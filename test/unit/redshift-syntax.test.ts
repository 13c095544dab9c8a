// Redshift syntax on a PostgreSQL target (npm run query): what is put into PostgreSQL's form,
// what is refused naming both forms, and what is left alone (literals, comments, quoted
// names, PostgreSQL's own WITHIN GROUP). What the rewritten text returns on a real server
// is in test/integration/redshift-sql-on-postgres.test.ts.
import { expect } from 'chai';
import { QueryError } from '../../src/errors';
import { codeMask } from '../../src/query/code-mask';
import { redshiftRefusals } from '../../src/query/postgres-only';
import { explainPostgresFailure } from '../../src/query/redshift-on-postgres';
import { redshiftToPostgres } from '../../src/query/redshift-syntax';

const pg = (sql: string) => redshiftToPostgres(sql).sql;

describe('Redshift syntax put into PostgreSQL form', () => {
  it('SELECT TOP n becomes LIMIT n at the end of the statement, and says so', () => {
    const out = redshiftToPostgres('select top 10 user_id, count(*) from songplays group by user_id order by 2 desc');
    expect(out.sql).to.equal('select user_id, count(*) from songplays group by user_id order by 2 desc limit 10');
    expect(out.notes).to.deep.equal(["select top 10 runs as select … limit 10 (Redshift's TOP is LIMIT)"]);
    expect(pg('select distinct top 3 level from users;\nselect top 1 * from songs -- the first\n')).to.equal(
      'select distinct level from users limit 3;\nselect * from songs limit 1 -- the first\n',
    );
    expect(pg('with p as (select 1 as x) select top 2 x from p')).to.equal(
      'with p as (select 1 as x) select x from p limit 2',
    );
  });

  it('refuses TOP where LIMIT at the end would mean something else, naming both forms', () => {
    for (const [sql, why] of [
      ['select * from (select top 5 * from songs) s', 'is in a subquery'],
      ['select top 5 title from songs union select name from artists', 'has a UNION of its own'],
      ['select top 5 title from songs limit 3', 'has a LIMIT of its own'],
    ]) {
      expect(() => pg(sql), sql)
        .to.throw(QueryError)
        .with.property('message')
        .that.contains(`select top 5 ${why}`)
        .and.contains("Redshift's TOP n is PostgreSQL's LIMIT n");
    }
  });

  it('moves LISTAGG … WITHIN GROUP (ORDER BY …) inside the call, and refuses it as a window function', () => {
    expect(pg("select listagg(sellerid, ', ') within group (order by sellerid) from sales")).to.equal(
      "select listagg(sellerid, ', ' order by sellerid) from sales",
    );
    expect(pg('select listagg(distinct x) WITHIN GROUP ( ORDER BY x desc ) from t')).to.equal(
      'select listagg(distinct x ORDER BY x desc) from t',
    );
    expect(pg('select percentile_cont(0.5) within group (order by x) from t')).to.equal(
      'select percentile_cont(0.5) within group (order by x) from t',
    );
    expect(() => pg("select listagg(x, ',') within group (order by y) over (partition by z) from t")).to.throw(
      QueryError,
      /OVER.*no form/,
    );
  });

  it('quotes a bare date part, and names dow/doy as PostgreSQL knows them', () => {
    expect(
      pg('select dateadd(day, -7, getdate()), datediff(week, a, b), date_part(dw, ts), date_part(minute, ts)'),
    ).to.equal(
      "select dateadd('day', -7, getdate()), datediff('week', a, b), date_part('dow', ts), date_part('minute', ts)",
    );
    expect(
      pg(
        "select date_part('weekday', ts), extract(weekday from ts), extract(dayofyear from ts), extract(hour from ts)",
      ),
    ).to.equal("select date_part('dow', ts), extract(dow from ts), extract(doy from ts), extract(hour from ts)");
    expect(pg('select dateadd(n, 1, ts), datediff(total, a, b)'), 'not a date part: left to the server').to.equal(
      'select dateadd(n, 1, ts), datediff(total, a, b)',
    );
  });

  it('leaves literals, comments and quoted names alone', () => {
    const sql = `select 'select top 5', "extract(weekday from x)" /* dateadd(day, 1, x) listagg(a) within group (order by a) */ from t -- top 5`;
    expect(redshiftToPostgres(sql)).to.deep.equal({ sql, notes: [] });
    expect(codeMask("select 'a''b', \"c\", $$d$$, e'\\'' -- f\n")).to.equal(
      "select '____', \"_\", $$_$$, e'__'     \n",
    );
  });
});

describe('PostgreSQL-only syntax and Redshift failures explained', () => {
  it('warns, with the Redshift form, about what Redshift refuses; :: casts (Redshift runs them) pass', () => {
    expect(redshiftRefusals('select distinct on (user_id) user_id from users')).to.deep.equal([
      'warning: DISTINCT ON runs here but Redshift refuses it; on Redshift write row_number() over (partition by … order by …) = 1.',
    ]);
    expect(
      redshiftRefusals('insert into t values (1) on conflict do nothing returning *; select payload::jsonb from t'),
    ).to.have.length(3);
    expect(redshiftRefusals("select ts::bigint, 'on conflict' from t -- returning")).to.deep.equal([]);
  });

  it('names a reused select-list alias (a lateral column alias) and its PostgreSQL form', () => {
    const why = explainPostgresFailure(
      'column "plays" does not exist',
      'select count(*) as plays, plays * 2 as doubled from songplays',
    );
    expect(why)
      .to.contain('alias defined in the same select list')
      .and.contain('lateral column alias')
      .and.contain('with t as (select … as plays from …)');
    expect(explainPostgresFailure('column "plays" does not exist', 'select plays from songplays')).to.equal(undefined);
  });

  it('says where Redshift functions come from when the server lacks one', () => {
    expect(explainPostgresFailure('function getdate() does not exist', 'select getdate()'))
      .to.contain('npm run migrate')
      .and.contain('redshift_compat');
    expect(explainPostgresFailure('function nosuch() does not exist', 'select nosuch()')).to.equal(undefined);
  });
});
