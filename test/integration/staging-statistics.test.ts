// Staging's statistics are current for every run's upserts without being taken again when
// nothing changed: a load that adds rows analyzes its table, and so does 070 when it marks
// the songs it offered to the plays, so the next run's plan does not read the whole fact for
// nothing (late_song_matches hashed every play of the fact when the statistics still said no
// song had been offered). A run whose loads find nothing new leaves them as they are.
// And the star tables a run filled have statistics when it ends (src/sampled-analyze.ts), and
// the fact holds its first plays in time order.
import { expect } from 'chai';
import { DEFAULT_RUN_OPTIONS } from '../../src/step/contract';
import { loadSteps, runSteps } from '../../src/transform/runner';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { sourcesOf, testSample } from '../support/sample';

describe("staging's statistics", function () {
  let db: TestDatabase;

  before(async () => {
    db = await createTestDatabase('embedded', { sources: sourcesOf(await testSample({ events: 400, songs: 60 })) });
  });
  after(async () => {
    await db?.drop();
  });

  const offered = async () =>
    (
      await db.knex.raw(
        "select most_common_vals::text as common from pg_stats where tablename = 'staging_songs' and attname = 'matched_to_plays'",
      )
    ).rows[0]?.common;

  const analyzedByTheRun = async () =>
    (
      await db.knex.raw(
        "select relname from pg_stat_user_tables where last_analyze is not null and relname in ('users', 'artists', 'songs', 'time', 'songplays') order by relname",
      )
    ).rows.map((r: { relname: string }) => r.relname);

  const lastAnalyze = async () =>
    (await db.knex.raw("select last_analyze from pg_stat_user_tables where relname = 'staging_songs'")).rows[0]
      .last_analyze;

  it('are taken when a load or a step changed staging, and kept when nothing did', async () => {
    const run = async () =>
      (await runSteps(db, loadSteps(), db.config, DEFAULT_RUN_OPTIONS, { log: () => {} })).results;
    expect((await run()).every((r) => r.status === 'success')).to.equal(true);
    // Taken again after 070 offered the songs to the plays, not only after the load.
    expect(await offered()).to.equal('{1}');
    // The star tables the run filled from empty were analyzed by it (last_analyze, not
    // autovacuum's last_autoanalyze): the embedded server stops between commands, so no
    // autovacuum runs before the next run plans its reads of them.
    expect(await analyzedByTheRun()).to.deep.equal(['artists', 'songplays', 'songs', 'time', 'users']);
    // The plays went into the empty fact in the order they were staged, the time order its
    // BRIN index and every range read of it rely on (song_keys in transforms/song-matches.ts).
    await db.knex.raw('analyze songplays');
    const order = await db.knex.raw(
      "select correlation from pg_stats where tablename = 'songplays' and attname = 'start_time'",
    );
    expect(Number(order.rows[0].correlation)).to.be.greaterThan(0.9);
    const taken = await lastAnalyze();
    expect(taken).to.not.equal(null);
    const second = await run();
    expect(second.find((r) => r.id === '020_stage_songs')!.stats).to.include({ files: 0, rowsLoaded: 0 });
    expect(await lastAnalyze()).to.deep.equal(taken);
    expect(await offered()).to.equal('{1}');
  });
});
