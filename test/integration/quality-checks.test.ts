// The data-quality step on real PostgreSQL: a breach of each kind the declarations imply
// is caught, named, and shown with its rows. PostgreSQL enforces keys and NOT NULL that
// Redshift only records, so the test drops those constraints first: the breaches seeded
// below are rows Redshift would accept, and the checks then run with Redshift's flag
// (enforcesUniqueKeys off), so they count copies as they do there.
import { expect } from 'chai';
import { createTables } from '../../src/migrate/ddl';
import { varchar, type TableDeclaration } from '../../src/schema/table';
import { checkStep } from '../../src/transform/check-step';
import { declaredChecks, starTables } from '../../src/transform/declared-checks';
import { loadSteps, runSteps, selectSteps, type LoadedStep } from '../../src/transform/runner';
import type { RunOptions } from '../../src/step/contract';
import { createTestDatabase, testServers, type TestDatabase } from '../support/databases';
import { enforceNothing, keysNotEnforced } from '../support/keys-not-enforced';

const RUN: RunOptions = { fullRefresh: false, maxErrors: 0, dryRun: false };

/** Rows that pass every check: two users, a song by an artist, two plays (one matched no song). */
async function seedValidStar(db: TestDatabase): Promise<void> {
  await db.knex('users').insert([
    { user_id: 'u1', first_name: 'Ann', gender: 'F', level: 'free' },
    { user_id: 'u2', first_name: 'Bo', gender: null, level: 'paid' },
  ]);
  await db.knex('artists').insert({ artist_id: 'AR1', name: 'The Band' });
  await db.knex('songs').insert({ song_id: 'SO1', title: 'Blue', artist_id: 'AR1', duration: 200.5 });
  await db.knex('time').insert([{ start_time: '2018-11-01 12:00:00' }, { start_time: '2018-11-01 12:05:00' }]);
  await db.knex('songplays').insert([
    {
      songplay_id: 1,
      start_time: '2018-11-01 12:00:00',
      user_id: 'u1',
      level: 'free',
      song_id: 'SO1',
      artist_id: 'AR1',
      session_id: 7,
      item_in_session: 0,
    },
    {
      songplay_id: 2,
      start_time: '2018-11-01 12:05:00',
      user_id: 'u2',
      level: 'paid',
      song_id: null,
      artist_id: null,
      session_id: 8,
      item_in_session: 0,
    },
  ]);
}

async function failureOf(db: TestDatabase, steps: LoadedStep[], dialect = db.dialect): Promise<string | undefined> {
  const { results } = await runSteps({ knex: db.knex, dialect }, steps, db.config, RUN, { log: () => {} });
  return results[0].error?.message;
}

for (const server of testServers()) {
  describe(`data-quality checks on ${server} PostgreSQL`, () => {
    let db: TestDatabase;
    let checks: LoadedStep[];

    beforeEach(async () => {
      db = await createTestDatabase(server);
      checks = selectSteps(loadSteps(), { only: 'check_quality' });
      await seedValidStar(db);
    });

    afterEach(async () => {
      await db?.close();
    });

    it('passes a star schema that keeps every declared rule', async () => {
      expect(await failureOf(db, checks)).to.equal(undefined);
    });

    it('catches a breach of each kind, with its rows', async () => {
      await enforceNothing(db);
      await db.knex('users').insert([
        { user_id: 'u3', level: 'gold', gender: 'X' },
        { user_id: null, level: 'free' },
      ]);
      await db.knex('artists').delete();
      await db.knex('time').insert({ start_time: '2018-11-01 12:05:00' });
      await db.knex('songplays').insert([
        // songplay_id 2 again, and the play key (u2, 8, 0) again
        {
          songplay_id: 2,
          start_time: '2018-11-01 12:05:00',
          user_id: 'u2',
          level: 'paid',
          session_id: 8,
          item_in_session: 0,
        },
        // a user, a start time and a song no dimension has, and no level
        {
          songplay_id: 3,
          start_time: '2018-11-02 00:00:00',
          user_id: 'u404',
          level: null,
          song_id: 'SO404',
          artist_id: 'AR1',
          session_id: 9,
          item_in_session: 0,
        },
      ]);

      const message = (await failureOf(db, checks, keysNotEnforced(db.dialect))) ?? '';
      const failed = [...message.matchAll(/^(.+): (\d+) offending rows, for example:$/gm)].map((m) => [
        m[1],
        Number(m[2]),
      ]);
      expect(failed).to.deep.equal([
        ['artists has rows', 1],
        ['songplays.songplay_id is unique', 1],
        ['songplays (user_id, session_id, item_in_session) is unique', 1],
        ['songplays.user_id is in users', 1],
        ['songplays.start_time is in time', 1],
        ['songplays.song_id is in songs or null', 1],
        ['songplays.artist_id is in artists or null', 2],
        ["songplays.level is 'free' or 'paid'", 1],
        ['time.start_time is unique', 1],
        ['users.user_id is not null', 1],
        ["users.gender is 'F', 'M' or unknown", 1],
        ["users.level is 'free' or 'paid'", 1],
      ]);
      expect(message).to.match(/^12 data-quality check\(s\) failed:\n/);
      const example = (check: string) => message.split(`${check}: `)[1].split('\n')[1];
      expect(example('songplays.songplay_id is unique')).to.equal('    {"songplay_id":"2","copies":"2"}');
      expect(example('songplays (user_id, session_id, item_in_session) is unique')).to.equal(
        '    {"user_id":"u2","session_id":8,"item_in_session":0,"copies":"2"}',
      );
      expect(example('songplays.user_id is in users')).to.equal('    {"songplay_id":"3","user_id":"u404"}');
      expect(example('songplays.song_id is in songs or null')).to.equal('    {"songplay_id":"3","song_id":"SO404"}');
      expect(example("users.gender is 'F', 'M' or unknown")).to.equal('    {"user_id":"u3","gender":"X"}');
      expect(example('time.start_time is unique')).to.match(/^ {4}\{"start_time":".*","copies":"2"\}$/);
    });

    it('with the keys enforced, as PostgreSQL does, counts no copies but still catches the rest', async () => {
      await db.knex('users').insert({ user_id: 'u3', level: 'gold' });
      await db.knex('songplays').insert({
        songplay_id: 3,
        start_time: '2018-11-01 12:05:00',
        user_id: 'u404',
        level: 'free',
        session_id: 9,
        item_in_session: 0,
      });
      const message = (await failureOf(db, checks)) ?? '';
      expect(message).not.to.contain('is unique');
      expect(message).to.match(/^2 data-quality check\(s\) failed:\n/);
      expect(message).to.contain("users.level is 'free' or 'paid': 1 offending rows");
      expect(message).to.contain('songplays.user_id is in users: 1 offending rows');
    });

    it("a dimension key twice repeats the fact's rows in the shared scan, but fails only the dimension's check", async () => {
      await enforceNothing(db);
      await db.knex('users').insert({ user_id: 'u1', first_name: 'Ann again', gender: 'F', level: 'paid' });
      const message = (await failureOf(db, checks, keysNotEnforced(db.dialect))) ?? '';
      expect(message).to.match(
        /^1 data-quality check\(s\) failed:\nusers\.user_id is unique: 1 offending rows, for example:\n {4}\{"user_id":"u1","copies":"2"\}\n/,
      );
    });

    it('a star table added by a declaration is checked like the others', async () => {
      const listens: TableDeclaration = {
        name: 'listens',
        layer: 'star',
        comment: 'fact: one row per radio listen',
        columns: [
          { name: 'listen_id', type: varchar(16) },
          { name: 'user_id', type: varchar(64) },
        ],
        primaryKey: ['listen_id'],
        distribution: { style: 'even' },
        references: [{ columns: ['user_id'], table: 'users', key: ['user_id'] }],
      };
      await createTables(db.knex, [{ ...listens, primaryKey: undefined }]);
      await db.knex('listens').insert([
        { listen_id: 'L1', user_id: 'u1' },
        { listen_id: 'L1', user_id: 'u9' },
      ]);
      const step = { ...checkStep('checks', declaredChecks([...starTables(), listens])), id: '090_check_quality' };
      const message = (await failureOf(db, [step], keysNotEnforced(db.dialect))) ?? '';
      expect(message).to.contain(
        '\nlistens.listen_id is unique: 1 offending rows, for example:\n    {"listen_id":"L1","copies":"2"}\n',
      );
      expect(message).to.contain(
        '\nlistens.user_id is in users: 1 offending rows, for example:\n    {"listen_id":"L1","user_id":"u9"}\n',
      );
      expect(message).to.match(/^2 data-quality check\(s\) failed/);
    });
  });
}
