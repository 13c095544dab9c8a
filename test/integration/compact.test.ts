// `compact`: many small source files into a few gzipped JSON-lines parts, in a folder and
// on S3 (s3rver on loopback). Loading the parts must give the same warehouse as loading
// the original files.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  CompleteMultipartUploadCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { SourceSettings } from '../../src/config';
import { compact, partCount } from '../../src/compact/compact';
import { loadSteps, runSteps } from '../../src/transform/runner';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { startLocalS3, type LocalS3 } from '../support/s3rver';
import { sourcesOf, testSample } from '../support/sample';
import { count, starState } from '../support/warehouse-state';
import type { GeneratedSample } from '../../src/generate';

const BUCKET = 'sparkify-compact';
const OPTIONS = { fullRefresh: false, maxErrors: 0, dryRun: false };

async function warehouseFrom(sources: SourceSettings, s3Endpoint?: string): Promise<TestDatabase> {
  const db = await createTestDatabase('embedded', { sources });
  if (s3Endpoint) db.config.s3Endpoint = s3Endpoint;
  const results = (await runSteps(db, loadSteps(), db.config, OPTIONS, { log: () => {} })).results;
  expect(results.filter((r) => r.status !== 'success').map((r) => r.error?.message)).to.deep.equal([]);
  return db;
}

describe('compact: small files into a few gzipped JSON-lines parts', function () {
  let sample: GeneratedSample;
  let work: string;
  let original: TestDatabase;
  const databases: TestDatabase[] = [];

  before(async () => {
    sample = await testSample({ events: 3000, songs: 500 });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'sparkify-compact-'));
    original = await warehouseFrom(sourcesOf(sample));
    databases.push(original);
  });

  after(async () => {
    for (const db of databases) await db.drop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('chooses a multiple of the slice count, near the target size, never fewer than the slices', () => {
    const mb = 1024 * 1024;
    expect(partCount(0.5 * mb, 4, 128 * mb)).to.equal(4);
    expect(partCount(1000 * mb, 4, 128 * mb)).to.equal(8);
    expect(partCount(5000 * mb, 6, 128 * mb)).to.equal(42);
  });

  describe('in a folder', () => {
    let songs: Awaited<ReturnType<typeof compact>>;

    before(async () => {
      songs = await compact({
        from: sample.songDir,
        to: path.join(work, 'compacted', 'song_data'),
        slices: 4,
        targetMb: 128,
      });
      await compact({ from: sample.logDir, to: path.join(work, 'compacted', 'log_data'), slices: 2, targetMb: 128 });
    });

    it('writes part-0000.json.gz … in a multiple of the slice count, every record once, one a line', () => {
      const names = fs.readdirSync(path.join(work, 'compacted', 'song_data')).sort();
      expect(names).to.deep.equal(['part-0000.json.gz', 'part-0001.json.gz', 'part-0002.json.gz', 'part-0003.json.gz']);
      expect(songs.inputFiles).to.equal(500);
      expect(songs.records).to.equal(500);
      expect(songs.parts.map((p) => p.records).reduce((a, b) => a + b)).to.equal(500);
      for (const p of songs.parts) expect(p.records).to.be.within(100, 150); // balanced
      const lines = gunzipSync(fs.readFileSync(songs.parts[0].uri)).toString('utf8').trimEnd().split('\n');
      expect(lines).to.have.length(songs.parts[0].records);
      for (const line of lines) expect(JSON.parse(line)).to.have.property('song_id');
    });

    it('loads into the same warehouse as the original files', async () => {
      const db = await warehouseFrom({
        logData: path.join(work, 'compacted', 'log_data'),
        songData: path.join(work, 'compacted', 'song_data'),
        logJsonPath: sample.jsonPathsFile,
      });
      databases.push(db);
      // Staging is cleared once the star has the rows: the ledger says what the load took in.
      expect(await count(db.knex, "select sum(rows_loaded) from load_ledger where source = 'events'")).to.equal(
        sample.events,
      );
      expect(await count(db.knex, 'select count(*) from staging_songs')).to.equal(sample.songs);
      expect(await starState(db.knex)).to.deep.equal(await starState(original.knex));
    });

    it('puts a pretty-printed object on one line, passes bad lines through, skips empty files', async () => {
      const from = path.join(work, 'odd');
      fs.mkdirSync(from, { recursive: true });
      fs.writeFileSync(path.join(from, 'a.json'), '{\n  "song_id": "S1",\n  "title": "Two\\nlines"\n}\n');
      fs.writeFileSync(path.join(from, 'b.json'), '{"song_id": "S2"}\n{"song_id": broken\n');
      fs.writeFileSync(path.join(from, 'c.json'), '');
      const result = await compact({ from, to: path.join(work, 'odd-out'), slices: 1, targetMb: 1 });
      const text = gunzipSync(fs.readFileSync(path.join(work, 'odd-out', 'part-0000.json.gz'))).toString('utf8');
      expect(text.split('\n')).to.deep.equal([
        '{   "song_id": "S1",   "title": "Two\\nlines" }',
        '{"song_id": "S2"}',
        '{"song_id": broken',
        '',
      ]);
      expect(JSON.parse(text.split('\n')[0])).to.deep.equal({ song_id: 'S1', title: 'Two\nlines' });
      expect(result).to.include({ records: 3, malformed: 1 });
      expect(result.firstMalformed).to.include({ path: path.join(from, 'b.json'), line: 2 });
      expect(result.emptyFiles).to.deep.equal([path.join(from, 'c.json')]);
    });

    it("keeps bytes that are not UTF-8 as they were, for Redshift's COPY to reject or ACCEPTINVCHARS to replace", async () => {
      const from = path.join(work, 'bytes');
      fs.mkdirSync(from, { recursive: true });
      const line = Buffer.concat([
        Buffer.from('{"song_id": "S1", "title": "Bj'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('rk 💀"}'),
      ]);
      fs.writeFileSync(path.join(from, 'a.json'), Buffer.concat([line, Buffer.from('\n')]));
      await compact({ from, to: path.join(work, 'bytes-out'), slices: 1, targetMb: 1 });
      expect(gunzipSync(fs.readFileSync(path.join(work, 'bytes-out', 'part-0000.json.gz')))).to.deep.equal(
        Buffer.concat([line, Buffer.from('\n')]),
      );
    });

    it('replaces the parts of an earlier run, and refuses to write inside its input', async () => {
      const to = path.join(work, 'again');
      await compact({ from: sample.songDir, to, slices: 8, targetMb: 128 });
      const result = await compact({ from: sample.songDir, to, slices: 2, targetMb: 128 });
      expect(result.oldPartsRemoved).to.equal(8);
      expect(fs.readdirSync(to).sort()).to.deep.equal(['part-0000.json.gz', 'part-0001.json.gz']);
      let error: Error | undefined;
      await compact({
        from: sample.songDir,
        to: path.join(sample.songDir, 'compacted'),
        slices: 2,
        targetMb: 128,
      }).catch((e: Error) => (error = e));
      expect(error?.message).to.contain('inside --from');
    });

    it('publishes no part when a file cannot be read half-way, and says which file and how far it got', async () => {
      const from = path.join(work, 'torn');
      const to = path.join(work, 'torn-out');
      fs.mkdirSync(from, { recursive: true });
      const lines = Array.from({ length: 2000 }, (_, i) =>
        JSON.stringify({ song_id: `S${i}`, title: `song ${i} `.repeat(8) }),
      ).join('\n');
      fs.writeFileSync(path.join(from, 'a.json'), `${lines}\n`);
      const gzip = gzipSync(`${lines}\n`);
      // A gzip cut short: the first records read, then the stream fails.
      fs.writeFileSync(path.join(from, 'b.json.gz'), gzip.subarray(0, Math.floor(gzip.length / 2)));
      const error = await compact({ from, to, slices: 2, targetMb: 1 }).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error?.message).to.match(/^Could not read .*b\.json\.gz after \d+ records: .*no part was published\.$/);
      expect(fs.existsSync(to) ? fs.readdirSync(to) : []).to.deep.equal([]);
    });
  });

  describe('on S3 (s3rver on loopback)', () => {
    let local: LocalS3;
    let endpoint: string;
    let client: S3Client;

    before(async () => {
      local = await startLocalS3(BUCKET);
      ({ endpoint, client } = local);
      await local.upload(sample.outDir, 'raw');
    });

    after(async () => {
      await local?.stop();
    });

    it('reads the objects and writes the parts under a compacted/ prefix, multipart when large', async () => {
      const s3 = { endpoint };
      // A small upload buffer, so the event parts go up as multipart uploads; record the calls.
      const recording = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true });
      const calls: object[] = [];
      const send = recording.send.bind(recording) as (command: object) => Promise<unknown>;
      (recording as unknown as { send(command: object): Promise<unknown> }).send = (command) => {
        calls.push(command);
        return send(command);
      };
      await compact({
        from: `s3://${BUCKET}/raw/log_data`,
        to: `s3://${BUCKET}/compacted/log_data/`,
        slices: 2,
        targetMb: 128,
        s3: { client: recording },
        uploadPartBytes: 16 * 1024,
      });
      recording.destroy();
      expect(calls.filter((c) => c instanceof CompleteMultipartUploadCommand)).to.have.length(2);
      expect(calls.filter((c) => c instanceof UploadPartCommand).length).to.be.greaterThan(2);
      const songs = await compact({
        from: `s3://${BUCKET}/raw/song_data`,
        to: `s3://${BUCKET}/compacted/song_data/`,
        slices: 4,
        targetMb: 128,
        s3,
      });
      expect(songs.parts.map((p) => p.uri)).to.deep.equal(
        [0, 1, 2, 3].map((i) => `s3://${BUCKET}/compacted/song_data/part-000${i}.json.gz`),
      );
      const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'compacted/log_data/' }));
      expect((listed.Contents ?? []).map((o) => o.Key)).to.deep.equal([
        'compacted/log_data/part-0000.json.gz',
        'compacted/log_data/part-0001.json.gz',
      ]);
      const first = await client.send(
        new GetObjectCommand({ Bucket: BUCKET, Key: 'compacted/log_data/part-0000.json.gz' }),
      );
      const lines = gunzipSync(Buffer.from(await first.Body!.transformToByteArray()))
        .toString('utf8')
        .trimEnd()
        .split('\n');
      expect(JSON.parse(lines[0])).to.have.property('sessionId');
    });

    it('loads into the same warehouse as the original files', async () => {
      const db = await warehouseFrom(
        {
          logData: `s3://${BUCKET}/compacted/log_data/`,
          songData: `s3://${BUCKET}/compacted/song_data/`,
          logJsonPath: sample.jsonPathsFile,
        },
        endpoint,
      );
      databases.push(db);
      // Staging is cleared once the star has the rows: the ledger says what the load took in.
      expect(await count(db.knex, "select sum(rows_loaded) from load_ledger where source = 'events'")).to.equal(
        sample.events,
      );
      expect(await starState(db.knex)).to.deep.equal(await starState(original.knex));
    });
  });
});
