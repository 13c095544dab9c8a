// A command that finds the embedded server still stopping (the last command just stopped
// it, or it is recovering from a crash) waits for it to settle instead of adopting it and
// failing with "the database system is shutting down" (seen after a PANIC on a full disk).
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EmbeddedPaths } from '../../src/targets/embedded-paths';
import { settledPostmaster } from '../../src/targets/embedded-server';

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
    paths = {
      stateDir: dir,
      dataDir: dir,
      logFile: path.join(dir, 'log'),
      passwordFile: path.join(dir, 'pw'),
      leaseDir: path.join(dir, 'leases'),
    };
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
