// A connection of its own, outside knex's pool (the run lock's), built from the same
// settings as the pool's.
//
// Why not just `knex.client.acquireRawConnection()`: with REDSHIFT_AUTH=iam the connection
// config is an async provider (src/targets/iam-credentials.ts), and knex calls it only
// inside its pool, when the pool makes a connection or finds the credentials near expiry
// (knex 3, lib/client.js getPoolSettings: `updatePoolConnectionSettingsFromProvider`). Until
// then `client.connectionSettings` is undefined and the raw connection is
// `new pg.Client(undefined)`: libpq defaults (localhost, the shell's PGUSER), no TLS, no
// credentials. Taking one pooled connection first lets knex resolve the provider its own
// way, expiry included; the pooled connection goes back to the pool for the steps.
import type { Knex } from 'knex';

export async function acquireOwnConnection(knex: Knex): Promise<unknown> {
  const client = knex.client as Knex.Client & { connectionConfigProvider?: unknown };
  if (client.connectionConfigProvider) {
    const pooled = await client.acquireConnection();
    await client.releaseConnection(pooled);
  }
  return client.acquireRawConnection();
}
