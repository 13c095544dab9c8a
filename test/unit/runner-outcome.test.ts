// runSteps reports how a run ended, kysely-style: `{ error, results }`. A failed step
// stops the run (later steps 'not run'); a --full-refresh whose own transaction fails
// (at COMMIT, or at connect) is an error too, not a quiet row of 'not run'. The clients
// here are knex's own pg client with the wire replaced, so BEGIN/COMMIT/ROLLBACK go
// through knex's real transaction code.
import { expect } from 'chai';
import knexFactory, { type Knex } from 'knex';
import { loadConfig } from '../../src/config';
import { postgres, redshift } from '../../src/dialects';
import { dryRunSteps } from '../../src/transform/dry-run';
import { runSteps, type LoadedStep } from '../../src/transform/runner';
import { failureMessage } from '../../src/transform/summary';
import type { RunOptions } from '../../src/step/contract';
import { loadModule } from '../../src/load-module';

const PgClient = loadModule('knex/lib/dialects/postgres') as typeof Knex.Client;

interface Wire {
  sent: string[];
  knex: Knex;
}

/** A pg knex whose connection records statements; `failOn` throws like the server would. */
function scriptedKnex(failOn: { connect?: Error; statement?: (sql: string) => Error | undefined }): Wire {
  const sent: string[] = [];
  class ScriptedClient extends PgClient {
    override async acquireConnection() {
      if (failOn.connect) throw failOn.connect;
      return { scripted: true };
    }
    override async releaseConnection() {}
    async _query(_connection: unknown, query: { sql: string }) {
      sent.push(query.sql.trim());
      const error = failOn.statement?.(query.sql);
      if (error) throw error;
      return { ...query, response: { rows: [], rowCount: 0, command: 'SELECT' } };
    }
  }
  const knex = knexFactory({ client: ScriptedClient as unknown as typeof Knex.Client });
  return { sent, knex };
}

function deferredConstraintError(): Error {
  // What PostgreSQL says when a deferred constraint trigger fails at COMMIT.
  return Object.assign(
    new Error('insert or update on table "songplays" violates foreign key constraint "songplays_user_fk"'),
    { code: '23503' },
  );
}

const config = loadConfig({
  target: 'postgres',
  dryRun: true,
  env: { LOG_DATA: '/nowhere/log', SONG_DATA: '/nowhere/song', LOG_JSONPATH: '/nowhere/p.json' },
});
const options: RunOptions = { fullRefresh: false, maxErrors: 0, dryRun: false };

function step(
  id: string,
  run: LoadedStep['run'] = async ({ db }) => (await db.raw(`select '${id}'`), { inserted: 1, updated: 0 }),
  tables?: string[],
): LoadedStep {
  return { id, description: `step ${id}`, run, tables };
}

describe('runSteps: how a run ends', () => {
  it('a failed step ends the run: its error is the run error, the later steps are not run', async () => {
    const { knex } = scriptedKnex({});
    const boom = new Error('relation "nowhere" does not exist');
    const outcome = await runSteps(
      { knex, dialect: postgres },
      [
        step('010_a'),
        step('020_b', async () => {
          throw boom;
        }),
        step('030_c'),
      ],
      config,
      options,
      { log: () => {} },
    );
    expect(outcome.error).to.equal(boom);
    expect(outcome.results.map((r) => r.status)).to.deep.equal(['success', 'error', 'not run']);
    await knex.destroy();
  });

  it('a run that succeeds has no error', async () => {
    const { knex } = scriptedKnex({});
    const outcome = await runSteps({ knex, dialect: postgres }, [step('010_a'), step('020_b')], config, options, {
      log: () => {},
    });
    expect(outcome.error).to.equal(undefined);
    expect(outcome.results.map((r) => r.status)).to.deep.equal(['success', 'success']);
    await knex.destroy();
  });

  it('--full-refresh whose COMMIT fails: the database error is returned and every step is rolled back', async () => {
    const wire = scriptedKnex({
      statement: (sql) => (/^commit/i.test(sql.trim()) ? deferredConstraintError() : undefined),
    });
    const outcome = await runSteps(
      { knex: wire.knex, dialect: postgres },
      [step('010_a'), step('020_b')],
      config,
      { ...options, fullRefresh: true },
      { log: () => {} },
    );
    expect(outcome.error?.message).to.contain('violates foreign key constraint "songplays_user_fk"');
    expect(outcome.results.map((r) => r.status)).to.deep.equal(['rolled back', 'rolled back']);
    expect(wire.sent[0]).to.match(/^begin/i);
    expect(wire.sent).to.include.members(["select '010_a'", "select '020_b'"]);
    const message = failureMessage(outcome, { fullRefresh: true }, []);
    expect(message)
      .to.contain('The full refresh failed and was rolled back')
      .and.to.contain('songplays_user_fk')
      .and.to.contain('as it was before');
    await wire.knex.destroy();
  });

  it('--full-refresh that cannot connect: the connection error is returned, no step ran', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5439'), { code: 'ECONNREFUSED' });
    const wire = scriptedKnex({ connect: refused });
    const outcome = await runSteps(
      { knex: wire.knex, dialect: postgres },
      [step('010_a'), step('020_b')],
      config,
      { ...options, fullRefresh: true },
      { log: () => {} },
    );
    expect(outcome.error?.message).to.contain('ECONNREFUSED');
    expect(outcome.results.map((r) => [r.id, r.status])).to.deep.equal([
      ['010_a', 'not run'],
      ['020_b', 'not run'],
    ]);
    expect(wire.sent).to.deep.equal([]);
    await wire.knex.destroy();
  });

  it('a run that cannot connect fails its first step with the connection error', async () => {
    const wire = scriptedKnex({ connect: new Error('password authentication failed for user "etl"') });
    const outcome = await runSteps(
      { knex: wire.knex, dialect: postgres },
      [step('010_a'), step('020_b')],
      config,
      options,
      { log: () => {} },
    );
    expect(outcome.error?.message).to.contain('password authentication failed');
    expect(outcome.results.map((r) => r.status)).to.deep.equal(['error', 'not run']);
    await wire.knex.destroy();
  });

  it('--full-refresh with a failing step rolls everything back and names the step', async () => {
    const wire = scriptedKnex({});
    const outcome = await runSteps(
      { knex: wire.knex, dialect: postgres },
      [
        step('010_a'),
        step('020_b', async () => {
          throw new Error('division by zero');
        }),
        step('030_c'),
      ],
      config,
      { ...options, fullRefresh: true },
      { log: () => {} },
    );
    expect(outcome.error?.message).to.equal('division by zero');
    expect(outcome.results.map((r) => r.status)).to.deep.equal(['rolled back', 'error', 'not run']);
    expect(wire.sent[wire.sent.length - 1]).to.match(/^rollback/i);
    expect(failureMessage(outcome, { fullRefresh: true }, [])).to.equal(
      '020_b failed: division by zero The full refresh was rolled back: the warehouse is as it was before the run.',
    );
    await wire.knex.destroy();
  });

  it("on Redshift each step's transaction starts with a lock of its tables; --full-refresh locks them all once", async () => {
    const wire = scriptedKnex({});
    const steps = [
      step('010_a', undefined, ['staging_events', 'load_ledger']),
      step('030_b', undefined, ['users', 'staging_events']),
    ];
    await runSteps({ knex: wire.knex, dialect: redshift }, steps, config, options, { log: () => {} });
    expect(wire.sent).to.deep.equal([
      'BEGIN;',
      'lock "load_ledger", "staging_events"',
      "select '010_a'",
      'COMMIT;',
      'BEGIN;',
      'lock "staging_events", "users"',
      "select '030_b'",
      'COMMIT;',
    ]);
    wire.sent.length = 0;
    await runSteps(
      { knex: wire.knex, dialect: redshift },
      steps,
      config,
      { ...options, fullRefresh: true },
      { log: () => {} },
    );
    expect(wire.sent).to.deep.equal([
      'BEGIN;',
      'lock "load_ledger", "staging_events", "users"',
      "select '010_a'",
      "select '030_b'",
      'COMMIT;',
    ]);
    wire.sent.length = 0;
    await runSteps({ knex: wire.knex, dialect: postgres }, steps, config, options, { log: () => {} });
    expect(wire.sent.filter((s) => s.startsWith('lock'))).to.deep.equal([]);
    await wire.knex.destroy();
  });
});

describe('dryRunSteps: a step that throws', () => {
  it('is an error result, and the steps after it are not run, as in a real run', async () => {
    const broken = step('020_b', async () => {
      throw new Error('LOG_JSONPATH names no file');
    });
    const outcome = await dryRunSteps(postgres, [step('010_a'), broken, step('030_c')], config, {
      ...options,
      dryRun: true,
    });
    expect(outcome.error?.message).to.equal('LOG_JSONPATH names no file');
    expect(outcome.results.map((r) => r.status)).to.deep.equal(['success', 'error', 'not run']);
    expect(outcome.results[0].statements).to.deep.equal(["select '010_a'"]);
  });
});
