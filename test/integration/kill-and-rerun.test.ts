// A transform killed with SIGKILL part-way leaves every table as it was before the step
// it was in, and the next run ends exactly where an uninterrupted run ends.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config';
import { loadSteps, runSteps } from '../../src/transform/runner';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { sourcesOf, testSample } from '../support/sample';
import { count, starState } from '../support/warehouse-state';

/** Runs `npm run transform` as a child and SIGKILLs it once `marker` appears in its output. */
function transformKilledAt(db: TestDatabase, marker: string, env: Record<string, string>): Promise<string> {
  const { host, port, user, password, database } = db.connection;
  const url = `postgres://${encodeURIComponent(user ?? '')}:${encodeURIComponent(password ?? '')}@${host}:${port}/${database}`;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        'scripts/transform.ts',
        '--target',
        'postgres',
      ],
      {
        cwd: PROJECT_ROOT,
        // Its own process group: tsx runs the script in a child process, and SIGKILL of
        // tsx alone would leave that child running. A killed run means the whole group.
        detached: true,
        env: { ...process.env, ...env, DATABASE_URL: url, WAREHOUSE_TARGET: 'postgres' },
      },
    );
    let output = '';
    const watch = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(marker) && child.exitCode === null) setTimeout(() => killGroup(child.pid!), 300);
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL'
        ? resolve(output)
        : reject(new Error(`the transform ended (${code}) before it was killed:\n${output}`)),
    );
  });
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

describe('a transform killed part-way', function () {
  let killed: TestDatabase;
  let clean: TestDatabase;

  before(async () => {
    const sample = await testSample({ events: 60000, songs: 15000 });
    killed = await createTestDatabase('embedded', { sources: sourcesOf(sample) });
    clean = await createTestDatabase('embedded', { sources: sourcesOf(sample) });
  });
  after(async () => {
    await killed?.drop();
    await clean?.drop();
  });

  it('rolls back the step it was in, and the next run finishes the job', async () => {
    const sources = killed.config.sources;
    const env = { LOG_DATA: sources.logData, SONG_DATA: sources.songData, LOG_JSONPATH: sources.logJsonPath };
    // Killed while loading the 15,000 song files: the events step has committed, the songs step has not.
    const output = await transformKilledAt(killed, '020_stage_songs', env);
    expect(output).to.contain('ok   010_stage_events');
    expect(await count(killed.knex, 'select count(*) from staging_events')).to.equal(60000);
    expect(await count(killed.knex, 'select count(*) from staging_songs')).to.equal(0);
    expect(await count(killed.knex, "select count(*) from load_ledger where source = 'songs'")).to.equal(0);
    expect(await count(killed.knex, 'select count(*) from songplays')).to.equal(0);

    const options = { fullRefresh: false, maxErrors: 0, dryRun: false };
    const rerun = (await runSteps(killed, loadSteps(), killed.config, options, { log: () => {} })).results;
    expect(rerun.filter((r) => r.status !== 'success').map((r) => r.error?.message)).to.deep.equal([]);
    expect(rerun[0].stats).to.include({ files: 0 }); // the events were staged before the kill, and kept
    (await runSteps(clean, loadSteps(), clean.config, options, { log: () => {} })).results;
    expect(await starState(killed.knex)).to.deep.equal(await starState(clean.knex));
  });
});
