// A transform stopped by Ctrl-C or `kill` (SIGINT, SIGTERM) on the postgres target says
// so, exits with the shell's code for the signal, rolls back the step it was in and
// records the run as failed; before, it exited 130/143 in silence and the run history
// kept the run 'running' for ever (issue 21, item 10).
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { sourcesOf, testSample } from '../support/sample';
import { count } from '../support/warehouse-state';

interface Stopped {
  code: number | null;
  output: string;
}

/** Runs `npm run transform` as a child and sends `signal` to its process group once `marker` appears in its output. */
function transformStoppedAt(db: TestDatabase, marker: string, signal: 'SIGINT' | 'SIGTERM'): Promise<Stopped> {
  const { host, port, user, password, database } = db.connection;
  const url = `postgres://${encodeURIComponent(user ?? '')}:${encodeURIComponent(password ?? '')}@${host}:${port}/${database}`;
  const { logData, songData, logJsonPath } = db.config.sources;
  return new Promise((resolve, reject) => {
    // As `npm run transform` starts it (package.json): node itself, running the compiled build
    // (no tsx CLI between, which as a parent SIGKILLs a child slow to answer a signal).
    const [node, ...args] = (
      JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts.transform.split(' ');
    expect(node).to.equal('node');
    const child = spawn(process.execPath, [...args, '--target', 'postgres'], {
      cwd: PROJECT_ROOT,
      // Its own process group, as a terminal's Ctrl-C signals the whole foreground group.
      detached: true,
      env: {
        ...process.env,
        LOG_DATA: logData,
        SONG_DATA: songData,
        LOG_JSONPATH: logJsonPath,
        DATABASE_URL: url,
        WAREHOUSE_TARGET: 'postgres',
        TZ: 'Pacific/Chatham',
      },
    });
    let output = '';
    let sent = false;
    const watch = (chunk: Buffer) => {
      output += chunk.toString();
      if (!sent && output.includes(marker)) {
        sent = true;
        setTimeout(() => process.kill(-child.pid!, signal), 300);
      }
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    child.on('error', reject);
    child.on('exit', (code) =>
      sent
        ? resolve({ code, output })
        : reject(new Error(`the transform ended (${code}) before it was stopped:\n${output}`)),
    );
  });
}

describe('a transform stopped by a signal on the postgres target', function () {
  let db: TestDatabase;

  before(async () => {
    const sample = await testSample({ events: 60000, songs: 15000 });
    db = await createTestDatabase('embedded', { sources: sourcesOf(sample) });
  });
  after(async () => {
    await db?.drop();
  });

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal}: says so, exits ${code}, rolls back the step it was in and records the run as failed`, async () => {
      // Stopped while loading the 15,000 song files: the events step has committed, the songs step has not.
      const stopped = await transformStoppedAt(db, '020_stage_songs', signal);
      expect(stopped.code, stopped.output).to.equal(code);
      expect(stopped.output, stopped.output).to.contain(`Stopped by ${signal}: the step in progress rolls back`);
      expect(await count(db.knex, 'select count(*) from staging_events')).to.equal(60000);
      expect(await count(db.knex, 'select count(*) from staging_songs')).to.equal(0);
      const newest = await db
        .knex('transform_runs')
        .select('status', 'error', 'finished_at')
        .orderBy('started_at', 'desc')
        .first();
      expect(newest).to.include({ status: 'failed', error: `stopped by ${signal} while running` });
      expect(newest.finished_at).not.to.equal(null);
      expect(await count(db.knex, "select count(*) from transform_runs where status = 'running'")).to.equal(0);
    });
  }
});
