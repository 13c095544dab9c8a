// The Redshift load's error handling, against a scripted stand-in for the cluster
// (no machine here reaches Redshift; the SQL itself is pinned by the golden tests).
import { expect } from 'chai';
import type { Knex } from 'knex';
import { loadConfig } from '../../src/config';
import { redshift } from '../../src/dialects';
import { redshiftLoad } from '../../src/load/redshift-copy';
import type { StageSpec } from '../../src/load/stage-spec';
import { silentProgress } from '../../src/transform/progress';
import type { StepContext } from '../../src/transform/step';

type Answer = (sql: string) => unknown;

/** A knex-shaped object whose raw() answers from a script and records what it was sent. */
function scriptedDb(answer: Answer) {
  const sent: string[] = [];
  const inserted: Array<Record<string, unknown>> = [];
  const db = Object.assign((table: string) => ({ insert: async (rows: Array<Record<string, unknown>>) => inserted.push(...rows.map((r) => ({ table, ...r }))) }), {
    raw: async (sql: string) => {
      sent.push(sql);
      return answer(sql);
    },
  });
  return { db: db as unknown as Knex, sent, inserted };
}

const spec: StageSpec = {
  source: 'events',
  table: 'staging_events',
  columns: ['artist', 'ts'],
  uri: (c) => c.sources.logData,
  mapping: (c) => c.sources.logJsonPath,
  keeps: 'batch',
};

const config = loadConfig({
  target: 'redshift',
  dryRun: true,
  env: { REDSHIFT_IAM_ROLE_ARN: 'arn:aws:iam::123456789012:role/r', AWS_REGION: 'us-west-2' },
});

function context(db: Knex, maxErrors: number): StepContext {
  return { db, outside: db, dialect: redshift, config, options: { fullRefresh: false, maxErrors, dryRun: false }, progress: silentProgress, log: () => {} };
}

describe('loading on Redshift', () => {
  it('names file, line, column and reason from SYS_LOAD_ERROR_DETAIL when COPY fails', async () => {
    const inside = scriptedDb((sql) => {
      if (sql.startsWith('copy')) throw new Error("Load into table 'staging_events' failed. Check 'sys_load_error_detail' system table for details.");
      if (sql.includes('pg_backend_pid')) return { rows: [{ pid: 4242 }] };
      return { rows: [] };
    });
    const outside = scriptedDb((sql) =>
      sql.includes('sys_load_error_detail') ? { rows: [{ path: 's3://udacity-dend/log_data/2018/11/2018-11-02-events.json', line: 7, column_name: 'ts', reason: 'Invalid digit, Value \'y\'' }] } : { rows: [] },
    );
    const error = await redshiftLoad(context(inside.db, 0), spec, outside.db).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).to.contain('s3://udacity-dend/log_data/2018/11/2018-11-02-events.json, line 7: ts: Invalid digit');
    expect(error?.message).to.contain('--max-errors');
    expect(outside.sent[0]).to.contain('session_id = 4242');
    expect(inside.sent[0]).to.equal('delete from "staging_events"'); // not TRUNCATE: that would commit
  });

  it('falls back to STL_LOAD_ERRORS where the SYS view is missing', async () => {
    const inside = scriptedDb((sql) => {
      if (sql.startsWith('copy')) throw new Error('Load into table failed');
      return { rows: [{ pid: 7 }] };
    });
    const outside = scriptedDb((sql) => {
      if (sql.includes('sys_load_error_detail')) throw new Error('relation "sys_load_error_detail" does not exist');
      return { rows: [{ path: 's3://b/x.json', line: 3, column_name: 'artist', reason: 'String length exceeds DDL length', raw: '{...}' }] };
    });
    const error = await redshiftLoad(context(inside.db, 0), spec, outside.db).catch((e: Error) => e);
    expect(outside.sent[1]).to.contain('from stl_load_errors where session = 7');
    expect((error as Error).message).to.contain('s3://b/x.json, line 3: artist: String length exceeds DDL length');
  });

  it('with --max-errors keeps the rejected lines in load_errors and counts read = loaded + rejected', async () => {
    const inside = scriptedDb((sql) => {
      if (sql.includes('pg_backend_pid')) return { rows: [{ pid: 1 }] };
      if (sql.includes('pg_last_copy_count')) return { rows: [{ loaded: 8054 }] };
      if (sql.includes('sys_load_error_detail')) {
        return { rows: [1, 2].map((line) => ({ path: 's3://b/day.json', line, column_name: 'ts', reason: 'Invalid digit' })) };
      }
      return { rows: [] };
    });
    const stats = await redshiftLoad(context(inside.db, 5), spec, inside.db);
    expect(stats).to.deep.equal({ rowsLoaded: 8054, rowsRejected: 2, rowsRead: 8056 });
    expect(inside.sent.find((s) => s.startsWith('copy'))).to.contain('maxerror 5');
    expect(inside.sent.find((s) => s.includes('sys_load_error_detail'))).to.contain('query_id = pg_last_copy_id()');
    expect(inside.inserted.map((r) => [r.table, r.path, r.line_number, r.reason])).to.deep.equal([
      ['load_errors', 's3://b/day.json', 1, 'ts: Invalid digit'],
      ['load_errors', 's3://b/day.json', 2, 'ts: Invalid digit'],
    ]);
  });

  it('refuses local paths: Redshift COPY reads only S3', async () => {
    const local = { ...config, sources: { ...config.sources, logData: '/home/me/log_data' } };
    const { db } = scriptedDb(() => ({ rows: [] }));
    const error = await redshiftLoad({ ...context(db, 0), config: local }, spec, db).catch((e: Error) => e);
    expect((error as Error).message).to.contain('LOG_DATA is "/home/me/log_data"').and.to.contain('s3://');
  });
});
