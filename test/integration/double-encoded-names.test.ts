// The repair of double-encoded names on a real server: the SQL function gives what its
// JavaScript twin gives, leaves right names alone, and a warehouse built before the repair
// is repaired by its migration and matched on the next run.
import { expect } from 'chai';
import { garbledForms, repairText } from '../../src/double-encoding';
import { loadSteps, runSteps, selectSteps } from '../../src/transform/runner';
import type { RunOptions } from '../../src/step/contract';
import { createTestDatabase, testServers, type TestDatabase } from '../support/databases';
import { RIGHT_NAMES } from '../support/right-names';
import { down, up } from '../../migrations/20261217120000_repair_double_encoded_names';

const RUN: RunOptions = { fullRefresh: false, maxErrors: 0, dryRun: false };
const latin1 = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

const GARBLED = [
  'Beyonc\u00c3\u0083\u00c2\u00a9',
  latin1('Sinéad O’Connor'),
  latin1(latin1('De São Paulo à Belém')),
  'donâ€™t',
  ...['é', 'ñ', '’', '€', 'ÿ', 'Ã'].flatMap(garbledForms),
];

for (const server of testServers()) {
  describe(`double-encoded names on ${server} PostgreSQL`, function () {
    let db: TestDatabase;

    before(async () => {
      db = await createTestDatabase(server);
    });
    after(async () => {
      await db?.drop();
    });

    it('the SQL function repairs as the JavaScript does, and leaves right names alone', async () => {
      for (const text of [...RIGHT_NAMES, ...GARBLED]) {
        const { rows } = await db.knex.raw('select f_repair_double_encoding(?) as repaired', [text]);
        expect(rows[0].repaired, JSON.stringify(text)).to.equal(repairText(text));
      }
      for (const name of RIGHT_NAMES) expect(repairText(name)).to.equal(name);
      const { rows } = await db.knex.raw('select f_repair_double_encoding(null) as repaired');
      expect(rows[0].repaired).to.equal(null);
    });

    it('a warehouse built before the repair is repaired by the migration and matched on the next run', async () => {
      const garbled = 'Beyonc\u00c3\u0083\u00c2\u00a9';
      await db.knex('staging_songs').insert({
        song_id: 'SOHALO',
        artist_id: 'ARBEY',
        artist_name: 'Beyoncé',
        title: 'Halo',
        duration: 261.5,
        matched_to_plays: 1,
      });
      await db.knex('songplays').insert({
        start_time: '2018-11-05 10:00:00',
        user_id: '8',
        level: 'free',
        session_id: 9,
        item_in_session: 1,
        song_title: 'Halo',
        artist_name: garbled,
        song_length: 261.5,
      });
      await db
        .knex('users')
        .insert({ user_id: '8', first_name: latin1('Zoé'), last_name: 'Ng', gender: 'F', level: 'free' });

      await down(db.knex);
      await up(db.knex);

      const play = (await db.knex('songplays').select('artist_name', 'song_id'))[0];
      expect(play).to.deep.equal({ artist_name: 'Beyoncé', song_id: null });
      expect((await db.knex('users').select('first_name'))[0].first_name).to.equal('Zoé');
      expect((await db.knex('staging_songs').select('matched_to_plays'))[0].matched_to_plays).to.equal(0);

      const { results } = await runSteps(db, selectSteps(loadSteps(), { only: '070' }), db.config, RUN, {
        log: () => {},
      });
      expect(results.map((r) => r.error?.message ?? r.status)).to.deep.equal(['success']);
      expect((await db.knex('songplays').select('song_id'))[0].song_id).to.equal('SOHALO');
    });
  });
}
