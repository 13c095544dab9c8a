// Staging: the raw loads, one column per source field, typed loosely enough that real
// (messy) input loads: numbers where text belongs are kept as text, epoch-ms stays
// bigint, `registration` arrives as a float (1540919166796.0) and stays one.
// Lengths are bytes on Redshift; each is a few times the longest value in the sample.
import type { Knex } from 'knex';
import { createTables, dropTables } from '../src/migrate/ddl';
import { bigint, double, integer, smallint, varchar, type TableDeclaration } from '../src/schema/table';

export const stagingEvents: TableDeclaration = {
  name: 'staging_events',
  layer: 'staging',
  comment: 'one row per app event (log_data), columns in the order of log_json_path.json',
  columns: [
    { name: 'artist', type: varchar(512) },
    { name: 'auth', type: varchar(32) },
    { name: 'first_name', type: varchar(256) },
    { name: 'gender', type: varchar(16) },
    { name: 'item_in_session', type: integer },
    { name: 'last_name', type: varchar(256) },
    { name: 'length', type: double },
    { name: 'level', type: varchar(16) },
    { name: 'location', type: varchar(512) },
    { name: 'method', type: varchar(16) },
    { name: 'page', type: varchar(64) },
    { name: 'registration', type: double },
    { name: 'session_id', type: integer },
    { name: 'song', type: varchar(512) },
    { name: 'status', type: smallint },
    { name: 'ts', type: bigint },
    { name: 'user_agent', type: varchar(1024) },
    { name: 'user_id', type: varchar(64) },
  ],
  // Staging is read whole by each upsert, so no key serves a join: spread it evenly.
  distribution: { style: 'even' },
};

export const stagingSongs: TableDeclaration = {
  name: 'staging_songs',
  layer: 'staging',
  comment: 'one row per song file (song_data)',
  columns: [
    { name: 'num_songs', type: integer },
    { name: 'artist_id', type: varchar(64) },
    { name: 'artist_latitude', type: double },
    { name: 'artist_longitude', type: double },
    { name: 'artist_location', type: varchar(512) },
    { name: 'artist_name', type: varchar(512) },
    { name: 'song_id', type: varchar(64) },
    { name: 'title', type: varchar(512) },
    { name: 'duration', type: double },
    { name: 'year', type: smallint },
  ],
  distribution: { style: 'even' },
};

const tables = [stagingEvents, stagingSongs];

export async function up(knex: Knex): Promise<void> {
  await createTables(knex, tables);
}

export async function down(knex: Knex): Promise<void> {
  await dropTables(knex, tables);
}
