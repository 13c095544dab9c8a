// The project's own sample, plain and gzipped: the warehouse must find in it exactly
// what the generator says it planted.
import { expect } from 'chai';
import { loadSteps, runSteps } from '../../src/transform/runner';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { sourcesOf, testSample } from '../support/sample';
import { count } from '../support/warehouse-state';

for (const gzip of [false, true]) {
  describe(`the generated sample${gzip ? ', gzipped' : ''}`, () => {
    let db: TestDatabase;
    after(async () => {
      await db?.drop();
    });

    it('loads into a warehouse that holds what the generator planted', async () => {
      const sample = await testSample({ events: 5000, songs: 800, gzip });
      db = await createTestDatabase('embedded', { sources: sourcesOf(sample) });
      const results = (
        await runSteps(
          db,
          loadSteps(),
          db.config,
          { fullRefresh: false, maxErrors: 0, dryRun: false },
          { log: () => {} },
        )
      ).results;
      expect(results.filter((r) => r.status !== 'success').map((r) => r.error?.message)).to.deep.equal([]);
      expect(results[0].stats).to.include({
        files: sample.files.logs,
        rowsRead: sample.events,
        rowsLoaded: sample.events,
      });
      expect(await count(db.knex, 'select count(*) from songplays')).to.equal(sample.nextSongEvents);
      expect(await count(db.knex, 'select count(song_id) from songplays')).to.equal(sample.playsOfKnownSongs);
      expect(await count(db.knex, 'select count(*) from users')).to.equal(sample.users);
      expect(await count(db.knex, 'select count(*) from songs')).to.equal(sample.songs);
      expect(await count(db.knex, 'select count(*) from artists')).to.equal(sample.artists);
      // users whose level changed appear once each
      expect(sample.usersWithLevelChanges).to.be.greaterThan(0);
      expect(
        await count(
          db.knex,
          'select count(*) from (select user_id from users group by user_id having count(*) > 1) as twice',
        ),
      ).to.equal(0);
    });
  });
}
