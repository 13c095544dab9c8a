// The commands as a user runs them: exit codes, messages that name the fix, dry runs
// that need no credentials, and no secret in any output.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
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
    const { code, err } = run('migrate.ts', ['status'], { WAREHOUSE_TARGET: 'redshift', REDSHIFT_HOST: 'h', REDSHIFT_PORT: 'fifty', REDSHIFT_DB: 'd', REDSHIFT_USER: 'u', REDSHIFT_PASSWORD: 'Sup3rSecretPw' });
    expect(code).to.equal(1);
    expect(err).to.contain('REDSHIFT_PORT must be a port number').and.not.to.contain('Sup3rSecretPw');
  });

  it('name an unknown target and the known ones', () => {
    const { code, err } = run('transform.ts', ['--target', 'oracle']);
    expect(code).to.equal(1);
    expect(err).to.contain('--target is "oracle"').and.to.contain('local, postgres, redshift');
  });

  it('name an unknown flag', () => {
    const { code, err } = run('transform.ts', ['--fast']);
    expect(code).to.equal(1);
    expect(err).to.contain("'--fast'").and.to.contain('npm run transform -- --help');
  });

  it('print the Redshift SQL of migrations and transforms with no credentials', () => {
    const migrate = run('migrate.ts', ['latest', '--dry-run', '--target', 'redshift']);
    expect(migrate.code).to.equal(0);
    expect(migrate.out).to.contain('diststyle key\ndistkey ("start_time")\ncompound sortkey ("start_time");');
    const transform = run('transform.ts', ['--dry-run', '--target', 'redshift']);
    expect(transform.code).to.equal(0);
    expect(transform.out).to.contain("from 's3://udacity-dend/log_data'").and.to.contain("format as json 's3://udacity-dend/log_json_path.json'");
  });

  it('never print a password, even in a dry run that renders a connection', () => {
    const secret = 'N0tForYourEyes';
    const env = { WAREHOUSE_TARGET: 'redshift', REDSHIFT_HOST: 'example.com', REDSHIFT_DB: 'd', REDSHIFT_USER: 'u', REDSHIFT_PASSWORD: secret, REDSHIFT_IAM_ROLE_ARN: 'arn:aws:iam::123456789012:role/r', AWS_REGION: 'us-west-2' };
    for (const [script, args] of [['migrate.ts', ['latest', '--dry-run']], ['transform.ts', ['--dry-run']], ['cluster.ts', ['create', '--dry-run']]] as const) {
      const { all } = run(script, [...args], env);
      expect(all, script).not.to.contain(secret);
    }
  });

  it('explain a failing ad hoc query without a stack trace', function () {
    const url = process.env.DATABASE_URL;
    if (!url) this.skip();
    const { code, err } = run('query.ts', ['select * from no_such_table'], { DATABASE_URL: url! });
    expect(code).to.equal(1);
    expect(err).to.contain('no_such_table').and.not.to.match(/\n\s+at /);
  });
});
