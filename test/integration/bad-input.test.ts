// Every kind of bad input: by default the load fails naming the file, the line and the
// reason, and changes nothing; with --max-errors the good rows load, each bad line is
// kept in load_errors, and rows read = rows loaded + rows rejected.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadSteps, runSteps, selectSteps } from '../../src/transform/runner';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { count } from '../support/warehouse-state';

const JSONPATHS = JSON.stringify({
  jsonpaths: ['artist', 'auth', 'firstName', 'gender', 'itemInSession', 'lastName', 'length', 'level', 'location', 'method', 'page', 'registration', 'sessionId', 'song', 'status', 'ts', 'userAgent', 'userId'].map(
    (k) => `$['${k}']`,
  ),
});

function event(item: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    artist: 'Des\'ree', auth: 'Logged In', firstName: 'Kaylee', gender: 'F', itemInSession: item, lastName: 'Summers', length: 246.30812,
    level: 'free', location: 'Phoenix-Mesa-Scottsdale, AZ', method: 'PUT', page: 'NextSong', registration: 1540344794796.0, sessionId: 139,
    song: 'You Gotta Be', status: 200, ts: 1541106106796 + item, userAgent: '"Mozilla/5.0"', userId: '8', ...overrides,
  };
}

const lines = (...records: Array<Record<string, unknown> | string>) => records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';

interface BadCase {
  name: string;
  /** File name and content of the bad file; a good file sits beside it. */
  file: string;
  content: Buffer | string;
  line: number;
  reason: RegExp;
  /** Good lines in the bad file. */
  goodInBadFile: number;
  read: number;
}

const withoutUserAgent = event(3);
delete withoutUserAgent.userAgent;

const cases: BadCase[] = [
  { name: 'a malformed line', file: 'day2.json', content: lines(event(1), '{"artist": "cut off', event(2)), line: 2, reason: /malformed JSON/, goodInBadFile: 2, read: 3 },
  { name: 'a value of the wrong type', file: 'day2.json', content: lines(event(1), event(2, { ts: 'yesterday' })), line: 2, reason: /ts must be a whole number, got "yesterday"/, goodInBadFile: 1, read: 2 },
  { name: 'a missing field', file: 'day2.json', content: lines(event(1), event(2), withoutUserAgent), line: 3, reason: /user_agent is missing/, goodInBadFile: 2, read: 3 },
  { name: 'a byte-order mark', file: 'day2.json', content: '\uFEFF' + lines(event(1), event(2)), line: 1, reason: /byte-order mark/, goodInBadFile: 1, read: 2 },
  { name: 'an empty file', file: 'day2.json', content: '', line: 0, reason: /file is empty/, goodInBadFile: 0, read: 1 },
  { name: 'an unreadable file', file: 'day2.json.gz', content: Buffer.concat([gzipSync(lines(event(1))).subarray(0, 12), Buffer.from('not gzip at all')]), line: 0, reason: /unreadable/, goodInBadFile: 0, read: 1 },
  { name: 'a text longer than its column', file: 'day2.json', content: lines(event(1, { gender: 'x'.repeat(40) })), line: 1, reason: /gender is 40 bytes, longer than the column's 16/, goodInBadFile: 0, read: 1 },
];

describe('bad input in the event logs', function () {
  let db: TestDatabase;
  let dir: string;
  const stageEvents = selectSteps(loadSteps(), { only: '010_stage_events' });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparkify-bad-'));
    fs.writeFileSync(path.join(dir, 'log_json_path.json'), JSONPATHS);
    db = await createTestDatabase('embedded', {
      sources: { logData: path.join(dir, 'logs'), songData: path.join(dir, 'songs'), logJsonPath: path.join(dir, 'log_json_path.json') },
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

  for (const bad of cases) {
    describe(bad.name, () => {
      let badPath: string;
      beforeEach(() => {
        badPath = path.join(dir, 'logs', bad.file);
        fs.writeFileSync(badPath, bad.content);
      });

      it('fails the load by default, naming the file, line and reason, and loads nothing', async () => {
        const [result] = (await runSteps(db, stageEvents, db.config, { fullRefresh: false, maxErrors: 0, dryRun: false }, { log: () => {} })).results;
        expect(result.status).to.equal('error');
        const message = result.error!.message;
        expect(message).to.contain(badPath);
        if (bad.line > 0) expect(message).to.contain(`line ${bad.line}`);
        expect(message).to.match(bad.reason);
        expect(message).to.contain('--max-errors');
        expect(await count(db.knex, 'select count(*) from staging_events')).to.equal(0);
        expect(await count(db.knex, 'select count(*) from load_ledger')).to.equal(0);
        expect(await count(db.knex, 'select count(*) from load_errors')).to.equal(0);
      });

      it('with --max-errors loads the good rows and keeps the bad line in load_errors', async () => {
        const [result] = (await runSteps(db, stageEvents, db.config, { fullRefresh: false, maxErrors: 5, dryRun: false }, { log: () => {} })).results;
        expect(result.status, result.error?.message).to.equal('success');
        const { rowsRead, rowsLoaded, rowsRejected } = result.stats;
        expect(rowsRead).to.equal(3 + bad.read);
        expect(rowsLoaded).to.equal(3 + bad.goodInBadFile);
        expect(rowsRejected).to.equal(1);
        expect(rowsRead).to.equal(rowsLoaded! + rowsRejected!);
        expect(await count(db.knex, 'select count(*) from staging_events')).to.equal(rowsLoaded);
        const rejects = await db.knex('load_errors').select('*');
        expect(rejects).to.have.length(1);
        expect(rejects[0]).to.include({ source: 'events', path: badPath });
        expect(Number(rejects[0].line_number)).to.equal(bad.line);
        expect(rejects[0].reason).to.match(bad.reason);
      });
    });
  }

  it('refuses a JSONPaths file whose paths do not pair up with the columns', async () => {
    const short = path.join(dir, 'short_paths.json');
    fs.writeFileSync(short, JSON.stringify({ jsonpaths: ["$['artist']"] }));
    const config = { ...db.config, sources: { ...db.config.sources, logJsonPath: short } };
    const [result] = (await runSteps(db, stageEvents, config, { fullRefresh: false, maxErrors: 0, dryRun: false }, { log: () => {} })).results;
    expect(result.status).to.equal('error');
    expect(result.error!.message).to.contain(short).and.to.contain('1 JSONPaths').and.to.contain('18 columns');
  });

  it('names a source folder that does not exist and how to make one', async () => {
    const config = { ...db.config, sources: { ...db.config.sources, logData: path.join(dir, 'nowhere') } };
    const [result] = (await runSteps(db, stageEvents, config, { fullRefresh: false, maxErrors: 0, dryRun: false }, { log: () => {} })).results;
    expect(result.error!.message).to.contain(path.join(dir, 'nowhere')).and.to.contain('npm run generate');
  });
});
