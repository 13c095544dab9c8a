// Everything `npm run migrate` sends, knex's own bookkeeping and our lock included, recorded
// without a database: the dry-run knex, answering the few questions knex's migrator asks
// as a fresh database would (no migrations applied, the lock free).
import type { Knex } from 'knex';
import { recordingKnex } from '../../src/dry-run/recording-knex';
import { migrationSettings } from '../../src/targets/knex-config';

interface Query {
  sql: string;
  method?: string;
}

export async function recordMigratorRun(
  engine: 'postgres' | 'redshift',
  run: (knex: Knex) => Promise<unknown>,
): Promise<string[]> {
  const { knex, statements } = recordingKnex(engine);
  const client = knex.client as unknown as {
    config: Knex.Config;
    constructor: {
      prototype: {
        _query(connection: unknown, query: Query): Promise<{ response: { rowCount: number; rows: unknown[] } }>;
      };
    };
  };
  client.config.migrations = migrationSettings;
  // Patched on this recorder's own client class: knex's transactions run on a copy of the client.
  const prototype = Object.getPrototypeOf(client) as typeof client.constructor.prototype;
  const record = prototype._query;
  prototype._query = async function (this: unknown, connection: unknown, query: Query) {
    const answer = await record.call(this, connection, query);
    if (query.method === 'update') answer.response.rowCount = 1; // the lock was free: taking it updates one row
    if (/max\("batch"\)/.test(query.sql)) answer.response.rows = [{ max_batch: 0 }];
    return answer;
  };
  try {
    await run(knex);
  } finally {
    await knex.destroy();
  }
  return statements;
}
