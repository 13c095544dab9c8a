// Issue 21 item 2 through the real commands: the test server's own password, given in each
// form node-pg accepts (userinfo, ?password=, beside an &sslpassword=, percent-encoded),
// connects (the commands succeed, so the secret was really used) and never appears in
// their output or in the report page they write.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../../src/config';
import { createTestDatabase, type TestDatabase } from '../support/databases';

function run(script: string, args: string[], databaseUrl: string): Promise<{ code: number | null; output: string }> {
  const tsx = path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const child = spawn(process.execPath, [tsx, path.join('scripts', script), ...args, '--target', 'postgres'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, WAREHOUSE_TARGET: 'postgres' },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Every character percent-encoded: the URL's text and the password share no run of letters. */
const encodeAll = (text: string) =>
  [...Buffer.from(text)].map((byte) => `%${byte.toString(16).padStart(2, '0').toUpperCase()}`).join('');

describe('commands never print the secrets of DATABASE_URL', function () {
  let db: TestDatabase;
  let out: string;

  before(async () => {
    db = await createTestDatabase('embedded');
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-report-'));
  });
  after(async () => {
    await db?.drop();
    fs.rmSync(out, { recursive: true, force: true });
  });

  const forms: Array<[string, (host: string, user: string, password: string) => string]> = [
    ['userinfo', (host, user, password) => `postgres://${user}:${encodeURIComponent(password)}@${host}`],
    ['?password=', (host, user, password) => `postgres://${user}@${host}?password=${encodeURIComponent(password)}`],
    [
      '&sslpassword= beside it',
      (host, user, password) =>
        `postgres://${user}@${host}?sslmode=disable&sslpassword=SslPass-S3cret&password=${encodeURIComponent(password)}`,
    ],
    [
      'percent-encoded',
      (host, user, password) => `postgres://${user}@${host}?application_name=etl&pass%77ord=${encodeAll(password)}`,
    ],
  ];
  for (const [name, urlOf] of forms) {
    it(`${name}: the Target: banner and report/index.html`, async () => {
      const { host, port, user, password, database } = db.connection;
      const url = urlOf(`${host}:${port}/${database}`, user!, password!);
      const secrets = [password!, encodeURIComponent(password!), encodeAll(password!), 'SslPass-S3cret'];

      const status = await run('migrate.ts', ['status'], url);
      expect(status.code, status.output).to.equal(0);
      expect(status.output).to.include(`Target: postgres (PostgreSQL postgres://${user}`);

      const file = path.join(out, `${name.replace(/\W+/g, '-')}.html`);
      const report = await run('report.ts', ['--out', file], url);
      const html = fs.readFileSync(file, 'utf8');
      expect(html).to.include(`${host}:${port}/${database}`);
      // Asserted as booleans: a failure message must not print the password either.
      for (const [where, text] of Object.entries({
        'migrate status output': status.output,
        'report output': report.output,
        'report/index.html': html,
      })) {
        expect(secrets.filter((secret) => text.includes(secret)).length, `${where} shows a secret`).to.equal(0);
      }
    });
  }
});
