// The star schema analysts query. The README ("Distribution and sort keys") explains
// each choice; change one in a new migration (see migrations/README.md), never here.
import type { Knex } from 'knex';
import { createTables, dropTables } from '../src/migrate/ddl';
import { double, identity, integer, smallint, timestamp, varchar, type TableDeclaration } from '../src/schema/table';

/** Every event has a level: a user is on the free or the paid plan (checked by 090). */
const LEVELS = { values: ['free', 'paid'] };

export const songplays: TableDeclaration = {
  name: 'songplays',
  layer: 'star',
  comment: 'fact: one row per NextSong event',
  columns: [
    { name: 'songplay_id', type: identity, notNull: true },
    { name: 'start_time', type: timestamp, notNull: true },
    { name: 'user_id', type: varchar(64), notNull: true },
    { name: 'level', type: varchar(16), accepted: LEVELS },
    { name: 'song_id', type: varchar(64) },
    { name: 'artist_id', type: varchar(64) },
    { name: 'session_id', type: integer, notNull: true },
    { name: 'item_in_session', type: integer, notNull: true },
    { name: 'location', type: varchar(512) },
    { name: 'user_agent', type: varchar(1024) },
  ],
  primaryKey: ['songplay_id'],
  // A user's session numbers its items: together they name one play, so re-runs can skip plays already loaded.
  uniqueKey: ['user_id', 'session_id', 'item_in_session'],
  // start_time, not song_id: most plays of the real sample match no song, and a null
  // song_id would put them all on one slice. start_time spreads evenly and co-locates
  // every play with its row in `time`.
  distribution: { style: 'key', column: 'start_time' },
  sortKey: ['start_time'],
  timeOrdered: true,
  lookupKeys: [['song_id'], ['artist_id']],
  // Checked by 090, not rendered into DDL (see Reference in src/schema/table.ts). Most
  // plays of the real sample match no song: their song_id and artist_id are null.
  references: [
    { columns: ['user_id'], table: 'users', key: ['user_id'] },
    { columns: ['start_time'], table: 'time', key: ['start_time'] },
    { columns: ['song_id'], table: 'songs', key: ['song_id'], nullable: true },
    { columns: ['artist_id'], table: 'artists', key: ['artist_id'], nullable: true },
  ],
};

export const users: TableDeclaration = {
  name: 'users',
  layer: 'star',
  comment: 'dimension: one row per user, with the level of their latest event',
  columns: [
    { name: 'user_id', type: varchar(64), notNull: true },
    { name: 'first_name', type: varchar(256) },
    { name: 'last_name', type: varchar(256) },
    { name: 'gender', type: varchar(16), accepted: { values: ['F', 'M'], orNull: true } },
    { name: 'level', type: varchar(16), accepted: LEVELS },
  ],
  primaryKey: ['user_id'],
  distribution: { style: 'all' },
  sortKey: ['user_id'],
};

export const songs: TableDeclaration = {
  name: 'songs',
  layer: 'star',
  comment: 'dimension: one row per song_id',
  columns: [
    { name: 'song_id', type: varchar(64), notNull: true },
    { name: 'title', type: varchar(512) },
    { name: 'artist_id', type: varchar(64) },
    { name: 'year', type: smallint },
    { name: 'duration', type: double },
  ],
  primaryKey: ['song_id'],
  distribution: { style: 'all' },
  sortKey: ['song_id'],
  // songplays finds its song by title, duration and artist name.
  lookupKeys: [['title', 'duration']],
};

export const artists: TableDeclaration = {
  name: 'artists',
  layer: 'star',
  comment: 'dimension: one row per artist_id',
  columns: [
    { name: 'artist_id', type: varchar(64), notNull: true },
    { name: 'name', type: varchar(512) },
    { name: 'location', type: varchar(512) },
    { name: 'latitude', type: double },
    { name: 'longitude', type: double },
  ],
  primaryKey: ['artist_id'],
  distribution: { style: 'all' },
  sortKey: ['artist_id'],
};

export const time: TableDeclaration = {
  name: 'time',
  layer: 'star',
  comment: 'dimension: one row per distinct start_time (milliseconds kept)',
  columns: [
    { name: 'start_time', type: timestamp, notNull: true },
    { name: 'hour', type: smallint },
    { name: 'day', type: smallint },
    { name: 'week', type: smallint },
    { name: 'month', type: smallint },
    { name: 'year', type: smallint },
    { name: 'weekday', type: smallint },
  ],
  primaryKey: ['start_time'],
  // As large as the fact: distributed like it, so the join on start_time stays on each slice.
  distribution: { style: 'key', column: 'start_time' },
  sortKey: ['start_time'],
};

const tables = [users, artists, songs, time, songplays];

export async function up(knex: Knex): Promise<void> {
  await createTables(knex, tables);
}

export async function down(knex: Knex): Promise<void> {
  await dropTables(knex, tables);
}
