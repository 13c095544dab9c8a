// Every transform is recorded: one row per run and per step, failed runs as failed with
// the database's message (secrets masked), a --full-refresh that fails at COMMIT as
// failed with its steps rolled back, and the warehouse as it was. `--json` prints the
// same summary on stdout and nothing else; `npm run history` shows the runs.
import { expect } from 'chai';
import { runTransformCommand } from '../../src/transform/command';
import { lastRuns, stepsOf } from '../../src/run/history';
import { startCommand } from '../support/command-child';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { sourcesOf, testSample } from '../support/sample';
import { count, starState } from '../support/warehouse-state';

const RUN = { fullRefresh: false, maxErrors: 0, dryRun: false };

describe('run history', function () {
  let db: TestDatabase;
  const printed: string[] = [];
  const print = (text: string) => printed.push(text);

  before(async () => {
    db = await createTestDatabase('embedded', { sources: sourcesOf(await testSample({ events: 3000, songs: 500 })) });
  });
  after(async () => {
    await db?.drop();
  });

  it('records a successful run and each of its steps, outside their transactions', async () => {
    const { failed, summary } = await runTransformCommand(db.config, {
      selection: {},
      options: RUN,
      warehouse: db,
      print,
    });
    expect(failed).to.equal(false);
    const [run] = await lastRuns(db.knex, 1);
    expect(run).to.include({
      run_id: summary!.run_id,
      target: 'postgres',
      status: 'success',
      files: summary!.files,
      rows_read: summary!.rows_read,
      error: null,
    });
    expect(run.finished_at).to.be.a('string');
    expect(run.rows_read).to.be.above(3000); // events and songs
    expect(run.rows_read).to.equal(run.rows_loaded! + run.rows_rejected!);
    const steps = await stepsOf(db.knex, run.run_id);
    expect(steps.map((s) => s.step_id)).to.deep.equal(summary!.steps.map((s) => s.step_id));
    expect(steps.every((s) => s.status === 'success')).to.equal(true);
    expect(steps.find((s) => s.step_id === '010_stage_events')).to.include({
      rows_read: 3000,
      rows_loaded: 3000,
      rows_rejected: 0,
    });
  });

  it('ends a successful run with the share of plays matched to the catalogue, as the warehouse holds it', async () => {
    const { rows } = await db.knex.raw('select count(*) as plays, count(song_id) as matched from songplays');
    const [plays, matched] = [Number(rows[0].plays), Number(rows[0].matched)];
    expect(matched).to.be.above(0);
    const share = `Plays matched to the song catalogue: ${matched.toLocaleString('en-US')} of ${plays.toLocaleString('en-US')} (${((100 * matched) / plays).toFixed(1)}%)`;
    expect(printed.at(-1)).to.equal(`\n${share}`);
  });

  it('records a failed run as failed, with the error and its secrets masked', async () => {
    const secret = 'Sup3r-S3cret-Token';
    const config = {
      ...db.config,
      sources: { ...db.config.sources, logData: `/no/such/folder/${secret}` },
      secrets: [secret],
    };
    const { failed } = await runTransformCommand(config, {
      selection: { only: '010' },
      options: RUN,
      warehouse: db,
      print,
    });
    expect(failed).to.equal(true);
    const [run] = await lastRuns(db.knex, 1);
    expect(run.status).to.equal('failed');
    expect(run.error).to.be.a('string').and.to.contain('/no/such/folder/***').and.not.to.contain(secret);
    const [step] = await stepsOf(db.knex, run.run_id);
    expect(step).to.include({ step_id: '010_stage_events', status: 'error' });
    expect(step.error).not.to.contain(secret);
  });

  it('--full-refresh that fails at COMMIT: exit 1, the database message, the warehouse as it was, the run recorded as failed', async () => {
    const before = await starState(db.knex);
    // A deferred constraint trigger: checked at COMMIT, so every step succeeds and the
    // transaction fails only when it commits (on Redshift: a serializable-isolation conflict).
    await db.knex.raw(`
      create function refuse_at_commit() returns trigger language plpgsql as $$
      begin raise exception 'deferred check refused the rebuild of %', tg_table_name; end $$`);
    await db.knex.raw(`
      create constraint trigger songplays_refuse_at_commit after insert on songplays
      deferrable initially deferred for each row execute function refuse_at_commit()`);
    try {
      const { code, stdout } = await startCommand(db, 'transform.ts', ['--full-refresh']).done;
      expect(code, stdout).to.equal(1);
      expect(stdout, stdout).to.contain(
        'The full refresh failed and was rolled back at COMMIT: deferred check refused the rebuild of songplays',
      );
      expect(stdout).to.match(/^070_fact_songplays +rolled back/m);
      expect(await starState(db.knex)).to.deep.equal(before);
      const [run] = await lastRuns(db.knex, 1);
      expect(run).to.include({ status: 'failed', options: '--full-refresh' });
      expect(run.error).to.contain('deferred check refused the rebuild of songplays');
      expect((await stepsOf(db.knex, run.run_id)).map((s) => s.status))
        .to.include('rolled back')
        .and.not.to.include('success');
    } finally {
      await db.knex.raw('drop trigger songplays_refuse_at_commit on songplays');
      await db.knex.raw('drop function refuse_at_commit()');
    }
  });

  it('--json prints the summary alone on stdout, progress on stderr', async () => {
    const { code, stdout, stderr } = await startCommand(db, 'transform.ts', ['--json']).done;
    expect(code, stderr).to.equal(0);
    const summary = JSON.parse(stdout);
    expect(summary).to.include({ status: 'success', target: 'postgres', error: null });
    expect(summary.steps.map((s: { step_id: string }) => s.step_id)).to.include('070_fact_songplays');
    expect(stderr).to.contain('010_stage_events').and.to.contain('Target: postgres');
    const [run] = await lastRuns(db.knex, 1);
    expect(run.run_id).to.equal(summary.run_id);
    expect(run.rows_read).to.equal(summary.rows_read);
  });

  it('npm run history shows the last runs, failed and killed ones too', async () => {
    await db.knex('transform_runs').insert({
      run_id: 'killed00-0000-0000-0000-000000000000',
      target: 'postgres',
      status: 'running',
      started_at: new Date(Date.now() + 60000),
      host: 'h',
      pid: 1,
    });
    const { code, stdout, stderr } = await startCommand(db, 'history.ts', ['--limit', '5']).done;
    expect(code, stderr).to.equal(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).to.match(/^run\s+target\s+started \(UTC\)\s+seconds\s+status/);
    expect(lines[2]).to.match(/^killed00 .*running \(no finish\)/);
    expect(stdout).to.contain('failed').and.to.contain('success');
    expect(lines).to.have.length(2 + 5);
    const steps = await startCommand(db, 'history.ts', ['--run', (await lastRuns(db.knex, 2))[1].run_id.slice(0, 8)])
      .done;
    expect(steps.stdout).to.match(/^010_stage_events\s+success/m);
    expect(await count(db.knex, 'select count(*) from transform_runs')).to.equal(5);
  });
});
