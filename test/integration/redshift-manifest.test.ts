// Redshift's incremental load through manifests, with a real S3 endpoint (s3rver) for the
// listing, the manifests and their upload, and a real PostgreSQL for staging and the ledger.
// Only the COPY and the system views are stood in for (test/support/fake-redshift-copy.ts).
import { expect } from 'chai';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { loadConfig, type WarehouseConfig } from '../../src/config';
import { redshift } from '../../src/dialects';
import { publishStaged } from '../../src/load/ledger';
import { redshiftLoad } from '../../src/load/redshift';
import type { StageSpec } from '../../src/load/stage-spec';
import { silentProgress } from '../../src/step/progress';
import type { StepStats } from '../../src/step/contract';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { fakeRedshift, type FakeRedshift } from '../support/fake-redshift-copy';
import { startLocalS3, type LocalS3 } from '../support/s3rver';

const BUCKET = 'sparkify-rs';
const spec: StageSpec = {
  source: 'events',
  table: 'staging_events',
  columns: ['artist', 'ts'],
  uri: (c) => c.sources.logData,
  mapping: () => 'auto',
  keeps: 'batch',
};
const event = (n: number) => JSON.stringify({ artist: `artist ${n}`, ts: 1541000000000 + n });
const lines = (from: number, count: number) =>
  `${Array.from({ length: count }, (_, i) => event(from + i)).join('\n')}\n`;

describe('Redshift: only new files, through manifests (s3rver, real PostgreSQL)', () => {
  let s3: LocalS3;
  let warehouse: TestDatabase;
  let config: WarehouseConfig;
  let fake: FakeRedshift;
  const logged: string[] = [];

  const put = (key: string, body: string | Buffer) =>
    s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  const manifests = async () =>
    ((await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'manifests/' }))).Contents ?? [])
      .map((o) => o.Key!)
      .sort();
  const manifestText = async (key: string) =>
    Buffer.from(
      await (await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToByteArray(),
    ).toString('utf8');
  const ledger = () =>
    warehouse
      .knex('load_ledger')
      .orderBy('path')
      .select('path', 'size_bytes', 'rows_loaded', 'rows_rejected', 'published');
  const run = (fullRefresh = false, maxErrors = 0, withConfig = config): Promise<StepStats> =>
    warehouse.knex.transaction((trx) =>
      redshiftLoad(
        {
          db: fake.db(trx),
          outside: fake.outside,
          dialect: redshift,
          config: withConfig,
          options: { fullRefresh, maxErrors, dryRun: false },
          progress: silentProgress,
          log: (m) => logged.push(m),
        },
        spec,
        fake.outside,
      ),
    );

  before(async () => {
    s3 = await startLocalS3(BUCKET);
    warehouse = await createTestDatabase('embedded');
    config = loadConfig({
      target: 'redshift',
      dryRun: true,
      env: {
        REDSHIFT_IAM_ROLE_ARN: 'arn:aws:iam::123456789012:role/sparkify-redshift-s3-read',
        AWS_REGION: 'us-east-1',
        SOURCE_REGION: 'us-east-1',
        MANIFEST_PREFIX: `s3://${BUCKET}/manifests`,
        LOG_DATA: `s3://${BUCKET}/log_data`,
        LOG_JSONPATH: 'auto',
      },
    });
    config.s3Endpoint = s3.endpoint;
    fake = fakeRedshift(s3.client);
    await put('log_data/2018/11/day-01.json', lines(0, 3));
    await put('log_data/2018/11/day-02.json.gz', gzipSync(lines(100, 2)));
    await put('log_data/2018/11/notes.txt', 'not data');
  });

  after(async () => {
    await warehouse?.drop();
    await s3?.stop();
  });

  it('run 1: lists the prefix, writes one manifest per compression kind, COPYs each with MANIFEST, records the files', async () => {
    const stats = await run();
    expect(stats).to.deep.equal({
      files: 2,
      filesSkipped: 0,
      bytes: Buffer.byteLength(lines(0, 3)) + gzipSync(lines(100, 2)).length,
      rowsRead: 5,
      rowsLoaded: 5,
      rowsRejected: 0,
    });
    const written = await manifests();
    expect(written).to.have.length(2);
    expect(written[0]).to.match(/^manifests\/events\/\d{8}T\d{9}Z-gzip\.manifest$/);
    expect(await manifestText(written[1])).to.equal(
      `{"entries":[{"url":"s3://${BUCKET}/log_data/2018/11/day-01.json","mandatory":true,"meta":{"content_length":${Buffer.byteLength(lines(0, 3))}}}]}\n`,
    );
    expect(await manifestText(written[0])).to.contain(
      `"url":"s3://${BUCKET}/log_data/2018/11/day-02.json.gz","mandatory":true`,
    );
    expect(fake.copies.map((c) => c.manifest)).to.deep.equal(written.map((k) => `s3://${BUCKET}/${k}`).reverse());
    expect(fake.copies[1].sql).to.match(/\nmanifest\n[\s\S]*\ngzip$/);
    expect(fake.sent).to.include('delete from "staging_events"').and.to.include('analyze "staging_events"');
    expect(await ledger()).to.deep.equal([
      {
        path: `s3://${BUCKET}/log_data/2018/11/day-01.json`,
        size_bytes: String(Buffer.byteLength(lines(0, 3))),
        rows_loaded: '3',
        rows_rejected: '0',
        published: 0,
      },
      {
        path: `s3://${BUCKET}/log_data/2018/11/day-02.json.gz`,
        size_bytes: String(gzipSync(lines(100, 2)).length),
        rows_loaded: '2',
        rows_rejected: '0',
        published: 0,
      },
    ]);
  });

  it('run 2: only the new and the changed file; staging kept while unpublished', async () => {
    await put('log_data/2018/11/day-03.json', lines(200, 4));
    await put('log_data/2018/11/day-01.json', lines(0, 5)); // rewritten: new size and ETag
    fake.sent.length = 0;
    const stats = await run();
    expect(stats).to.include({ files: 2, filesSkipped: 1, rowsLoaded: 9 });
    expect(fake.copies).to.have.length(3);
    const entries = JSON.parse(await manifestText(fake.copies[2].manifest.replace(`s3://${BUCKET}/`, ''))).entries.map(
      (e: { url: string }) => e.url,
    );
    expect(entries).to.deep.equal([
      `s3://${BUCKET}/log_data/2018/11/day-01.json`,
      `s3://${BUCKET}/log_data/2018/11/day-03.json`,
    ]);
    expect(fake.sent).not.to.include('delete from "staging_events"'); // day 1's first rows are not yet in the star schema
    expect((await ledger()).map((r) => [r.path.split('/').pop(), r.rows_loaded])).to.deep.equal([
      ['day-01.json', '5'],
      ['day-02.json.gz', '2'],
      ['day-03.json', '4'],
    ]);
  });

  it('run 3: nothing new, so no manifest and no COPY (a COPY that finds no file fails); published staging is cleared', async () => {
    await warehouse.knex.transaction((trx) => publishStaged(trx, 'events'));
    const before = await manifests();
    fake.sent.length = 0;
    // Listed as run 2 left it (src/load/unchanged-listing.ts): the ledger's entries are not read.
    const queried: string[] = [];
    const listen = (query: { sql: string }) => queried.push(query.sql);
    warehouse.knex.on('query', listen);
    const stats = await run().finally(() => warehouse.knex.off('query', listen));
    expect(queried.filter((sql) => /"size_bytes".* from "load_ledger"/.test(sql))).to.deep.equal([]);
    expect(queried.filter((sql) => /from source_listings/.test(sql))).to.have.length(1);
    expect(stats).to.deep.equal({ files: 0, filesSkipped: 3, bytes: 0, rowsRead: 0, rowsLoaded: 0, rowsRejected: 0 });
    expect(await manifests()).to.deep.equal(before);
    expect(fake.copies).to.have.length(3);
    expect(fake.sent).to.include('delete from "staging_events"');
    expect(logged.join('\n')).to.contain('no new or changed files');
  });

  it('--full-refresh forgets the ledger and loads every file again', async () => {
    const stats = await run(true);
    expect(stats).to.include({ files: 3, filesSkipped: 0, rowsLoaded: 11 });
    expect((await ledger()).every((r) => r.published === 0)).to.equal(true);
  });

  it('Serverless, with --max-errors: each rejected line lands in load_errors, its raw text read back from the file', async () => {
    const bad = `${event(300)}\n{"artist": "x", "ts": "not a number"}\n`;
    await put('log_data/2018/11/day-04.json', bad);
    fake.cluster.views = 'serverless';
    fake.cluster.rejects = [
      {
        path: `s3://${BUCKET}/log_data/2018/11/day-04.json`,
        line: 2,
        column: 'ts',
        reason: "Invalid digit, Value 'n'",
      },
    ];
    try {
      const stats = await run(false, 1);
      expect(stats).to.include({ files: 1, rowsLoaded: 1, rowsRejected: 1, rowsRead: 2 });
    } finally {
      fake.cluster.views = 'provisioned';
      fake.cluster.rejects = [];
    }
    const errors = await warehouse.knex('load_errors').select('path', 'line_number', 'reason', 'raw_line');
    expect(errors).to.deep.equal([
      {
        path: `s3://${BUCKET}/log_data/2018/11/day-04.json`,
        line_number: '2',
        reason: "ts: Invalid digit, Value 'n'",
        raw_line: '{"artist": "x", "ts": "not a number"}',
      },
    ]);
    const row = await warehouse
      .knex('load_ledger')
      .where({ path: `s3://${BUCKET}/log_data/2018/11/day-04.json` })
      .first('rows_loaded', 'rows_rejected');
    expect(row).to.deep.equal({ rows_loaded: '1', rows_rejected: '1' });
  });

  it('--max-errors covers the whole load: the gzip COPY gets what the plain COPY left', async () => {
    await put('log_data/2018/11/day-05.json', `{"ts": "bad"}\n${event(500)}\n`);
    await put('log_data/2018/11/day-06.json.gz', gzipSync(lines(600, 2)));
    fake.cluster.rejects = [
      { path: `s3://${BUCKET}/log_data/2018/11/day-05.json`, line: 1, column: 'ts', reason: 'Invalid digit' },
    ];
    try {
      const stats = await run(false, 2);
      expect(stats).to.include({ files: 2, rowsLoaded: 3, rowsRejected: 1, rowsRead: 4 });
    } finally {
      fake.cluster.rejects = [];
    }
    const [plain, gzip] = fake.copies.slice(-2).map((c) => c.sql);
    expect(plain).to.match(/\nmaxerror 3$/);
    expect(gzip)
      .to.contain('\nmaxerror 2\n')
      .and.to.match(/\ngzip$/);
  });

  it('without MANIFEST_PREFIX: one warning with the cost, and a prefix mixing .json and .json.gz is refused with the fix', async () => {
    const wholePrefix = { ...config, redshiftLoad: { ...config.redshiftLoad, manifestPrefix: undefined } };
    logged.length = 0;
    const error = await run(false, 0, wholePrefix).catch((e: Error) => e);
    expect(logged.filter((m) => m.includes('MANIFEST_PREFIX is not set'))).to.have.length(1);
    expect(logged[0]).to.contain('all 6 files').and.to.contain('each run costs as much as the whole history');
    expect(logged.join('\n')).to.contain(
      `1 object(s) under s3://${BUCKET}/log_data are not .json/.json.gz data (e.g. s3://${BUCKET}/log_data/2018/11/notes.txt)`,
    );
    expect((error as Error).message)
      .to.contain('both uncompressed and .gz files')
      .and.to.contain('Set MANIFEST_PREFIX');
  });

  it('without MANIFEST_PREFIX: lists the prefix once, for the files and for what else the COPY would read', async () => {
    // A forwarder in front of s3rver counts the listings the load asks for.
    let listings = 0;
    const counter = http.createServer((req, res) => {
      if (/[?&]list-type=2/.test(req.url ?? '')) listings++;
      const upstream = http.request(
        `${s3.endpoint}${req.url}`,
        { method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => counter.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(counter.address() as { port: number }).port}`;
      const wholePrefix = {
        ...config,
        s3Endpoint: endpoint,
        redshiftLoad: { ...config.redshiftLoad, manifestPrefix: undefined },
      };
      logged.length = 0;
      await run(false, 0, wholePrefix).catch((e: Error) => e);
      expect(logged.join('\n')).to.contain('MANIFEST_PREFIX is not set').and.to.contain('notes.txt');
      expect(listings).to.equal(1);
    } finally {
      counter.close();
    }
  });
});
