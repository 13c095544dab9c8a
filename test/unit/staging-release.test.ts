// Which step publishes a load's batch: the last step that reads its staging table, decided
// by the runner from what the steps declare, not by a hook in one transform.
import { expect } from 'chai';
import { loadSteps } from '../../src/transform/runner';
import { withStagingReleased } from '../../src/transform/staging-release';
import type { StepContext, TransformStep } from '../../src/step/contract';

interface Named extends TransformStep {
  id: string;
}

/** A step that records its name when it runs; the context's db records the ledger updates. */
function step(id: string, tables: string[], stages?: TransformStep['stages']): Named {
  return {
    id,
    description: id,
    tables,
    ...(stages ? { stages } : {}),
    run: async (context) => (context.log(`ran ${id}`), {}),
  };
}

const events = step('010_stage_events', ['staging_events', 'load_ledger'], {
  table: 'staging_events',
  source: 'events',
  keeps: 'batch',
});
const songs = step('020_stage_songs', ['staging_songs', 'load_ledger'], {
  table: 'staging_songs',
  source: 'songs',
  keeps: 'catalogue',
});

/** Runs the steps in order with a db that records `update load_ledger` calls, and returns what happened. */
async function run(steps: Named[]): Promise<string[]> {
  const happened: string[] = [];
  const db = Object.assign(
    (table: string) => ({
      where: (where: { source: string }) => ({
        update: async () => void happened.push(`published ${where.source} (${table})`),
      }),
    }),
    { raw: async (sql: string) => void happened.push(sql) },
  ) as unknown as StepContext['db'];
  const dialect = { capabilities: { transactionalTruncate: true }, quoteIdentifier: (name: string) => `"${name}"` };
  for (const s of steps)
    await s.run({ db, dialect, log: (line: string) => happened.push(line) } as unknown as StepContext);
  return happened;
}

describe('publishing staged batches', () => {
  it('the last step that reads a batch table publishes and clears it, after its own work, and locks the ledger', async () => {
    const steps = withStagingReleased([
      events,
      songs,
      step('030_dim_users', ['users', 'staging_events']),
      step('070_fact_songplays', ['songplays', 'staging_events', 'staging_songs']),
      step('090_check', ['songplays']),
    ]);
    expect(await run(steps)).to.deep.equal([
      'ran 010_stage_events',
      'ran 020_stage_songs',
      'ran 030_dim_users',
      'ran 070_fact_songplays',
      'published events (load_ledger)',
      'truncate table "staging_events"',
      'ran 090_check',
    ]);
    expect(steps[3].tables).to.include('load_ledger');
    expect(steps[2].tables).not.to.include('load_ledger');
  });

  it('a new step reading staging after 070 moves the publishing to itself', async () => {
    const steps = withStagingReleased([
      events,
      step('070_fact_songplays', ['songplays', 'staging_events']),
      step('080_sessions', ['sessions', 'staging_events']),
    ]);
    expect(await run(steps)).to.deep.equal([
      'ran 010_stage_events',
      'ran 070_fact_songplays',
      'ran 080_sessions',
      'published events (load_ledger)',
      'truncate table "staging_events"',
    ]);
  });

  it('a batch no step reads is published by its load, which keeps its rows; a catalogue never is', async () => {
    expect(await run(withStagingReleased([events, songs, step('070', ['songplays', 'staging_songs'])]))).to.deep.equal([
      'ran 010_stage_events',
      'published events (load_ledger)',
      'ran 020_stage_songs',
      'ran 070',
    ]);
  });

  it("in this project, 070 publishes the events' files and nothing else publishes", async () => {
    const publishers = loadSteps().filter((s) => s.publishes?.length);
    expect(publishers.map((s) => [s.id, s.publishes])).to.deep.equal([['070_fact_songplays', ['events']]]);
  });
});
