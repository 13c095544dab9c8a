// Golden SQL: the exact statements each target runs, pinned in test/golden/. The Redshift
// files were checked by hand against the AWS SQL reference (CREATE TABLE, COPY, DELETE
// USING, CREATE TABLE AS); a change to them must be deliberate:
//   UPDATE_GOLDEN=1 npm run test:unit   rewrites them, and the diff shows in review.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../../src/config';
import { postgres, redshift } from '../../src/dialects';
import { formatRenderedMigrations, renderMigrations } from '../../src/migrate/dry-run';
import { dryRunSteps } from '../../src/transform/dry-run';
import { loadSteps } from '../../src/transform/runner';

const GOLDEN_DIR = path.join(PROJECT_ROOT, 'test', 'golden');

const env = {
  REDSHIFT_IAM_ROLE_ARN: 'arn:aws:iam::123456789012:role/sparkify-redshift-s3-read',
  AWS_REGION: 'us-west-2',
  // For the Postgres rendering: a source that does not exist, so no file count appears.
  LOG_DATA: '/data/sparkify/log_data',
  SONG_DATA: '/data/sparkify/song_data',
  LOG_JSONPATH: '/data/sparkify/log_json_path.json',
};

function expectGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN) fs.writeFileSync(file, actual);
  expect(fs.existsSync(file), `${file} is missing: run UPDATE_GOLDEN=1 npm run test:unit`).to.equal(true);
  expect(actual).to.equal(fs.readFileSync(file, 'utf8'));
}

async function transformSql(engine: 'postgres' | 'redshift', fullRefresh: boolean): Promise<string> {
  const s3 = {
    ...env,
    MANIFEST_PREFIX: 's3://sparkify-loads/manifests/',
    LOG_DATA: 's3://udacity-dend/log_data',
    SONG_DATA: 's3://udacity-dend/song_data',
    LOG_JSONPATH: 's3://udacity-dend/log_json_path.json',
  };
  const config = loadConfig({
    target: engine === 'redshift' ? 'redshift' : 'postgres',
    dryRun: true,
    env: engine === 'redshift' ? s3 : env,
  });
  const results = (
    await dryRunSteps(engine === 'redshift' ? redshift : postgres, loadSteps(), config, {
      fullRefresh,
      maxErrors: 0,
      dryRun: true,
    })
  ).results;
  return results.map((r) => `-- ${r.id}\n${r.statements!.map((s) => `${s.trim()};\n`).join('\n')}`).join('\n');
}

describe('golden SQL', () => {
  for (const engine of ['redshift', 'postgres'] as const) {
    it(`${engine}: the migrations, up`, async () => {
      expectGolden(
        `${engine}-migrate-up.sql`,
        formatRenderedMigrations(await renderMigrations(engine, 'up'), engine, 'up'),
      );
    });
    it(`${engine}: the migrations, down`, async () => {
      expectGolden(
        `${engine}-migrate-down.sql`,
        formatRenderedMigrations(await renderMigrations(engine, 'down'), engine, 'down'),
      );
    });
    it(`${engine}: every transform step`, async () => {
      expectGolden(`${engine}-transform.sql`, await transformSql(engine, false));
    });
  }

  it("the upserts are the same text on both engines; only loading, DDL, Redshift's table locks and its key checks differ", async () => {
    // PostgreSQL's index rebuild around a batch into an empty table (bulk-insert.ts) is DDL
    // Redshift has no use for, nor for the sampled ANALYZE after it (src/sampled-analyze.ts):
    // its statements are each one line. Where the rebuilt unique
    // key checks the batch's key, PostgreSQL first tries the batch without its dedup, up to
    // a savepoint it rolls back to on a duplicate; what follows is the same on both.
    const rebuild =
      /^(select count\(\*\) as triggers from pg_trigger |alter table "\w+" (drop|add) constraint |drop index |create (unique )?index |release savepoint |set local default_statistics_target |analyze "\w+"|reset default_statistics_target).*;\n\n|^savepoint [^]*?^rollback to savepoint .*;\n\n/gm;
    // The step that publishes the staged events clears them as each engine clears staging (load/staging.ts).
    const clearStaging = /^(truncate table|delete from) "staging_events";\n\n/m;
    // What 040 and 050 derived from is a hash of their statements as rendered, which differ by collate "C".
    const fingerprint = /(insert into step_inputs .* values \('\w+', ')[0-9a-f]{64}'/g;
    const steps = (sql: string) =>
      sql
        .split(/^-- /m)
        .filter((s) => /^0[3-8]0_/.test(s))
        .map((s) =>
          s
            .replace(/^lock .*;\n\n/m, '')
            .replace(rebuild, '')
            .replace(clearStaging, '')
            .replace(fingerprint, "$1…'"),
        );
    // PostgreSQL compares the tie-breaks' text bytewise with collate "C" (binaryText), which
    // is how Redshift compares all text; otherwise the same.
    const bytewise = (sql: string[]) => sql.map((s) => s.replace(/ collate "C"/g, ''));
    expect(steps(await transformSql('redshift', false))).to.deep.equal(
      bytewise(steps(await transformSql('postgres', false))),
    );
    // The checks: Redshift's also count copies of each key, which PostgreSQL refuses on insert
    // (trailing commas compared apart: a select list ends where its last column does).
    const checkLines = async (engine: 'redshift' | 'postgres') =>
      (await transformSql(engine, false))
        .split(/^-- 090_/m)[1]
        .split('\n')
        .map((line) => line.replace(/,$/, ''));
    const onlyOnRedshift = (await checkLines('redshift')).filter(
      (line) =>
        !/^lock /.test(line) && !(line === '') && !(line.includes('count(distinct') || line.includes('_copies')),
    );
    expect(onlyOnRedshift).to.deep.equal((await checkLines('postgres')).filter((line) => line !== ''));
  });

  it("redshift: each step's transaction starts by locking every table it reads or writes (error 1023's remedy)", async () => {
    const sql = await transformSql('redshift', false);
    const firstStatements = Object.fromEntries(
      sql
        .split(/^-- /m)
        .filter(Boolean)
        .map((s) => [s.split('\n')[0], s.split('\n')[1]]),
    );
    expect(firstStatements['010_stage_events']).to.equal(
      'lock "load_errors", "load_ledger", "source_listings", "staging_events";',
    );
    expect(firstStatements['030_dim_users']).to.match(/^lock .*"staging_events".*"users";$/);
    expect(firstStatements['070_fact_songplays']).to.match(
      /^lock .*"load_ledger".*"songplays".*"staging_events".*"staging_songs"/,
    );
    for (const [id, first] of Object.entries(firstStatements)) expect(first, id).to.match(/^lock "/);
    expect(await transformSql('postgres', false)).not.to.match(/^lock /m);
  });

  it("redshift --full-refresh: one lock of every table, as the one transaction's first statement", async () => {
    const sql = await transformSql('redshift', true);
    const locks = sql.match(/^lock .*$/gm) ?? [];
    expect(locks).to.deep.equal([
      'lock "artists", "check_scope", "load_errors", "load_ledger", "song_keys", "songplays", "songs", "source_listings", "staging_events", "staging_songs", "step_inputs", "time", "users";',
    ]);
    expect(sql.split('\n')[1]).to.equal(locks[0]);
  });

  it('redshift: loads new files through manifests, with the role, the bucket region, JSONPaths, MAXERROR N+1 and ANALYZE', async () => {
    const sql = await transformSql('redshift', false);
    expect(sql).to
      .contain(`copy "staging_events" ("artist", "auth", "first_name", "gender", "item_in_session", "last_name", "length", "level", "location", "method", "page", "registration", "session_id", "song", "status", "ts", "user_agent", "user_id")
from 's3://sparkify-loads/manifests/events/<run>-gzip.manifest'
iam_role 'arn:aws:iam::123456789012:role/sparkify-redshift-s3-read'
region 'us-west-2'
manifest
format as json 's3://udacity-dend/log_json_path.json'
compupdate off
statupdate off
maxerror 1
gzip`);
    expect(sql).to.contain("format as json 'auto'");
    expect(sql).to.contain('analyze "staging_events";').and.to.contain('analyze "staging_songs";');
    expect(sql.indexOf('analyze "staging_events"')).to.be.greaterThan(sql.lastIndexOf('copy "staging_events"'));
    expect(sql).not.to.match(/truncate/i); // Redshift's TRUNCATE would commit the step's transaction
  });

  it("redshift: the public sample's bucket is named in us-west-2 whatever AWS_REGION says", async () => {
    for (const region of ['eu-central-1', 'us-east-1', 'ap-southeast-2']) {
      const config = loadConfig({
        target: 'redshift',
        dryRun: true,
        env: { ...env, AWS_REGION: region, LOG_DATA: '', SONG_DATA: '', LOG_JSONPATH: '' },
      });
      const results = (
        await dryRunSteps(redshift, loadSteps().slice(0, 2), config, { fullRefresh: false, maxErrors: 0, dryRun: true })
      ).results;
      const copies = results.flatMap((r) => r.statements!).filter((s) => s.startsWith('copy'));
      expect(copies.length, region).to.equal(4);
      for (const copy of copies)
        expect(copy, region).to.contain("\nregion 'us-west-2'\n").and.to.contain('s3://udacity-dend/');
    }
  });
});
