// Redshift ignores trailing blanks when it compares varchar; PostgreSQL does not (AWS
// "Examples with character types"). The song match (at insert and for late song files)
// trims both sides, and the upserts' "would change nothing" filter compares lengths too,
// so both engines give the same answer. These run on PostgreSQL, the engine that would
// differ without them.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatJsonPaths } from '../../src/generate/sparkify-json';
import { runOnce } from '../support/arrival';
import { createTestDatabase, testServers, type TestDatabase } from '../support/databases';
import { count } from '../support/warehouse-state';

const DAY_1 = Date.UTC(2018, 10, 1, 12);
const DAY_2 = Date.UTC(2018, 10, 2, 12);

function play(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    artist: 'The Band',
    auth: 'Logged In',
    firstName: 'Ann',
    gender: 'F',
    itemInSession: 0,
    lastName: 'Lee',
    length: 200.5,
    level: 'free',
    location: 'Here',
    method: 'PUT',
    page: 'NextSong',
    registration: 1540919166796.0,
    sessionId: 7,
    song: 'Blue Song',
    status: 200,
    ts: DAY_1,
    userAgent: 'agent',
    userId: '5',
    ...overrides,
  };
}

function song(id: string, title: string, artistName: string): Record<string, unknown> {
  return {
    artist_id: 'AR1',
    artist_latitude: null,
    artist_location: '',
    artist_longitude: null,
    artist_name: artistName,
    duration: 200.5,
    num_songs: 1,
    song_id: id,
    title,
    year: 2000,
  };
}

for (const server of testServers()) {
  describe(`trailing blanks on ${server} PostgreSQL count as on Redshift`, () => {
    let dir: string;
    let db: TestDatabase;
    const write = (file: string, rows: Array<Record<string, unknown>>) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    };

    beforeEach(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparkify-blanks-'));
      fs.mkdirSync(path.join(dir, 'songs'));
      fs.mkdirSync(path.join(dir, 'logs'));
      fs.writeFileSync(path.join(dir, 'paths.json'), formatJsonPaths());
      db = await createTestDatabase(server, {
        sources: {
          logData: path.join(dir, 'logs'),
          songData: path.join(dir, 'songs'),
          logJsonPath: path.join(dir, 'paths.json'),
        },
      });
    });
    afterEach(async () => {
      await db?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('matches a play to its song when title or artist name differ only by trailing blanks', async () => {
      write('songs/a.json', [song('SO1', 'Blue Song  ', 'The Band')]);
      write('logs/day1.json', [play({ artist: 'The Band ' })]);
      await runOnce(db);
      expect((await db.knex.raw('select song_id, artist_id from songplays')).rows).to.deep.equal([
        { song_id: 'SO1', artist_id: 'AR1' },
      ]);
    });

    it('matches an earlier play when its song file arrives later, trailing blanks and all', async () => {
      write('logs/day1.json', [play({ song: 'Blue Song ' })]);
      await runOnce(db, false);
      expect(await count(db.knex, 'select count(song_id) from songplays')).to.equal(0);
      write('songs/a.json', [song('SO1', 'Blue Song', 'The Band  ')]);
      const results = await runOnce(db);
      expect(
        await count(db.knex, "select count(*) from songplays where song_id = 'SO1' and artist_id = 'AR1'"),
      ).to.equal(1);
      expect(results.find((r) => r.id === '070_fact_songplays')!.stats).to.include({ inserted: 0, updated: 1 });
    });

    it('stores a name that changed only by a trailing blank, as Redshift would (lengths differ on both)', async () => {
      write('songs/a.json', [song('SO1', 'Blue Song', 'The Band')]);
      write('logs/day1.json', [play({})]);
      await runOnce(db);
      write('logs/day2.json', [play({ firstName: 'Ann ', ts: DAY_2, sessionId: 8 })]);
      const results = await runOnce(db);
      expect(results.find((r) => r.id === '030_dim_users')!.stats).to.include({ updated: 1 });
      expect((await db.knex.raw('select first_name from users')).rows).to.deep.equal([{ first_name: 'Ann ' }]);
    });
  });
}
