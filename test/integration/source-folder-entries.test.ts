// What a source folder may hold besides plain files and folders, loaded on real PostgreSQL:
// a symbolic link to a folder is followed (once: a link back up the tree is not walked
// again), a link that leads nowhere or to itself is a file that cannot be read (rejected
// at line 0, counted, so rows read = loaded + rejected), and what is not a regular file
// (a FIFO named *.json) is skipped with a note rather than read, which would wait for a
// writer for ever. Names are matched without regard to case: x.JSON.GZ is gunzipped.
import { expect } from 'chai';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadSteps, runSteps, selectSteps } from '../../src/transform/runner';
import type { RunOptions } from '../../src/step/contract';
import { event, EVENT_JSONPATHS, lines } from '../support/bad-input-cases';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { count } from '../support/warehouse-state';

describe('source folders: links, special files and name case', function () {
  let db: TestDatabase;
  let dir: string;
  let logs: string;
  const stageEvents = selectSteps(loadSteps(), { only: '010_stage_events' });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparkify-entries-'));
    logs = path.join(dir, 'logs');
    fs.writeFileSync(path.join(dir, 'log_json_path.json'), EVENT_JSONPATHS);
    db = await createTestDatabase('embedded', {
      sources: { logData: logs, songData: path.join(dir, 'songs'), logJsonPath: path.join(dir, 'log_json_path.json') },
    });
  });
  after(async () => {
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    fs.rmSync(logs, { recursive: true, force: true });
    fs.rmSync(path.join(dir, 'elsewhere'), { recursive: true, force: true });
    fs.mkdirSync(logs);
    fs.writeFileSync(path.join(logs, 'day1.json'), lines(event(10), event(11), event(12)));
    await db.knex.raw('truncate staging_events, load_ledger, load_errors');
  });

  const run = async (maxErrors = 0) => {
    const notes: string[] = [];
    const options: RunOptions = { fullRefresh: false, maxErrors, dryRun: false };
    const [result] = (await runSteps(db, stageEvents, db.config, options, { log: (line: string) => notes.push(line) }))
      .results;
    return { result, notes };
  };
  const ledgerPaths = async () =>
    (await db.knex('load_ledger').orderBy('path').select('path')).map((r: { path: string }) => r.path);

  it('follows a symbolic link to a folder, and loads what is under it', async () => {
    const elsewhere = path.join(dir, 'elsewhere', '2018', '11');
    fs.mkdirSync(elsewhere, { recursive: true });
    fs.writeFileSync(path.join(elsewhere, 'day2.json'), lines(event(20), event(21)));
    fs.symlinkSync(path.join(dir, 'elsewhere'), path.join(logs, 'linked'));
    const { result } = await run();
    expect(result.status, result.error?.message).to.equal('success');
    expect(result.stats).to.include({ files: 2, rowsRead: 5, rowsLoaded: 5, rowsRejected: 0 });
    expect(await ledgerPaths()).to.deep.equal([
      path.join(logs, 'day1.json'),
      path.join(logs, 'linked', '2018', '11', 'day2.json'),
    ]);
  });

  it('walks a folder once when a link leads back up the tree', async () => {
    fs.mkdirSync(path.join(logs, 'sub'));
    fs.writeFileSync(path.join(logs, 'sub', 'day2.json'), lines(event(20)));
    fs.symlinkSync('..', path.join(logs, 'sub', 'up'));
    fs.symlinkSync('.', path.join(logs, 'here'));
    const { result } = await run();
    expect(result.status, result.error?.message).to.equal('success');
    expect(result.stats).to.include({ files: 2, rowsRead: 4, rowsLoaded: 4 });
  });

  for (const [kind, make, reason] of [
    ['a link that leads nowhere', (link: string) => fs.symlinkSync(path.join(dir, 'gone.json'), link), /ENOENT/],
    ['a link to itself', (link: string) => fs.symlinkSync(link, link), /ELOOP/],
  ] as Array<[string, (link: string) => void, RegExp]>) {
    describe(`${kind}, named *.json`, () => {
      let link: string;
      beforeEach(() => {
        link = path.join(logs, 'day2.json');
        make(link);
      });

      it('fails the load by default, naming the file and the reason, and loads nothing', async () => {
        const { result } = await run(0);
        expect(result.status).to.equal('error');
        expect(result.error!.message).to.contain(link).and.to.match(reason).and.to.contain('--max-errors');
        expect(await count(db.knex, 'select count(*) from staging_events')).to.equal(0);
      });

      it('with --max-errors is one reject at line 0, counted, and the good files load', async () => {
        const { result } = await run(5);
        expect(result.status, result.error?.message).to.equal('success');
        expect(result.stats).to.include({ rowsRead: 4, rowsLoaded: 3, rowsRejected: 1 });
        const rejects = await db.knex('load_errors').select('path', 'line_number', 'reason');
        expect(rejects).to.have.length(1);
        expect(rejects[0].path).to.equal(link);
        expect(Number(rejects[0].line_number)).to.equal(0);
        expect(rejects[0].reason).to.match(reason);
      });
    });
  }

  describe('a FIFO named *.json', () => {
    let fifo: string;
    let writer: ChildProcess | undefined;
    beforeEach(function () {
      fifo = path.join(logs, 'pipe.json');
      try {
        execFileSync('mkfifo', [fifo]);
      } catch {
        this.skip();
      }
      // Should the loader open the FIFO, a writer in another process ends the wait with an
      // empty stream, so a loader that reads it finishes (and fails this test) instead of
      // hanging. It opens without blocking, so it never waits for a reader that never comes.
      const poll = `const fs=require('fs');setInterval(()=>{try{fs.closeSync(fs.openSync(${JSON.stringify(fifo)},fs.constants.O_WRONLY|fs.constants.O_NONBLOCK))}catch{}},50)`;
      writer = spawn(process.execPath, ['-e', poll], { stdio: 'ignore' });
    });
    afterEach(() => {
      writer?.kill();
    });

    it('is skipped with a note, never opened, and the regular files load', async () => {
      const { result, notes } = await run();
      expect(result.status, result.error?.message).to.equal('success');
      expect(result.stats).to.include({ files: 1, rowsRead: 3, rowsLoaded: 3, rowsRejected: 0 });
      expect(await ledgerPaths()).to.deep.equal([path.join(logs, 'day1.json')]);
      expect(notes.join('\n')).to.contain(fifo).and.to.contain('not a regular file');
    });
  });

  it('gunzips x.JSON.GZ as it does x.json.gz: one case-insensitive check of the extension', async () => {
    fs.writeFileSync(path.join(logs, 'DAY2.JSON.GZ'), gzipSync(lines(event(20), event(21))));
    fs.writeFileSync(path.join(logs, 'day3.Json.Gz'), gzipSync(lines(event(30))));
    const { result } = await run();
    expect(result.status, result.error?.message).to.equal('success');
    expect(result.stats).to.include({ files: 3, rowsRead: 6, rowsLoaded: 6, rowsRejected: 0 });
  });
});
