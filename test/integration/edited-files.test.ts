// A source file that changed after it was loaded (issue 21, item 7). An appended day file
// loads only its new lines; a file edited in place (three locations changed, a song's
// title and year changed) stops the run before anything of it loads, names the file and
// the fix, and leaves the warehouse as it was; --full-refresh then gives what one load of
// the files as they now are gives. Real PostgreSQL, a copy of a generated sample.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GeneratedSample } from '../../src/generate';
import { loadSteps, runSteps } from '../../src/transform/runner';
import type { RunOptions } from '../../src/step/contract';
import { dataFilesUnder } from '../support/arrival';
import { startCommand } from '../support/command-child';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { sourcesOf, testSample } from '../support/sample';
import { starState, type TableState } from '../support/warehouse-state';

const steps = loadSteps().filter((s) => !/_check_/.test(s.id));
const INCREMENT: RunOptions = { fullRefresh: false, maxErrors: 1, dryRun: false };

/** The file's lines, each parsed. */
const records = (file: string): Array<Record<string, unknown>> =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const text = (rows: Array<Record<string, unknown>>) => rows.map((r) => `${JSON.stringify(r)}\n`).join('');

describe('a source file changed after it was loaded (embedded PostgreSQL)', function () {
  let sample: GeneratedSample;
  let dir: string;
  let db: TestDatabase;
  let days: string[];
  let songFiles: string[];
  const run = async (options: RunOptions = INCREMENT) => runSteps(db, steps, db.config, options, { log: () => {} });
  const ledger = async () =>
    db
      .knex('load_ledger')
      .orderBy(['source', 'path'])
      .select('source', 'path', 'size_bytes', 'version', 'rows_loaded', 'rows_rejected', 'content_sha256');

  /** The star schema of one load of the files as they are now, into a database of its own. */
  async function oneLoadOfTheFiles(): Promise<Record<string, TableState>> {
    const fresh = await createTestDatabase('embedded', { sources: db.config.sources });
    try {
      const outcome = await runSteps(fresh, steps, fresh.config, INCREMENT, { log: () => {} });
      expect(outcome.error?.message).to.equal(undefined);
      return await starState(fresh.knex);
    } finally {
      await fresh.drop();
    }
  }

  before(async () => {
    sample = await testSample({ events: 800, songs: 120 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparkify-edited-'));
    fs.cpSync(path.dirname(sample.logDir), dir, { recursive: true });
    const sources = sourcesOf(sample);
    const moved = (p: string) => path.join(dir, path.relative(path.dirname(sample.logDir), p));
    db = await createTestDatabase('embedded', {
      sources: {
        logData: moved(sources.logData),
        songData: moved(sources.songData),
        logJsonPath: moved(sources.logJsonPath),
      },
    });
    days = dataFilesUnder(db.config.sources.logData).map((f) => path.join(db.config.sources.logData, f));
    songFiles = dataFilesUnder(db.config.sources.songData).map((f) => path.join(db.config.sources.songData, f));
    expect(days.length).to.be.at.least(3);
  });
  after(async () => {
    await db?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a day file appended to: only its new lines load, counted, with their own line numbers, and the warehouse ends as one load ends', async () => {
    const day = days[0];
    const all = records(day);
    const kept = Math.floor(all.length / 2);
    fs.writeFileSync(day, text(all.slice(0, kept)));
    const first = await run();
    expect(first.error?.message).to.equal(undefined);
    const loadedBefore = await ledger();

    fs.appendFileSync(day, `${text(all.slice(kept))}{"not": json\n`);
    const second = await run();
    expect(second.error?.message).to.equal(undefined);
    expect(second.results[0].stats).to.include({
      files: 1,
      rowsRead: all.length - kept + 1,
      rowsLoaded: all.length - kept,
      rowsRejected: 1,
    });
    expect(second.results[0].stats.bytes).to.equal(fs.statSync(day).size - Buffer.byteLength(text(all.slice(0, kept))));
    const entry = (await ledger()).find((r) => r.path === day)!;
    expect(entry).to.include({
      size_bytes: String(fs.statSync(day).size),
      rows_loaded: String(all.length),
      rows_rejected: '1',
    });
    expect(entry.content_sha256).to.match(/^[0-9a-f]{64}$/);
    expect(loadedBefore.find((r) => r.path === day)!.content_sha256).not.to.equal(entry.content_sha256);
    const rejected = await db.knex('load_errors').select('path', 'line_number');
    expect(rejected).to.deep.equal([{ path: day, line_number: String(all.length + 1) }]);

    expect(await starState(db.knex)).to.deep.equal(await oneLoadOfTheFiles());
  });

  it('a day file touched but unchanged loads nothing', async () => {
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(days[1], later, later);
    const outcome = await run();
    expect(outcome.error?.message).to.equal(undefined);
    expect(outcome.results[0].stats).to.include({ files: 0, rowsRead: 0 });
    expect((await ledger()).find((r) => r.path === days[1])!.version).to.equal(
      String(Math.trunc(fs.statSync(days[1]).mtimeMs)),
    );
  });

  it('a day file with three locations edited in place: the command stops before loading, names the file, exits 1, the warehouse unchanged', async () => {
    const day = days[2];
    const rows = records(day);
    for (const at of [0, 1, rows.length - 1]) rows[at] = { ...rows[at], location: `Edited ${at}, XX` };
    const state = await starState(db.knex);
    const entries = await ledger();
    const staged = await db.knex('staging_events').count('* as n').first();
    fs.writeFileSync(day, text(rows));

    const command = startCommand(db, 'transform.ts', []);
    const done = await command.done;
    expect(done.code, done.stdout + done.stderr).to.equal(1);
    expect(done.stdout + done.stderr)
      .to.contain(day)
      .and.to.contain('changed in place')
      .and.to.contain('--full-refresh');
    expect(await starState(db.knex)).to.deep.equal(state);
    expect(await ledger()).to.deep.equal(entries);
    expect(await db.knex('staging_events').count('* as n').first()).to.deep.equal(staged);
  });

  it('--full-refresh then gives the warehouse one load of the files as they now are gives', async () => {
    const outcome = await run({ ...INCREMENT, fullRefresh: true });
    expect(outcome.error?.message).to.equal(undefined);
    const state = await starState(db.knex);
    expect(state).to.deep.equal(await oneLoadOfTheFiles());
    expect(Object.values(state).every((t) => t.rows > 0)).to.equal(true);
  });

  it('a song file whose title and year changed: the run stops before loading it, names it; --full-refresh then matches one load', async () => {
    const file = songFiles[0];
    const song = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    const state = await starState(db.knex);
    fs.writeFileSync(file, JSON.stringify({ ...song, title: `${String(song.title)} (Remastered)`, year: 1999 }));

    const stopped = await run();
    expect(stopped.error?.message).to.contain(file).and.to.contain('--full-refresh');
    expect(stopped.results.find((r) => r.id === '020_stage_songs')!.status).to.equal('error');
    expect(await starState(db.knex)).to.deep.equal(state);

    const rebuilt = await run({ ...INCREMENT, fullRefresh: true });
    expect(rebuilt.error?.message).to.equal(undefined);
    const now = await starState(db.knex);
    expect(now.songs).not.to.deep.equal(state.songs);
    expect(now).to.deep.equal(await oneLoadOfTheFiles());
  });
});
