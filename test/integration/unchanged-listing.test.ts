// A source listed as its last load left it (same files, sizes, versions) and a ledger as that
// load left it: the load has nothing to do, and does not read the ledger's entries
// (src/load/unchanged-listing.ts). Anything else takes the ledger's path and loads what it
// says: a new file, a touched file, a ledger row deleted by hand, a --full-refresh. What
// the server received is read from knex's query events, the steps' transactions included.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { DEFAULT_RUN_OPTIONS, type RunOptions } from '../../src/step/contract';
import { loadSteps, runSteps } from '../../src/transform/runner';
import { dataFilesUnder } from '../support/arrival';
import type { TestDatabase } from '../support/databases';
import { databaseWithOwnSongs, type OwnSongs } from '../support/own-songs';

describe('a source listed as its last load left it (embedded PostgreSQL)', function () {
  let own: OwnSongs;
  let db: TestDatabase;
  let songDir: string;
  let sent: string[];
  const staging = loadSteps().filter((s) => /_stage_/.test(s.id));

  before(async () => {
    own = await databaseWithOwnSongs({ events: 200, songs: 30 }, 'unchanged-listing');
    ({ db, songDir, sent } = own);
  });
  after(async () => own?.remove());

  /** Runs the two loads; returns the songs step's files loaded and skipped. */
  const run = async (options: Partial<RunOptions> = {}) => {
    sent.length = 0;
    const { results } = await runSteps(
      db,
      staging,
      db.config,
      { ...DEFAULT_RUN_OPTIONS, ...options },
      { log: () => {} },
    );
    expect(results.filter((r) => r.status !== 'success').map((r) => `${r.id}: ${r.error?.message}`)).to.deep.equal([]);
    const songs = results.find((r) => r.id === '020_stage_songs')!;
    return { loaded: songs.stats.files ?? 0, skipped: songs.stats.filesSkipped ?? 0 };
  };
  // Both ledger reads: the versions of every file, and the whole entries of the changed ones.
  const readLedger = () => sent.some((sql) => /^select .* from "load_ledger" where "source" = (\$1|\?)$/.test(sql));
  const songsStaged = async () => Number((await db.knex('staging_songs').count({ n: '*' }))[0].n);
  const songFiles = () => dataFilesUnder(songDir).map((f) => path.join(songDir, f));

  it('loads every file on the first run, reading the ledger, and records the listing', async () => {
    const files = songFiles().length;
    expect(await run()).to.deep.equal({ loaded: files, skipped: 0 });
    expect(readLedger()).to.equal(true);
    expect(await db.knex('source_listings').select('source').orderBy('source')).to.deep.equal([
      { source: 'events' },
      { source: 'songs' },
    ]);
  });

  it('loads nothing on an unchanged listing, without reading the ledger', async () => {
    const staged = await songsStaged();
    expect(await run()).to.deep.equal({ loaded: 0, skipped: songFiles().length });
    expect(readLedger()).to.equal(false);
    expect(sent.filter((sql) => sql.startsWith('copy '))).to.deep.equal([]);
    expect(await songsStaged()).to.equal(staged);
  });

  it('loads a new file, then skips again', async () => {
    const staged = await songsStaged();
    const song = {
      num_songs: 1,
      artist_id: 'ARLISTEDLATER',
      artist_latitude: null,
      artist_longitude: null,
      artist_location: '',
      artist_name: 'Listed Later',
      song_id: 'SOLISTEDLATER',
      title: 'Listed Later',
      duration: 100.5,
      year: 2002,
    };
    fs.writeFileSync(path.join(songDir, 'listed-later.json'), JSON.stringify(song));
    expect(await run()).to.deep.equal({ loaded: 1, skipped: songFiles().length - 1 });
    expect(await songsStaged()).to.equal(staged + 1);
    await run();
    expect(readLedger()).to.equal(false);
  });

  it('reads the ledger when a file was touched, records its new version, then skips again', async () => {
    const file = songFiles()[0];
    const later = new Date(fs.statSync(file).mtimeMs + 60_000);
    fs.utimesSync(file, later, later);
    const staged = await songsStaged();
    expect(await run()).to.deep.equal({ loaded: 0, skipped: songFiles().length });
    expect(readLedger()).to.equal(true);
    expect(await songsStaged()).to.equal(staged);
    await run();
    expect(readLedger()).to.equal(false);
  });

  it('loads a file again when its ledger row was deleted by hand, though the listing is unchanged', async () => {
    const file = songFiles()[1];
    await db.knex('load_ledger').where({ source: 'songs', path: file }).delete();
    const staged = await songsStaged();
    expect(await run()).to.deep.equal({ loaded: 1, skipped: songFiles().length - 1 });
    expect(readLedger()).to.equal(true);
    expect(await songsStaged()).to.equal(staged + 1);
  });

  it('loads everything again with --full-refresh', async () => {
    const files = songFiles().length;
    expect(await run({ fullRefresh: true })).to.deep.equal({ loaded: files, skipped: 0 });
    expect(await songsStaged()).to.equal(files);
    await run();
    expect(readLedger()).to.equal(false);
  });
});
