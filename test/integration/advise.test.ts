// `npm run advise` against real PostgreSQL: the slice placement SQL against a hand
// count, the report on the real Sparkify sample against figures the test computes
// itself, and a written migration applied and rolled back.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildAdvice, type AdviceReport } from '../../src/advise/advise';
import { declaredTables } from '../../src/migrate/declarations';
import { slicePlacementSql } from '../../src/advise/profile';
import { parseChoice, writeMigration } from '../../src/advise/write-migration';
import { MIGRATIONS_DIR } from '../../src/targets/knex-config';
import { loadSteps, runSteps } from '../../src/transform/runner';
import { createTestDatabase, testServers, type TestDatabase } from '../support/databases';
import { requireSparkify } from '../support/sparkify';

const quiet = { log: () => {} };

/** The test's own placement: first 8 hex digits of MD5, modulo the slices; NULLs on slice 0. */
function handSlice(value: string | null, slices: number): number {
  return value === null ? 0 : parseInt(createHash('md5').update(value).digest('hex').slice(0, 8), 16) % slices;
}

function handSkew(values: Array<string | null>, slices: number): number {
  const counts = new Array<number>(slices).fill(0);
  for (const v of values) counts[handSlice(v, slices)]++;
  return Math.max(...counts) / (values.length / slices);
}

for (const server of testServers()) {
  describe(`advise: slice placement in SQL on ${server} PostgreSQL`, () => {
    let db: TestDatabase;
    before(async () => {
      db = await createTestDatabase(server, { migrate: false });
    });
    after(async () => db?.drop());

    it('puts the rows of a small table on the slices a hand count gives', async () => {
      await db.knex.raw('create table tiny (k varchar(8))');
      // md5: a 0cc175b9 → 214005177 mod 4 = 1; b 92eb5ffe → 2; c 4a8a08f0 → 0; d 8277e091 → 1; e e1671797 → 3; NULLs → 0
      await db.knex.raw("insert into tiny values ('a'), ('b'), ('c'), ('d'), ('e'), ('a'), (null), (null)");
      const rows = (await db.knex.raw(slicePlacementSql('tiny', 'k', 4))).rows.map(
        (r: { slice: string; row_count: string }) => [Number(r.slice), Number(r.row_count)],
      );
      expect(rows).to.deep.equal([
        [0, 3],
        [1, 3],
        [2, 1],
        [3, 1],
      ]);
    });
  });

  describe(`advise on the real Sparkify sample on ${server} PostgreSQL`, function () {
    let db: TestDatabase;
    let report: AdviceReport;
    const slices = 4;

    before(async function () {
      const sources = requireSparkify(this);
      db = await createTestDatabase(server, { sources });
      await runSteps(db, loadSteps(), db.config, { fullRefresh: false, maxErrors: 0, dryRun: false }, quiet);
      report = await buildAdvice(db.knex, { slices, nodes: 2, basis: 'test' });
    });
    after(async () => db?.drop());

    const column = (table: string, name: string) =>
      report.profiles.find((p) => p.table === table)!.columns.find((c) => c.column === name)!;

    it("reports song_id's NULL share and skew as the test computes them", async () => {
      const values: Array<string | null> = (await db.knex.raw('select song_id from songplays')).rows.map(
        (r: { song_id: string | null }) => r.song_id,
      );
      const nulls = values.filter((v) => v === null).length;
      expect(nulls).to.equal(6820 - 327);
      expect(column('songplays', 'song_id').nulls).to.equal(nulls);
      expect(column('songplays', 'song_id').skew).to.be.closeTo(handSkew(values, slices), 1e-9);
      expect(column('songplays', 'song_id').skew).to.be.greaterThan(3.5);
    });

    it('reports start_time as even, as the test computes it', async () => {
      const values: string[] = (
        await db.knex.raw(`select to_char(start_time, 'YYYY-MM-DD HH24:MI:SS.MS') as t from songplays`)
      ).rows.map((r: { t: string }) => r.t);
      const expected = handSkew(
        values.map((v) => v.replace(/\.?0+$/, '').replace(/\.$/, '')),
        slices,
      );
      expect(column('songplays', 'start_time').skew).to.be.closeTo(expected, 1e-9);
      expect(column('songplays', 'start_time').skew).to.be.lessThan(1.1);
    });

    it("keeps today's keys for the fact, and says song_id is mostly null", () => {
      const songplays = report.tables.find((t) => t.table === 'songplays')!;
      expect(songplays.distribution).to.deep.equal({ style: 'key', column: 'start_time' });
      expect(songplays.reason).to.match(/song_id is 95% null \(skew [\d.]+ on 4 slices\)/);
      expect(
        report.joins.filter((j) => j.join === 'time.start_time = songplays.start_time').map((j) => j.cost.step),
      ).to.deep.equal(['DS_DIST_NONE', 'DS_DIST_NONE', 'DS_DIST_NONE']);
    });
  });

  describe(`advise --write-migration on ${server} PostgreSQL`, () => {
    let db: TestDatabase;
    let dir: string;
    before(async () => {
      db = await createTestDatabase(server);
      // A copy of the migrations in a folder of their own, so the project's folder is never written.
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'advise-migrations-'));
      for (const file of fs.readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.ts'))) {
        const source = fs
          .readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8')
          .replace(/'\.\.\/src\//g, `'${path.join(MIGRATIONS_DIR, '..', 'src')}/`);
        fs.writeFileSync(path.join(dir, file), source);
      }
    });
    after(async () => {
      await db?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const indexes = async () =>
      (await db.knex.raw("select indexname from pg_indexes where tablename = 'songplays' order by indexname")).rows.map(
        (r: { indexname: string }) => r.indexname,
      );

    it('applies the change and rolls it back to the indexes of today', async () => {
      const declared = declaredTables(dir);
      const written = writeMigration([parseChoice('songplays=KEY(user_id),SORTKEY(user_id)', declared)], declared, dir);
      const migrator = { directory: dir, loadExtensions: ['.ts'] };
      const before = await indexes();
      await db.knex.migrate.latest(migrator);
      const after = await indexes();
      expect(after).to.include('songplays_user_id_btree');
      expect(after).not.to.include('songplays_start_time_brin');
      await db.knex.migrate.rollback(migrator);
      expect(await indexes()).to.deep.equal(before);
      expect(path.basename(written.file)).to.match(/^\d{14}_advise_keys\.ts$/);
    });
  });
}
