// The embedded PostgreSQL: as root and as a normal user, under a private (0700) folder,
// recovered after its command was killed, and stopped on Ctrl-C.
import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config';
import { resolvePaths, serverUser, SHARED_STATE_ROOT } from '../../src/targets/embedded-paths';
import { startEmbedded } from '../../src/targets/embedded';

const TSX = path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const CHILD = path.join(PROJECT_ROOT, 'test', 'support', 'embedded-child.ts');
const isRoot = process.getuid?.() === 0;

interface Started {
  child: ChildProcess;
  info: { port: number; db_user: string; uid: number };
}

/** Starts the child in its own process group and waits for its "ready" line. */
function startChild(stateDir: string, mode: 'once' | 'hold', user?: string): Promise<Started> {
  const command = user ? 'runuser' : process.execPath;
  const args = user ? ['-u', user, '--', process.execPath, TSX, CHILD, stateDir, mode] : [TSX, CHILD, stateDir, mode];
  const child = spawn(command, args, { cwd: '/', detached: true, env: { ...process.env, HOME: '/tmp' } });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ child, info: JSON.parse(line) });
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`child exited ${code} before it was ready: ${err}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

function postmasterPid(stateDir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(stateDir, 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

async function waitFor(condition: () => boolean, ms = 15000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the embedded PostgreSQL', function () {
  let stateDir: string;

  beforeEach(() => {
    // mkdtemp makes a 0700 folder; its parent (the temp dir) is open to all.
    stateDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sparkify-embedded-')), 'state');
    fs.chmodSync(path.dirname(stateDir), 0o755);
  });
  afterEach(() => {
    const pid = postmasterPid(stateDir);
    if (pid) process.kill(pid, 'SIGKILL');
    fs.rmSync(path.dirname(stateDir), { recursive: true, force: true });
  });

  it('initialises, serves and stops; a second start reuses the data', async () => {
    const first = await startEmbedded({ projectRoot: stateDir, explicitDir: stateDir });
    expect(fs.existsSync(path.join(stateDir, 'pgdata', 'PG_VERSION'))).to.equal(true);
    expect(fs.statSync(path.join(stateDir, 'password')).mode & 0o077).to.equal(0); // the password file is private
    await first.release();
    expect(postmasterPid(stateDir)).to.equal(undefined);
    const started = Date.now();
    const second = await startEmbedded({ projectRoot: stateDir, explicitDir: stateDir });
    expect(Date.now() - started).to.be.lessThan(10000);
    await second.release();
    expect(postmasterPid(stateDir)).to.equal(undefined);
  });

  it('runs the server as the postgres OS user when started by root', async function () {
    if (!isRoot) this.skip();
    const server = await startEmbedded({ projectRoot: stateDir, explicitDir: stateDir });
    try {
      const owner = fs.statSync(path.join(stateDir, 'pgdata')).uid;
      expect(owner).to.equal(serverUser()!.uid);
    } finally {
      await server.release();
    }
  });

  it('moves the data out of a checkout under a private (0700) folder, and says why', async function () {
    if (!isRoot) this.skip();
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'private-home-'));
    fs.chmodSync(home, 0o700);
    const projectRoot = path.join(home, 'checkout');
    fs.mkdirSync(projectRoot);
    const paths = resolvePaths({ projectRoot, runAs: serverUser() });
    expect(paths.stateDir.startsWith(SHARED_STATE_ROOT)).to.equal(true);
    expect(paths.relocatedBecause).to.contain(projectRoot);
    const messages: string[] = [];
    const server = await startEmbedded({ projectRoot, log: (m) => messages.push(m) });
    try {
      expect(messages.join('\n')).to.contain(paths.dataDir).and.to.contain('private');
    } finally {
      await server.release();
      fs.rmSync(paths.stateDir, { recursive: true, force: true });
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('works for a normal (non-root) user', async function () {
    if (!isRoot) this.skip(); // a normal user running the suite already covers this
    const user = 'nobody';
    const canRead =
      spawnSync('runuser', ['-u', user, '--', 'test', '-r', path.join(PROJECT_ROOT, 'package.json')]).status === 0;
    if (!canRead) {
      console.log(`      (skipped: user ${user} cannot read the checkout at ${PROJECT_ROOT})`);
      this.skip();
    }
    fs.mkdirSync(stateDir, { mode: 0o700 });
    const uid = Number(spawnSync('id', ['-u', user]).stdout.toString());
    fs.chownSync(stateDir, uid, Number(spawnSync('id', ['-g', user]).stdout.toString()));
    const { child, info } = await startChild(stateDir, 'once', user);
    expect(info.uid).to.equal(uid);
    expect(await exited(child)).to.equal(0);
    expect(fs.statSync(path.join(stateDir, 'pgdata')).uid).to.equal(uid);
    expect(postmasterPid(stateDir)).to.equal(undefined);
  });

  it('adopts the server a killed command left running, and stops it when done', async () => {
    const { child, info } = await startChild(stateDir, 'hold');
    process.kill(-child.pid!, 'SIGKILL');
    await exited(child);
    const orphan = postmasterPid(stateDir);
    expect(orphan, 'SIGKILL cannot be caught: the server outlives its command').to.be.a('number');
    const next = await startEmbedded({ projectRoot: stateDir, explicitDir: stateDir });
    expect(next.connection.port).to.equal(info.port);
    await next.release();
    await waitFor(() => postmasterPid(stateDir) === undefined);
  });

  it('stops the server on Ctrl-C', async () => {
    const { child } = await startChild(stateDir, 'hold');
    expect(postmasterPid(stateDir)).to.be.a('number');
    process.kill(-child.pid!, 'SIGINT');
    const code = await exited(child);
    expect(code).to.equal(130);
    await waitFor(() => postmasterPid(stateDir) === undefined);
  });
});
