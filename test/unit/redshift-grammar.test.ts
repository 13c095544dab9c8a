// Every statement the tool can send to Redshift, checked against an independent grammar:
// sqlfluff's `redshift` dialect (Debian package `sqlfluff`; .ci/run installs it). The
// golden files pin what we render; this checks that what we render is Redshift SQL at all.
// Statements come from a table of named sources: adding a source is one line in SOURCES.
import path from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../src/config';
import { redshift } from '../../src/dialects';
import { renderMigrations } from '../../src/migrate/dry-run';
import { freeMigrationLock, migrateLatest } from '../../src/migrate/migrator';
import { recordingKnex } from '../../src/dry-run/recording-knex';
import { listSavedQueries } from '../../src/report/saved-queries';
import { readSchema } from '../../src/report/schema';
import type { TableDeclaration } from '../../src/schema/table';
import { dryRunSteps } from '../../src/transform/dry-run';
import { loadSteps, selectSteps } from '../../src/transform/runner';
import type { RunOptions } from '../../src/step/contract';
import { songplays } from '../../migrations/20261125120100_create_star_schema';
import { failingCheckStatements } from '../support/failing-checks';
import { readmeMigration, withMigrationFolder } from '../support/readme-migration';
import { recordMigratorRun } from '../support/recording-migrator';
import {
  badSegments,
  describeProblem,
  isKnownGap,
  parseWithSqlfluff,
  problemsIn,
  sqlfluffVersion,
  type NamedStatement,
} from '../support/sqlfluff';
import { loadModule } from '../../src/load-module';

type StatementSource = () => Promise<NamedStatement[]>;

/** The settings of the golden SQL: the public Sparkify bucket and a role ARN. */
const REDSHIFT_ENV = {
  REDSHIFT_IAM_ROLE_ARN: 'arn:aws:iam::123456789012:role/sparkify-redshift-s3-read',
  AWS_REGION: 'us-west-2',
  LOG_DATA: 's3://udacity-dend/log_data',
  SONG_DATA: 's3://udacity-dend/song_data',
  LOG_JSONPATH: 's3://udacity-dend/log_json_path.json',
};

function numbered(prefix: string, statements: string[]): NamedStatement[] {
  return statements.map((sql, i) => ({ name: `${prefix} #${i + 1}`, sql }));
}

function migrations(direction: 'up' | 'down', dir?: string): StatementSource {
  return async () =>
    (await renderMigrations('redshift', direction, dir)).flatMap((m) =>
      numbered(`migrate ${direction}: ${m.name}`, m.statements),
    );
}

/** What the migrator itself sends around the migrations: knex's bookkeeping tables, our LOCK, BEGIN/COMMIT. */
const migratorRun: StatementSource = async () => [
  ...numbered('npm run migrate (the migrator)', await recordMigratorRun('redshift', (knex) => migrateLatest(knex))),
  ...numbered('npm run migrate:unlock', await recordMigratorRun('redshift', (knex) => freeMigrationLock(knex))),
];

/** An example migration of migrations/README.md (the section under `heading`), rendered as the migrator would render that file. */
function readmeExample(heading: string, direction: 'up' | 'down'): StatementSource {
  return () => withMigrationFolder(readmeMigration(heading), (dir) => migrations(direction, dir)());
}

/** Every form changeKeys renders: each distribution style, a new sort key, none. */
const changeKeysForms: StatementSource = async () => {
  const forms: TableDeclaration[] = [
    { ...songplays, distribution: { style: 'all' }, sortKey: undefined },
    { ...songplays, distribution: { style: 'even' }, sortKey: ['user_id'] },
    { ...songplays, distribution: { style: 'auto' } },
    { ...songplays, distribution: { style: 'key', column: 'song_id' }, sortKey: ['start_time', 'user_id'] },
  ];
  return forms.flatMap((to, i) => numbered(`changeKeys form ${i + 1}`, redshift.changeKeys(songplays, to)));
};

function transform(label: string, options: Partial<RunOptions> = {}, only?: string): StatementSource {
  return async () => {
    const config = loadConfig({ target: 'redshift', dryRun: true, env: REDSHIFT_ENV });
    const steps = selectSteps(loadSteps(), { only });
    const results = (
      await dryRunSteps(redshift, steps, config, { fullRefresh: false, maxErrors: 0, dryRun: true, ...options })
    ).results;
    return results.flatMap((r) => numbered(`transform ${label}: ${r.id}`, r.statements ?? []));
  };
}

/** --only, once per step. */
const transformOnlyEachStep: StatementSource = async () =>
  (await Promise.all(loadSteps().map((step) => transform(`--only ${step.id}`, {}, step.id)()))).flat();

/** The check steps' queries that run only when a check fails: counts and sample rows. */
const checkFailures: StatementSource = async () => {
  const checks = loadSteps().filter((step) => /_check_/.test(step.id));
  return (
    await Promise.all(
      checks.map(async (step) => numbered(`${step.id}, every check failing`, await failingCheckStatements(step))),
    )
  ).flat();
};

const analytics: StatementSource = async () => listSavedQueries().map((q) => ({ name: q.file, sql: q.sql }));

/** The report reads the live schema from information_schema on whichever target it runs on. */
const reportSchemaReads: StatementSource = async () => {
  const { knex, statements } = recordingKnex('redshift');
  await readSchema(knex);
  await knex.destroy();
  return numbered('report: readSchema', statements);
};

/**
 * The load-error lookups (STL_LOAD_ERRORS, SYS_LOAD_HISTORY, SYS_LOAD_ERROR_DETAIL, …), read
 * from src/load/redshift/system-views.ts: each exported lookup (outside, copy, limit) is
 * called with a stand-in connection that records the SQL and refuses it, so every fallback
 * is rendered too. A lookup that sends nothing fails the test (adapt this source to its API).
 * TODO(coordinator): on a branch from before that module (helper D's rewrite of
 * src/load/redshift-copy.ts, where the lookups were private strings) the test below is
 * pending and says so.
 */
const LOOKUPS_MODULE = '../../src/load/redshift/system-views';
let lookupsModuleFound = false;
const loadErrorLookups: StatementSource = async () => {
  let views: Record<string, unknown>;
  try {
    views = loadModule(path.resolve(__dirname, LOOKUPS_MODULE)) as Record<string, unknown>;
  } catch {
    return [];
  }
  lookupsModuleFound = true;
  const lookups = Object.entries(views).filter(
    ([, value]) => typeof value === 'function' && (value as { length: number }).length >= 2,
  );
  const identities = {
    'after a successful COPY': { session: 1073815278, startedAfter: '2026-11-29 12:00:00.000000', stlQueryId: 4242 },
    'after a failed COPY': { session: 1073815278, startedAfter: '2026-11-29 12:00:00.000000' },
  };
  const statements: NamedStatement[] = [];
  for (const [name, lookup] of lookups) {
    for (const [when, copy] of Object.entries(identities)) {
      const sent: string[] = [];
      const refusing = { raw: async (sql: string) => (sent.push(sql), Promise.reject(new Error('recorded, not run'))) };
      await Promise.resolve()
        .then(() => (lookup as (outside: unknown, copy: unknown, limit: number) => unknown)(refusing, copy, 5))
        .catch(() => undefined);
      statements.push(...numbered(`load-error lookup ${name}, ${when}`, sent));
    }
  }
  return statements;
};

const SOURCES: Record<string, StatementSource> = {
  'migrate up': migrations('up'),
  'migrate down': migrations('down'),
  'the migrator itself': migratorRun,
  'changeKeys example (migrations/README.md), up': readmeExample('Changing a dist or sort key', 'up'),
  'changeKeys example (migrations/README.md), down': readmeExample('Changing a dist or sort key', 'down'),
  'transaction: false example (migrations/README.md), up': readmeExample(
    'Statements Redshift cannot run in a transaction block',
    'up',
  ),
  'transaction: false example (migrations/README.md), down': readmeExample(
    'Statements Redshift cannot run in a transaction block',
    'down',
  ),
  'changeKeys, every form': changeKeysForms,
  transform: transform('(normal)'),
  'transform --full-refresh': transform('--full-refresh', { fullRefresh: true }),
  'transform --max-errors 5': transform('--max-errors 5', { maxErrors: 5 }),
  'transform --only <each step>': transformOnlyEachStep,
  'data-quality checks, failing': checkFailures,
  'analytics/*.sql': analytics,
  'report schema reads': reportSchemaReads,
  'load-error lookups': loadErrorLookups,
};

describe('Redshift grammar (sqlfluff, redshift dialect)', function () {
  // sqlfluff needs a few seconds to start and about a second per hundred lines on this machine.
  this.timeout(600_000);
  const version = sqlfluffVersion();
  const rendered: Record<string, NamedStatement[]> = {};

  before(async function () {
    if (!version) {
      console.log(
        '      sqlfluff is not installed (`apt-get install sqlfluff`; .ci/run does): the Redshift grammar check is skipped',
      );
      this.skip();
    }
    for (const [name, source] of Object.entries(SOURCES)) rendered[name] = await source();
  });

  it('every source renders statements', function () {
    const empty = Object.entries(rendered).filter(
      ([name, statements]) => statements.length === 0 && name !== 'load-error lookups',
    );
    expect(
      empty.map(([name]) => name),
      'sources that rendered nothing',
    ).to.deep.equal([]);
  });

  it('the load-error lookups are among them', function () {
    if (!lookupsModuleFound) {
      console.log(
        `      TODO(coordinator): ${LOOKUPS_MODULE} does not exist on this branch, so the load-error lookups are not checked: see loadErrorLookups in this file`,
      );
      this.skip();
    }
    expect(
      rendered['load-error lookups'],
      `${LOOKUPS_MODULE} exists, but no lookup sent SQL: adapt loadErrorLookups to its API`,
    ).not.to.be.empty;
  });

  it(`every statement parses with no unparsable segment (${version ?? 'sqlfluff absent'})`, async function () {
    const statements = Object.values(rendered).flat();
    const { problems, parsed } = await parseWithSqlfluff(statements);
    console.log(`      ${statements.length} statements rendered, ${parsed} distinct texts parsed`);
    expect(parsed).to.be.greaterThan(20);
    const refused = problems.filter((p) => !isKnownGap(p));
    expect(
      refused.length,
      `sqlfluff's redshift dialect refused ${refused.length} statement(s):\n\n${refused.map(describeProblem).join('\n\n')}\n`,
    ).to.equal(0);
  });

  it('finds the unparsable segment of a broken statement and names it', async function () {
    const { problems } = await parseWithSqlfluff([
      { name: 'good', sql: 'select 1 as one' },
      { name: 'broken', sql: 'select user_id frum users wher level = 1' },
    ]);
    expect(problems.map((p) => p.names)).to.deep.equal([['broken']]);
    expect(problems[0].segments.join(' ')).to.contain('wher');
    expect(describeProblem(problems[0])).to.contain('broken').and.to.contain('| select user_id frum users');
  });
});

describe('mapping sqlfluff results back to statements (no sqlfluff needed)', () => {
  const files = new Map([
    ['0000.sql', { names: ['a'], sql: 'select 1' }],
    ['0001.sql', { names: ['b', 'b again'], sql: 'select 1 frum x' }],
    ['0002.sql', { names: ['c'], sql: 'select 2' }],
  ]);

  it('collects the text of unparsable and unlexable segments, nested anywhere', () => {
    const tree = {
      file: {
        statement: {
          select_statement: {
            select_clause: [
              { keyword: 'select' },
              { unparsable: [{ raw: 'x' }, { whitespace: ' ' }, { raw: 'wher' }] },
              { unlexable: '¤' },
            ],
          },
        },
      },
    };
    expect(badSegments(tree)).to.deep.equal(['x wher', '¤']);
    expect(badSegments({ file: { statement: { select_statement: { keyword: 'select' } } } })).to.deep.equal([]);
  });

  it('names every statement whose file has a bad segment, no tree, or no answer at all', () => {
    const problems = problemsIn(
      [
        { filepath: '/tmp/x/sql/0000.sql', segments: { file: { statement: { keyword: 'select' } } } },
        {
          filepath: '/tmp/x/sql/0001.sql',
          segments: { file: { statement: { unparsable: [{ raw: 'frum' }, { raw: ' x' }] } } },
        },
      ],
      files,
    );
    expect(problems).to.deep.equal([
      { names: ['b', 'b again'], sql: 'select 1 frum x', segments: ['frum x'] },
      { names: ['c'], sql: 'select 2', segments: ['(sqlfluff did not report 0002.sql)'] },
    ]);
    expect(
      problemsIn([{ filepath: '0002.sql', segments: null }], new Map([['0002.sql', files.get('0002.sql')!]]))[0]
        .segments,
    ).to.deep.equal(['(sqlfluff returned no parse tree)']);
  });
});
