// A value the loader's own checks let through but the server refuses fails the COPY at
// "COPY staging_events, line N": the load error must name the source file and line that
// COPY line came from, exactly, past blank, rejected and multi-line records, on both load
// paths (in-thread and worker threads). A check constraint added for the test plays the
// server's refusal.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadWorkers } from '../../src/config';
import { loadSteps, runSteps, selectSteps } from '../../src/transform/runner';
import { event, EVENT_JSONPATHS, lines } from '../support/bad-input-cases';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { count } from '../support/warehouse-state';

/** The item number the server refuses. */
const REFUSED = 13;

describe('a row the server refuses', function () {
  let db: TestDatabase;
  let dir: string;
  const stageEvents = selectSteps(loadSteps(), { only: '010_stage_events' });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparkify-server-line-'));
    fs.writeFileSync(path.join(dir, 'log_json_path.json'), EVENT_JSONPATHS);
    const logs = path.join(dir, 'logs');
    fs.mkdirSync(logs);
    fs.writeFileSync(path.join(logs, 'a.json'), lines(event(1), event(2), event(3)));
    // Line 2 blank, line 3 rejected by the loader, then one object over 20 lines, then the refused row.
    fs.writeFileSync(
      path.join(logs, 'b.json'),
      lines(event(4), '', '{"broken', JSON.stringify(event(5), null, 1), event(6), event(REFUSED), event(14)),
    );
    fs.writeFileSync(path.join(logs, 'c.json'), lines(event(20), event(REFUSED)));
    db = await createTestDatabase('embedded', {
      sources: { logData: logs, songData: path.join(dir, 'songs'), logJsonPath: path.join(dir, 'log_json_path.json') },
    });
    await db.knex.raw(`alter table staging_events add constraint refuse_item check (item_in_session <> ${REFUSED})`);
  });
  after(async () => {
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const loadWorkers of ['off', 'on'] as LoadWorkers[]) {
    it(`names the file and line of the refused row (load workers ${loadWorkers})`, async () => {
      const refusedLine =
        fs
          .readFileSync(path.join(dir, 'logs', 'b.json'), 'utf8')
          .split('\n')
          .indexOf(JSON.stringify(event(REFUSED))) + 1;
      expect(refusedLine).to.equal(25);
      const options = { fullRefresh: false, maxErrors: 5, dryRun: false };
      const [result] = (await runSteps(db, stageEvents, { ...db.config, loadWorkers }, options, { log: () => {} }))
        .results;
      expect(result.status).to.equal('error');
      expect(result.error!.message).to.contain(`${path.join(dir, 'logs', 'b.json')}, line ${refusedLine}:`);
      expect(result.error!.message).to.contain('refuse_item');
      expect(await count(db.knex, 'select count(*) from staging_events')).to.equal(0);
    });
  }
});
