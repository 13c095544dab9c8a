import type { Knex } from 'knex';
import type { Dialect } from './dialect';
import { postgres } from './postgres';
import { redshift } from './redshift';

export type { Dialect } from './dialect';
export { postgres, redshift };

/** The dialect of a knex instance: its client is either knex's `pg` or `redshift` client. */
export function dialectOf(knex: Knex): Dialect {
  return knex.client.dialect === 'redshift' ? redshift : postgres;
}
