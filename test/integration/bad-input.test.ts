// Every kind of bad input, from the shared table (test/support/bad-input-cases.ts, where
// Redshift's behaviour sits beside each case): a rejected line by default fails the load,
// naming the file, the line and the reason, and changes nothing; with --max-errors the
// good rows load, each bad line is kept in load_errors, and rows read = rows loaded +
// rows rejected. Input that loads (a zero-byte file; invalid UTF-8 with
// --accept-invalid-chars) loads with no reject and is recorded in the ledger.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadSteps, runSteps, selectSteps } from '../../src/transform/runner';
import type { RunOptions } from '../../src/step/contract';
import { BAD_INPUT_CASES, event, EVENT_JSONPATHS, lines, type BadInputCase } from '../support/bad-input-cases';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { count } from '../support/warehouse-state';

describe('bad input in the event logs', function () {
  let db: TestDatabase;
  let dir: string;
  const stageEvents = selectSteps(loadSteps(), { only: '010_stage_events' });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparkify-bad-'));
    fs.writeFileSync(path.join(dir, 'log_json_path.json'), EVENT_JSONPATHS);
    db = await createTestDatabase('embedded', {
      sources: {
        logData: path.join(dir, 'logs'),
        songData: path.join(dir, 'songs'),
        logJsonPath: path.join(dir, 'log_json_path.json'),
      },
    });
  });
  after(async () => {
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    fs.rmSync(path.join(dir, 'logs'), { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, 'logs'));
    fs.writeFileSync(path.join(dir, 'logs', 'day1.json'), lines(event(10), event(11), event(12)));
    await db.knex.raw('truncate staging_events, load_ledger, load_errors');
  });

  const run = (bad: BadInputCase, maxErrors: number) => {
    const options: RunOptions = { fullRefresh: false, maxErrors, dryRun: false, ...bad.options };
    return runSteps(db, stageEvents, db.config, options, { log: () => {} }).then((outcome) => outcome.results);
  };

  for (const bad of BAD_INPUT_CASES) {
    describe(bad.name, () => {
      let badPath: string;
      beforeEach(() => {
        badPath = path.join(dir, 'logs', bad.file);
        fs.writeFileSync(badPath, bad.content);
      });

      if ('reject' in bad.local) {
        const expected = bad.local.reject;
        it('fails the load by default, naming the file, line and reason, and loads nothing', async () => {
          const [result] = await run(bad, 0);
          expect(result.status).to.equal('error');
          const message = result.error!.message;
          expect(message).to.contain(badPath);
          if (expected.line > 0) expect(message).to.contain(`line ${expected.line}`);
          expect(message).to.match(expected.reason);
          expect(message).to.contain('--max-errors');
          expect(await count(db.knex, 'select count(*) from staging_events')).to.equal(0);
          expect(await count(db.knex, 'select count(*) from load_ledger')).to.equal(0);
          expect(await count(db.knex, 'select count(*) from load_errors')).to.equal(0);
        });

        it('with --max-errors loads the good rows and keeps the bad line in load_errors', async () => {
          const [result] = await run(bad, 5);
          expect(result.status, result.error?.message).to.equal('success');
          const { rowsRead, rowsLoaded, rowsRejected } = result.stats;
          expect(rowsRead).to.equal(3 + expected.read);
          expect(rowsLoaded).to.equal(3 + expected.goodInBadFile);
          expect(rowsRejected).to.equal(1);
          expect(rowsRead).to.equal(rowsLoaded! + rowsRejected!);
          expect(await count(db.knex, 'select count(*) from staging_events')).to.equal(rowsLoaded);
          const rejects = await db.knex('load_errors').select('*');
          expect(rejects).to.have.length(1);
          expect(rejects[0]).to.include({ source: 'events', path: badPath });
          expect(Number(rejects[0].line_number)).to.equal(expected.line);
          expect(rejects[0].reason).to.match(expected.reason);
        });
      } else {
        const expected = bad.local.load;
        it('loads by default with no reject, and records the file in the ledger', async () => {
          const [result] = await run(bad, 0);
          expect(result.status, result.error?.message).to.equal('success');
          expect(result.stats).to.include({
            files: 2,
            rowsRead: 3 + expected.rows,
            rowsLoaded: 3 + expected.rows,
            rowsRejected: 0,
          });
          expect(await count(db.knex, 'select count(*) from staging_events')).to.equal(3 + expected.rows);
          expect(await count(db.knex, 'select count(*) from load_errors')).to.equal(0);
          const ledger = await db.knex('load_ledger').where({ path: badPath }).select('rows_loaded', 'rows_rejected');
          expect(ledger.map((r) => [Number(r.rows_loaded), Number(r.rows_rejected)])).to.deep.equal([
            [expected.rows, 0],
          ]);
          if (expected.stored) {
            const rows = (await db.knex.raw(expected.stored.sql)).rows as Array<Record<string, unknown>>;
            expect(rows.map((r) => Object.values(r)[0])).to.deep.equal([expected.stored.value]);
          }
        });
      }
    });
  }

  it('keeps the invalid bytes of a rejected line readable in load_errors (\\xff, not U+FFFD)', async () => {
    const invalid = BAD_INPUT_CASES.find((c) => c.name === 'invalid UTF-8 bytes')!;
    fs.writeFileSync(path.join(dir, 'logs', invalid.file), invalid.content);
    await run(invalid, 5);
    const [reject] = await db.knex('load_errors').select('raw_line');
    expect(reject.raw_line).to.contain('"artist":"Bj\\xff\\xferk"').and.not.to.contain('\uFFFD');
  });

  it('keeps a raw NUL of a rejected line in load_errors as \\x00, as it keeps invalid bytes', async () => {
    const nul = BAD_INPUT_CASES.find((c) => c.name === 'a raw NUL byte inside a string')!;
    fs.writeFileSync(path.join(dir, 'logs', nul.file), nul.content);
    const [result] = await run(nul, 5);
    expect(result.status, result.error?.message).to.equal('success');
    const [reject] = await db.knex('load_errors').select('raw_line');
    expect(reject.raw_line).to.contain('"artist":"Bj\\x00rk"');
  });

  it('stops the step, even with --max-errors, on a file that cannot be read on after rows of it went in: none of its lines may go missing', async () => {
    const day = lines(...Array.from({ length: 3000 }, (_, i) => event(i + 1)));
    const torn = path.join(dir, 'logs', 'day2.json.gz');
    const whole = gzipSync(day);
    fs.writeFileSync(torn, whole.subarray(0, whole.length / 2));
    const [result] = await run({ ...BAD_INPUT_CASES[0], options: undefined }, 5);
    expect(result.status).to.equal('error');
    expect(result.error!.message).to.match(
      /day2\.json\.gz: the file could not be read on after line \d+ \(unexpected end of file\)/,
    );
    expect(await count(db.knex, 'select count(*) from load_ledger')).to.equal(0);
    expect(await count(db.knex, 'select count(*) from staging_events')).to.equal(0);
  });

  it('loads a zero-byte file once: the ledger skips it on the next run', async () => {
    fs.writeFileSync(path.join(dir, 'logs', 'day2.json'), '');
    const options: RunOptions = { fullRefresh: false, maxErrors: 0, dryRun: false };
    const [first] = (await runSteps(db, stageEvents, db.config, options, { log: () => {} })).results;
    expect(first.stats).to.include({ files: 2, rowsLoaded: 3 });
    const [again] = (await runSteps(db, stageEvents, db.config, options, { log: () => {} })).results;
    expect(again.stats).to.include({ files: 0, filesSkipped: 2 });
  });

  it('refuses a JSONPaths file whose paths do not pair up with the columns', async () => {
    const short = path.join(dir, 'short_paths.json');
    fs.writeFileSync(short, JSON.stringify({ jsonpaths: ["$['artist']"] }));
    const config = { ...db.config, sources: { ...db.config.sources, logJsonPath: short } };
    const [result] = (
      await runSteps(db, stageEvents, config, { fullRefresh: false, maxErrors: 0, dryRun: false }, { log: () => {} })
    ).results;
    expect(result.status).to.equal('error');
    expect(result.error!.message).to.contain(short).and.to.contain('1 JSONPaths').and.to.contain('18 columns');
  });

  it('names a source folder that does not exist and how to make one', async () => {
    const config = { ...db.config, sources: { ...db.config.sources, logData: path.join(dir, 'nowhere') } };
    const [result] = (
      await runSteps(db, stageEvents, config, { fullRefresh: false, maxErrors: 0, dryRun: false }, { log: () => {} })
    ).results;
    expect(result.error!.message).to.contain(path.join(dir, 'nowhere')).and.to.contain('npm run generate');
  });
});
