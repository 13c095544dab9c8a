// The invariant on the real Sparkify sample, with the two reproductions of issue 11:
// days 16-30 loaded before days 1-15 (the paid count must not drop), and song files
// that arrive after the plays (327 matched plays in the end, not 108). Files are
// delivered as symlinks into temp folders; the sample itself is only read.
import { expect } from 'chai';
import { byFolder, dataFilesUnder, GrowingFolder, randomPlan, runOnce } from '../support/arrival';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { requireSparkify } from '../support/sparkify';
import { count, starState, type TableState } from '../support/warehouse-state';
import type { SourceSettings } from '../../src/config';

const PAID_USERS = "select count(*) from users where level = 'paid'";
const MATCHED_PLAYS = 'select count(song_id) from songplays';

describe('any arrival order of the real Sparkify sample on embedded PostgreSQL', function () {
  let sources: SourceSettings;
  let days: string[];
  let songFiles: string[];
  let oneLoad: Record<string, TableState>;
  let paidInOneLoad: number;
  const cleanups: Array<() => Promise<void> | void> = [];

  before(async function () {
    sources = requireSparkify(this);
    days = dataFilesUnder(sources.logData);
    songFiles = dataFilesUnder(sources.songData);
    expect(days).to.have.length(30);
    const reference = await createTestDatabase('embedded', { sources });
    try {
      await runOnce(reference);
      oneLoad = await starState(reference.knex);
      paidInOneLoad = await count(reference.knex, PAID_USERS);
      expect(await count(reference.knex, MATCHED_PLAYS)).to.equal(327);
    } finally {
      await reference.drop();
    }
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function warehouse(logs: GrowingFolder | undefined, songs: GrowingFolder | undefined): Promise<TestDatabase> {
    const db = await createTestDatabase('embedded', {
      sources: { ...sources, logData: logs?.dir ?? sources.logData, songData: songs?.dir ?? sources.songData },
    });
    cleanups.push(() => db.drop());
    return db;
  }

  function folder(root: string, label: string): GrowingFolder {
    const grown = new GrowingFolder(root, label);
    cleanups.push(() => grown.remove());
    return grown;
  }

  it('days 16-30, then days 1-15: the paid count does not drop, and ends as one load', async () => {
    const logs = folder(sources.logData, 'late-days');
    const db = await warehouse(logs, undefined);
    logs.deliver(days.slice(15));
    await runOnce(db);
    const paidAfterLateDays = await count(db.knex, PAID_USERS);
    logs.deliver(days.slice(0, 15));
    await runOnce(db);
    expect(await count(db.knex, PAID_USERS))
      .to.be.at.least(paidAfterLateDays)
      .and.equal(paidInOneLoad);
    expect(await starState(db.knex)).to.deep.equal(oneLoad);
  });

  it('part of the songs with the plays, the rest later: 327 matched plays, as in one load', async () => {
    const songs = folder(sources.songData, 'late-songs');
    const db = await warehouse(undefined, songs);
    const half = Math.floor(songFiles.length / 2);
    songs.deliver(songFiles.slice(0, half));
    await runOnce(db);
    const matchedFirst = await count(db.knex, MATCHED_PLAYS);
    expect(matchedFirst).to.be.greaterThan(0).and.lessThan(327);
    songs.deliver(songFiles.slice(half));
    const second = await runOnce(db);
    expect(await count(db.knex, MATCHED_PLAYS)).to.equal(327);
    expect(second.find((r) => r.id === '070_fact_songplays')!.stats.updated).to.equal(327 - matchedFirst);
    expect(await starState(db.knex)).to.deep.equal(oneLoad);
  });

  it('a seeded random split and order of days and song folders ends as one load', async () => {
    const logs = folder(sources.logData, 'random-days');
    const songs = folder(sources.songData, 'random-songs');
    const db = await warehouse(logs, songs);
    const plan = randomPlan(2018, days, byFolder(songFiles));
    expect(plan.length).to.be.at.least(3);
    for (const delivery of plan) {
      logs.deliver(delivery.events);
      songs.deliver(delivery.songs);
      await runOnce(db, false);
    }
    await runOnce(db);
    expect(await starState(db.knex)).to.deep.equal(oneLoad);
  });
});
