// The data-quality checks come from the table declarations: a star table declared in a
// new migration is checked without a line in transforms/090, and each table is read by
// one query however many checks it has.
import { expect } from 'chai';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config';
import { postgres, redshift } from '../../src/dialects';
import { ConfigError, QualityError } from '../../src/errors';
import type { TableDeclaration } from '../../src/schema/table';
import { declaredChecks, starTables } from '../../src/transform/declared-checks';
import { dryRunSteps } from '../../src/transform/dry-run';
import { loadSteps, selectSteps } from '../../src/transform/runner';
import type { StepContext } from '../../src/step/contract';
import { loadConfig } from '../../src/config';
import { withMigrations } from '../support/migration-folder';
import { failingCheckStatements } from '../support/failing-checks';

const at = (file: string) => JSON.stringify(path.join(PROJECT_ROOT, file));

/** A later migration that declares a new star table pointing at users, as a project would add one. */
const LISTENS_MIGRATION = `import type { Knex } from 'knex';
import { integer, timestamp, varchar, type TableDeclaration } from ${at('src/schema/table')};

export const listens: TableDeclaration = {
  name: 'listens',
  layer: 'star',
  comment: 'fact: one row per radio listen',
  columns: [
    { name: 'listen_id', type: integer, notNull: true },
    { name: 'user_id', type: varchar(64), notNull: true },
    { name: 'heard_at', type: timestamp, notNull: true },
    { name: 'station', type: varchar(64), accepted: { values: ['fm', 'web'], orNull: true } },
  ],
  primaryKey: ['listen_id'],
  uniqueKey: ['user_id', 'heard_at'],
  distribution: { style: 'even' },
  references: [{ columns: ['user_id'], table: 'users', key: ['user_id'] }],
};

export async function up(knex: Knex): Promise<void> {}
export async function down(knex: Knex): Promise<void> {}
`;

describe('data-quality checks derived from the declarations', () => {
  it('a star table declared in a new migration gets its key, reference and value checks, and is read by one query', async () => {
    await withMigrations({ '20270101000000_create_listens.ts': LISTENS_MIGRATION }, async (dir) => {
      const tables = starTables(dir);
      expect(tables.map((t) => t.name)).to.deep.equal(['listens']);
      const plan = declaredChecks(tables);
      expect(plan.tables).to.have.members(['listens', 'users', 'check_scope']);
      const [scan] = plan.scans(redshift);
      expect(scan.checks.map((c) => c.name)).to.deep.equal([
        'listens has rows',
        'listens.listen_id is not null',
        'listens.listen_id is unique',
        'listens (user_id, heard_at) is unique',
        'listens.user_id is in users',
        "listens.station is 'fm', 'web' or unknown",
      ]);
      expect(scan.from).to.match(/^"listens"\nleft join "users" as ref_1\n/);
      expect(new Set(scan.checks.map((c) => c.alias)).size, 'one column of the scan per check').to.equal(
        scan.checks.length,
      );
    });
  });

  it('counts copies of a key only where the engine does not refuse them: on Redshift, not on PostgreSQL', async () => {
    await withMigrations({ '20270101000000_create_listens.ts': LISTENS_MIGRATION }, async (dir) => {
      const plan = declaredChecks(starTables(dir));
      const names = (dialect: typeof postgres) => plan.scans(dialect)[0].checks.map((c) => c.name);
      expect(names(redshift).filter((n) => n.endsWith('is unique'))).to.deep.equal([
        'listens.listen_id is unique',
        'listens (user_id, heard_at) is unique',
      ]);
      expect(names(postgres)).to.deep.equal(names(redshift).filter((n) => !n.endsWith('is unique')));
      expect(
        plan
          .scans(postgres)[0]
          .checks.map((c) => c.tally)
          .join('\n'),
      ).not.to.contain('distinct');
    });
  });

  it('090 checks every star table the migrations declare, as the latest migration declares it', async () => {
    const declared = starTables();
    const step = selectSteps(loadSteps(), { only: 'check_quality' })[0];
    const referenced = declared.flatMap((t) => (t.references ?? []).map((r) => r.table));
    expect(step.tables).to.have.members([...new Set([...declared.map((t) => t.name), ...referenced, 'check_scope'])]);
    // users' last_event_at comes from a later migration than users itself.
    expect(declared.find((t) => t.name === 'users')!.columns.map((c) => c.name)).to.include('last_event_at');

    const config = loadConfig({ target: 'postgres', dryRun: true, env: { DATABASE_URL: 'postgres://u@h/db' } });
    const [result] = (await dryRunSteps(postgres, [step], config, { fullRefresh: false, maxErrors: 0, dryRun: true }))
      .results;
    const scans = result.statements!.filter((s) => s.startsWith('select\n'));
    // One query a table when every check passes.
    expect(scans.map((s) => s.match(/^from "(\w+)"/m)?.[1])).to.deep.equal(declared.map((t) => t.name));
    for (const table of declared) {
      const names = declaredChecks([table])
        .scans(postgres)[0]
        .checks.map((c) => c.name);
      expect(names, table.name).to.include(`${table.name} has rows`);
      for (const column of table.primaryKey ?? [])
        expect(names, table.name).to.include(`${table.name}.${column} is not null`);
    }
  });

  it('only a check whose tally is not 0 runs its own queries, which count and show its offending rows', async () => {
    const step = selectSteps(loadSteps(), { only: 'check_quality' })[0];
    const checks = declaredChecks(starTables())
      .scans(redshift)
      .flatMap((s) => s.checks);
    const breached = checks.find((c) => c.name === 'songplays.user_id is in users')!;
    // A stand-in connection: the scans answer 0 for every tally but the breached one's.
    const sent: string[] = [];
    const db = {
      async raw(sql: string) {
        sent.push(sql);
        if (/^select\n/.test(sql)) return { rows: [{ [breached.alias]: '2' }] };
        return {
          rows: /^select count\(\*\) as offending/.test(sql)
            ? [{ offending: '2' }]
            : [{ songplay_id: 7, user_id: 'u9' }],
        };
      },
    };
    const context = {
      db,
      outside: db,
      dialect: redshift,
      options: { fullChecks: true },
      log: () => {},
    } as unknown as StepContext;
    const failure = await step.run(context).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).to.be.instanceOf(QualityError);
    expect((failure as Error).message).to.contain(
      '1 data-quality check(s) failed:\nsongplays.user_id is in users: 2 offending rows, for example:\n    {"songplay_id":7,"user_id":"u9"}',
    );
    expect(sent.filter((s) => !/^select\n/.test(s))).to.deep.equal([
      `select count(*) as offending from (${breached.sql}) as offending_rows`,
      `${breached.sql}\nlimit 5`,
    ]);
    expect(sent.filter((s) => /^select\n/.test(s)).length, 'one scan a table').to.equal(starTables().length);
  });

  it("a failing run renders each check's count and sample query", async () => {
    const step = selectSteps(loadSteps(), { only: 'check_quality' })[0];
    const statements = await failingCheckStatements(step);
    const plan = declaredChecks(starTables());
    for (const check of [...plan.scans(redshift), ...plan.scans(redshift, () => true)].flatMap((s) => s.checks)) {
      expect(statements).to.include(`select count(*) as offending from (${check.sql}) as offending_rows`);
      expect(statements).to.include(`${check.sql}\nlimit 5`);
    }
  });

  it('quotes every name with the dialect, "time" included', () => {
    const time = starTables().find((t) => t.name === 'time')!;
    const [scan] = declaredChecks([time]).scans(redshift);
    expect(scan.from).to.equal('"time"');
    for (const check of scan.checks) expect(check.sql, check.name).not.to.match(/[\s(]time\b/);
  });

  it('a key or reference naming a column the table lacks is refused, naming the declaration to fix', () => {
    const users = starTables().find((t) => t.name === 'users')!;
    const broken: TableDeclaration = {
      ...users,
      uniqueKey: ['email'],
      references: [{ columns: ['user_id', 'level'], table: 'plans', key: ['plan_id'] }],
    };
    expect(() => declaredChecks([broken])).to.throw(
      ConfigError,
      /The declaration of users: uniqueKey names "email"; the reference to plans has 2 column\(s\) for a key of 1/,
    );
  });
});
