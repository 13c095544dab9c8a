// The knex configuration for a target: one place, shared by our commands and by
// knexfile.ts (so the knex CLI works on the same migrations).
import path from 'node:path';
import type { Knex } from 'knex';
import { PROJECT_ROOT, type WarehouseConfig } from '../config';
import type { EmbeddedConnection } from './embedded';
import { connectTimeoutMs } from './connect-failure';
import { iamConnectionProvider } from './iam-credentials';
import './pg-types';

export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'migrations');

export const migrationSettings: Knex.MigratorConfig = {
  directory: MIGRATIONS_DIR,
  tableName: 'knex_migrations',
  extension: 'ts',
  loadExtensions: ['.ts'],
  stub: path.join(PROJECT_ROOT, 'src', 'migrate', 'migration.stub'),
};

/**
 * knex's own warnings, less the lock advice: our migrate command says the same in its
 * own words (`npm run migrate:unlock`), and knex's would name its CLI instead.
 */
export const knexLog = {
  warn(message: string) {
    if (!/Can't take lock|migrate:unlock/.test(String(message)) && !CONNECTION_NOISE.test(String(message)))
      console.warn(message);
  },
};

/**
 * A connection that broke or could not be had: the statement that needed it fails with the
 * same error, which the command reports once, with what it means. knex's own warning would
 * print it again first, with a stack trace (a crashed server printed one per pool slot).
 */
const CONNECTION_NOISE = /^(Acquire connection error|Connection Error): /;

/** `embedded` is the running embedded server's connection, for the local target. */
export function knexConfig(config: WarehouseConfig, embedded?: EmbeddedConnection): Knex.Config {
  const pool = { min: 0, max: 4 };
  switch (config.target) {
    case 'local':
      if (!embedded) throw new Error('the local target needs the embedded server started first');
      return { client: 'pg', connection: embedded, pool, migrations: migrationSettings, log: knexLog };
    case 'postgres':
      return {
        client: 'pg',
        connection: { connectionString: config.databaseUrl },
        pool,
        migrations: migrationSettings,
        log: knexLog,
      };
    case 'redshift': {
      const r = config.redshift!;
      // REDSHIFT_AUTH=iam: knex asks the provider for temporary credentials at each new
      // connection while the previous ones are near expiry; no password is configured.
      if (r.iam) {
        return {
          client: 'redshift',
          connection: iamConnectionProvider({ ...r, iam: r.iam }),
          pool,
          migrations: migrationSettings,
          log: knexLog,
        };
      }
      return {
        client: 'redshift',
        // Redshift endpoints speak TLS; verify the certificate rather than trust the network.
        connection: {
          host: r.host,
          port: r.port,
          database: r.database,
          user: r.user,
          password: r.password,
          ssl: { rejectUnauthorized: true },
          connectionTimeoutMillis: connectTimeoutMs(r),
        },
        pool,
        migrations: migrationSettings,
        log: knexLog,
      };
    }
  }
}
