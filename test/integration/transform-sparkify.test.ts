// The whole transform over the real Sparkify sample (all 14,896 songs, 30 log files).
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSteps, runSteps } from '../../src/transform/runner';
import type { StepResult } from '../../src/step/outcome';
import type { RunOptions } from '../../src/step/contract';
import { createTestDatabase, testServers, type TestDatabase } from '../support/databases';
import { requireSparkify } from '../support/sparkify';
import { count, starState } from '../support/warehouse-state';

const RUN: RunOptions = { fullRefresh: false, maxErrors: 0, dryRun: false };
const quiet = { log: () => {} };

function byId(results: StepResult[], id: string): StepResult {
  return results.find((r) => r.id === id)!;
}

function expectAllSucceeded(results: StepResult[]): void {
  const failed = results.filter((r) => r.status !== 'success');
  expect(failed.map((r) => `${r.id}: ${r.error?.message}`)).to.deep.equal([]);
}

for (const server of testServers()) {
  describe(`transform of the real Sparkify sample on ${server} PostgreSQL`, function () {
    let db: TestDatabase;
    let first: StepResult[];

    before(async function () {
      const sources = requireSparkify(this);
      db = await createTestDatabase(server, { sources });
      // The events as staged are the checks' oracle below, and 070 clears staging once the
      // star has them: the run stops before 070, keeps a copy, and goes on.
      const steps = loadSteps();
      const at070 = steps.findIndex((s) => s.id === '070_fact_songplays');
      const staged = (await runSteps(db, steps.slice(0, at070), db.config, RUN, quiet)).results;
      await db.knex.raw('create table staged_events as select * from staging_events');
      first = [...staged, ...(await runSteps(db, steps.slice(at070), db.config, RUN, quiet)).results];
      expect(await count(db.knex, 'select count(*) from staging_events')).to.equal(0);
    });
    after(async () => {
      await db?.drop();
    });

    it('loads every event and every song, rejecting nothing', () => {
      expectAllSucceeded(first);
      expect(byId(first, '010_stage_events').stats).to.include({
        files: 30,
        rowsRead: 8056,
        rowsLoaded: 8056,
        rowsRejected: 0,
      });
      expect(byId(first, '020_stage_songs').stats).to.include({
        files: 14896,
        rowsRead: 14896,
        rowsLoaded: 14896,
        rowsRejected: 0,
      });
    });

    it('builds one row per play, user, song, artist and start time', async () => {
      expect(await count(db.knex, 'select count(*) from songplays')).to.equal(6820);
      expect(await count(db.knex, "select count(*) from staged_events where page = 'NextSong'")).to.equal(6820);
      expect(
        await count(db.knex, "select count(distinct user_id) from staged_events where trim(user_id) <> ''"),
      ).to.equal(await count(db.knex, 'select count(*) from users'));
      expect(await count(db.knex, 'select count(*) from songs')).to.equal(14896);
      expect(await count(db.knex, 'select count(distinct artist_id) from staging_songs')).to.equal(
        await count(db.knex, 'select count(*) from artists'),
      );
      expect(await count(db.knex, "select count(distinct ts) from staged_events where page = 'NextSong'")).to.equal(
        await count(db.knex, 'select count(*) from "time"'),
      );
    });

    it('matches plays to songs on title, artist name and duration, and keeps unmatched plays', async () => {
      // 319 plays of the sample have a song file with the same title, artist name and
      // length as they came; 8 more once their double-encoded names are repaired.
      expect(await count(db.knex, 'select count(song_id) from songplays')).to.equal(327);
      expect(
        await count(db.knex, 'select count(*) from songplays where song_id is null and artist_id is null'),
      ).to.equal(6820 - 327);
      expect(byId(first, '070_fact_songplays').stats.repairedMatches).to.equal(8);
    });

    it('shows double-encoded names repaired and keeps them as they came in staging', async () => {
      // The logs carry "Beyoncé" encoded twice over: C3 A9 read as Latin-1, twice.
      const garbled = 'Beyonc\u00c3\u0083\u00c2\u00a9';
      expect(await count(db.knex, `select count(*) from staged_events where artist = '${garbled}'`)).to.equal(23);
      expect(await count(db.knex, "select count(*) from songplays where artist_name = 'Beyoncé'")).to.equal(
        await count(db.knex, `select count(*) from staged_events where page = 'NextSong' and artist = '${garbled}'`),
      );
      expect(
        await count(
          db.knex,
          `select count(*) from songplays where strpos(song_title, 'Ã') > 0 or strpos(artist_name, 'Ã') > 0 or strpos(artist_name, 'Â') > 0`,
        ),
      ).to.equal(0);
    });

    it('keeps each user once, at the level of their latest event', async () => {
      const changed = await db.knex.raw(`
        select user_id from staged_events where trim(user_id) <> ''
        group by user_id having count(distinct level) > 1`);
      expect(changed.rows.length).to.be.greaterThan(0); // the sample has users who upgrade or downgrade
      const wrong = await db.knex.raw(`
        with latest as (
          select user_id, level, row_number() over (partition by user_id order by ts desc, session_id desc, item_in_session desc) as recency
          from staged_events where trim(user_id) <> '')
        select users.user_id from users join latest on latest.user_id = users.user_id and latest.recency = 1
        where latest.level <> users.level`);
      expect(wrong.rows).to.deep.equal([]);
    });

    it('keeps one artist per id although the catalogue names some several ways', async () => {
      expect(
        await count(
          db.knex,
          'select count(*) from (select artist_id from staging_songs group by artist_id having count(distinct artist_name) > 1) as several',
        ),
      ).to.be.greaterThan(0);
      expect(
        await count(
          db.knex,
          'select count(*) from (select artist_id from artists group by artist_id having count(*) > 1) as dupes',
        ),
      ).to.equal(0);
    });

    it('keeps the milliseconds of every start time', async () => {
      const mismatched = await count(
        db.knex,
        `select count(*) from songplays sp join staged_events e
           on e.user_id = sp.user_id and e.session_id = sp.session_id and e.item_in_session = sp.item_in_session
         where cast(extract(epoch from sp.start_time) * 1000 as bigint) <> e.ts`,
      );
      expect(mismatched).to.equal(0);
      expect(
        await count(
          db.knex,
          'select count(*) from songplays where extract(milliseconds from start_time) <> floor(extract(seconds from start_time)) * 1000',
        ),
      ).to.be.greaterThan(0);
    });

    it('stores numeric titles and artist names as their text', async () => {
      expect(await count(db.knex, "select count(*) from songs where title ~ '^[0-9]+$'")).to.be.greaterThan(0);
      expect(await count(db.knex, "select count(*) from artists where name ~ '^[0-9]+$'")).to.be.greaterThan(0);
    });

    it('changes nothing when run again over the same input', async () => {
      const before = await starState(db.knex);
      const second = (await runSteps(db, loadSteps(), db.config, RUN, quiet)).results;
      expectAllSucceeded(second);
      expect(byId(second, '010_stage_events').stats).to.include({ files: 0, filesSkipped: 30, rowsRead: 0 });
      for (const r of second.filter((s) => s.stats.inserted !== undefined)) {
        expect(r.stats, r.id).to.include({ inserted: 0, updated: 0 });
      }
      expect(byId(second, '070_fact_songplays').stats.repairedMatches ?? 0).to.equal(0);
      expect(await starState(db.knex)).to.deep.equal(before);
    });

    it('rebuilds the same warehouse with --full-refresh', async () => {
      const before = await starState(db.knex);
      const refreshed = (await runSteps(db, loadSteps(), db.config, { ...RUN, fullRefresh: true }, quiet)).results;
      expectAllSucceeded(refreshed);
      expect(byId(refreshed, '010_stage_events').stats).to.include({ files: 30, rowsLoaded: 8056 });
      expect(byId(refreshed, '070_fact_songplays').stats.repairedMatches).to.equal(8);
      expect(await starState(db.knex)).to.deep.equal(before);
    });
  });

  describe(`incremental loads on ${server} PostgreSQL`, function () {
    let db: TestDatabase;
    let reference: TestDatabase;
    let logDir: string;

    before(async function () {
      const sources = requireSparkify(this);
      logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparkify-logs-'));
      const days = fs.readdirSync(path.join(sources.logData, '2018', '11')).sort();
      for (const day of days.slice(0, -1))
        fs.copyFileSync(path.join(sources.logData, '2018', '11', day), path.join(logDir, day));
      db = await createTestDatabase(server, { sources: { ...sources, logData: logDir } });
      reference = await createTestDatabase(server, { sources });
    });
    after(async () => {
      await db?.drop();
      await reference?.drop();
      if (logDir) fs.rmSync(logDir, { recursive: true, force: true });
    });

    it('loads only the new day, and ends where a single run over all days ends', async () => {
      expectAllSucceeded((await runSteps(db, loadSteps(), db.config, RUN, quiet)).results);
      const sources = requireSparkify(this as unknown as Mocha.Context);
      fs.copyFileSync(
        path.join(sources.logData, '2018', '11', '2018-11-30-events.json'),
        path.join(logDir, '2018-11-30-events.json'),
      );
      const second = (await runSteps(db, loadSteps(), db.config, RUN, quiet)).results;
      expectAllSucceeded(second);
      expect(byId(second, '010_stage_events').stats).to.include({ files: 1, filesSkipped: 29 });
      expect(byId(second, '020_stage_songs').stats).to.include({ files: 0, filesSkipped: 14896 });
      expect(byId(second, '070_fact_songplays').stats.inserted).to.be.greaterThan(0);

      expectAllSucceeded((await runSteps(reference, loadSteps(), reference.config, RUN, quiet)).results);
      expect(await starState(db.knex)).to.deep.equal(await starState(reference.knex));
    });
  });
}
