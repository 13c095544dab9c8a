// A knex that connects to nothing and records the SQL it would send: the engine of
// every --dry-run. It is knex's own pg or redshift client with the connection layer
// replaced, so schema builders and raw SQL compile exactly as they would for real.
import knexFactory, { type Knex } from 'knex';
import { loadModule } from '../load-module';

// knex exports no class for its dialects' clients; these are the ones `client: 'pg'` and
// `client: 'redshift'` construct.
const PgClient = loadModule('knex/lib/dialects/postgres') as typeof Knex.Client;
const RedshiftClient = loadModule('knex/lib/dialects/redshift') as typeof Knex.Client;

export interface RecordingKnex {
  knex: Knex;
  /** Statements in the order they would run. */
  statements: string[];
}

export function recordingKnex(engine: 'postgres' | 'redshift'): RecordingKnex {
  const statements: string[] = [];
  const Base = engine === 'redshift' ? RedshiftClient : PgClient;
  class RecordingClient extends Base {
    override async acquireConnection() {
      return { __recording: true };
    }
    override async releaseConnection() {}
    async _query(_connection: unknown, query: { sql: string; bindings?: unknown[]; method?: string }) {
      statements.push(inlineBindings(query.sql, query.bindings ?? [], (value) => this.escapeBinding(value)));
      // The command decides how knex shapes the answer: selects give [], writes give 0.
      const command = COMMANDS[query.method ?? ''] ?? 'DRY RUN';
      return { ...query, response: { rows: [], rowCount: 0, command } };
    }
    escapeBinding(value: unknown): string {
      if (value === null || value === undefined) return 'null';
      if (value instanceof Date) return `'${value.toISOString()}'`;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return `'${String(value).replace(/'/g, "''")}'`;
    }
  }
  const knex = knexFactory({ client: RecordingClient as unknown as typeof Knex.Client, useNullAsDefault: true });
  return { knex, statements };
}

const COMMANDS: Record<string, string> = {
  select: 'SELECT',
  first: 'SELECT',
  pluck: 'SELECT',
  insert: 'INSERT',
  update: 'UPDATE',
  del: 'DELETE',
};

/** Puts the bindings in place of $1, $2 … outside quoted text. */
function inlineBindings(sql: string, bindings: unknown[], escape: (value: unknown) => string): string {
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\$(\d+)/g, (match, n) =>
    n !== undefined && Number(n) <= bindings.length ? escape(bindings[Number(n) - 1]) : match,
  );
}
