// Runs a command (scripts/*.ts) as a child process against a test database, the way a
// user or cron runs it: its own process group, so a SIGKILL takes tsx and the script.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config';
import type { TestDatabase } from './databases';

export interface CommandChild {
  child: ChildProcess;
  /** Resolves when the output (stdout + stderr) contains `marker`. */
  waitFor(marker: string | RegExp): Promise<void>;
  /** Resolves when it ends. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  killGroup(): void;
}

export function databaseUrl(db: TestDatabase): string {
  const { host, port, user, password, database } = db.connection;
  return `postgres://${encodeURIComponent(user ?? '')}:${encodeURIComponent(password ?? '')}@${host}:${port}/${database}`;
}

export function startCommand(
  db: TestDatabase,
  script: string,
  args: string[],
  env: Record<string, string> = {},
): CommandChild {
  const sources = db.config.sources;
  const child = spawn(
    process.execPath,
    [
      path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
      path.join('scripts', script),
      '--target',
      'postgres',
      ...args,
    ],
    {
      cwd: PROJECT_ROOT,
      detached: true,
      env: {
        ...process.env,
        LOG_DATA: sources.logData,
        SONG_DATA: sources.songData,
        LOG_JSONPATH: sources.logJsonPath,
        ...env,
        DATABASE_URL: databaseUrl(db),
        WAREHOUSE_TARGET: 'postgres',
      },
    },
  );
  let stdout = '';
  let stderr = '';
  const watchers: Array<() => void> = [];
  const notify = () => watchers.forEach((w) => w());
  child.stdout.on('data', (chunk: Buffer) => ((stdout += chunk.toString()), notify()));
  child.stderr.on('data', (chunk: Buffer) => ((stderr += chunk.toString()), notify()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, signal) => setImmediate(() => resolve({ code, signal, stdout, stderr })));
    },
  );
  const waitFor = (marker: string | RegExp) =>
    new Promise<void>((resolve, reject) => {
      const seen = () =>
        typeof marker === 'string' ? (stdout + stderr).includes(marker) : marker.test(stdout + stderr);
      if (seen()) return resolve();
      watchers.push(() => seen() && resolve());
      void done.then(() =>
        seen() ? resolve() : reject(new Error(`${script} ended without printing ${marker}:\n${stdout}${stderr}`)),
      );
    });
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  return { child, waitFor, done, killGroup };
}
