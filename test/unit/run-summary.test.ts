// The run summary (--json and the history rows) and how npm run history prints it.
import { expect } from 'chai';
import { fitBytes } from '../../src/run/history';
import { runsTable } from '../../src/run/history-table';
import { runSummary } from '../../src/run/run-summary';
import type { StepResult } from '../../src/step/outcome';

const identity = {
  run_id: 'r-1',
  target: 'redshift',
  options: '--full-refresh',
  started_at: '2026-11-29T10:00:00.000Z',
  host: 'h',
  pid: 7,
};
const result = (id: string, status: StepResult['status'], stats: StepResult['stats'], error?: Error): StepResult => ({
  id,
  description: id,
  status,
  stats,
  seconds: 1.23456,
  error,
});

describe('run summary', () => {
  it('sums the counts of the steps that succeeded and keeps nulls for counts no step reports', () => {
    const summary = runSummary(
      identity,
      {
        results: [
          result('010_stage_events', 'success', { files: 3, rowsRead: 10, rowsLoaded: 9, rowsRejected: 1 }),
          result('020_stage_songs', 'success', { files: 2, rowsRead: 5, rowsLoaded: 5, rowsRejected: 0 }),
          result('030_dim_users', 'success', { inserted: 4, updated: 1 }),
        ],
      },
      new Date('2026-11-29T10:00:05.000Z'),
      [],
    );
    expect(summary).to.include({
      status: 'success',
      files: 5,
      rows_read: 15,
      rows_loaded: 14,
      rows_rejected: 1,
      inserted: 4,
      updated: 1,
      error: null,
      finished_at: '2026-11-29T10:00:05.000Z',
    });
    expect(summary.steps[2]).to.deep.equal({
      step_id: '030_dim_users',
      status: 'success',
      seconds: 1.235,
      files: null,
      rows_read: null,
      rows_loaded: null,
      rows_rejected: null,
      inserted: 4,
      updated: 1,
      error: null,
    });
  });

  it('a failed run is failed, with its error masked; rolled-back steps count nothing', () => {
    const error = new Error('password authentication failed: hunter22 refused');
    const summary = runSummary(
      identity,
      {
        error,
        results: [
          result('010_stage_events', 'rolled back', { rowsRead: 10 }),
          result('020_stage_songs', 'error', {}, error),
        ],
      },
      new Date(),
      ['hunter22'],
    );
    expect(summary).to.include({
      status: 'failed',
      rows_read: null,
      error: 'password authentication failed: *** refused',
    });
    expect(summary.steps[1].error).to.equal('password authentication failed: *** refused');
  });

  it('cuts error text to the column size in bytes, never inside a character', () => {
    expect(fitBytes('é'.repeat(3000))).to.equal('é'.repeat(2048));
    expect(fitBytes('short')).to.equal('short');
    expect(fitBytes(null)).to.equal(null);
  });

  it('npm run history marks a run that never finished', () => {
    const table = runsTable([
      {
        ...identity,
        status: 'running',
        finished_at: null,
        files: null,
        rows_read: null,
        rows_loaded: null,
        rows_rejected: null,
        inserted: null,
        updated: null,
        error: null,
        checks: null,
      },
    ]);
    expect(table.split('\n')[2]).to.match(/^r-1 +redshift +2026-11-29 10:00:00 +running \(no finish\)/);
    expect(runsTable([])).to.contain('No runs recorded yet');
  });
});
