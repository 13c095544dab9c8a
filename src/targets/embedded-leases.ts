// Leases: which live commands use something (the embedded server, a copy of its
// binaries). One empty file per command, named by its PID, in a folder of the thing.
// A lease whose process is gone (killed with SIGKILL) does not count, and is swept.
import fs from 'node:fs';
import path from 'node:path';

export function takeLease(leaseDir: string, pid = process.pid): void {
  fs.mkdirSync(leaseDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(leaseDir, String(pid)), '');
}

export function dropLease(leaseDir: string, pid = process.pid): void {
  fs.rmSync(path.join(leaseDir, String(pid)), { force: true });
}

/** PIDs of the live commands holding a lease; removes the leases of dead ones. */
export function liveLeases(leaseDir: string): number[] {
  let names: string[];
  try {
    names = fs.readdirSync(leaseDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const pids = names.map(Number).filter(Boolean);
  for (const pid of pids.filter((p) => !alive(p))) fs.rmSync(path.join(leaseDir, String(pid)), { force: true });
  return pids.filter(alive);
}

export function alive(pid: number): boolean {
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
