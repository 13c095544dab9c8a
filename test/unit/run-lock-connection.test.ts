// The run lock's connection is opened outside knex's pool. With REDSHIFT_AUTH=iam knex's
// connection config is an async provider, which knex resolves only when its pool makes a
// connection: the lock's connection must still get the provider's settings (host, TLS,
// the temporary user and password), never `new pg.Client(undefined)`, i.e. libpq defaults.
// No database: knex's own redshift client, with only the step that opens a socket replaced.
import { expect } from 'chai';
import knexFactory, { type Knex } from 'knex';
import { loadModule } from '../../src/load-module';
import { acquireRunLock } from '../../src/run/run-lock';

const RedshiftClient = loadModule('knex/lib/dialects/redshift') as typeof Knex.Client;

interface Opened {
  settings: unknown;
  statements: string[];
}

/** A knex whose connections record the settings they were built from, and what they ran. */
function fakeKnex(connection: Knex.Config['connection']): { knex: Knex; opened: Opened[] } {
  const opened: Opened[] = [];
  class FakeClient extends RedshiftClient {
    // knex's pg client: `new this.driver.Client(this.connectionSettings)`, then connect().
    async _acquireOnlyConnection() {
      const settings = (this as unknown as { connectionSettings?: { password?: string } }).connectionSettings;
      // knex hides the password from enumeration (so it is not logged): copy it by name.
      const record: Opened = {
        settings: settings && { ...structuredClone(settings), password: settings.password },
        statements: [],
      };
      opened.push(record);
      return {
        query: async (sql: string) => {
          record.statements.push(sql);
          return { rows: [] };
        },
        end: (done: () => void) => done(),
      };
    }
  }
  // `version` spares the fake a `select version()`.
  const knex = knexFactory({
    client: FakeClient as unknown as typeof Knex.Client,
    connection,
    version: '8.0.2',
    pool: { min: 0, max: 4 },
  });
  return { knex, opened };
}

const SETTINGS = {
  host: 'workgroup.example.redshift-serverless.amazonaws.com',
  port: 5439,
  database: 'sparkify',
  user: 'IAMR:temporary',
  password: 'from-GetCredentials',
  ssl: { rejectUnauthorized: true },
};

describe('the run lock connection', () => {
  it('with an async connection provider (REDSHIFT_AUTH=iam), is built from the settings the provider gave', async () => {
    let calls = 0;
    const { knex, opened } = fakeKnex(async () => {
      calls += 1;
      return { ...SETTINGS, expirationChecker: () => false };
    });
    try {
      const lock = await acquireRunLock(knex, { wait: true, log: () => {} });
      await lock.release();
      const lockConnection = opened.find((o) => o.statements.some((s) => s.startsWith('lock ')));
      expect(lockConnection, 'a connection ran the LOCK').to.not.equal(undefined);
      expect(lockConnection!.settings).to.deep.equal(SETTINGS);
      expect(calls, 'the provider is asked once, not once per connection').to.equal(1);
    } finally {
      await knex.destroy();
    }
  });

  it('with settings given as an object, opens exactly one connection: the lock itself', async () => {
    const { knex, opened } = fakeKnex(SETTINGS);
    try {
      const lock = await acquireRunLock(knex, { wait: true, log: () => {} });
      await lock.release();
      expect(opened).to.have.length(1);
      expect(opened[0].settings).to.deep.equal(SETTINGS);
      expect(opened[0].statements).to.include('lock "knex_migrations_lock"');
    } finally {
      await knex.destroy();
    }
  });
});
