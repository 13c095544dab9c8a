// Real PostgreSQL for integration tests: the embedded server always (one per test
// process, in a temp folder), and the server in DATABASE_URL when it is set. Each
// suite gets a database of its own, dropped afterwards.
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { LOCAL_SAMPLE_SOURCES, parseLoadWorkers, type SourceSettings, type WarehouseConfig } from '../../src/config';
import { postgres } from '../../src/dialects';
import { migrateLatest } from '../../src/migrate/migrator';
import { startEmbedded, type EmbeddedServer } from '../../src/targets/embedded';
import type { Warehouse } from '../../src/targets/connect';
import { knexLog, migrationSettings } from '../../src/targets/knex-config';
import { withClient, type ConnectionSettings } from '../../src/targets/pg-client';

export type TestServerName = 'embedded' | 'DATABASE_URL';

export type { ConnectionSettings } from '../../src/targets/pg-client';

export interface TestDatabase extends Warehouse {
  server: TestServerName;
  config: WarehouseConfig;
  /** Connection settings, for code that opens its own connections. */
  connection: ConnectionSettings;
  /** Drops the database; close() does too. */
  drop(): Promise<void>;
}

export const EMBEDDED_TEST_DIR = path.join(os.tmpdir(), 'sparkify-warehouse-test-pg');

/** The servers tests run against: embedded always, DATABASE_URL's server when set. */
export function testServers(): TestServerName[] {
  return process.env.DATABASE_URL ? ['embedded', 'DATABASE_URL'] : ['embedded'];
}

let embedded: Promise<EmbeddedServer> | undefined;
let counter = 0;

async function adminConnection(server: TestServerName): Promise<ConnectionSettings> {
  if (server === 'embedded') {
    embedded ??= startEmbedded({ projectRoot: EMBEDDED_TEST_DIR, explicitDir: EMBEDDED_TEST_DIR });
    const { connection } = await embedded;
    return { ...connection, database: 'postgres' };
  }
  const url = new URL(process.env.DATABASE_URL!);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username) || undefined,
    password: decodeURIComponent(url.password) || undefined,
    database: url.pathname.slice(1) || 'postgres',
  };
}

export interface TestDatabaseOptions {
  migrate?: boolean;
  sources?: Partial<SourceSettings>;
  /** SQL after `create database "name"`, e.g. a locale provider and collation. */
  createWith?: string;
}

export async function createTestDatabase(
  server: TestServerName,
  options: TestDatabaseOptions = {},
): Promise<TestDatabase> {
  const admin = await adminConnection(server);
  const name = `sparkify_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  await withClient(admin, (client) =>
    client.query(`create database "${name}"${options.createWith ? ` ${options.createWith}` : ''}`),
  );
  const connection = { ...admin, database: name };
  const knex = knexFactory({
    client: 'pg',
    connection,
    pool: { min: 0, max: 4 },
    migrations: migrationSettings,
    log: knexLog,
  });
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await knex.destroy();
    await withClient(admin, (client) => client.query(`drop database if exists "${name}" with (force)`));
  };
  const config: WarehouseConfig = {
    target: 'postgres',
    aws: {},
    redshiftLoad: {},
    // SPARKIFY_LOAD_WORKERS=1 runs every suite's loads through the worker threads.
    loadWorkers: parseLoadWorkers(process.env.SPARKIFY_LOAD_WORKERS),
    sources: { ...LOCAL_SAMPLE_SOURCES, ...options.sources },
    secrets: [],
  };
  if (options.migrate !== false) await migrateLatest(knex);
  return {
    server,
    target: 'postgres',
    knex,
    dialect: postgres,
    location: `${server} test database ${name}`,
    config,
    connection,
    drop,
    close: drop,
  };
}

/** Stops the embedded test server (mocha root hook, after all tests). */
export async function stopTestServers(): Promise<void> {
  if (embedded) await (await embedded).release();
  embedded = undefined;
}
