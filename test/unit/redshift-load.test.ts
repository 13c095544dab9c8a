// The Redshift load's COPY text and its reading of the system views, against scripted
// stand-ins for the cluster that behave like Redshift where it matters: a failed statement
// aborts the transaction block, and a cluster may lack a view (Serverless has no STL).
import { expect } from 'chai';
import type { Knex } from 'knex';
import { loadConfig } from '../../src/config';
import { redshift } from '../../src/dialects';
import { redshiftLoad } from '../../src/load/redshift';
import { runCopy } from '../../src/load/redshift/copy-run';
import { maxErrorValue, renderCopy, type CopyParts } from '../../src/load/redshift/copy-sql';
import type { StageSpec } from '../../src/load/stage-spec';
import { recordingKnex } from '../../src/dry-run/recording-knex';
import { dryRunSteps } from '../../src/transform/dry-run';
import { loadSteps } from '../../src/transform/runner';
import { silentProgress } from '../../src/step/progress';
import type { StepContext } from '../../src/step/contract';

type Answer = (sql: string) => unknown;

/** A knex-shaped connection whose raw() answers from a script and records what it was sent. */
function scripted(answer: Answer, options: { transaction?: boolean } = {}) {
  const sent: string[] = [];
  let aborted = false;
  const db = {
    raw: async (sql: string) => {
      sent.push(sql);
      // Redshift: after an error, a transaction block refuses everything until it ends.
      if (aborted) throw new Error('current transaction is aborted, commands ignored until end of transaction block');
      try {
        return answer(sql);
      } catch (error) {
        if (options.transaction) aborted = true;
        throw error;
      }
    },
  };
  return { db: db as unknown as Knex, sent };
}

const MARKER = '2026-11-29 19:00:00';
const PID = 4242;
const COPY_ID = 777;

/** The step's transaction: answers the session, marker and counts; fails on any system view. */
function stepTransaction(copy: Answer = () => ({ rows: [] }), loaded = 100) {
  return scripted(
    (sql) => {
      if (/stl_|sys_/.test(sql)) throw new Error('a system view inside the transaction');
      if (sql.startsWith('copy')) return copy(sql);
      if (sql.includes('getdate()')) return { rows: [{ copy_marker: MARKER }] };
      if (sql.includes('pg_last_copy_count')) return { rows: [{ loaded, copy_id: COPY_ID }] };
      return { rows: [] };
    },
    { transaction: true },
  );
}

const missing = (view: string) => new Error(`relation "${view}" does not exist`);
const stlRows = [
  {
    path: 's3://b/log_data/day-1.json',
    line: 3,
    column_name: 'ts',
    reason: "Invalid digit, Value 'x'",
    raw_text: '{"ts":"x"}',
  },
  {
    path: 's3://b/log_data/day-2.json',
    line: 9,
    column_name: 'artist',
    reason: 'String length exceeds DDL length',
    raw_text: '{"artist":"..."}',
  },
];
const sysRows = stlRows.map(({ raw_text: _raw, ...row }) => row);

/** A provisioned cluster has both families; Serverless only SYS. */
function cluster(kind: 'provisioned' | 'serverless' | 'no views') {
  return scripted((sql) => {
    if (/from stl_/.test(sql) && kind !== 'provisioned') throw missing('stl_load_errors');
    if (/from sys_/.test(sql) && kind === 'no views')
      throw new Error('permission denied for relation sys_load_history');
    if (sql.includes('from stl_load_errors')) return { rows: stlRows };
    if (sql.includes('from stl_load_commits'))
      return {
        rows: [
          { path: 's3://b/log_data/day-1.json', lines: 60 },
          { path: 's3://b/log_data/day-2.json', lines: 42 },
        ],
      };
    if (sql.includes('from sys_load_error_detail')) return { rows: sysRows };
    if (sql.includes('from sys_load_detail')) return { rows: [{ path: 's3://b/log_data/day-1.json', lines: '60' }] };
    return { rows: [] };
  });
}

const copySql = 'copy "staging_events" ("ts") from \'s3://m/x.manifest\' manifest';

/** A COPY whose load fails, its rejects looked up through `outside`: the error it ends with. */
function failedCopy(outside: Parameters<typeof runCopy>[1]): Promise<unknown> {
  return runCopy(
    stepTransaction(() => {
      throw new Error('Load into table failed');
    }).db,
    outside,
    copySql,
    'staging_events',
    PID,
    0,
  ).catch((e: Error) => e);
}

describe('Redshift load: COPY text', () => {
  const parts: CopyParts = {
    table: 'staging_events',
    columns: ['ts'],
    from: 's3://m/events/x-gzip.manifest',
    manifest: true,
    gzip: true,
    roleArn: 'arn:aws:iam::123456789012:role/r',
    region: 'us-west-2',
    mapping: 'auto',
    maxErrors: 0,
  };

  it('renders MAXERROR N+1: AWS fails the load when the errors reach the value', () => {
    expect(renderCopy(parts, redshift)).to.contain('\nmaxerror 1\n');
    expect(renderCopy({ ...parts, maxErrors: 5 }, redshift)).to.contain('\nmaxerror 6\n');
    expect(maxErrorValue(99999)).to.equal(100000);
  });

  it("caps MAXERROR at AWS's 100000 and says so", () => {
    const said: string[] = [];
    expect(maxErrorValue(100000, (m) => said.push(m))).to.equal(100000);
    expect(maxErrorValue(250000, (m) => said.push(m))).to.equal(100000);
    expect(said).to.have.length(2);
    expect(said[1]).to.contain('--max-errors 250000').and.to.contain('capped at 100000').and.to.contain('99999');
  });

  it('adds MANIFEST and GZIP only when asked, and ACCEPTINVCHARS with its character', () => {
    const plain = renderCopy({ ...parts, manifest: false, gzip: false, from: 's3://b/log_data' }, redshift);
    expect(plain).not.to.match(/\n(manifest|gzip|acceptinvchars)/);
    const all = renderCopy({ ...parts, acceptInvalidChars: '?' }, redshift);
    expect(all)
      .to.contain('\nmanifest\n')
      .and.to.contain("\nacceptinvchars as '?'\n")
      .and.to.match(/\ngzip$/);
    expect(renderCopy({ ...parts, acceptInvalidChars: "'" }, redshift)).to.contain("acceptinvchars as ''''");
    expect(() => renderCopy({ ...parts, acceptInvalidChars: 'ß' }, redshift)).to.throw(/one ASCII character/);
    expect(() => renderCopy({ ...parts, acceptInvalidChars: '??' }, redshift)).to.throw(/one ASCII character/);
  });
});

describe('Redshift load: rejected lines and rows per file from the system views', () => {
  it('provisioned: reads STL_LOAD_ERRORS by pg_last_copy_id(), with the raw line, outside the transaction', async () => {
    const inside = stepTransaction();
    const outside = cluster('provisioned');
    const outcome = await runCopy(inside.db, outside.db, copySql, 'staging_events', PID, 5);
    expect(outcome.rowsLoaded).to.equal(100);
    expect(outcome.rejects).to.deep.equal([
      { path: 's3://b/log_data/day-1.json', line: 3, reason: "ts: Invalid digit, Value 'x'", raw: '{"ts":"x"}' },
      {
        path: 's3://b/log_data/day-2.json',
        line: 9,
        reason: 'artist: String length exceeds DDL length',
        raw: '{"artist":"..."}',
      },
    ]);
    expect(outside.sent[0]).to.contain('from stl_load_errors\nwhere query = 777\n').and.to.contain('limit 6');
    expect(outside.sent[1]).to.contain('from stl_load_commits\nwhere query = 777\n');
    expect([...outcome.linesPerFile!]).to.deep.equal([
      ['s3://b/log_data/day-1.json', 60],
      ['s3://b/log_data/day-2.json', 42],
    ]);
    expect(inside.sent.some((s) => /stl_|sys_/.test(s))).to.equal(false);
  });

  it('Serverless: STL is missing, so this COPY is found in SYS_LOAD_HISTORY by session and start, then SYS_LOAD_ERROR_DETAIL by that query id', async () => {
    const inside = stepTransaction();
    const outside = cluster('serverless');
    const outcome = await runCopy(inside.db, outside.db, copySql, 'staging_events', PID, 5);
    expect(outcome.rejects.map((r) => [r.path, r.line, r.reason, r.raw])).to.deep.equal([
      ['s3://b/log_data/day-1.json', 3, "ts: Invalid digit, Value 'x'", ''],
      ['s3://b/log_data/day-2.json', 9, 'artist: String length exceeds DDL length', ''],
    ]);
    const sys = outside.sent.find((s) => s.includes('from sys_load_error_detail'))!;
    expect(sys)
      .to.contain('from sys_load_history')
      .and.to.contain(`session_id = ${PID}`)
      .and.to.contain(`start_time >= '${MARKER}'`);
    expect(sys).to.contain('where query_id in (select query_id from this_copy)');
    expect(sys).not.to.contain('pg_last_copy_id'); // the STL id means nothing to SYS
    expect(outside.sent.find((s) => s.includes('from sys_load_detail'))).to.contain('from sys_load_history');
    expect([...outcome.linesPerFile!]).to.deep.equal([['s3://b/log_data/day-1.json', 60]]);
  });

  // AWS "STL_LOAD_ERRORS": it holds the main cluster's queries only, so a COPY that ran on a
  // concurrency-scaling cluster leaves it empty while SYS_LOAD_ERROR_DETAIL has its rows.
  it('an STL view that answers with no rows does not stop the SYS lookup: SYS has this COPY', async () => {
    const outside = scripted((sql) => {
      if (/from stl_/.test(sql)) return { rows: [] };
      if (sql.includes('from sys_load_error_detail')) return { rows: sysRows };
      if (sql.includes('from sys_load_detail')) return { rows: [{ path: 's3://b/log_data/day-1.json', lines: '60' }] };
      return { rows: [] };
    });
    const outcome = await runCopy(stepTransaction().db, outside.db, copySql, 'staging_events', PID, 5);
    expect(outcome.rejects.map((r) => [r.path, r.line])).to.deep.equal([
      ['s3://b/log_data/day-1.json', 3],
      ['s3://b/log_data/day-2.json', 9],
    ]);
    expect([...outcome.linesPerFile!]).to.deep.equal([['s3://b/log_data/day-1.json', 60]]);
    const failed = await failedCopy(outside.db);
    expect((failed as Error).message).to.contain('s3://b/log_data/day-1.json, line 3');
  });

  it('STL with rows: SYS is not read; both with no rows: nothing rejected, and no error', async () => {
    const provisioned = cluster('provisioned');
    await runCopy(stepTransaction().db, provisioned.db, copySql, 'staging_events', PID, 5);
    expect(provisioned.sent.filter((s) => /from sys_/.test(s))).to.deep.equal([]);
    const empty = scripted(() => ({ rows: [] }));
    const outcome = await runCopy(stepTransaction().db, empty.db, copySql, 'staging_events', PID, 5);
    expect(outcome.rejects).to.deep.equal([]);
    expect(outcome.linesPerFile).to.deep.equal(new Map());
    expect(outcome.linesUnknown).to.equal(undefined);
    // STL answered nothing and SYS could not be read: nothing rejected, as far as anyone can tell.
    const noSys = scripted((sql) => {
      if (/from sys_/.test(sql)) throw new Error('permission denied for relation sys_load_history');
      return { rows: [] };
    });
    expect((await runCopy(stepTransaction().db, noSys.db, copySql, 'staging_events', PID, 5)).rejects).to.deep.equal(
      [],
    );
  });

  it('a COPY that fails: names file, line and reason from the views, bound to this session and start, never inside the aborted transaction', async () => {
    const inside = stepTransaction(() => {
      throw new Error("Load into table 'staging_events' failed. Check 'stl_load_errors' system table for details.");
    });
    const outside = cluster('provisioned');
    const error = await runCopy(inside.db, outside.db, copySql, 'staging_events', PID, 0).catch((e: Error) => e);
    expect((error as Error).message)
      .to.contain('s3://b/log_data/day-1.json, line 3: ts: Invalid digit')
      .and.to.contain('--max-errors');
    expect(outside.sent[0])
      .to.contain(`where session = ${PID} and starttime >= '${MARKER}'`)
      .and.to.contain('select max(query) from stl_load_errors');
    expect(inside.sent.filter((s) => /stl_|sys_/.test(s))).to.deep.equal([]);
  });

  it('a failing view: the fallback runs, and the step never loses the rejects silently', async () => {
    // STL fails (Serverless), SYS answers: as above. Both fail:
    const outside = cluster('no views');
    const failed = await failedCopy(outside.db);
    expect((failed as Error).message)
      .to.contain('COPY into staging_events failed: Load into table failed')
      .and.to.contain('could not be read from the system views');
    const allowed = await runCopy(stepTransaction().db, outside.db, copySql, 'staging_events', PID, 5).catch(
      (e: Error) => e,
    );
    expect((allowed as Error).message)
      .to.contain('rolled back rather than lose them')
      .and.to.contain('permission denied');
    // With MAXERROR 1 a successful COPY rejected nothing: no error lookup, and no counts is only a note.
    const strict = await runCopy(stepTransaction().db, outside.db, copySql, 'staging_events', PID, 0);
    expect(strict.rejects).to.deep.equal([]);
    expect(strict.linesUnknown).to.contain('stl_load_commits').and.to.contain('sys_load_detail');
  });
});

describe('Redshift load: dry runs', () => {
  const env = { REDSHIFT_IAM_ROLE_ARN: 'arn:aws:iam::123456789012:role/r', AWS_REGION: 'eu-west-1' };
  const spec = loadSteps()[0];

  async function render(extra: Record<string, string>) {
    const config = loadConfig({ target: 'redshift', dryRun: true, env: { ...env, ...extra } });
    const [result] = (await dryRunSteps(redshift, [spec], config, { fullRefresh: false, maxErrors: 0, dryRun: true }))
      .results;
    return result.statements!;
  }

  it('without MANIFEST_PREFIX: both forms of the whole-prefix COPY, plain and gzip, and why it cannot choose', async () => {
    const statements = await render({});
    const copies = statements.filter((s) => s.startsWith('copy'));
    expect(copies).to.have.length(2);
    expect(copies[0])
      .to.contain("from 's3://udacity-dend/log_data'")
      .and.to.contain('does not list S3: the file list needs credentials');
    expect(copies[0]).not.to.match(/\ngzip/);
    expect(copies[1]).to.contain('\ngzip');
    expect(statements[statements.length - 1]).to.equal('analyze "staging_events"');
  });

  it('with MANIFEST_PREFIX: a manifest COPY per compression kind', async () => {
    const copies = (await render({ MANIFEST_PREFIX: 's3://my-loads/m' })).filter((s) => s.startsWith('copy'));
    expect(copies[0]).to.contain("from 's3://my-loads/m/events/<run>-plain.manifest'").and.to.contain('\nmanifest\n');
    expect(copies[1]).to.contain("from 's3://my-loads/m/events/<run>-gzip.manifest'").and.to.contain('\ngzip');
  });

  it('another bucket: SOURCE_REGION, or AWS_REGION with a note that the real run looks it up', async () => {
    const own = { LOG_DATA: 's3://my-data/log_data', LOG_JSONPATH: 'auto' };
    expect((await render({ ...own, SOURCE_REGION: 'ap-south-1' })).find((s) => s.startsWith('copy')))
      .to.contain("\nregion 'ap-south-1'\n")
      .and.not.to.contain('GetBucketLocation');
    const guessed = (await render(own)).find((s) => s.startsWith('copy'))!;
    expect(guessed)
      .to.contain("\nregion 'eu-west-1'\n")
      .and.to.contain('looked up with GetBucketLocation on a real run');
  });

  it('refuses local paths: Redshift COPY reads only S3', async () => {
    const config = loadConfig({ target: 'redshift', dryRun: true, env: { ...env, LOG_DATA: '/home/me/log_data' } });
    const { knex } = recordingKnex('redshift');
    const context: StepContext = {
      db: knex,
      outside: knex,
      dialect: redshift,
      config,
      options: { fullRefresh: false, maxErrors: 0, dryRun: true },
      progress: silentProgress,
      log: () => {},
    };
    const eventsSpec: StageSpec = {
      source: 'events',
      table: 'staging_events',
      columns: ['ts'],
      uri: (c) => c.sources.logData,
      mapping: () => 'auto',
      keeps: 'batch',
    };
    const error = await redshiftLoad(context, eventsSpec, knex).catch((e: Error) => e);
    expect((error as Error).message)
      .to.contain('LOG_DATA is "/home/me/log_data"')
      .and.to.contain('s3://');
    await knex.destroy();
  });
});
