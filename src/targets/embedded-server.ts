// The server process: initdb once, pg_ctl start and stop, and what postmaster.pid says
// about a server already running on a data folder. Every failure says why, in the
// program's own words or the spawn error's code and path, and what to do.
import { randomBytes } from 'node:crypto';
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { WarehouseError } from '../errors';
import type { Binaries } from './embedded-binaries';
import type { EmbeddedPaths, RunAs } from './embedded-paths';
import { alive } from './embedded-leases';
import { explainChildFailure } from './spawn-failure';

const run = promisify(execFile);

/** Makes a new data folder and its superuser password (written to paths.passwordFile). */
export async function initialise(paths: EmbeddedPaths, bins: Binaries, runAs: RunAs | undefined): Promise<void> {
  // A killed initdb leaves a half-made folder; nothing in it is worth keeping.
  fs.rmSync(paths.dataDir, { recursive: true, force: true });
  fs.mkdirSync(paths.dataDir, { recursive: true, mode: 0o700 });
  if (runAs) fs.chownSync(paths.dataDir, runAs.uid, runAs.gid);

  const password = randomBytes(24).toString('base64url');
  const pwfile = path.join(path.dirname(paths.logFile), 'initdb-password');
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (runAs) fs.chownSync(pwfile, runAs.uid, runAs.gid);
  try {
    await run(
      bins.initdb,
      [
        `--pgdata=${paths.dataDir}`,
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
      ],
      {
        ...asUser(runAs),
        env: { ...process.env, LC_ALL: 'C' },
      },
    );
  } catch (error) {
    const hint = `The data folder ${paths.dataDir} is made again on the next run; if this repeats, use --target postgres with DATABASE_URL`;
    throw new WarehouseError(
      `Could not create the embedded PostgreSQL in ${paths.dataDir}: ${explainChildFailure({ what: 'initdb', file: bins.initdb, user: runAs?.name, hint }, error)}`,
    );
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
  fs.writeFileSync(paths.passwordFile, `${password}\n`, { mode: 0o600 });
}

/** Starts the server unless a live one already serves this data folder; returns its port. */
export async function ensureRunning(
  paths: EmbeddedPaths,
  bins: Binaries,
  runAs: RunAs | undefined,
  settleMs = SETTLE_MS,
): Promise<number> {
  let live = await settledPostmaster(paths, settleMs);
  if (live?.status === 'stopping') {
    // Still stopping after the wait: stuck (below, stopServer), and it would refuse every connection.
    await stopImmediately(paths, bins, runAs);
    live = livePostmaster(paths);
  }
  if (live) return live.port; // another command's server, or one a killed command left: adopt it
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    "-c listen_addresses='127.0.0.1'",
    "-c unix_socket_directories=''",
    '-c synchronous_commit=off',
  ];
  try {
    await run(
      bins.pgCtl,
      ['start', '-D', paths.dataDir, '-w', '-t', '60', '-l', paths.logFile, '-o', settings.join(' ')],
      asUser(runAs),
    );
  } catch (error) {
    const raced = livePostmaster(paths);
    if (raced) return raced.port; // a concurrent command started it first
    const hint = `The server's log says: ${lastLines(paths.logFile)} (whole log: ${paths.logFile})`;
    throw new WarehouseError(
      `The embedded PostgreSQL did not start: ${explainChildFailure({ what: 'pg_ctl', file: bins.pgCtl, user: runAs?.name, hint }, error)}`,
    );
  }
  const started = livePostmaster(paths);
  if (!started)
    throw new WarehouseError(`The embedded PostgreSQL started but wrote no postmaster.pid; see ${paths.logFile}.`);
  return started.port;
}

/** How long a server may take to finish stopping, or to start (crash recovery included), before we start or adopt it. */
const SETTLE_MS = 60_000;

/**
 * The live server once it is neither stopping nor starting. A server still shutting down
 * (the last command just stopped it, or it is recovering from a crash such as a PANIC on
 * a full disk) refuses connections with "the database system is shutting down"; adopting
 * it then failed the next command. postmaster.pid's eighth line says which state it is in
 * (PostgreSQL's PM_STATUS: "starting", "stopping", "ready", "standby").
 */
export async function settledPostmaster(
  paths: EmbeddedPaths,
  settleMs = SETTLE_MS,
): Promise<{ pid: number; port: number; status: string } | undefined> {
  const until = Date.now() + settleMs;
  for (;;) {
    const live = livePostmaster(paths);
    if (!live || live.status === 'ready' || live.status === 'standby' || live.status === '' || Date.now() > until)
      return live;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function livePostmaster(paths: EmbeddedPaths): { pid: number; port: number; status: string } | undefined {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(paths.dataDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port || !alive(pid)) return undefined; // stale: postgres itself replaces the file
  return { pid, port, status: (lines[7] ?? '').trim() };
}

/**
 * A fast shutdown (open transactions roll back, then a checkpoint), and an immediate one if
 * the server is still there after FAST_STOP_SECONDS. A fast shutdown asked for while the
 * server was beginning crash recovery (after a PANIC on a full disk) never finished: the
 * server stayed "stopping" for minutes and refused the next command. An immediate shutdown
 * loses nothing committed: the next start replays the WAL, as after any crash.
 */
export async function stopServer(paths: EmbeddedPaths, bins: Binaries, runAs: RunAs | undefined): Promise<void> {
  if (!livePostmaster(paths)) return;
  await run(bins.pgCtl, stopArgs(paths, 'fast', FAST_STOP_SECONDS), asUser(runAs)).catch(() => undefined);
  if (livePostmaster(paths)) await stopImmediately(paths, bins, runAs);
}

/** For exit hooks, where nothing asynchronous runs any more: as stopServer. */
export function stopServerSync(paths: EmbeddedPaths, bins: Binaries, runAs: RunAs | undefined): void {
  if (!livePostmaster(paths)) return;
  spawnSync(bins.pgCtl, stopArgs(paths, 'fast', FAST_STOP_SECONDS), { ...asUser(runAs), stdio: 'ignore' });
  if (livePostmaster(paths))
    spawnSync(bins.pgCtl, stopArgs(paths, 'immediate', IMMEDIATE_STOP_SECONDS), { ...asUser(runAs), stdio: 'ignore' });
}

const FAST_STOP_SECONDS = 30;
const IMMEDIATE_STOP_SECONDS = 30;

async function stopImmediately(paths: EmbeddedPaths, bins: Binaries, runAs: RunAs | undefined): Promise<void> {
  await run(bins.pgCtl, stopArgs(paths, 'immediate', IMMEDIATE_STOP_SECONDS), asUser(runAs)).catch(() => undefined);
}

function stopArgs(paths: EmbeddedPaths, mode: 'fast' | 'immediate', seconds: number): string[] {
  return ['stop', '-D', paths.dataDir, '-m', mode, '-w', '-t', String(seconds)];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function asUser(runAs: RunAs | undefined): { uid?: number; gid?: number; cwd: string } {
  // cwd: the server's user may not be allowed into the caller's current folder.
  return runAs ? { uid: runAs.uid, gid: runAs.gid, cwd: '/' } : { cwd: '/' };
}

function lastLines(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-3).join(' | ') || 'nothing';
  } catch {
    return 'nothing (no log written)';
  }
}
