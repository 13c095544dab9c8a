// The dry-run knex: records the SQL it would send, in order, with bindings inlined; and
// `migrate --dry-run`, which renders every migration through it.
import fs from 'node:fs';
import { expect } from 'chai';
import {
  formatRenderedMigrations,
  migrationNames,
  renderMigrations,
  type RenderedMigration,
} from '../../src/migrate/dry-run';
import { recordingKnex } from '../../src/dry-run/recording-knex';
import { MIGRATIONS_DIR } from '../../src/targets/knex-config';

/** Runs `work` with console output captured (knex's logger warns through console.log). */
async function capturingWarnings<T>(work: () => Promise<T>): Promise<{ result: T; warnings: string[] }> {
  const warnings: string[] = [];
  const original = { log: console.log, warn: console.warn };
  console.log = console.warn = (...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
  };
  try {
    return { result: await work(), warnings };
  } finally {
    console.log = original.log;
    console.warn = original.warn;
  }
}

describe('recordingKnex', () => {
  for (const engine of ['postgres', 'redshift'] as const) {
    describe(engine, () => {
      it('records raw SQL and builder SQL in the order they are issued', async () => {
        const { knex, statements } = recordingKnex(engine);
        await knex.raw('select 1');
        await knex.schema.createTable('t', (table) => {
          table.string('name', 16).notNullable();
        });
        await knex('t').insert({ name: 'a' });
        await knex('t').where({ name: 'b' }).update({ name: 'c' });
        await knex('t').where({ name: 'c' }).delete();
        await knex.schema.dropTableIfExists('t');
        await knex.destroy();
        expect(statements).to.deep.equal([
          'select 1',
          'create table "t" ("name" varchar(16) not null)',
          `insert into "t" ("name") values ('a')`,
          `update "t" set "name" = 'c' where "name" = 'b'`,
          `delete from "t" where "name" = 'c'`,
          'drop table if exists "t"',
        ]);
      });

      it('inlines bindings: strings quoted with quotes doubled, numbers, booleans and null bare', async () => {
        const { knex, statements } = recordingKnex(engine);
        await knex.raw('insert into t (a, b, c, d, e) values (?, ?, ?, ?, ?)', ["O'Brien's", 3, 2.5, true, null]);
        await knex.raw('select :name as v', { name: "it's" });
        await knex.raw('select ??', ['user_id']);
        await knex.destroy();
        expect(statements).to.deep.equal([
          "insert into t (a, b, c, d, e) values ('O''Brien''s', 3, 2.5, true, null)",
          "select 'it''s' as v",
          'select "user_id"',
        ]);
      });

      it('inlines ten or more bindings by their full number', async () => {
        const { knex, statements } = recordingKnex(engine);
        const values = Array.from({ length: 11 }, (_, i) => `v${i + 1}`);
        await knex.raw(`select ${values.map(() => '?').join(', ')}`, values);
        await knex.destroy();
        expect(statements).to.deep.equal([`select ${values.map((v) => `'${v}'`).join(', ')}`]);
      });

      it('answers raw SQL with no rows and a zero count, so callers go on', async () => {
        const { knex } = recordingKnex(engine);
        const result = await knex.raw('select count(*) as offending from t');
        await knex.destroy();
        expect(result.rows).to.deep.equal([]);
        expect(result.rowCount).to.equal(0);
      });

      it('answers builder selects with no rows', async () => {
        const { knex } = recordingKnex(engine);
        const rows = await knex('load_ledger').select('path');
        const first = await knex('load_ledger').where({ published: 0 }).first('path');
        const updated = await knex('load_ledger').update({ published: 1 });
        await knex.destroy();
        expect(rows).to.deep.equal([]);
        expect(first).to.equal(undefined);
        expect(updated).to.equal(0);
      });

      it('records a transaction with its begin and commit', async () => {
        const { knex, statements } = recordingKnex(engine);
        await knex.transaction(async (trx) => {
          await trx.raw('select 2');
        });
        await knex.destroy();
        expect(statements).to.deep.equal(['BEGIN;', 'select 2', 'COMMIT;']);
      });

      it("keeps one recorder's statements apart from another's", async () => {
        const first = recordingKnex(engine);
        const second = recordingKnex(engine);
        await first.knex.raw('select 1');
        await second.knex.raw('select 2');
        await Promise.all([first.knex.destroy(), second.knex.destroy()]);
        expect(first.statements).to.deep.equal(['select 1']);
        expect(second.statements).to.deep.equal(['select 2']);
      });

      it('leaves a $1 inside a string literal alone', async () => {
        const { knex, statements } = recordingKnex(engine);
        await knex.raw("select regexp_replace(a, '(x)', '$1') from t where b = ?", ['v']);
        await knex.destroy();
        expect(statements).to.deep.equal(["select regexp_replace(a, '(x)', '$1') from t where b = 'v'"]);
      });

      it('inlines a Date as an ISO timestamp literal', async () => {
        const { knex, statements } = recordingKnex(engine);
        await knex('load_errors').insert({ loaded_at: new Date(Date.UTC(2018, 10, 1, 21, 1, 46, 796)) });
        await knex.destroy();
        expect(statements).to.deep.equal([
          `insert into "load_errors" ("loaded_at") values ('2018-11-01T21:01:46.796Z')`,
        ]);
      });
    });
  }

  it("compiles builder SQL with the engine's own client", async () => {
    const pg = recordingKnex('postgres');
    await pg.knex.schema.createTable('t', (table) => {
      table.increments('id');
      table.string('name', 16);
      table.index(['name']);
    });
    await pg.knex.destroy();
    expect(pg.statements).to.deep.equal([
      'create table "t" ("id" serial primary key, "name" varchar(16))',
      'create index "t_name_index" on "t" ("name")',
    ]);

    const rs = recordingKnex('redshift');
    const { warnings } = await capturingWarnings(async () => {
      await rs.knex.schema.createTable('t', (table) => {
        table.increments('id');
        table.string('name', 16);
        table.index(['name']);
      });
      await rs.knex.destroy();
    });
    expect(rs.statements).to.deep.equal([
      'create table "t" ("id" integer identity(1,1) primary key not null, "name" varchar(16))',
    ]);
    expect(warnings.join('\n')).to.match(/does not support the creation of indexes/);
  });

  it('reports the engine the way dialectOf reads it', () => {
    const pg = recordingKnex('postgres');
    const rs = recordingKnex('redshift');
    expect(pg.knex.client.dialect).to.equal('postgresql');
    expect(rs.knex.client.dialect).to.equal('redshift');
    return Promise.all([pg.knex.destroy(), rs.knex.destroy()]);
  });
});

/**
 * A statement of a Redshift deep copy that resizes columns (RedshiftDialect.resizeColumns:
 * create "t__resized", copy the rows, drop "t", rename the copy to "t"), up or down: the
 * table it ends with is the one it started with, so it neither creates nor drops one.
 */
function isDeepCopy(statement: string): boolean {
  return /^(create table "\w+__resized"|insert into "\w+__resized"|drop table "\w+"$|alter table "\w+__resized" rename to "\w+"$)/.test(
    statement,
  );
}

describe('renderMigrations', () => {
  // Read here rather than from migrationNames, so the two are checked against each other.
  const files = fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts'))
    .sort();
  let up: RenderedMigration[];
  let down: RenderedMigration[];
  // A migration may concern PostgreSQL only (an index Redshift has no use for): it renders nothing there.
  let postgresUp: RenderedMigration[];
  let postgresDown: RenderedMigration[];
  const onSomeTarget = (redshift: RenderedMigration[], postgres: RenderedMigration[], name: string) =>
    [...redshift, ...postgres].filter((m) => m.name === name).flatMap((m) => m.statements);

  before(async () => {
    up = await renderMigrations('redshift', 'up');
    down = await renderMigrations('redshift', 'down');
    postgresUp = await renderMigrations('postgres', 'up');
    postgresDown = await renderMigrations('postgres', 'down');
  });

  it("finds the project's migrations, named by timestamp", () => {
    expect(files).to.include.members([
      '20261125120000_create_staging_tables.ts',
      '20261125120100_create_star_schema.ts',
      '20261125120200_create_load_bookkeeping.ts',
    ]);
    for (const name of files) expect(name).to.match(/^\d{14}_[a-z0-9_]+\.ts$/);
    expect(migrationNames()).to.deep.equal(files);
  });

  it('renders every migration up, in name order, each with statements on one target at least', () => {
    expect(up.map((m) => m.name)).to.deep.equal(files);
    for (const m of up) expect(onSomeTarget(up, postgresUp, m.name), m.name).not.to.be.empty;
  });

  it('renders every migration down, in reverse order, as drops of tables, added columns or functions', () => {
    expect(down.map((m) => m.name)).to.deep.equal([...files].reverse());
    for (const m of down) {
      expect(onSomeTarget(down, postgresDown, m.name), m.name).not.to.be.empty;
      for (const s of m.statements)
        if (!isDeepCopy(s))
          expect(s, m.name).to.match(
            /^(drop table if exists "\w+"|alter table "\w+" drop column "\w+"|drop function \w+\([\w(), ]*\))$/,
          );
    }
  });

  it('drops down every column it adds up', () => {
    const added = up
      .flatMap((m) => m.statements)
      .flatMap((s) => [...s.matchAll(/^alter table ("\w+") add column ("\w+")/g)].map((x) => `${x[1]}.${x[2]}`));
    const dropped = down
      .flatMap((m) => m.statements)
      .flatMap((s) => [...s.matchAll(/^alter table ("\w+") drop column ("\w+")/g)].map((x) => `${x[1]}.${x[2]}`));
    expect(added).to.include('"users"."last_event_at"');
    expect([...dropped].sort()).to.deep.equal([...added].sort());
  });

  it('drops what it creates: every table created up is dropped down', () => {
    const created = up
      .flatMap((m) => m.statements)
      .filter((s) => !isDeepCopy(s))
      .flatMap((s) => [...s.matchAll(/^create table "(\w+)"/g)].map((x) => x[1]));
    const dropped = down
      .flatMap((m) => m.statements)
      .flatMap((s) => [...s.matchAll(/^drop table if exists "(\w+)"/g)].map((x) => x[1]));
    expect(created).to.include.members([
      'staging_events',
      'staging_songs',
      'songplays',
      'users',
      'songs',
      'artists',
      'time',
      'load_ledger',
      'load_errors',
    ]);
    expect([...dropped].sort()).to.deep.equal([...created].sort());
  });

  it('drops the tables of one migration in reverse order of creation', () => {
    const star = '20261125120100_create_star_schema.ts';
    const created = up.find((m) => m.name === star)!.statements.map((s) => /^create table "(\w+)"/.exec(s)![1]);
    const dropped = down.find((m) => m.name === star)!.statements.map((s) => /"(\w+)"/.exec(s)![1]);
    expect(dropped).to.deep.equal([...created].reverse());
  });

  it('creates no index on Redshift, and gives every table a diststyle', () => {
    const statements = up.flatMap((m) => m.statements);
    const creates = statements.filter((s) => /^create table/i.test(s));
    expect(creates.length).to.be.at.least(9);
    for (const s of statements) expect(s).not.to.match(/create (unique )?index/i);
    for (const s of creates) expect(s).to.match(/\ndiststyle (all|even|key|auto)\b/);
  });

  it('renders the same migrations with indexes for postgres', async () => {
    const pg = await renderMigrations('postgres', 'up');
    expect(pg.map((m) => m.name)).to.deep.equal(files);
    const statements = pg.flatMap((m) => m.statements);
    expect(statements.some((s) => /^create (unique )?index/.test(s))).to.equal(true);
    for (const s of statements) expect(s).not.to.match(/diststyle|sortkey|encode /);
  });

  it('writes one script: a header, each migration under its name, statements ending in ;', () => {
    const script = formatRenderedMigrations(
      [
        { name: 'a.ts', statements: ['create table "x" (\n  "a" integer\n)', 'select 1'], transaction: true },
        { name: 'b.ts', statements: [], transaction: true },
      ],
      'redshift',
      'up',
    );
    expect(script.startsWith('-- migrate --dry-run for redshift')).to.equal(true);
    expect(script).to.include('\n-- a.ts\ncreate table "x" (\n  "a" integer\n);\n\nselect 1;\n');
    expect(script).to.include('\n-- b.ts\n');
    expect(formatRenderedMigrations([], 'postgres', 'down').startsWith('-- rollback --dry-run for postgres')).to.equal(
      true,
    );
  });
});
