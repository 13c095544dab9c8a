// Where the embedded server keeps its data, and as which OS user it runs.
// PostgreSQL refuses to run as root, so under root the server runs as the OS user
// `postgres` (created when missing). That user must be able to reach the data folder:
// a checkout inside a private (0700) home cannot be reached, and then the data goes to
// /var/lib/sparkify-warehouse/<hash of the checkout> instead, said aloud at start.
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors';

export interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

export interface EmbeddedPaths {
  /** Everything of ours: data, log, password, leases. */
  stateDir: string;
  dataDir: string;
  logFile: string;
  passwordFile: string;
  leaseDir: string;
  /** Why the state is not where the user would look first, if it is not. */
  relocatedBecause?: string;
}

export const SHARED_STATE_ROOT = '/var/lib/sparkify-warehouse';

/** Undefined when this process may run postgres itself (it is not root). */
export function serverUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const name = 'postgres';
  if (spawnSync('id', ['-u', name]).status !== 0) {
    // Postgres will not run as root; a dedicated system user is the usual answer.
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', name]);
  }
  const uid = Number(execFileSync('id', ['-u', name]).toString().trim());
  const gid = Number(execFileSync('id', ['-g', name]).toString().trim());
  return { uid, gid, name };
}

export function resolvePaths(options: { projectRoot: string; explicitDir?: string; runAs?: RunAs }): EmbeddedPaths {
  const { projectRoot, explicitDir, runAs } = options;
  if (explicitDir) {
    const stateDir = path.resolve(explicitDir);
    if (runAs && !reachable(path.dirname(stateDir), runAs)) {
      throw new ConfigError(
        `EMBEDDED_PG_DATA_DIR is ${stateDir}, but the OS user "${runAs.name}" that runs the embedded server cannot reach ${path.dirname(stateDir)} ` +
          '(a private 0700 folder on the way?). Choose a folder outside private homes, or unset EMBEDDED_PG_DATA_DIR to let the tool pick one.',
      );
    }
    return layout(stateDir);
  }
  const inProject = path.join(projectRoot, '.warehouse');
  if (!runAs || reachable(projectRoot, runAs)) return layout(inProject);
  const hash = createHash('sha256').update(projectRoot).digest('hex').slice(0, 12);
  return {
    ...layout(path.join(SHARED_STATE_ROOT, hash)),
    relocatedBecause: `the OS user "${runAs.name}" cannot reach ${projectRoot} (a private folder on the way)`,
  };
}

function layout(stateDir: string): EmbeddedPaths {
  return {
    stateDir,
    dataDir: path.join(stateDir, 'pgdata'),
    logFile: path.join(stateDir, 'log', 'server.log'),
    passwordFile: path.join(stateDir, 'password'),
    leaseDir: path.join(stateDir, 'leases'),
  };
}

/** Can `user` enter `dir` (search permission on it and every ancestor)? Asks the kernel, as that user. */
function reachable(dir: string, user: RunAs): boolean {
  let existing = dir;
  while (!fs.existsSync(existing)) existing = path.dirname(existing);
  return spawnSync('test', ['-x', existing], { uid: user.uid, gid: user.gid }).status === 0;
}
