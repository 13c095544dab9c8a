// A command that finds the embedded server still stopping (the last command just stopped
// it, or it is recovering from a crash) waits for it to settle instead of adopting it and
// failing with "the database system is shutting down" (seen after a PANIC on a full disk).
//
// A server stuck stopping: a fast shutdown asked for while PostgreSQL was beginning crash
// recovery (after a PANIC on a full disk) never finished, and the next command adopted a
// server that refused every connection ("the database system is shutting down"). The
// stop goes on to an immediate shutdown, and a command that finds a server still stopping
// after the wait stops it so and starts its own. A stuck PostgreSQL cannot be made on
// demand, so pg_ctl is a script here that records its calls and plays the stuck server; the
// postmaster is a live `sleep` process named in postmaster.pid, as PostgreSQL writes it.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Binaries } from '../../src/targets/embedded-binaries';
import type { EmbeddedPaths } from '../../src/targets/embedded-paths';
import { ensureRunning, settledPostmaster, stopServer } from '../../src/targets/embedded-server';

/** The embedded server's paths, all in one temporary folder. */
const pathsIn = (dir: string): EmbeddedPaths => ({
  stateDir: dir,
  dataDir: dir,
  logFile: path.join(dir, 'log'),
  passwordFile: path.join(dir, 'pw'),
  leaseDir: path.join(dir, 'leases'),
});

describe('settledPostmaster', () => {
  let dir: string;
  let paths: EmbeddedPaths;
  // postmaster.pid as PostgreSQL writes it: pid, data dir, start time, port, socket dir, listen address, shmem key, status.
  const writePid = (status: string) =>
    fs.writeFileSync(
      path.join(dir, 'postmaster.pid'),
      [process.pid, dir, '0', '5999', '', '127.0.0.1', '0 0', status.padEnd(8)].join('\n') + '\n',
    );

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'settle-'));
    paths = pathsIn(dir);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('adopts a ready server at once', async () => {
    writePid('ready');
    expect(await settledPostmaster(paths)).to.include({ port: 5999, status: 'ready' });
  });

  it('waits for a stopping server to be gone, and then reports none', async () => {
    writePid('stopping');
    const started = Date.now();
    setTimeout(() => fs.rmSync(path.join(dir, 'postmaster.pid')), 500);
    expect(await settledPostmaster(paths)).to.equal(undefined);
    expect(Date.now() - started).to.be.at.least(450);
  });

  it('waits for a starting server (crash recovery) to be ready', async () => {
    writePid('starting');
    setTimeout(() => writePid('ready'), 500);
    expect(await settledPostmaster(paths)).to.include({ status: 'ready' });
  });
});

describe('embedded server stuck stopping', () => {
  let dir: string;
  let paths: EmbeddedPaths;
  let bins: Binaries;
  const postmasters: ChildProcess[] = [];
  const pidFile = () => path.join(dir, 'postmaster.pid');
  const calls = () =>
    fs
      .readFileSync(path.join(dir, 'calls'), 'utf8')
      .trim()
      .split('\n')
      .map((line) =>
        line
          .split(' ')
          .filter((word) => word === 'stop' || word === 'start' || /^(fast|immediate)$/.test(word))
          .join(' '),
      );
  // postmaster.pid: pid, data dir, start time, port, socket dir, listen address, shmem key, status.
  const writePid = (pid: number, port: number, status: string) =>
    fs.writeFileSync(pidFile(), [pid, dir, '0', port, '', '127.0.0.1', '0 0', status.padEnd(8)].join('\n') + '\n');
  const postmaster = () => {
    const child = spawn('sleep', ['60'], { stdio: 'ignore' });
    postmasters.push(child);
    return child.pid!;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-stop-'));
    paths = pathsIn(dir);
    // The stuck server: a fast stop gives up (pg_ctl's -t runs out) and leaves it; an
    // immediate stop kills it; a start writes a ready server's postmaster.pid.
    const pgCtl = path.join(dir, 'pg_ctl');
    fs.writeFileSync(
      pgCtl,
      `#!/bin/sh
echo "$*" >> '${dir}/calls'
case "$*" in
  *"-m fast"*) exit 1 ;;
  *"-m immediate"*) kill "$(head -n 1 '${dir}/postmaster.pid')"; rm -f '${dir}/postmaster.pid' ;;
  start*) sleep 60 >/dev/null 2>&1 &
    printf '%s\\n%s\\n0\\n6001\\n\\n127.0.0.1\\n0 0\\nready   \\n' "$!" '${dir}' > '${dir}/postmaster.pid' ;;
esac
`,
      { mode: 0o755 },
    );
    bins = { initdb: '/bin/false', pgCtl, nativeDir: dir };
  });
  afterEach(() => {
    const started = fs.existsSync(pidFile()) ? Number(fs.readFileSync(pidFile(), 'utf8').split('\n')[0]) : 0;
    for (const child of postmasters.splice(0)) child.kill();
    if (started) process.kill(started);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a stop that a fast shutdown does not finish ends with an immediate one', async () => {
    writePid(postmaster(), 5999, 'ready');
    await stopServer(paths, bins, undefined);
    expect(calls()).to.deep.equal(['stop fast', 'stop immediate']);
    expect(await settledPostmaster(paths, 0)).to.equal(undefined);
  });

  it('a command that finds the server still stopping after the wait stops it and starts its own', async () => {
    writePid(postmaster(), 5999, 'stopping');
    expect(await ensureRunning(paths, bins, undefined, 300)).to.equal(6001);
    expect(calls()).to.deep.equal(['stop immediate', 'start']);
    expect(await settledPostmaster(paths, 0)).to.include({ port: 6001, status: 'ready' });
  });
});
