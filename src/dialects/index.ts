import type { Knex } from 'knex';
import type { TargetName } from '../config';
import type { Dialect } from './dialect';
import { postgres } from './postgres';
import { redshift } from './redshift';

export type { Dialect } from './dialect';
export { postgres, redshift };

/** The dialect a target speaks: the embedded server and DATABASE_URL are PostgreSQL. */
export function dialectFor(target: TargetName): Dialect {
  return target === 'redshift' ? redshift : postgres;
}

/** The dialect of a knex instance: its client is either knex's `pg` or `redshift` client. */
export function dialectOf(knex: Knex): Dialect {
  return knex.client.dialect === 'redshift' ? redshift : postgres;
}
