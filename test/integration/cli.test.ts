// The commands as a user runs them: exit codes, messages that name the fix, dry runs
// that need no credentials, and no secret in any output.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config';

const TSX = path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

function run(script: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [TSX, path.join('scripts', script), ...args], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    encoding: 'utf8',
    timeout: 60000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr, all: result.stdout + result.stderr };
}

describe('the commands', function () {
  it('stop on a missing Redshift setting, naming the variable and what to put there', () => {
    const { code, err } = run('migrate.ts', ['latest', '--target', 'redshift']);
    expect(code).to.equal(1);
    expect(err).to.contain('REDSHIFT_HOST is not set').and.to.contain('.env.example');
  });

  it('stop on a malformed setting', () => {
    const { code, err } = run('migrate.ts', ['status'], {
      WAREHOUSE_TARGET: 'redshift',
      REDSHIFT_HOST: 'h',
      REDSHIFT_PORT: 'fifty',
      REDSHIFT_DB: 'd',
      REDSHIFT_USER: 'u',
      REDSHIFT_PASSWORD: 'Sup3rSecretPw',
    });
    expect(code).to.equal(1);
    expect(err).to.contain('REDSHIFT_PORT must be a port number').and.not.to.contain('Sup3rSecretPw');
  });

  it('name an unknown target and the known ones: exit 2 from --target, 1 from WAREHOUSE_TARGET', () => {
    const { code, err } = run('transform.ts', ['--target', 'oracle']);
    expect(code).to.equal(2);
    expect(err).to.contain('--target is "oracle"').and.to.contain('local, postgres, redshift');
    const fromEnv = run('transform.ts', ['--dry-run'], { WAREHOUSE_TARGET: 'oracle' });
    expect(fromEnv.code).to.equal(1);
    expect(fromEnv.err).to.contain('WAREHOUSE_TARGET is "oracle"');
  });

  // Each npm script, as npm runs it: the script and what package.json puts before the user's arguments.
  const SCRIPTS: Array<[string, string, string[]]> = [
    ['advise', 'advise.ts', []],
    ['bench', 'bench.ts', []],
    ['bench:memory', 'bench-memory.ts', []],
    ['cluster', 'cluster.ts', []],
    ['compact', 'compact.ts', []],
    ['generate', 'generate.ts', []],
    ['history', 'history.ts', []],
    ['migrate', 'migrate.ts', ['latest']],
    ['query', 'query.ts', []],
    ['report', 'report.ts', []],
    ['start', 'start.ts', []],
    ['transform', 'transform.ts', []],
  ];

  it('every command: --help prints its usage and exits 0; an unknown flag exits 2 naming the flag', () => {
    for (const [name, script, before] of SCRIPTS) {
      const help = run(script, [...before, '--help']);
      expect(help.code, `${name} --help: ${help.err}`).to.equal(0);
      expect(help.out, name).to.match(/^usage/i);
      const wrong = run(script, [...before, '--no-such-flag']);
      expect(wrong.code, `${name} --no-such-flag: ${wrong.err}`).to.equal(2);
      expect(wrong.err, name).to.equal(
        `UsageError: Unknown option '--no-such-flag'. See \`npm run ${name} -- --help\`.\n`,
      );
    }
  });

  it('exit 2 for a wrong command line, whatever the command', () => {
    for (const [script, args, says] of [
      ['cluster.ts', ['status', '--yes'], '--yes does not apply to "status"'],
      ['query.ts', [], 'Give the SQL to run'],
      ['history.ts', ['--limit', 'x'], '--limit takes a whole number'],
      ['history.ts', ['--dry-run'], "Unknown option '--dry-run'"],
      ['migrate.ts', ['make', 'Bad-Name'], 'migrate:make needs a name of lowercase letters, digits and _'],
    ] as const) {
      const { code, err } = run(script, [...args]);
      expect(code, `${script} ${args.join(' ')}: ${err}`).to.equal(2);
      expect(err, script).to.contain(says).and.to.contain('-- --help');
    }
  });

  it('name an unknown flag, as a usage error (exit 2)', () => {
    const { code, err } = run('transform.ts', ['--fast']);
    expect(code).to.equal(2);
    expect(err).to.contain("'--fast'").and.to.contain('npm run transform -- --help');
  });

  it('end bench, compact and generate the same way: exit 2 and one line for a wrong command line, no stack', () => {
    for (const [script, args, says] of [
      ['generate.ts', ['--events', 'many'], '--events takes a whole number'],
      ['generate.ts', ['--fast'], 'npm run generate -- --help'],
      ['compact.ts', ['--to', '/tmp/x'], '--from and --to are required'],
      ['compact.ts', ['--from', '/tmp/x', '--to', '/tmp/y', '--slices', '-1'], 'npm run compact -- --help'],
      ['bench.ts', ['--runs', '0'], '--runs takes a whole number of at least 1'],
      ['bench.ts', ['--sizes', '10,x'], '--sizes takes a whole number'],
    ] as const) {
      const { code, err } = run(script, [...args]);
      expect(code, `${script} ${args.join(' ')}: ${err}`).to.equal(2);
      expect(err, script)
        .to.contain(says)
        .and.to.match(/^UsageError: /)
        .and.not.to.match(/\n\s+at /);
    }
  });

  it('reject an unknown migrate verb, or a stray argument, before starting a server or connecting', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sparkify-cli-'));
    fs.chmodSync(home, 0o755); // reachable by the server's OS user: the folder itself is no reason to stop
    const dataDir = path.join(home, 'embedded');
    try {
      // `npm run migrate -- statsu` runs `migrate.ts latest statsu`; a direct call gives the verb itself.
      for (const args of [['statsu'], ['latest', 'statsu'], ['status', '--dry-run']]) {
        const { code, err } = run('migrate.ts', args, { WAREHOUSE_TARGET: 'local', EMBEDDED_PG_DATA_DIR: dataDir });
        expect(code, `${args.join(' ')}: ${err}`).to.equal(2);
        expect(fs.existsSync(dataDir), `${args.join(' ')} created the embedded server`).to.equal(false);
      }
      expect(run('migrate.ts', ['statsu']).err).to.contain(
        'Unknown migrate verb "statsu"; the verbs are latest, rollback, status, make, unlock',
      );
      expect(run('migrate.ts', ['latest', 'statsu']).err)
        .to.contain('migrate latest takes no arguments, got "statsu"')
        .and.to.contain('npm run migrate:status');
      // Redshift: no connection is attempted (one to an unroutable host would outlast run()'s 60 s timeout).
      const redshift = {
        WAREHOUSE_TARGET: 'redshift',
        REDSHIFT_HOST: '10.255.255.1',
        REDSHIFT_DB: 'd',
        REDSHIFT_USER: 'u',
        REDSHIFT_PASSWORD: 'pw-for-test',
      };
      expect(run('migrate.ts', ['statsu'], redshift).code).to.equal(2);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('print the Redshift SQL of migrations and transforms with no credentials', () => {
    const migrate = run('migrate.ts', ['latest', '--dry-run', '--target', 'redshift']);
    expect(migrate.code).to.equal(0);
    expect(migrate.out).to.contain('diststyle key\ndistkey ("start_time")\ncompound sortkey ("start_time");');
    const transform = run('transform.ts', ['--dry-run', '--target', 'redshift']);
    expect(transform.code).to.equal(0);
    expect(transform.out)
      .to.contain("from 's3://udacity-dend/log_data'")
      .and.to.contain("format as json 's3://udacity-dend/log_json_path.json'");
  });

  it('never print a password, even in a dry run that renders a connection', () => {
    const secret = 'N0tForYourEyes';
    const env = {
      WAREHOUSE_TARGET: 'redshift',
      REDSHIFT_HOST: 'example.com',
      REDSHIFT_DB: 'd',
      REDSHIFT_USER: 'u',
      REDSHIFT_PASSWORD: secret,
      REDSHIFT_IAM_ROLE_ARN: 'arn:aws:iam::123456789012:role/r',
      AWS_REGION: 'us-west-2',
    };
    for (const [script, args] of [
      ['migrate.ts', ['latest', '--dry-run']],
      ['transform.ts', ['--dry-run']],
      ['cluster.ts', ['create', '--dry-run']],
    ] as const) {
      const { all } = run(script, [...args], env);
      expect(all, script).not.to.contain(secret);
    }
  });

  it('explain a failing ad hoc query without a stack trace', function () {
    const url = process.env.DATABASE_URL;
    if (!url) this.skip();
    const { code, err } = run('query.ts', ['select * from no_such_table'], { DATABASE_URL: url });
    expect(code).to.equal(1);
    expect(err)
      .to.contain('no_such_table')
      .and.not.to.match(/\n\s+at /);
  });
});
