// A migration written by `npm run advise -- --write-migration`, rendered with no
// connection: the Redshift ALTERs (pinned in test/golden/) and the PostgreSQL index swap,
// each with a down that restores today's keys. (test/integration/advise.test.ts applies
// and rolls one back on a real PostgreSQL.)
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { declaredTables } from '../../src/migrate/declarations';
import { migrationFileName, parseChoice, writeMigration } from '../../src/advise/write-migration';
import { PROJECT_ROOT } from '../../src/config';
import { formatRenderedMigrations, renderMigrations } from '../../src/migrate/dry-run';

const GOLDEN = path.join(PROJECT_ROOT, 'test', 'golden', 'redshift-advise-migration.sql');

describe('advise --write-migration (rendered)', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'advise-written-'));
    const declared = declaredTables();
    const changes = ['songplays=KEY(song_id),SORTKEY(user_id)', 'time=ALL', 'songs=EVEN,SORTKEY()'].map((c) =>
      parseChoice(c, declared),
    );
    writeMigration(changes, declared, dir, new Date('2027-01-01T00:00:00Z'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const render = async (engine: 'redshift' | 'postgres') =>
    ['up', 'down'].map(async (direction) =>
      formatRenderedMigrations(
        await renderMigrations(engine, direction as 'up' | 'down', dir),
        engine,
        direction as 'up' | 'down',
      ),
    );

  it("renders the Redshift ALTERs, and a down that restores today's keys", async () => {
    const [up, down] = await Promise.all(await render('redshift'));
    const actual = `${up}\n${down}`;
    if (process.env.UPDATE_GOLDEN) fs.writeFileSync(GOLDEN, actual);
    expect(actual).to.equal(fs.readFileSync(GOLDEN, 'utf8'));
    expect(up).to.contain(
      'alter table "songplays" alter diststyle key distkey "song_id";\n\nalter table "songplays" alter compound sortkey ("user_id");',
    );
    expect(up).to.contain('alter table "songs" alter sortkey none;');
    expect(down).to.contain('alter table "time" alter diststyle key distkey "start_time";');
    expect(down).to.contain('alter table "songs" alter compound sortkey ("song_id");');
  });

  it('renders the PostgreSQL index swap both ways', async () => {
    const [up, down] = await Promise.all(await render('postgres'));
    // song_id already has its btree (a lookup key); the sort key moves from a BRIN to a btree.
    expect(up).to.contain(
      'drop index if exists "songplays_start_time_brin";\n\ncreate index "songplays_user_id_btree" on "songplays" using btree ("user_id");',
    );
    expect(down).to.contain(
      'drop index if exists "songplays_user_id_btree";\n\ncreate index "songplays_start_time_brin" on "songplays" using brin ("start_time");',
    );
    expect(up).not.to.match(/alter table/);
  });

  it('names the file after every existing migration, even when the clock is behind them', () => {
    const migrations = path.join(PROJECT_ROOT, 'migrations');
    const last = fs
      .readdirSync(migrations)
      .filter((f) => f.endsWith('.ts'))
      .sort()
      .at(-1)!
      .slice(0, 14);
    expect(migrationFileName(migrations, new Date('2020-01-01T00:00:00Z'))).to.equal(
      `${BigInt(last) + 1n}_advise_keys.ts`,
    );
    expect(migrationFileName(migrations, new Date('2099-01-02T03:04:05Z'))).to.equal('20990102030405_advise_keys.ts');
  });

  it('says how to write --choose when it cannot read it', () => {
    expect(() => parseChoice('songplays=HASH(x)', declaredTables())).to.throw(/table=KEY\(column\)/);
    expect(() => parseChoice('songplays=KEY(nope)', declaredTables())).to.throw(/has no column "nope"/);
  });
});
