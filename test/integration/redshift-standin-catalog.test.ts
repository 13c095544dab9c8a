// The stand-in's catalog (test/support/redshift-standin/catalog.ts) on a real PostgreSQL,
// without the wire server: a plain connection set up as a backing session is, and the very
// queries the tool sends to Redshift's system views, answered as Redshift answers them.
import { expect } from 'chai';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { advisorSql } from '../../src/advise/measure-sql';
import { rejectionOf } from '../support/rejection';
import {
  forgetTable,
  installCatalog,
  lastCopySql,
  recordCopy,
  recordQuery,
  recordServerlessUsage,
  recordTableKeys,
  searchPathFor,
  sessionSettingsSql,
  type CopyRecord,
  type Deployment,
} from '../support/redshift-standin/catalog';

/** Every value as the server's text, as the stand-in forwards it. */
const RAW_TYPES = { getTypeParser: () => (value: string) => value };

describe('the Redshift stand-in catalog', () => {
  let db: TestDatabase;
  let admin: pg.Client;
  const clients: pg.Client[] = [];

  /** A connection set up as session.ts sets up a backing session. */
  const backingSession = async (
    deployment: Deployment,
    s: { sessionId: number; superuser: boolean; userName: string; userId?: number },
  ) => {
    const client = new pg.Client({ ...db.connection, types: RAW_TYPES });
    await client.connect();
    clients.push(client);
    await client.query(
      `set timezone to 'UTC'; set default_transaction_isolation to 'serializable'; set search_path to ${searchPathFor(deployment)}`,
    );
    await client.query(sessionSettingsSql({ ...s, database: 'dev' }));
    return client;
  };
  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

  /** A COPY of 2 files, 5 lines, 2 rejected (one with a multibyte raw line). */
  const copyWithErrors = (over: Partial<CopyRecord> = {}): CopyRecord => ({
    deployment: 'provisioned',
    sessionId: 4242,
    userId: 100,
    queryId: 100_001,
    transactionId: 7,
    database: 'dev',
    table: 'staging_events',
    tableId: 0,
    startedAt: minutesAgo(1),
    endedAt: new Date(),
    status: 'success',
    dataSource: 's3://bucket/log_data',
    fileFormat: 'JSON',
    rowsLoaded: 3,
    files: [
      { url: 's3://bucket/log_data/b.json', bytes: 300, linesScanned: 3, errors: 1 },
      { url: 's3://bucket/log_data/a.json', bytes: 200, linesScanned: 2, errors: 1 },
    ],
    errors: [
      {
        file: 's3://bucket/log_data/b.json',
        line: 3,
        column: 'ts',
        type: 'int8',
        columnLength: '0',
        position: 0,
        rawLine: '{"ts":"x"}',
        rawFieldValue: 'x',
        errCode: 1207,
        reason: "Invalid digit, Value 'x', Pos 0, Type: Long",
      },
      {
        file: 's3://bucket/log_data/a.json',
        line: 1,
        column: 'artist',
        type: 'varchar',
        columnLength: '3',
        position: 0,
        rawLine: '{"artist":"Björk"}',
        rawFieldValue: 'Björk',
        errCode: 1204,
        reason: 'String length exceeds DDL length',
      },
    ],
    ...over,
  });

  before(async () => {
    db = await createTestDatabase('embedded', { migrate: false });
    admin = new pg.Client(db.connection);
    await admin.connect();
    await installCatalog(admin);
    // Idempotent: a second stand-in on the same database installs again.
    await installCatalog(admin);
  });
  after(async () => {
    for (const client of clients) await client.end().catch(() => {});
    await admin?.end().catch(() => {});
    await db?.drop();
  });

  it('answers getdate() as the statement start in UTC, in whole seconds, and the stand-in session id as pg_backend_pid()', async () => {
    const session = await backingSession('provisioned', {
      sessionId: 4242,
      superuser: true,
      userName: 'awsuser',
      userId: 100,
    });
    const { rows } = await session.query(
      `select to_char(getdate(), 'YYYY-MM-DD HH24:MI:SS') as copy_marker, getdate()::text as now, pg_typeof(getdate())::text as type,
        pg_backend_pid() as pid, pg_catalog.pg_backend_pid() as real_pid, (statement_timestamp() at time zone 'UTC')::text as utc`,
    );
    expect(rows[0].type).to.equal('timestamp without time zone');
    expect(rows[0].now).to.equal(rows[0].copy_marker);
    expect(rows[0].utc.slice(0, 19)).to.equal(rows[0].copy_marker);
    expect(rows[0].pid).to.equal('4242');
    expect(rows[0].real_pid).to.not.equal('4242');
  });

  it('answers pg_last_copy_id() -1 and pg_last_copy_count() 0 before any COPY, then the COPY the session ran', async () => {
    // A COPY of an earlier session that had the same id (an earlier stand-in) is not this one's.
    await recordCopy(
      admin,
      copyWithErrors({
        sessionId: 5001,
        userId: 101,
        queryId: 199_999,
        status: 'failed',
        rowsLoaded: 0,
        startedAt: minutesAgo(10),
      }),
    );
    const session = await backingSession('provisioned', {
      sessionId: 5001,
      superuser: false,
      userName: 'loader',
      userId: 101,
    });
    const before = await session.query('select pg_last_copy_count() as loaded, pg_last_copy_id() as copy_id');
    expect(before.rows[0]).to.deep.equal({ loaded: '0', copy_id: '-1' });
    const types = await session.query(
      `select pg_typeof(pg_last_copy_count())::text as count_type, pg_typeof(pg_last_copy_id())::text as id_type`,
    );
    expect(types.rows[0]).to.deep.equal({ count_type: 'bigint', id_type: 'integer' });

    // A COPY that loaded: the session sets the pair in its transaction.
    await recordCopy(admin, copyWithErrors({ sessionId: 5001, userId: 101, queryId: 200_001 }));
    await session.query(lastCopySql({ queryId: 200_001, rowsLoaded: 3 }));
    expect(
      (await session.query('select pg_last_copy_count() as loaded, pg_last_copy_id() as copy_id')).rows[0],
    ).to.deep.equal({ loaded: '3', copy_id: '200001' });

    // AWS "PG_LAST_COPY_ID": a COPY whose transaction is rolled back does not update it.
    await session.query('begin');
    await recordCopy(admin, copyWithErrors({ sessionId: 5001, userId: 101, queryId: 200_002 }));
    await session.query(lastCopySql({ queryId: 200_002, rowsLoaded: 9 }));
    expect((await session.query('select pg_last_copy_id() as copy_id')).rows[0].copy_id).to.equal('200002');
    await session.query('rollback');
    expect(
      (await session.query('select pg_last_copy_count() as loaded, pg_last_copy_id() as copy_id')).rows[0],
    ).to.deep.equal({ loaded: '3', copy_id: '200001' });

    // One that failed while loading (invalid data) does, with a count of 0 …
    await recordCopy(
      admin,
      copyWithErrors({
        sessionId: 5001,
        userId: 101,
        queryId: 200_003,
        status: 'failed',
        rowsLoaded: 0,
        startedAt: new Date(),
      }),
    );
    expect(
      (await session.query('select pg_last_copy_count() as loaded, pg_last_copy_id() as copy_id')).rows[0],
    ).to.deep.equal({ loaded: '0', copy_id: '200003' });
    // … one that failed before loading (no file read, nothing rejected) does not.
    await recordCopy(
      admin,
      copyWithErrors({
        sessionId: 5001,
        userId: 101,
        queryId: 200_004,
        status: 'failed',
        rowsLoaded: 0,
        files: [],
        errors: [],
        startedAt: new Date(),
      }),
    );
    expect((await session.query('select pg_last_copy_id() as copy_id')).rows[0].copy_id).to.equal('200003');
    // Another session's COPY is not this session's.
    await recordCopy(
      admin,
      copyWithErrors({
        sessionId: 5002,
        userId: 101,
        queryId: 200_005,
        status: 'failed',
        rowsLoaded: 0,
        startedAt: new Date(),
      }),
    );
    expect((await session.query('select pg_last_copy_id() as copy_id')).rows[0].copy_id).to.equal('200003');
  });

  it("answers the tool's STL_LOAD_ERRORS and STL_LOAD_COMMITS queries, blank-padded, multibyte raw lines as periods", async () => {
    const session = await backingSession('provisioned', {
      sessionId: 4242,
      superuser: false,
      userName: 'loader',
      userId: 100,
    });
    await recordCopy(admin, copyWithErrors());
    const byId =
      await session.query(`select trim(filename) as path, line_number as line, trim(colname) as column_name, trim(err_reason) as reason, trim(raw_line) as raw_text
from stl_load_errors
where query = 100001
order by trim(filename), line_number
limit 10`);
    expect(byId.rows).to.deep.equal([
      {
        path: 's3://bucket/log_data/a.json',
        line: '1',
        column_name: 'artist',
        reason: 'String length exceeds DDL length',
        raw_text: '{"artist":"Bj.rk"}',
      },
      {
        path: 's3://bucket/log_data/b.json',
        line: '3',
        column_name: 'ts',
        reason: "Invalid digit, Value 'x', Pos 0, Type: Long",
        raw_text: '{"ts":"x"}',
      },
    ]);
    const marker = new Date(Date.now() - 5 * 60_000).toISOString().slice(0, 19).replace('T', ' ');
    const bySession = await session.query(`select trim(filename) as path, line_number as line from stl_load_errors
where query = (
    select max(query) from stl_load_errors
    where session = 4242 and starttime >= '${marker}'
)
order by trim(filename), line_number
limit 1`);
    expect(bySession.rows).to.deep.equal([{ path: 's3://bucket/log_data/a.json', line: '1' }]);

    // Redshift's character(n) columns come back padded: a client must trim.
    const padded = await session.query(
      `select filename, pg_typeof(filename)::text as type from stl_load_errors where query = 100001 limit 1`,
    );
    expect(padded.rows[0].type).to.equal('character');
    expect(padded.rows[0].filename).to.have.length(256);

    const commits = await session.query(
      `select trim(filename) as path, sum(lines_scanned) as lines from stl_load_commits where query = 100001 group by trim(filename) order by path`,
    );
    expect(commits.rows).to.deep.equal([
      { path: 's3://bucket/log_data/a.json', lines: '2' },
      { path: 's3://bucket/log_data/b.json', lines: '3' },
    ]);
  });

  it("answers the tool's SYS_LOAD_HISTORY / SYS_LOAD_ERROR_DETAIL / SYS_LOAD_DETAIL queries, with SYS query ids of their own", async () => {
    const session = await backingSession('provisioned', {
      sessionId: 4343,
      superuser: false,
      userName: 'loader',
      userId: 100,
    });
    await recordCopy(admin, copyWithErrors({ sessionId: 4343, queryId: 100_101 }));
    const marker = new Date(Date.now() - 5 * 60_000).toISOString().slice(0, 19).replace('T', ' ');
    const thisCopy = `with this_copy as (
    select query_id
    from sys_load_history
    where session_id = 4343
      and start_time >= '${marker}'
    order by start_time desc
    limit 1
)`;
    const errors = await session.query(`${thisCopy}
select trim(file_name) as path, line_number as line, trim(column_name) as column_name, trim(error_message) as reason
from sys_load_error_detail
where query_id in (select query_id from this_copy)
order by trim(file_name), line_number
limit 10`);
    expect(errors.rows).to.deep.equal([
      {
        path: 's3://bucket/log_data/a.json',
        line: '1',
        column_name: 'artist',
        reason: 'String length exceeds DDL length',
      },
      {
        path: 's3://bucket/log_data/b.json',
        line: '3',
        column_name: 'ts',
        reason: "Invalid digit, Value 'x', Pos 0, Type: Long",
      },
    ]);
    const detail = await session.query(`${thisCopy}
select trim(file_name) as path, sum(lines_scanned) as lines
from sys_load_detail
where query_id in (select query_id from this_copy)
group by trim(file_name)
order by path`);
    expect(detail.rows).to.deep.equal([
      { path: 's3://bucket/log_data/a.json', lines: '2' },
      { path: 's3://bucket/log_data/b.json', lines: '3' },
    ]);
    const history = await session.query(
      `select query_id, status, table_name, loaded_rows, error_count, file_format, source_file_count from sys_load_history where session_id = 4343`,
    );
    expect(history.rows).to.have.length(1);
    expect(history.rows[0]).to.include({
      status: 'completed',
      table_name: 'staging_events',
      loaded_rows: '3',
      error_count: '2',
      file_format: 'json',
      source_file_count: '2',
    });
    // The STL id is not the SYS id (AWS: SYS views number queries on their own).
    expect(history.rows[0].query_id).to.not.equal('100101');
    expect(
      (await session.query('select count(*) as n from sys_load_error_detail where query_id = 100101')).rows[0].n,
    ).to.equal('0');
  });

  it('shows a regular user only its own rows, a superuser every row', async () => {
    await recordCopy(admin, copyWithErrors({ sessionId: 6001, userId: 300, queryId: 300_001 }));
    const other = await backingSession('provisioned', {
      sessionId: 6002,
      superuser: false,
      userName: 'someone_else',
      userId: 301,
    });
    const owner = await backingSession('provisioned', {
      sessionId: 6003,
      superuser: false,
      userName: 'owner',
      userId: 300,
    });
    const superuser = await backingSession('provisioned', {
      sessionId: 6004,
      superuser: true,
      userName: 'awsuser',
      userId: 1,
    });
    const count = async (client: pg.Client, sql: string) => Number((await client.query(sql)).rows[0].n);
    for (const view of [
      'stl_load_errors where query = 300001',
      'stl_load_commits where query = 300001',
      'sys_load_history where session_id = 6001',
    ]) {
      expect(await count(other, `select count(*) as n from ${view}`), view).to.equal(0);
      expect(await count(owner, `select count(*) as n from ${view}`), view).to.be.greaterThan(0);
      expect(await count(superuser, `select count(*) as n from ${view}`), view).to.be.greaterThan(0);
    }
  });

  it("answers the tool's SYS_QUERY_HISTORY query for this session's labelled SELECTs", async () => {
    const session = await backingSession('provisioned', {
      sessionId: 7001,
      superuser: false,
      userName: 'advisor',
      userId: 400,
    });
    const base = { sessionId: 7001, userId: 400, transactionId: 0, database: 'dev', text: 'select 1', returnedRows: 1 };
    const at = (ms: number) => new Date(Date.now() - 60_000 + ms);
    await recordQuery(admin, {
      ...base,
      queryId: 400_001,
      queryLabel: 'x-measure-1',
      queryType: 'SELECT',
      status: 'success',
      startedAt: at(0),
      endedAt: at(12),
    });
    await recordQuery(admin, {
      ...base,
      queryId: 400_002,
      queryLabel: 'x-measure-2',
      queryType: 'SELECT',
      status: 'failed',
      startedAt: at(20),
      endedAt: at(21),
    });
    await recordQuery(admin, {
      ...base,
      queryId: 400_003,
      queryLabel: 'x-measure-3',
      queryType: 'DDL',
      status: 'success',
      startedAt: at(30),
      endedAt: at(31),
    });
    await recordQuery(admin, {
      ...base,
      queryId: 400_004,
      queryLabel: 'x-measure-4',
      queryType: 'SELECT',
      status: 'success',
      startedAt: at(40),
      endedAt: at(45),
    });
    await recordQuery(admin, {
      ...base,
      queryId: 400_005,
      queryLabel: '',
      queryType: 'SELECT',
      status: 'success',
      startedAt: at(50),
      endedAt: at(51),
    });
    await recordQuery(admin, {
      ...base,
      sessionId: 7002,
      queryId: 400_006,
      queryLabel: 'x-elsewhere',
      queryType: 'SELECT',
      status: 'success',
      startedAt: at(60),
      endedAt: at(61),
    });
    const { rows } = await session.query(`select
    trim(query_label) as label,
    elapsed_time
from sys_query_history
where session_id = pg_backend_pid()
  and trim(query_label) like 'x%'
  and query_type = 'SELECT'
  and status = 'success'
order by start_time`);
    expect(rows).to.deep.equal([
      { label: 'x-measure-1', elapsed_time: '12000' },
      { label: 'x-measure-4', elapsed_time: '5000' },
    ]);
    const unlabelled = await session.query(
      `select trim(query_label) as label from sys_query_history where query_id = (select max(query_id) from sys_query_history where session_id = 7001)`,
    );
    expect(unlabelled.rows).to.deep.equal([{ label: 'default' }]);
  });

  it("answers the tool's SVV_TABLE_INFO and SVV_ALTER_TABLE_RECOMMENDATIONS queries for superusers only, not for empty tables", async () => {
    await admin.query(
      `create table public.shadow_a (id integer, start_time timestamp, name varchar(40)); create table public.shadow_b (id integer); create table public.shadow_empty (id integer)`,
    );
    await admin.query(
      `insert into public.shadow_a select i, timestamp '2018-11-01' + i * interval '1 minute', 'n' || i from generate_series(1, 10) as i; insert into public.shadow_b values (1), (2)`,
    );
    await recordTableKeys(admin, {
      schema: 'public',
      table: 'shadow_a',
      diststyle: 'KEY(start_time)',
      distkey: 'start_time',
      sortkeyKind: 'compound',
      sortkey: ['start_time', 'id'],
      encodings: { start_time: 'raw', name: 'zstd' },
    });
    await recordTableKeys(admin, {
      schema: 'public',
      table: 'shadow_b',
      diststyle: 'ALL',
      sortkeyKind: 'none',
      sortkey: [],
      encodings: {},
    });
    const superuser = await backingSession('provisioned', {
      sessionId: 8001,
      superuser: true,
      userName: 'awsuser',
      userId: 1,
    });
    const sizes = await superuser.query(`select
    trim("table") as table_name,
    size as size_mb,
    tbl_rows
from svv_table_info
where "table" in ('shadow_a', 'shadow_b', 'shadow_empty')
order by table_name`);
    // Minimum sizes: (columns + 3) x populated slices (4 of 10 keys; ALL: 2 nodes) x segments.
    expect(sizes.rows).to.deep.equal([
      { table_name: 'shadow_a', size_mb: String((3 + 3) * 4 * 2), tbl_rows: '10' },
      { table_name: 'shadow_b', size_mb: String((1 + 3) * 2 * 1), tbl_rows: '2' },
    ]);
    const keys = await superuser.query(
      `select "table", diststyle, sortkey1, sortkey_num, encoded, trim(sortkey1_enc) as sortkey1_enc, max_varchar, database, schema from svv_table_info where "table" like 'shadow%' order by 1`,
    );
    expect(keys.rows).to.deep.equal([
      {
        table: 'shadow_a',
        diststyle: 'KEY(start_time)',
        sortkey1: 'start_time',
        sortkey_num: '2',
        encoded: 'Y',
        sortkey1_enc: 'RAW',
        max_varchar: '40',
        database: 'dev',
        schema: 'public',
      },
      {
        table: 'shadow_b',
        diststyle: 'ALL',
        sortkey1: null,
        sortkey_num: '0',
        encoded: 'Y, AUTO(ENCODE)',
        sortkey1_enc: null,
        max_varchar: null,
        database: 'dev',
        schema: 'public',
      },
    ]);
    // The tool's own query (the test may read the tool's code; the stand-in may not).
    const advice = await superuser.query(advisorSql(['shadow_a', 'shadow_b']));
    expect(advice.rows).to.deep.equal([]);

    const regular = await backingSession('provisioned', {
      sessionId: 8002,
      superuser: false,
      userName: 'loader',
      userId: 100,
    });
    expect(
      (await regular.query(`select count(*) as n from svv_table_info where "table" = 'shadow_a'`)).rows[0].n,
    ).to.equal('0');

    // Dropped and made again without keys: Redshift's defaults, not the old keys.
    await admin.query(
      `drop table public.shadow_b; create table public.shadow_b (id integer); insert into public.shadow_b values (1)`,
    );
    await forgetTable(admin, 'public', 'shadow_b');
    const remade = await superuser.query(`select diststyle, sortkey1 from svv_table_info where "table" = 'shadow_b'`);
    expect(remade.rows).to.deep.equal([{ diststyle: 'AUTO(ALL)', sortkey1: 'AUTO(SORTKEY)' }]);
  });

  it('reports the fake 2-node, 4-slice cluster in STV_SLICES', async () => {
    const session = await backingSession('provisioned', {
      sessionId: 8101,
      superuser: false,
      userName: 'loader',
      userId: 100,
    });
    const { rows } = await session.query('select node, slice from stv_slices order by slice');
    expect(rows).to.deep.equal([
      { node: '0', slice: '0' },
      { node: '0', slice: '1' },
      { node: '1', slice: '2' },
      { node: '1', slice: '3' },
    ]);
  });

  it("answers the tool's SYS_SERVERLESS_USAGE query on Serverless (superusers, last 7 days), and has no STL_/STV_ there", async () => {
    await recordServerlessUsage(admin, {
      startTime: minutesAgo(30),
      endTime: minutesAgo(29),
      computeSeconds: 480,
      computeCapacity: 8,
      chargedSeconds: 3600,
    });
    await recordServerlessUsage(admin, { startTime: minutesAgo(20), endTime: minutesAgo(19), chargedSeconds: 1800 });
    await recordServerlessUsage(admin, {
      startTime: minutesAgo(60 * 24 * 8),
      endTime: minutesAgo(60 * 24 * 8 - 1),
      chargedSeconds: 99_999,
    });
    const superuser = await backingSession('serverless', {
      sessionId: 9001,
      superuser: true,
      userName: 'admin',
      userId: 1,
    });
    const since = minutesAgo(60 * 24 * 30).toISOString();
    const usage = await superuser.query(
      'select coalesce(sum(charged_seconds), 0) / 3600.0 as rpu_hours from sys_serverless_usage where start_time >= $1',
      [since],
    );
    expect(Number(usage.rows[0].rpu_hours)).to.equal(1.5);
    const regular = await backingSession('serverless', {
      sessionId: 9002,
      superuser: false,
      userName: 'IAM:tester',
      userId: 102,
    });
    const none = await regular.query(
      'select coalesce(sum(charged_seconds), 0) / 3600.0 as rpu_hours from sys_serverless_usage where start_time >= $1',
      [since],
    );
    expect(Number(none.rows[0].rpu_hours)).to.equal(0);

    for (const view of ['stl_load_errors', 'stl_load_commits', 'stv_slices']) {
      const error = await rejectionOf(superuser.query(`select count(*) from ${view}`));
      expect(error.code, view).to.equal('42P01');
      expect(error.message).to.equal(`relation "${view}" does not exist`);
    }
    // The SYS views and functions are there.
    const functions = await superuser.query(
      `select pg_backend_pid() as pid, pg_last_copy_id() as copy_id, (select count(*) from sys_load_history) >= 0 as ok`,
    );
    expect(functions.rows[0]).to.deep.equal({ pid: '9001', copy_id: '-1', ok: 't' });
    // On a provisioned cluster the view exists and is empty.
    const provisioned = await backingSession('provisioned', {
      sessionId: 9003,
      superuser: true,
      userName: 'awsuser',
      userId: 1,
    });
    expect((await provisioned.query('select count(*) as n from sys_serverless_usage')).rows[0].n).to.equal('0');
  });

  it('keeps SYS query ids the same for a COPY in SYS_LOAD_HISTORY and SYS_QUERY_HISTORY when recorded under one STL id', async () => {
    const session = await backingSession('provisioned', {
      sessionId: 9101,
      superuser: true,
      userName: 'awsuser',
      userId: 1,
    });
    await recordCopy(admin, copyWithErrors({ sessionId: 9101, queryId: 500_001 }));
    await recordQuery(admin, {
      sessionId: 9101,
      userId: 1,
      queryId: 500_001,
      transactionId: 0,
      database: 'dev',
      queryLabel: '',
      queryType: 'COPY',
      text: "copy staging_events from 's3://bucket/log_data'",
      startedAt: minutesAgo(1),
      endedAt: new Date(),
      status: 'success',
      returnedRows: 0,
    });
    const { rows } = await session.query(
      `select h.query_id = q.query_id as same from sys_load_history as h inner join sys_query_history as q on q.session_id = h.session_id where h.session_id = 9101`,
    );
    expect(rows).to.deep.equal([{ same: 't' }]);
  });
});
