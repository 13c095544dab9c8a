// The stand-in itself, through a plain node-postgres client: what it accepts and refuses is
// Redshift's, so that the tool's wire tests (redshift-wire.test.ts) mean something.
import { expect } from 'chai';
import pg from 'pg';
import fs from 'node:fs';
import tls from 'node:tls';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { startRedshiftStandin, type RedshiftStandin } from '../support/redshift-standin';
import { startLocalS3, type LocalS3 } from '../support/s3rver';
import { rejectionOf } from '../support/rejection';

describe('the Redshift stand-in (provisioned, password auth)', () => {
  let backing: TestDatabase;
  let s3: LocalS3;
  let standin: RedshiftStandin;
  let client: pg.Client;

  const connect = async (overrides: Partial<pg.ClientConfig> = {}) => {
    const c = new pg.Client({
      host: standin.host,
      port: standin.port,
      database: standin.database,
      user: standin.user,
      password: standin.password,
      ssl: { rejectUnauthorized: true, ca: fs.readFileSync(standin.caFile, 'utf8') },
      ...overrides,
    });
    await c.connect();
    return c;
  };

  before(async () => {
    s3 = await startLocalS3('standin-bucket');
    backing = await createTestDatabase('embedded', { migrate: false });
    standin = await startRedshiftStandin({
      deployment: 'provisioned',
      auth: 'password',
      backing: backing.connection,
      s3Endpoint: s3.endpoint,
    });
    client = await connect();
  });
  after(async () => {
    await client?.end().catch(() => {});
    await standin?.stop();
    await backing?.drop();
    await s3?.stop();
  });

  it('refuses a connection without TLS, and a wrong password', async () => {
    expect((await rejectionOf(connect({ ssl: false }))).message).to.match(/SSL off/);
    expect((await rejectionOf(connect({ password: 'wrong' }))).message).to.match(/password authentication failed/);
  });

  it('serves a certificate the test CA signed for 127.0.0.1', () => {
    const cert = fs.readFileSync(standin.caFile, 'utf8');
    expect(tls.rootCertificates).to.not.include(cert);
    expect(cert).to.match(/BEGIN CERTIFICATE/);
  });

  it("passes statements through as received: a '?' in a literal stays a '?'", async () => {
    const { rows } = await client.query("select 'acceptinvchars as ''?''' as v");
    expect(rows[0].v).to.equal("acceptinvchars as '?'");
    expect(standin.statements.at(-1)!.text).to.equal("select 'acceptinvchars as ''?''' as v");
  });

  it('answers extended-protocol queries with parameters', async () => {
    const { rows } = await client.query('select $1::integer + 1 as n, $2::text as t', [41, null]);
    expect(rows).to.deep.equal([{ n: 42, t: null }]);
  });

  it('creates tables with Redshift keys, records them, and refuses PostgreSQL-only syntax in Redshift words', async () => {
    await client.query(
      'create table plays (play_id bigint identity(1, 1), start_time timestamp encode raw, user_id varchar(64) encode zstd) diststyle key distkey (start_time) compound sortkey (start_time)',
    );
    // SVV_TABLE_INFO lists no empty table (AWS "SVV_TABLE_INFO").
    expect(
      (await client.query('select trim(diststyle) from svv_table_info where "table" = \'plays\'')).rows,
    ).to.deep.equal([]);
    await client.query("insert into plays (start_time, user_id) values ('2018-11-01 00:00:00', '1')");
    const info = await client.query(
      'select trim(diststyle) as diststyle, trim(sortkey1) as sortkey1 from svv_table_info where "table" = \'plays\'',
    );
    expect(info.rows).to.deep.equal([{ diststyle: 'KEY(start_time)', sortkey1: 'start_time' }]);
    const refused = await rejectionOf(client.query("insert into plays (user_id) values ('1') on conflict do nothing"));
    expect(refused.code).to.equal('42601');
  });

  it('aborts the transaction a refused statement ran in, as any Redshift error does', async () => {
    await client.query('begin');
    await rejectionOf(client.query('lock plays in share mode'));
    expect((await rejectionOf(client.query('select 1'))).message).to.match(/current transaction is aborted/);
    await client.query('rollback');
  });

  it("gives the session's pid as pg_backend_pid(), the id the system views record", async () => {
    const { rows } = await client.query('select pg_backend_pid() as pid');
    expect(Number(rows[0].pid)).to.equal((client as unknown as { processID: number }).processID);
  });

  it('runs COPY from S3 inside the transaction, with pg_last_copy_count() and STL_LOAD_COMMITS filled', async () => {
    await s3.client.send(
      new (await import('@aws-sdk/client-s3')).PutObjectCommand({
        Bucket: 'standin-bucket',
        Key: 'plays/a.json',
        Body: '{"user_id": "7"}\n{"user_id": 8}\n',
      }),
    );
    await client.query('create table staged (user_id varchar(64))');
    await client.query('begin');
    await client.query(
      "copy staged (user_id) from 's3://standin-bucket/plays/' iam_role 'arn:aws:iam::123456789012:role/r' format as json 'auto' region 'us-west-2'",
    );
    const { rows } = await client.query('select pg_last_copy_count() as n, pg_last_copy_id() as id');
    expect(Number(rows[0].n)).to.equal(2);
    await client.query('commit');
    const commits = await client.query(
      `select trim(filename) as f, lines_scanned from stl_load_commits where query = ${Number(rows[0].id)}`,
    );
    expect(commits.rows).to.deep.equal([{ f: 's3://standin-bucket/plays/a.json', lines_scanned: 2 }]);
    expect((await client.query('select user_id from staged order by 1')).rows.map((r) => r.user_id)).to.deep.equal([
      '7',
      '8',
    ]);
  });
});
