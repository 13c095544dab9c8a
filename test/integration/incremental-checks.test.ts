// The quality checks read what the runs wrote since the last checks, and still catch what
// the new batch breaks: a reference to no row, a key twice, a value not accepted. A breach
// planted in older rows is not theirs to see; `--full` finds it. The keys are dropped
// first, as Redshift does not enforce them (support/keys-not-enforced.ts).
import { expect } from 'chai';
import type { GeneratedSample } from '../../src/generate';
import { loadSteps, runSteps, selectSteps } from '../../src/transform/runner';
import type { StepResult } from '../../src/step/outcome';
import type { RunOptions } from '../../src/step/contract';
import { dataFilesUnder, GrowingFolder } from '../support/arrival';
import { createTestDatabase, testServers, type TestDatabase } from '../support/databases';
import { enforceNothing, keysNotEnforced } from '../support/keys-not-enforced';
import { sourcesOf, testSample } from '../support/sample';

const RUN: RunOptions = { fullRefresh: false, maxErrors: 0, dryRun: false };

for (const server of testServers()) {
  describe(`incremental quality checks on ${server} PostgreSQL`, () => {
    let sample: GeneratedSample;
    let db: TestDatabase;
    let logs: GrowingFolder;
    let lastDay: string;

    /** Runs the steps (all, or a selection), and returns each step's result. */
    const run = async (
      selection: Parameters<typeof selectSteps>[1] = {},
      options: Partial<RunOptions> = {},
      dialect = db.dialect,
    ): Promise<StepResult[]> =>
      (
        await runSteps(
          { knex: db.knex, dialect },
          selectSteps(loadSteps(), selection),
          db.config,
          { ...RUN, ...options },
          { log: () => {} },
        )
      ).results;
    const failedChecks = (results: StepResult[]) =>
      [
        ...(results.find((r) => r.id.endsWith('check_quality'))?.error?.message ?? '').matchAll(
          /^(.+): (\d+) offending rows, for example:$/gm,
        ),
      ].map((m) => [m[1], Number(m[2])]);
    const checksOf = (results: StepResult[]) => results.find((r) => r.id.endsWith('check_quality'))?.stats.checks;

    before(async () => {
      sample = await testSample({ events: 3000, songs: 300 });
    });

    beforeEach(async () => {
      // Every day but the last: the warehouse's history. The last day is the next run's batch.
      const days = dataFilesUnder(sample.logDir);
      lastDay = days[days.length - 1];
      logs = new GrowingFolder(sample.logDir, 'incremental-checks');
      logs.deliver(days.slice(0, -1));
      db = await createTestDatabase(server, { sources: { ...sourcesOf(sample), logData: logs.dir } });
      const first = await run();
      expect(first.filter((r) => r.status !== 'success').map((r) => r.error?.message)).to.deep.equal([]);
      expect(checksOf(first), 'a first run: what it wrote, which is everything').to.equal('incremental');
    });

    afterEach(async () => {
      await db?.drop();
      logs?.remove();
    });

    /** The last day's run, without its checks: what it wrote stays to be checked. */
    async function nextDayWithoutChecks(): Promise<string> {
      logs.deliver([lastDay]);
      const results = await run({ to: '070' });
      expect(results.filter((r) => r.status !== 'success').map((r) => r.error?.message)).to.deep.equal([]);
      const row = await db
        .knex('check_scope')
        .where({ table_name: 'songplays', kind: 'range' })
        .min('range_from as from')
        .first();
      return new Date(row!.from as Date).toISOString();
    }

    it('catches a broken reference, a duplicate key and a bad value in the new batch, and leaves older rows to --full', async () => {
      const dayStart = await nextDayWithoutChecks();
      await enforceNothing(db);
      const newPlay = (n: number) =>
        db.knex('songplays').where('start_time', '>=', dayStart).orderBy('songplay_id').offset(n).first();
      const oldPlay = (n: number) =>
        db.knex('songplays').where('start_time', '<', dayStart).orderBy('songplay_id').offset(n).first();
      // In a new play and an old one each: the same play twice, a user who does not exist, a level no plan has.
      for (const play of [await newPlay(0), await oldPlay(0)]) {
        const { songplay_id, ...rest } = play;
        await db.knex('songplays').insert({ ...rest, songplay_id: Number(songplay_id) + 100000 });
      }
      await db
        .knex('songplays')
        .where({ songplay_id: (await newPlay(1)).songplay_id })
        .update({ user_id: 'nobody-new' });
      await db
        .knex('songplays')
        .where({ songplay_id: (await oldPlay(1)).songplay_id })
        .update({ user_id: 'nobody-old' });
      await db
        .knex('songplays')
        .where({ songplay_id: (await newPlay(2)).songplay_id })
        .update({ level: 'gold' });
      await db
        .knex('songplays')
        .where({ songplay_id: (await oldPlay(2)).songplay_id })
        .update({ level: 'gold' });
      const redshiftLike = keysNotEnforced(db.dialect);

      const incremental = await run({ only: 'check_quality' }, {}, redshiftLike);
      expect(checksOf(incremental) ?? 'failed').to.equal('failed');
      expect(failedChecks(incremental)).to.deep.equal([
        ['songplays (user_id, session_id, item_in_session) is unique', 1],
        ['songplays.user_id is in users', 1],
        ["songplays.level is 'free' or 'paid'", 1],
      ]);
      const message = incremental[0].error!.message;
      expect(message).to.contain('"user_id":"nobody-new"').and.not.to.contain('nobody-old');

      // A failure keeps the scope: the next checks see the same rows again.
      expect(failedChecks(await run({ only: 'check_quality' }, {}, redshiftLike))).to.have.length(3);
      expect(failedChecks(await run({ only: 'check_quality' }, { fullChecks: true }, redshiftLike))).to.deep.equal([
        ['songplays (user_id, session_id, item_in_session) is unique', 2],
        ['songplays.user_id is in users', 2],
        ["songplays.level is 'free' or 'paid'", 2],
      ]);
    });

    it('catches a dimension key the run wrote that is gone, in plays of any day', async () => {
      await nextDayWithoutChecks();
      const written = await db.knex('check_scope').where({ table_name: 'users', kind: 'key' }).first();
      const plays = Number(
        (await db.knex('songplays').where({ user_id: written.key_value }).count('* as n').first())!.n,
      );
      await db.knex('users').where({ user_id: written.key_value }).delete();
      const failed = failedChecks(await run({ only: 'check_quality' }));
      expect(failed).to.deep.include([`songplays.user_id is in users, for the keys runs replaced or updated`, plays]);
    });

    it('a passing check empties the scope; then npm run check, with no run to scope to, checks every row', async () => {
      await nextDayWithoutChecks();
      const scoped = await run({ only: 'check_quality' });
      expect(scoped[0].status).to.equal('success');
      expect(checksOf(scoped)).to.equal('incremental');
      expect(await db.knex('check_scope').count('* as n').first()).to.deep.equal({ n: '0' });
      expect(checksOf(await run({ only: 'check_quality' }))).to.equal('full');
      // A run that finds nothing new still checks incrementally: it wrote (nothing) since.
      expect(checksOf(await run())).to.equal('incremental');
      expect(checksOf(await run({}, { fullRefresh: true }))).to.equal('full');
    });
  });
}
