// Opens the configured target: starts the embedded server for `local`, builds knex,
// and hands back one object whose close() always cleans up (graphile-migrate's withClient).
// knex is loaded when a command connects, not when it starts: `npm run query` opens one
// plain connection (withConnection) and never loads it, and a start pays for every module
// loaded (knex's alone take longer than the query).
import { Client } from './pg-driver';
import type { Knex } from 'knex';
import { PROJECT_ROOT, type TargetName, type WarehouseConfig } from '../config';
import { dialectOf, type Dialect } from '../dialects';
import { maskConnectionString } from '../secrets';
import { whyTheServerDropped } from '../server-trouble';
import { explainConnectFailure, explainConnectFailures } from './connect-failure';
import { startEmbedded, type EmbeddedServer } from './embedded';
import { knexConfig } from './knex-config';

export interface Warehouse {
  target: TargetName;
  knex: Knex;
  dialect: Dialect;
  /** Where the data is, for people: a folder, or host:port/db. Never a password. */
  location: string;
  /** Why the server dropped its connections, from its log, when the tool can read that log (the embedded server). */
  whyDropped?: () => string | undefined;
  close(): Promise<void>;
}

export interface ConnectOptions {
  log?: (message: string) => void;
  projectRoot?: string;
}

export async function connect(config: WarehouseConfig, options: ConnectOptions = {}): Promise<Warehouse> {
  const { default: knexFactory } = await import('knex');
  if (config.target === 'local') {
    const server = await startLocalServer(config, options);
    const knex = knexFactory(knexConfig(config, server.connection));
    return {
      target: config.target,
      knex,
      dialect: dialectOf(knex),
      location: `embedded PostgreSQL, data in ${server.paths.dataDir}`,
      whyDropped: () => whyTheServerDropped(server.paths.logFile),
      close: async () => {
        await knex.destroy();
        await server.release();
      },
    };
  }
  const knex = knexFactory(knexConfig(config));
  if (config.target === 'redshift') explainConnectFailures(knex, config.redshift!);
  const location =
    config.target === 'redshift'
      ? `Redshift ${config.redshift!.host}:${config.redshift!.port}/${config.redshift!.database}`
      : `PostgreSQL ${maskConnectionString(config.databaseUrl!)}`;
  return { target: config.target, knex, dialect: dialectOf(knex), location, close: () => knex.destroy() };
}

/** The knex config of a target, starting the embedded server first when the target is local. */
export async function connectionConfig(config: WarehouseConfig, options: ConnectOptions = {}): Promise<Knex.Config> {
  if (config.target !== 'local') return knexConfig(config);
  return knexConfig(config, (await startLocalServer(config, options)).connection);
}

function startLocalServer(config: WarehouseConfig, options: ConnectOptions): Promise<EmbeddedServer> {
  return startEmbedded({
    projectRoot: options.projectRoot ?? PROJECT_ROOT,
    explicitDir: config.embeddedDataDir,
    log: options.log ?? (() => {}),
  });
}

/** Runs `work` with an open warehouse and always closes it. */
export async function withWarehouse<T>(
  config: WarehouseConfig,
  work: (warehouse: Warehouse) => Promise<T>,
  options: ConnectOptions = {},
): Promise<T> {
  const warehouse = await connect(config, options);
  try {
    return await work(warehouse);
  } finally {
    await warehouse.close();
  }
}

/**
 * Runs `work` on one node-pg connection of its own, made from the pool's settings (the
 * embedded server started or adopted first for `local`, IAM credentials fetched for
 * Redshift), and always closes it: for a command that only sends SQL and prints what comes
 * back (`npm run query`).
 */
export async function withConnection<T>(
  config: WarehouseConfig,
  work: (connection: Client) => Promise<T>,
  options: ConnectOptions = {},
): Promise<T> {
  const server = config.target === 'local' ? await startLocalServer(config, options) : undefined;
  try {
    const settings = knexConfig(config, server?.connection).connection;
    const client = new Client(typeof settings === 'function' ? await settings() : (settings as object));
    // A connection lost while the query runs fails the query, which says so; without a listener node-pg's 'error' event would also crash the process.
    client.on('error', () => {});
    try {
      await client.connect();
    } catch (error) {
      throw (config.target === 'redshift' && explainConnectFailure(error, config.redshift!)) || error;
    }
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  } finally {
    await server?.release();
  }
}
