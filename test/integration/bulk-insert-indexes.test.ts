// A batch as large as its table goes in with the table's indexes dropped and built again
// (src/transform/bulk-insert.ts). Whatever path a step takes, every index the migrations
// declare is there when it ends, under its declared name; a failure after the drops
// leaves the indexes (and the rows) as they were, by the step's rollback.
import { expect } from 'chai';
import { declaredTables } from '../../src/migrate/declarations';
import { postgres } from '../../src/dialects';
import { loadSteps, runSteps, type LoadedStep } from '../../src/transform/runner';
import { insertNewFromBatch } from '../../src/transform/batch-statements';
import { sqlStep } from '../../src/transform/sql-step';
import { dataFilesUnder, GrowingFolder, runOnce } from '../support/arrival';
import { createTestDatabase, testServers, type TestDatabase } from '../support/databases';
import { sourcesOf, testSample } from '../support/sample';
import { count } from '../support/warehouse-state';

const STAR = ['users', 'artists', 'songs', 'time', 'songplays'];

/** Index name → its relation's oid, for the star tables: a rebuilt index has a new oid. */
async function indexOids(db: TestDatabase): Promise<Record<string, Record<string, number>>> {
  const result = await db.knex.raw(
    `select tablename, indexname, cast(to_regclass(quote_ident(indexname)) as oid) as oid
     from pg_indexes where schemaname = current_schema() and tablename = any(?)`,
    [STAR],
  );
  const found: Record<string, Record<string, number>> = Object.fromEntries(STAR.map((t) => [t, {}]));
  for (const row of result.rows as Array<{ tablename: string; indexname: string; oid: string }>)
    found[row.tablename][row.indexname] = Number(row.oid);
  return found;
}

/** What the migrations declare, as the Postgres dialect names it. */
function declaredIndexNames(): Record<string, string[]> {
  const tables = declaredTables();
  return Object.fromEntries(
    STAR.map((t) => [
      t,
      postgres
        .indexesOf(tables.get(t)!.declaration)
        .map((i) => i.name)
        .sort(),
    ]),
  );
}

function namesOf(oids: Record<string, Record<string, number>>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(oids).map(([table, indexes]) => [table, Object.keys(indexes).sort()]));
}

/** A songplays step whose batch holds every play twice: its unique key fails only when the indexes are built again. */
const duplicatingStep: LoadedStep = {
  id: '070_duplicate_plays',
  ...sqlStep({
    description: 'insert every play twice',
    target: 'songplays',
    statements: (dialect) => [
      insertNewFromBatch(dialect, {
        table: 'songplays',
        key: ['user_id', 'session_id', 'item_in_session'],
        columns: ['start_time', 'user_id', 'session_id', 'item_in_session'],
        range: 'start_time',
        batch: `
with plays as (
    select start_time, user_id, session_id, item_in_session
    from songplays_copy
)

select * from plays
union all
select * from plays`,
      }),
    ],
  }),
};

for (const server of testServers()) {
  describe(`indexes around large batches on ${server} PostgreSQL`, function () {
    let db: TestDatabase;
    let logFolder: GrowingFolder;
    let songFolder: GrowingFolder;
    let days: string[];

    before(async function () {
      const sample = await testSample({ events: 3000, songs: 500 });
      logFolder = new GrowingFolder(sample.logDir, 'index-logs');
      songFolder = new GrowingFolder(sample.songDir, 'index-songs');
      days = dataFilesUnder(sample.logDir);
      expect(days.length).to.be.greaterThan(2);
      // Every song and all days but the last: the last day comes as a small second batch.
      songFolder.deliver(dataFilesUnder(sample.songDir));
      logFolder.deliver(days.slice(0, -1));
      db = await createTestDatabase(server, {
        sources: { ...sourcesOf(sample), logData: logFolder.dir, songData: songFolder.dir },
      });
    });
    after(async () => {
      await db?.drop();
      logFolder?.remove();
      songFolder?.remove();
    });

    it('builds every declared index again on a first load, under its declared name', async () => {
      const before = await indexOids(db);
      expect(namesOf(before)).to.deep.equal(declaredIndexNames());
      await runOnce(db);
      const after = await indexOids(db);
      expect(namesOf(after)).to.deep.equal(declaredIndexNames());
      for (const table of STAR)
        for (const name of Object.keys(after[table]))
          expect(after[table][name], `${name} was rebuilt`).not.to.equal(before[table][name]);
    });

    it("leaves out of the lookup keys' indexes the rows a null cannot match, as migrated and as rebuilt", async () => {
      // The first load above rebuilt them from the declarations; the migration made them so before.
      const definitions = (
        await db.knex.raw(
          "select indexname, indexdef from pg_indexes where schemaname = current_schema() and indexname in ('songplays_song_id_btree', 'songplays_artist_id_btree') order by indexname",
        )
      ).rows.map((r: { indexname: string; indexdef: string }) => [
        r.indexname,
        / WHERE \((\w+) IS NOT NULL\)$/.exec(r.indexdef)?.[1],
      ]);
      expect(definitions).to.deep.equal([
        ['songplays_artist_id_btree', 'artist_id'],
        ['songplays_song_id_btree', 'song_id'],
      ]);
    });

    it('keeps the indexes of a table whose batch is smaller than it, and adds the new rows', async () => {
      const plays = await count(db.knex, 'select count(*) from songplays');
      const before = await indexOids(db);
      logFolder.deliver(days.slice(-1));
      await runOnce(db);
      expect(await count(db.knex, 'select count(*) from songplays')).to.be.greaterThan(plays);
      const after = await indexOids(db);
      expect(namesOf(after)).to.deep.equal(declaredIndexNames());
      expect(after.songplays).to.deep.equal(before.songplays);
      expect(after.time).to.deep.equal(before.time);
    });

    it('keeps the indexes of a table with triggers, which PostgreSQL will not index while their events are pending', async () => {
      await db.knex.raw(
        'create function accept_play() returns trigger language plpgsql as $$ begin return null; end $$',
      );
      await db.knex.raw(
        'create constraint trigger songplays_accept after insert on songplays deferrable initially deferred for each row execute function accept_play()',
      );
      try {
        const before = await indexOids(db);
        const { error } = await runSteps(
          db,
          loadSteps(),
          db.config,
          { fullRefresh: true, maxErrors: 0, dryRun: false },
          { log: () => {} },
        );
        expect(error?.message).to.equal(undefined);
        const after = await indexOids(db);
        expect(after.songplays).to.deep.equal(before.songplays);
        expect(after.time.time_pkey).not.to.equal(before.time.time_pkey);
      } finally {
        await db.knex.raw('drop trigger songplays_accept on songplays');
        await db.knex.raw('drop function accept_play()');
      }
    });

    it('leaves every index and row in place when a step fails after dropping them', async () => {
      const plays = await count(db.knex, 'select count(*) from songplays');
      const before = await indexOids(db);
      await db.knex.raw('create table songplays_copy as select * from songplays');
      try {
        // --full-refresh empties songplays, so the doubled batch is larger than the table.
        const { error, results } = await runSteps(
          db,
          [duplicatingStep],
          db.config,
          { fullRefresh: true, maxErrors: 0, dryRun: false },
          { log: () => {} },
        );
        expect(results[0].status).to.equal('error');
        expect(error?.message).to.match(
          /could not create unique index "songplays_user_id_session_id_item_in_session_key"/,
        );
      } finally {
        await db.knex.raw('drop table songplays_copy');
      }
      expect(await indexOids(db)).to.deep.equal(before);
      expect(await count(db.knex, 'select count(*) from songplays')).to.equal(plays);
    });
  });
}
