// The database server's CPU seconds across a measurement, read from the postmaster's reaped children.
import fs from 'node:fs';
import { Client } from 'pg';
import type { ConnectionSettings } from '../targets/pg-client';
import { reapedChildrenCpuSeconds } from './cpu';

/**
 * The server's CPU across the work: the postmaster's reaped children's time, read before
 * and after, once every other connection to the measured database has closed (a backend's
 * time reaches its parent only when it exits).
 */
export class ServerCpu {
  private constructor(
    private readonly client: Client,
    private readonly postmasterPid: number | null,
    private readonly before: number | null,
  ) {}

  static async start(connection: ConnectionSettings): Promise<ServerCpu> {
    const client = new Client(connection);
    await client.connect();
    const backend = Number((await client.query('select pg_backend_pid() as pid')).rows[0].pid);
    const postmasterPid = parentPid(backend);
    return new ServerCpu(
      client,
      postmasterPid,
      postmasterPid === null ? null : reapedChildrenCpuSeconds(postmasterPid),
    );
  }

  async stop(): Promise<number | null> {
    if (this.postmasterPid === null || this.before === null) return null;
    for (let waited = 0; waited < 10_000; waited += 50) {
      const others = await this.client.query(
        'select count(*) as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
      );
      if (Number(others.rows[0].n) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await new Promise((resolve) => setTimeout(resolve, 100)); // the postmaster reaps on SIGCHLD
    const after = reapedChildrenCpuSeconds(this.postmasterPid);
    return after === null ? null : after - this.before;
  }

  close(): Promise<void> {
    return this.client.end();
  }
}

/** The parent of a local process (field 4 of /proc/<pid>/stat), or null (remote server, no /proc). */
function parentPid(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) && ppid > 1 ? ppid : null;
  } catch {
    return null;
  }
}
