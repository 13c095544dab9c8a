// The tool's start-up: `npm run query -- "select 1"` against the bench's running server,
// timed as a whole process from outside, against psql running the same statement on the
// same server. Both connect and run one statement; what the query command takes beyond
// psql is its own start-up (Node, loading its modules) before its first statement. The
// command is the one npm's script runs (package.json), started without npm: npm's own
// start (its CLI, reading package.json) is the same for every script and not the tool's.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config';
import type { ConnectionSettings } from '../targets/pg-client';
import type { BenchSummary } from './summary';
import { median } from './stats';

const PAIRS = 11;
const STARTUP_BOUND_SECONDS = 0.15;

export interface StartupMeasurement {
  /** The query command as npm runs it, without npm. */
  command: string;
  pairs: number;
  querySeconds: number;
  psqlSeconds: number;
  /** Median over the pairs of (query − psql), each pair run back to back. */
  startupSeconds: number;
}

/** Undefined when psql is not installed (the yardstick is missing, so no figure). */
export async function measureStartup(
  server: ConnectionSettings,
  log: (message: string) => void,
): Promise<StartupMeasurement | undefined> {
  if (spawnSync('psql', ['--version']).status !== 0) {
    log('Start-up: not measured (psql, the yardstick, is not installed).');
    return undefined;
  }
  const script = (
    JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts.query;
  const [node, ...nodeArgs] = script.split(' ');
  if (node !== 'node') throw new Error(`package.json's query script does not start with node: ${script}`);
  const url = `postgres://${encodeURIComponent(server.user ?? 'postgres')}@${server.host}:${server.port}/${encodeURIComponent(server.database)}`;
  // The password goes in the environment only (DATABASE_URL is read from it), never on a command line.
  const env = { ...process.env, PGPASSWORD: server.password ?? '', DATABASE_URL: withPassword(url, server.password) };
  const query = () => timed(process.execPath, [...nodeArgs, 'select 1', '--target', 'postgres'], env);
  const psql = () =>
    timed(
      'psql',
      [
        '-X',
        '-q',
        '-h',
        server.host,
        '-p',
        String(server.port),
        '-U',
        server.user ?? 'postgres',
        '-d',
        server.database,
        '-c',
        'select 1',
      ],
      env,
    );
  // One of each first, not counted: the first start reads the files from disk.
  await query();
  await psql();
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < PAIRS; i++) pairs.push([await query(), await psql()]);
  const result = {
    command: `${node} ${nodeArgs.join(' ')} "select 1" --target postgres`,
    pairs: PAIRS,
    querySeconds: median(pairs.map(([q]) => q)),
    psqlSeconds: median(pairs.map(([, p]) => p)),
    startupSeconds: median(pairs.map(([q, p]) => q - p)),
  };
  log(
    `Start-up: the query command ${result.querySeconds.toFixed(3)} s, psql ${result.psqlSeconds.toFixed(3)} s, the difference ${result.startupSeconds.toFixed(3)} s (medians of ${PAIRS} pairs)`,
  );
  return result;
}

/** The summary with the start-up figure in its ratios and targets. */
export function withStartup<T extends BenchSummary>(
  summary: T,
  startup: StartupMeasurement | undefined,
): T & { ratios: { startupSeconds: number | null } } {
  const value = startup?.startupSeconds ?? null;
  const target = {
    name: 'start-up to the first statement (query command − psql), s',
    value,
    bound: STARTUP_BOUND_SECONDS,
    atLeast: false,
  };
  return {
    ...summary,
    ratios: { ...summary.ratios, startupSeconds: value },
    targets: [...summary.targets, { ...target, met: value === null ? null : value <= STARTUP_BOUND_SECONDS }],
  };
}

function withPassword(url: string, password: string | undefined): string {
  if (!password) return url;
  const at = new URL(url);
  at.password = password;
  return at.toString();
}

/** Wall seconds from the start of the process to its exit; a failure stops the bench with its output. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code === 0) resolve(seconds);
      else
        reject(
          new Error(
            `The start-up measurement's ${path.basename(command)} failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join('\n')}`,
          ),
        );
    });
  });
}
