// CPU time of a measurement, on both sides of the connection. Node: process.cpuUsage(),
// which counts every thread of the process (the load's worker threads included). The
// server: its backends are child processes of the postmaster, and Linux adds a child's
// CPU time to its parent's cutime/cstime (fields 16 and 17 of /proc/<pid>/stat, in clock
// ticks) once the child has exited and been reaped. So the server's share is the growth
// of the postmaster's children's time across the work, read after the work's connections
// have closed. It also counts any other child that ended in between (an autovacuum
// worker), so it is an upper bound. Null where there is no /proc or the server is remote.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Seconds of CPU used so far by this process, all threads, user + system. */
export function nodeCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100; // USER_HZ on every Linux architecture Node runs on
    }
  }
  return ticksPerSecond;
}

/**
 * CPU seconds of a process's reaped children (cutime + cstime), or null when it cannot
 * be read. The command name (field 2) may hold spaces and parentheses: fields are
 * counted after its last ')'.
 */
export function reapedChildrenCpuSeconds(
  pid: number,
  readStat = (p: number) => fs.readFileSync(`/proc/${p}/stat`, 'utf8'),
): number | null {
  let stat: string;
  try {
    stat = readStat(pid);
  } catch {
    return null;
  }
  const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // afterName[0] is field 3 (state); cutime and cstime are fields 16 and 17.
  const cutime = Number(afterName[16 - 3]);
  const cstime = Number(afterName[17 - 3]);
  if (!Number.isFinite(cutime) || !Number.isFinite(cstime)) return null;
  return (cutime + cstime) / clockTicks();
}

/** Microseconds of CPU per row, or null. */
export function microsPerRow(cpuSeconds: number | null | undefined, rows: number): number | null {
  if (cpuSeconds === null || cpuSeconds === undefined || rows <= 0) return null;
  return (cpuSeconds * 1e6) / rows;
}
