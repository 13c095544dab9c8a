// The shapes the upsert helpers render, on every engine alike.
import { expect } from 'chai';
import { declaredTables } from '../../src/migrate/declarations';
import { loadConfig } from '../../src/config';
import { postgres, redshift, type Dialect } from '../../src/dialects';
import { dryRunSteps } from '../../src/transform/dry-run';
import { loadSteps, selectSteps } from '../../src/transform/runner';
import { insertNewFromBatch, sameValues, upsertFromBatch } from '../../src/transform/batch-statements';
import { songMatch } from '../../transforms/song-matches';

describe('the upsert helpers', () => {
  it('compare text columns with their lengths, so trailing blanks count on Redshift as on PostgreSQL', () => {
    expect(sameValues('b', 't', ['name', 'year'], ['name'])).to.equal(
      '((b.name = t.name and length(b.name) = length(t.name)) or (b.name is null and t.name is null))\n' +
        '  and (b.year = t.year or (b.year is null and t.year is null))',
    );
    const upsert = upsertFromBatch(postgres, {
      table: 'artists',
      key: ['artist_id'],
      columns: ['artist_id', 'name'],
      text: ['name'],
      batch: 'select 1',
    });
    expect(upsert[1].sql).to.include('length(artists_batch.name) = length("artists".name)');
  });

  it("restrict the anti-join's scan of the target to the batch's range of its sort key", () => {
    const insert = insertNewFromBatch(postgres, {
      table: 'time',
      key: ['start_time'],
      columns: ['start_time', 'hour'],
      range: 'start_time',
      batch: 'select 1',
    });
    expect(insert.otherwise[1].sql).to.equal(
      '\ndelete from time_batch\nusing "time"\nwhere time_batch.start_time = "time".start_time\n' +
        '  and "time".start_time between (select min(start_time) from time_batch) and (select max(start_time) from time_batch)',
    );
  });

  it('insert the batch straight into an empty table, with nothing staged or checked', () => {
    const insert = insertNewFromBatch(postgres, {
      table: 'time',
      key: ['start_time'],
      columns: ['start_time', 'hour'],
      range: 'start_time',
      batch: '\nselect 1, 2\n',
    });
    expect(insert.table).to.equal('time');
    expect(insert.whenEmpty).to.deep.equal([
      {
        sql: '\ninsert into "time" (start_time, hour)\nselect 1, 2',
        counts: 'inserted',
        insertsBatchInto: 'time',
        intoEmptyTable: true,
      },
      { sql: "insert into check_scope (table_name, kind) values ('time', 'all')" },
    ]);
    expect(insert.otherwise.map((s) => s.sql.trim().split('\n')[0])).to.deep.equal([
      'create temp table time_batch as',
      'delete from time_batch',
      'insert into check_scope (table_name, kind, range_from, range_to)',
      'insert into check_scope (table_name, kind)',
      'insert into "time" (start_time, hour)',
      'drop table time_batch',
    ]);
  });

  it('a dry run asks whether the table holds a row, then shows both forms, each statement saying when it runs', async () => {
    const config = loadConfig({ target: 'postgres', dryRun: true, env: {} });
    const { results } = await dryRunSteps(redshift, selectSteps(loadSteps(), { only: '060' }), config, {
      fullRefresh: false,
      maxErrors: 0,
      dryRun: true,
    });
    const statements = results[0].statements!.map((s) => s.trim());
    expect(statements[1]).to.equal('select 1 as found from "time" limit 1');
    // The last statement records that the step ran, whichever form ran (check-scope.ts).
    expect(
      statements.slice(2, -1).map((s) => s.match(/\/\* when "time" (is empty|has rows) \*\/$/)?.[1]),
    ).to.deep.equal(['is empty', 'is empty', 'has rows', 'has rows', 'has rows', 'has rows', 'has rows', 'has rows']);
    expect(statements.at(-1)).to.equal("insert into check_scope (table_name, kind) values ('time', 'ran')");
  });

  it("match songs without trailing blanks on both sides, the song's names repaired as the play's are", () => {
    expect(songMatch('s', 'p')).to.equal(
      'rtrim(f_repair_double_encoding(s.title)) = rtrim(p.song_title)\n        and rtrim(f_repair_double_encoding(s.artist_name)) = rtrim(p.artist_name)\n        and s.duration = p.song_length',
    );
  });
});

describe('indexes around a full refresh, rendered', () => {
  const env = {
    LOG_DATA: '/data/sparkify/log_data',
    SONG_DATA: '/data/sparkify/song_data',
    LOG_JSONPATH: '/data/sparkify/log_json_path.json',
  };
  const redshiftEnv = {
    ...env,
    REDSHIFT_IAM_ROLE_ARN: 'arn:aws:iam::123456789012:role/r',
    AWS_REGION: 'us-west-2',
    MANIFEST_PREFIX: 's3://sparkify-loads/manifests/',
    LOG_DATA: 's3://udacity-dend/log_data',
    SONG_DATA: 's3://udacity-dend/song_data',
    LOG_JSONPATH: 's3://udacity-dend/log_json_path.json',
  };
  const fact = async (dialect: Dialect): Promise<string[]> => {
    const config = loadConfig({
      target: dialect.name,
      dryRun: true,
      env: dialect.name === 'redshift' ? redshiftEnv : env,
    });
    const { results } = await dryRunSteps(dialect, selectSteps(loadSteps(), { only: '070' }), config, {
      fullRefresh: true,
      maxErrors: 0,
      dryRun: true,
    });
    return results[0].statements!.map((s) => s.trim());
  };

  it('postgres: drops every index of songplays before the insert and builds each again after it', async () => {
    const statements = await fact(postgres);
    const insert = statements.findIndex((s) => s.startsWith('insert into "songplays"'));
    const indexes = postgres.indexesOf(declaredTables().get('songplays')!.declaration);
    // The first insert is the one without dedup, after a savepoint (bulk-insert.ts).
    expect(statements[insert - 1]).to.equal('savepoint before_insert_without_dedup');
    expect(statements.slice(insert - 1 - indexes.length, insert - 1)).to.deep.equal(indexes.map((i) => i.drop));
    expect(statements.slice(insert + 1, insert + 1 + indexes.length)).to.deep.equal(indexes.map((i) => i.create));
  });

  it('redshift: inserts with nothing dropped or built', async () => {
    const statements = await fact(redshift);
    expect(statements.join('\n')).not.to.match(/drop index|create (unique )?index|drop constraint|add constraint/);
  });
});
