// The lookup keys' btrees on PostgreSQL leave out the rows whose leading column is null
// (lookupKeysSkipNulls in src/schema/table.ts): most plays match no song, so half the
// entries of songplays' song_id and artist_id indexes served no query, and each day's
// insert paid for them (docs/performance.md, "Figures behind comments"). Redshift has no
// such indexes: there this migration does nothing.
import type { Knex } from 'knex';
import { changeKeys } from '../src/migrate/ddl';
import type { TableDeclaration } from '../src/schema/table';
import { songs } from './20261125120100_create_star_schema';
import { songplaysWithPlayedSong } from './20261129120000_track_arrival_order';

export const songplaysLookupsWithoutNulls: TableDeclaration = { ...songplaysWithPlayedSong, lookupKeysSkipNulls: true };
export const songsLookupsWithoutNulls: TableDeclaration = { ...songs, lookupKeysSkipNulls: true };

export async function up(knex: Knex): Promise<void> {
  await changeKeys(knex, songplaysWithPlayedSong, songplaysLookupsWithoutNulls);
  await changeKeys(knex, songs, songsLookupsWithoutNulls);
}

export async function down(knex: Knex): Promise<void> {
  await changeKeys(knex, songsLookupsWithoutNulls, songs);
  await changeKeys(knex, songplaysLookupsWithoutNulls, songplaysWithPlayedSong);
}
