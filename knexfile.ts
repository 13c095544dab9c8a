// For the knex CLI (`npx knex --knexfile knexfile.ts migrate:status`): the same target
// selection and migrations as `npm run migrate`. For the local target it starts the
// embedded server, which stops when the knex command exits.
// Note: the plain knex CLI uses knex's own migration lock; `npm run migrate` adds an
// explicit LOCK that also holds on Redshift (src/migrate/migrator.ts).
import type { Knex } from 'knex';
import { loadConfig } from './src/config';
import { connectionConfig } from './src/targets/connect';

export default async function knexfile(): Promise<Knex.Config> {
  return connectionConfig(loadConfig(), { log: (m) => console.error(m) });
}
