// Every command has one shape (src/commands/<verb>.ts: a plain function and a definition
// that src/cli/command.ts runs) and one exit-code policy (src/cli/exit-codes.ts): --help
// prints the usage and exits 0; a wrong command line is a UsageError, exit 2, naming the
// mistake and where the usage is. test/integration/cli.test.ts checks the same as processes.
import { expect } from 'chai';
import { type CommandDefinition, type Output, runCommandLine } from '../../src/cli/command';
import type { Flags } from '../../src/cli/args';
import { exitCodeOf } from '../../src/cli/exit-codes';
import { loadConfig } from '../../src/config';
import { ConfigError, UsageError } from '../../src/errors';
import * as advise from '../../src/commands/advise';
import * as bench from '../../src/commands/bench';
import * as benchMemory from '../../src/commands/bench-memory';
import * as cluster from '../../src/commands/cluster';
import * as compact from '../../src/commands/compact';
import * as generate from '../../src/commands/generate';
import * as history from '../../src/commands/history';
import * as migrate from '../../src/commands/migrate';
import * as query from '../../src/commands/query';
import * as report from '../../src/commands/report';
import * as start from '../../src/commands/start';
import * as transform from '../../src/commands/transform';

const COMMANDS: Array<CommandDefinition<Flags>> = [
  advise,
  bench,
  benchMemory,
  cluster,
  compact,
  generate,
  history,
  migrate,
  query,
  report,
  start,
  transform,
].map((m) => m.command as unknown as CommandDefinition<Flags>);

function capture(): Output & { printed: string[]; logged: string[] } {
  const printed: string[] = [];
  const logged: string[] = [];
  return { printed, logged, print: (text) => printed.push(text), log: (text) => logged.push(text) };
}

/** The exit code of a command line, as the process would end with it, and what it printed. */
async function exit(
  definition: CommandDefinition<Flags>,
  argv: string[],
): Promise<{ code: number; message: string; out: ReturnType<typeof capture> }> {
  const out = capture();
  try {
    return { code: await runCommandLine(definition, argv, out), message: '', out };
  } catch (error) {
    return { code: exitCodeOf(error), message: (error as Error).message, out };
  }
}

describe('the commands: one shape, one exit-code policy', () => {
  it('every script is one command, each under its own name', () => {
    expect(COMMANDS.map((c) => c.name)).to.deep.equal([
      'advise',
      'bench',
      'bench:memory',
      'cluster',
      'compact',
      'generate',
      'history',
      'migrate',
      'query',
      'report',
      'start',
      'transform',
    ]);
  });

  for (const definition of COMMANDS) {
    it(`${definition.name}: --help prints the usage and exits 0, doing nothing else`, async () => {
      const { code, out } = await exit(definition, ['--help']);
      expect(code).to.equal(0);
      expect(out.printed).to.have.length(1);
      expect(out.printed[0])
        .to.match(/^usage/i)
        .and.to.contain(definition.name === 'start' ? 'npm start' : `npm run ${definition.name}`);
    });

    it(`${definition.name}: an unknown flag exits 2, naming the flag and --help`, async () => {
      const { code, message } = await exit(definition, ['--no-such-flag']);
      expect(code).to.equal(2);
      expect(message).to.equal(`Unknown option '--no-such-flag'. See \`npm run ${definition.name} -- --help\`.`);
    });
  }

  it('a wrong command line exits 2 before anything starts: a flag the verb does not take, a bad value, a missing or extra argument', async () => {
    for (const [definition, argv, says] of [
      [cluster.command, ['status', '--yes'], '--yes does not apply to "status"'],
      [cluster.command, ['status', 'pause'], 'npm run cluster takes one verb at a time; got "pause"'],
      [query.command, [], 'Give the SQL to run'],
      [query.command, ['--file', '/no/such/file.sql'], 'Cannot read /no/such/file.sql'],
      [query.command, ['--dry-run', '--target', 'oracle', 'select 1'], '--target is "oracle", which is not a target'],
      [history.command, ['--limit', 'x'], '--limit takes a whole number of at least 1; got "x"'],
      [history.command, ['--dry-run'], "Unknown option '--dry-run'"],
      [history.command, ['runs'], 'npm run history takes no arguments; got "runs"'],
      [migrate.command, ['make', 'Bad-Name'], 'migrate:make needs a name of lowercase letters, digits and _'],
      [migrate.command, ['make'], 'migrate:make needs a name'],
      [migrate.command, ['latest', '--all'], '--all works with migrate:rollback, not latest'],
      [migrate.command, ['status', '--dry-run'], '--dry-run works with migrate and migrate:rollback, not status'],
      [migrate.command, [], 'Name a migrate verb'],
      [start.command, ['--dry-run'], "Unknown option '--dry-run'"],
      [transform.command, ['--dry-run', '--json'], '--json summarises a run'],
      [transform.command, ['--dry-run', '--only', 'nope'], '--only nope: no such step'],
      [advise.command, ['--runs', '0'], '--runs must be a whole number from 1 to 100'],
      [
        advise.command,
        ['--dry-run', '--choose', 'songs=EVEN'],
        '--choose only says which change --write-migration writes',
      ],
      [compact.command, ['--from', '/tmp/x'], '--from and --to are required'],
      [bench.command, ['--only', 'nothing'], '--only nothing: no such measurement'],
      [benchMemory.command, ['--events', '0'], '--events takes a whole number of at least 1'],
    ] as const) {
      const { code, message, out } = await exit(definition, [...argv]);
      const said = message || out.logged.join('\n');
      expect(code, `${definition.name} ${argv.join(' ')}: ${said}`).to.equal(2);
      expect(said, `${definition.name} ${argv.join(' ')}`)
        .to.contain(says)
        .and.to.contain(`npm run ${definition.name} -- --help`);
    }
  });

  it('maps every error to its exit code: a wrong command line 2, anything else 1', () => {
    expect(exitCodeOf(new UsageError('--limit takes a whole number'))).to.equal(2);
    expect(exitCodeOf(new ConfigError('REDSHIFT_HOST is not set'))).to.equal(1);
    expect(exitCodeOf(new Error('connection refused'))).to.equal(1);
    expect(exitCodeOf('a string thrown')).to.equal(1);
  });

  it('a setting that is wrong in the environment, not on the command line, exits 1', async () => {
    const saved = process.env.WAREHOUSE_TARGET;
    process.env.WAREHOUSE_TARGET = 'oracle';
    try {
      const { code, message } = await exit(query.command, ['--dry-run', 'select 1']);
      expect(code).to.equal(1);
      expect(message).to.contain('WAREHOUSE_TARGET is "oracle"');
    } finally {
      if (saved === undefined) delete process.env.WAREHOUSE_TARGET;
      else process.env.WAREHOUSE_TARGET = saved;
    }
  });

  it('the plain functions print through the output they are given', async () => {
    const out = capture();
    expect(
      await query.runAdHocQuery(loadConfig({ target: 'redshift', dryRun: true, env: {} }), 'select 1', true, out),
    ).to.equal(0);
    expect(out.printed).to.deep.equal(['select 1']);
    const migrations = capture();
    expect(await migrate.migrate('latest', { target: 'redshift', dryRun: true }, migrations)).to.equal(0);
    expect(migrations.printed).to.have.length(1);
    expect(migrations.printed[0])
      .to.match(/^-- migrate --dry-run for redshift/)
      .and.not.to.match(/\n$/);
    const pages = capture();
    expect(await report.writeAnalystReport({ dryRun: true, out: '/tmp/report.html' }, pages)).to.equal(0);
    expect(pages.printed[0]).to.match(/^Would run \d+ saved queries and write \/tmp\/report.html:$/);
  });
});
