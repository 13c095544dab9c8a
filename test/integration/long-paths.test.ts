// A source file under a path longer than 1,024 characters (Linux allows 4,096; an S3 URI
// is a key of up to 1,024 bytes plus the scheme and bucket): the ledger and load_errors
// keep its path, and a re-run skips it as it skips any loaded file.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSteps, runSteps, selectSteps } from '../../src/transform/runner';
import type { RunOptions } from '../../src/step/contract';
import { event, EVENT_JSONPATHS, lines } from '../support/bad-input-cases';
import * as widenSourcePaths from '../../migrations/20261207120000_widen_source_paths';
import * as keyLedgerPathsByMd5 from '../../migrations/20261215120000_key_ledger_paths_by_md5';
import { randomBytes } from 'node:crypto';
import { migrateLatest, migrateRollback } from '../../src/migrate/migrator';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { count } from '../support/warehouse-state';

const stageEvents = selectSteps(loadSteps(), { only: '010_stage_events' });
const options: RunOptions = { fullRefresh: false, maxErrors: 5, dryRun: false };
const stageEventsOn = async (db: TestDatabase) =>
  (await runSteps(db, stageEvents, db.config, options, { log: () => {} })).results[0];

describe('a source file under a path of ~1,500 characters', function () {
  let db: TestDatabase;
  let dir: string;
  let file: string;
  const run = () => stageEventsOn(db);

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparkify-long-'));
    fs.writeFileSync(path.join(dir, 'log_json_path.json'), EVENT_JSONPATHS);
    // Seven folders of 203 characters, 243 bytes each (a name may have 255 bytes): ~1,500 characters in all.
    const deep = path.join(dir, 'logs', ...Array.from({ length: 7 }, (_, i) => `${i}-${'löng-'.repeat(40)}x`));
    fs.mkdirSync(deep, { recursive: true });
    file = path.join(deep, '2018-11-01-events.json');
    fs.writeFileSync(file, lines(event(1), event(2, { ts: 'yesterday' }), event(3)));
    expect(file.length).to.be.within(1400, 1600);
    db = await createTestDatabase('embedded', {
      sources: {
        logData: path.join(dir, 'logs'),
        songData: path.join(dir, 'songs'),
        logJsonPath: path.join(dir, 'log_json_path.json'),
      },
    });
  });
  after(async () => {
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loads, keeps the path whole in the ledger and load_errors, and a re-run loads nothing again', async () => {
    const first = await run();
    expect(first.status, first.error?.message).to.equal('success');
    expect(first.stats).to.include({ files: 1, rowsRead: 3, rowsLoaded: 2, rowsRejected: 1 });
    expect((await db.knex('load_ledger').select('path')).map((r: { path: string }) => r.path)).to.deep.equal([file]);
    expect((await db.knex('load_errors').select('path')).map((r: { path: string }) => r.path)).to.deep.equal([file]);

    const again = await run();
    expect(again.status, again.error?.message).to.equal('success');
    expect(again.stats).to.include({ files: 0, filesSkipped: 1 });
    expect(await count(db.knex, 'select count(*) from load_ledger')).to.equal(1);
    expect(await count(db.knex, 'select count(*) from load_errors')).to.equal(1);
  });
});

describe('the migration that widens source paths, rolled back', () => {
  let db: TestDatabase;
  const pathType = async (table: string) =>
    (
      await db.knex.raw(
        "select character_maximum_length as n from information_schema.columns where table_name = ? and column_name = 'path'",
        [table],
      )
    ).rows[0].n as number;

  before(async () => {
    db = await createTestDatabase('embedded', { migrate: false });
    await migrateLatest(db.knex);
  });
  after(async () => {
    await db?.drop();
  });

  it('restores varchar(1024) only once no stored path is longer: until then it fails and changes nothing', async () => {
    expect([await pathType('load_ledger'), await pathType('load_errors')]).to.deep.equal([4096, 4096]);
    const long = `/data/${'d/'.repeat(700)}day.json`;
    await db
      .knex('load_ledger')
      .insert({ source: 'events', path: long, size_bytes: 1, version: '1', published: 1, loaded_at: new Date() });
    let failure: Error | undefined;
    await migrateRollback(db.knex, true).catch((error: Error) => (failure = error));
    expect(failure?.message).to.match(/value too long for type character varying\(1024\)/);
    expect([await pathType('load_ledger'), await pathType('load_errors')]).to.deep.equal([4096, 4096]);
    expect(await count(db.knex, 'select count(*) from load_ledger')).to.equal(1);

    await db.knex('load_ledger').delete();
    await widenSourcePaths.down(db.knex);
    expect([await pathType('load_ledger'), await pathType('load_errors')]).to.deep.equal([1024, 1024]);
    await widenSourcePaths.up(db.knex);
    expect([await pathType('load_ledger'), await pathType('load_errors')]).to.deep.equal([4096, 4096]);
  });
});

// Past 2,704 bytes a path no longer fits a btree entry; random names, so compression cannot shrink it under.
describe('a source file under a path of ~3,800 bytes, as Linux allows', function () {
  let db: TestDatabase;
  let dir: string;
  let file: string;
  const run = () => stageEventsOn(db);
  const constraints = async () =>
    (
      await db.knex.raw("select conname from pg_constraint where conrelid = 'load_ledger'::regclass and contype = 'p'")
    ).rows.map((r: { conname: string }) => r.conname);
  const indexes = async () =>
    (await db.knex.raw("select indexname from pg_indexes where tablename = 'load_ledger' order by 1")).rows.map(
      (r: { indexname: string }) => r.indexname,
    );

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparkify-longer-'));
    fs.writeFileSync(path.join(dir, 'log_json_path.json'), EVENT_JSONPATHS);
    const deep = path.join(dir, 'logs', ...Array.from({ length: 15 }, () => randomBytes(125).toString('hex')));
    fs.mkdirSync(deep, { recursive: true });
    file = path.join(deep, '2018-11-01-events.json');
    fs.writeFileSync(file, lines(event(1), event(2)));
    expect(Buffer.byteLength(file)).to.be.within(3700, 4000);
    db = await createTestDatabase('embedded', {
      sources: {
        logData: path.join(dir, 'logs'),
        songData: path.join(dir, 'songs'),
        logJsonPath: path.join(dir, 'log_json_path.json'),
      },
    });
  });
  after(async () => {
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loads and records it: the ledger keys the path by its md5, and a re-run skips the file', async () => {
    expect(await constraints()).to.deep.equal([]);
    expect(await indexes()).to.include.members(['load_ledger_pkey_md5', 'load_ledger_path_hash']);
    const first = await run();
    expect(first.status, first.error?.message).to.equal('success');
    expect((await db.knex('load_ledger').select('path')).map((r: { path: string }) => r.path)).to.deep.equal([file]);
    const again = await run();
    expect(again.stats).to.include({ files: 0, filesSkipped: 1 });
  });

  it('still refuses a second ledger row for the same file', async () => {
    const row = await db.knex('load_ledger').first();
    let failure: Error | undefined;
    await db
      .knex('load_ledger')
      .insert(row)
      .catch((error: Error) => (failure = error));
    expect(failure?.message).to.match(/duplicate key value violates unique constraint "load_ledger_pkey_md5"/);
  });

  it('moves a warehouse keyed the old way to the md5 key, and back while no path is too long', async () => {
    await db.knex('load_ledger').delete();
    await keyLedgerPathsByMd5.down(db.knex);
    expect(await constraints()).to.deep.equal(['load_ledger_pkey']);
    expect(await indexes()).to.deep.equal(['load_ledger_pkey']);
    await keyLedgerPathsByMd5.up(db.knex);
    expect(await constraints()).to.deep.equal([]);
    expect(await indexes()).to.have.members(['load_ledger_pkey_md5', 'load_ledger_path_hash']);
    await keyLedgerPathsByMd5.up(db.knex); // a second time changes nothing
    expect(await indexes()).to.have.members(['load_ledger_pkey_md5', 'load_ledger_path_hash']);
  });
});
