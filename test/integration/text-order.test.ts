// The transforms' tie-breaks compare text as Redshift does, bytewise (AWS "Collation
// sequences"), in a PostgreSQL database whose own collation says otherwise: a database
// created with ICU's root collation, where "Timbaland / Money" sorts before
// "Timbaland & Magoo" although '&' (0x26) is the smaller byte than '/' (0x2F).
import { expect } from 'chai';
import { loadSteps, runSteps, selectSteps } from '../../src/transform/runner';
import { createTestDatabase, testServers, type TestDatabase } from '../support/databases';

const RUN = { fullRefresh: false, maxErrors: 0, dryRun: false };

function song(songId: string, artistName: string) {
  return {
    num_songs: 1,
    artist_id: 'ARTIMBA',
    artist_name: artistName,
    artist_location: '',
    song_id: songId,
    title: `Title ${songId}`,
    duration: 200,
    year: 2000,
  };
}

for (const server of testServers()) {
  describe(`text tie-breaks compare bytes, as on Redshift (${server}, ICU database collation)`, function () {
    let db: TestDatabase | undefined;

    before(async function () {
      try {
        db = await createTestDatabase(server, {
          createWith: "template template0 encoding 'UTF8' locale_provider icu icu_locale 'und' locale 'C.UTF-8'",
        });
      } catch (error) {
        console.log(`      this server cannot create an ICU database (${(error as Error).message}): skipped`);
        this.skip();
      }
      const order = await db.knex.raw(`select 'Timbaland / Money' < 'Timbaland & Magoo' as slash_first`);
      expect(order.rows[0].slash_first, 'the database collation orders "/" before "&", unlike bytes').to.equal(true);
    });
    after(async () => {
      await db?.drop();
    });

    it('artists: of two names used equally often and as long, the bytewise first', async () => {
      await db!.knex('staging_songs').insert([song('SOA', 'Timbaland / Money'), song('SOB', 'Timbaland & Magoo')]);
      await runSteps(db!, selectSteps(loadSteps(), { only: '040_dim_artists' }), db!.config, RUN, { log: () => {} });
      const artists = await db!.knex('artists').select('artist_id', 'name');
      expect(artists).to.deep.equal([{ artist_id: 'ARTIMBA', name: 'Timbaland & Magoo' }]);
    });
  });
}
