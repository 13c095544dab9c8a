// The invariant on a generated sample: for any split of the data into batches and any
// arrival order (event days and song folders both), the star schema after the last run
// equals one load of everything, songplay_id apart (compared by checksums).
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { GeneratedSample } from '../../src/generate';
import { byFolder, dataFilesUnder, GrowingFolder, randomPlan, runOnce, type Delivery } from '../support/arrival';
import { createTestDatabase, testServers, type TestDatabase } from '../support/databases';
import { sourcesOf, testSample } from '../support/sample';
import { count, starState, type TableState } from '../support/warehouse-state';

const SEEDS = [11, 23, 42];

for (const server of testServers()) {
  describe(`any arrival order of the generated sample on ${server} PostgreSQL`, () => {
    let sample: GeneratedSample;
    let days: string[];
    let songFolders: string[][];
    let oneLoad: Record<string, TableState>;
    let matchedInOneLoad: number;

    before(async () => {
      sample = await testSample({ events: 3000, songs: 500 });
      days = dataFilesUnder(sample.logDir);
      songFolders = byFolder(dataFilesUnder(sample.songDir));
      const reference = await createTestDatabase(server, { sources: sourcesOf(sample) });
      try {
        await runOnce(reference);
        oneLoad = await starState(reference.knex);
        matchedInOneLoad = await count(reference.knex, 'select count(song_id) from songplays');
      } finally {
        await reference.drop();
      }
      expect(songFolders.length, 'song folders to split').to.be.at.least(4);
      expect(matchedInOneLoad, 'plays of known songs').to.be.greaterThan(0);
    });

    /** Runs the deliveries in order, then once more with nothing new and the quality checks. */
    async function deliverInTurn(
      plan: Delivery[],
      afterEach?: (db: TestDatabase, run: number) => Promise<void>,
    ): Promise<Record<string, TableState>> {
      const logs = new GrowingFolder(sample.logDir, 'logs');
      const songs = new GrowingFolder(sample.songDir, 'songs');
      const db = await createTestDatabase(server, {
        sources: { ...sourcesOf(sample), logData: logs.dir, songData: songs.dir },
      });
      try {
        for (const [run, delivery] of plan.entries()) {
          logs.deliver(delivery.events);
          songs.deliver(delivery.songs);
          await runOnce(db, false);
          await afterEach?.(db, run);
        }
        await runOnce(db);
        return await starState(db.knex);
      } finally {
        await db.drop();
        logs.remove();
        songs.remove();
      }
    }

    for (const seed of SEEDS) {
      it(`seed ${seed}: a random split and order ends where one load ends`, async () => {
        const plan = randomPlan(seed, days, songFolders);
        expect(plan.length).to.be.at.least(2);
        expect(await deliverInTurn(plan)).to.deep.equal(oneLoad);
      });
    }

    it('songs after their plays: the plays get matched when the song files come', async () => {
      const half = Math.floor(songFolders.length / 2);
      const matched: number[] = [];
      const plan: Delivery[] = [
        { events: days, songs: [] },
        { events: [], songs: songFolders.slice(0, half).flat() },
        { events: [], songs: songFolders.slice(half).flat() },
      ];
      const state = await deliverInTurn(plan, async (db) => {
        matched.push(await count(db.knex, 'select count(song_id) from songplays'));
      });
      expect(matched[0]).to.equal(0);
      expect(matched[1]).to.be.greaterThan(0).and.lessThan(matchedInOneLoad);
      expect(matched[2]).to.equal(matchedInOneLoad);
      expect(state).to.deep.equal(oneLoad);
    });

    it('songs before their plays, and the days backwards', async () => {
      const backwards = [...days].reverse();
      const plan: Delivery[] = [
        { events: [], songs: songFolders.flat() },
        { events: backwards.slice(0, 10), songs: [] },
        { events: backwards.slice(10, 20), songs: [] },
        { events: backwards.slice(20), songs: [] },
      ];
      expect(await deliverInTurn(plan)).to.deep.equal(oneLoad);
    });

    it('a day delivered again under another name adds no play twice (the anti-join reads only its time range)', async () => {
      const logs = new GrowingFolder(sample.logDir, 'again');
      const db = await createTestDatabase(server, { sources: { ...sourcesOf(sample), logData: logs.dir } });
      try {
        logs.deliver(days);
        await runOnce(db);
        const again = path.join(logs.dir, 'again', path.basename(days[3]));
        fs.mkdirSync(path.dirname(again));
        fs.symlinkSync(path.join(sample.logDir, days[3]), again);
        const results = await runOnce(db);
        expect(results.find((r) => r.id === '010_stage_events')!.stats).to.include({ files: 1 });
        for (const id of ['060_dim_time', '070_fact_songplays'])
          expect(results.find((r) => r.id === id)!.stats, id).to.include({ inserted: 0, updated: 0 });
        expect(await starState(db.knex)).to.deep.equal(oneLoad);
      } finally {
        await db.drop();
        logs.remove();
      }
    });

    it('a first load with no play twice inserts the plays once, without their dedup, the unique key checking them', async () => {
      const db = await createTestDatabase(server, { sources: sourcesOf(sample) });
      const sent: string[] = [];
      db.knex.on('query', (query: { sql: string }) => sent.push(query.sql));
      try {
        await runOnce(db);
        expect(await starState(db.knex)).to.deep.equal(oneLoad);
        const inserts = sent.filter((sql) => /^\s*insert into "songplays" /.test(sql));
        expect(inserts).to.have.length(1);
        expect(inserts[0]).not.to.include('copy_number');
        expect(
          sent.filter((sql) =>
            /^(savepoint|release savepoint|rollback to savepoint) before_insert_without_dedup/.test(sql),
          ),
        ).to.deep.equal(['savepoint before_insert_without_dedup', 'release savepoint before_insert_without_dedup']);
      } finally {
        await db.drop();
      }
    });

    it('a first load goes straight into the empty tables, a day in it twice kept once; the next run checks against the rows', async () => {
      const logs = new GrowingFolder(sample.logDir, 'first');
      const db = await createTestDatabase(server, { sources: { ...sourcesOf(sample), logData: logs.dir } });
      const sent: string[] = [];
      db.knex.on('query', (query: { sql: string }) => sent.push(query.sql));
      const ran = (pattern: RegExp) => sent.filter((sql) => pattern.test(sql)).length;
      try {
        logs.deliver(days);
        const again = path.join(logs.dir, 'again', path.basename(days[3]));
        fs.mkdirSync(path.dirname(again));
        fs.symlinkSync(path.join(sample.logDir, days[3]), again);
        await runOnce(db);
        expect(await starState(db.knex)).to.deep.equal(oneLoad);
        for (const table of ['time', 'songplays']) {
          expect(ran(new RegExp(`when "${table}" has rows|${table}_batch`)), table).to.equal(0);
        }
        expect(ran(/^\s*insert into "time" [^]*\/\* when "time" is empty \*\/$/)).to.equal(1);
        // The plays went in without their dedup first; the unique key's build found the day's
        // second copy, and the plays went in again with it (bulk-insert.ts).
        expect(ran(/^\s*insert into "songplays" [^]*\/\* when "songplays" is empty \*\/$/)).to.equal(2);
        expect(ran(/^rollback to savepoint before_insert_without_dedup /)).to.equal(1);
        sent.length = 0;
        await runOnce(db);
        expect(await starState(db.knex)).to.deep.equal(oneLoad);
        for (const table of ['time', 'songplays']) {
          expect(
            ran(new RegExp(`^\\s*create temp table ${table}_batch as[^]*/\\* when "${table}" has rows \\*/$`)),
            table,
          ).to.equal(1);
          expect(ran(new RegExp(`when "${table}" is empty`)), table).to.equal(0);
        }
      } finally {
        await db.drop();
        logs.remove();
      }
    });

    it('the plan puts every file in exactly one delivery', () => {
      for (const seed of SEEDS) {
        const plan = randomPlan(seed, days, songFolders);
        expect(plan.flatMap((d) => d.events).sort()).to.deep.equal([...days].sort());
        expect(plan.flatMap((d) => d.songs).sort()).to.deep.equal(songFolders.flat().sort());
        expect(plan.every((d) => d.events.length + d.songs.length > 0)).to.equal(true);
      }
      expect(path.basename(days[0])).to.match(/-events\.json$/);
    });
  });
}
