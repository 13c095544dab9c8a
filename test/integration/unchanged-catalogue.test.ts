// 040 and 050 derive artists and songs from the whole song catalogue. A run whose catalogue
// is as it was when they last derived their tables skips that work, and says so; a new
// song file, a row gone from the table, or a --full-refresh derives again
// (src/transform/unchanged-inputs.ts). 070's song_keys takes in only new songs, and is
// analyzed only when it changed. What the server received is read from knex's query
// events, which carry every statement sent, the steps' transactions included.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { DEFAULT_RUN_OPTIONS, type RunOptions } from '../../src/step/contract';
import { loadSteps, runSteps } from '../../src/transform/runner';
import type { TestDatabase } from '../support/databases';
import { databaseWithOwnSongs, type OwnSongs } from '../support/own-songs';

describe('a song catalogue unchanged since the last run', function () {
  let own: OwnSongs;
  let db: TestDatabase;
  let songDir: string;
  let sent: string[];
  const logged: string[] = [];

  before(async () => {
    own = await databaseWithOwnSongs({ events: 300, songs: 40 }, 'unchanged-catalogue');
    ({ db, songDir, sent } = own);
  });
  after(async () => own?.remove());

  const run = async (options: Partial<RunOptions> = {}) => {
    sent.length = 0;
    logged.length = 0;
    const { results } = await runSteps(
      db,
      loadSteps(),
      db.config,
      { ...DEFAULT_RUN_OPTIONS, ...options },
      { log: (line) => logged.push(line) },
    );
    expect(results.filter((r) => r.status !== 'success').map((r) => r.id)).to.deep.equal([]);
  };
  const derived = () => ({
    artists: sent.some((sql) => sql.includes('create temp table artists_batch')),
    songs: sent.some((sql) => sql.includes('create temp table songs_batch')),
  });
  // 070 keeps song_keys itself: it takes in only new songs, and analyzes it only when it changed.
  const songKeysChanged = () => sent.some((sql) => sql === 'analyze "song_keys"');

  it('derives artists and songs on the first run', async () => {
    await run();
    expect(derived()).to.deep.equal({ artists: true, songs: true });
    expect(songKeysChanged()).to.equal(true);
    expect(Number((await db.knex('artists').count({ n: '*' }))[0].n)).to.be.greaterThan(0);
  });

  it('skips deriving them when nothing changed, and says so', async () => {
    const before = await db.knex('artists').select('*').orderBy('artist_id');
    await run();
    expect(derived()).to.deep.equal({ artists: false, songs: false });
    expect(songKeysChanged()).to.equal(false);
    expect(logged.filter((line) => /catalogue is as it was/.test(line))).to.have.length(2);
    expect(await db.knex('artists').select('*').orderBy('artist_id')).to.deep.equal(before);
  });

  it('derives a table again when one of its rows is gone', async () => {
    const gone = (await db.knex('artists').select('artist_id').orderBy('artist_id').first()).artist_id;
    await db.knex('artists').where({ artist_id: gone }).delete();
    await run();
    expect(derived()).to.deep.equal({ artists: true, songs: false });
    expect(await db.knex('artists').where({ artist_id: gone }).first()).to.not.equal(undefined);
  });

  it('derives both again when a song file arrives', async () => {
    const song = {
      num_songs: 1,
      artist_id: 'ARNEWCATALOGUE',
      artist_latitude: null,
      artist_longitude: null,
      artist_location: '',
      artist_name: 'Arrived Later',
      song_id: 'SONEWCATALOGUE',
      title: 'A Late Song',
      duration: 201.5,
      year: 2001,
    };
    fs.writeFileSync(path.join(songDir, 'late-song.json'), JSON.stringify(song));
    await run();
    expect(derived()).to.deep.equal({ artists: true, songs: true });
    expect(songKeysChanged()).to.equal(true);
    expect(await db.knex('song_keys').where({ song_id: 'SONEWCATALOGUE' }).first()).to.include({
      title_key: 'A Late Song',
      artist_key: 'Arrived Later',
    });
    expect(await db.knex('artists').where({ artist_id: 'ARNEWCATALOGUE' }).first()).to.include({
      name: 'Arrived Later',
    });
    expect(await db.knex('songs').where({ song_id: 'SONEWCATALOGUE' }).first()).to.include({ title: 'A Late Song' });
  });

  it('derives both again on --full-refresh', async () => {
    await run({ fullRefresh: true });
    expect(derived()).to.deep.equal({ artists: true, songs: true });
    await run();
    expect(derived()).to.deep.equal({ artists: false, songs: false });
  });
});
