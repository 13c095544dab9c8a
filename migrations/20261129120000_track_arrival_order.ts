// Files may arrive in any order, and song files after the plays that name them. Three
// columns let every run end where one load of everything ends (README, "Running it
// every day"):
// - users.last_event_at: the time of the event the row reflects, so an older day that
//   arrives late cannot overwrite a newer level or name.
// - songplays.song_title, artist_name, song_length: what the play said it played, so a
//   play that matched no song can be matched when its song file arrives later.
// - staging_songs.matched_to_plays: 0 for catalogue rows not yet offered to earlier
//   unmatched plays. Loads COPY an explicit column list without it, so new rows get the
//   default 0 on both engines (AWS "Loading default column values",
//   https://docs.aws.amazon.com/redshift/latest/dg/c_loading_default_values.html).
// On Redshift each column is one ALTER TABLE … ADD COLUMN with its encoding, as AWS
// documents (https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_TABLE.html:
// ADD [ COLUMN ] name type [ DEFAULT expr ] [ ENCODE enc ] [ NOT NULL | NULL ]);
// sqlfluff's redshift grammar does not know ENCODE there.
// Rows written before this migration have nulls: run `npm run transform -- --full-refresh`
// once to fill them.
import type { Knex } from 'knex';
import { addColumns, dropColumns } from '../src/migrate/ddl';
import { double, integer, timestamp, varchar, type TableDeclaration } from '../src/schema/table';
import { stagingSongs } from './20261125120000_create_staging_tables';
import { songplays, users } from './20261125120100_create_star_schema';

export const usersWithEventTime: TableDeclaration = {
  ...users,
  columns: [...users.columns, { name: 'last_event_at', type: timestamp }],
};

export const songplaysWithPlayedSong: TableDeclaration = {
  ...songplays,
  columns: [
    ...songplays.columns,
    { name: 'song_title', type: varchar(512) },
    { name: 'artist_name', type: varchar(512) },
    { name: 'song_length', type: double },
  ],
};

export const stagingSongsWithMatchFlag: TableDeclaration = {
  ...stagingSongs,
  columns: [...stagingSongs.columns, { name: 'matched_to_plays', type: integer, notNull: true, default: 0 }],
};

const additions: Array<[TableDeclaration, string[]]> = [
  [usersWithEventTime, ['last_event_at']],
  [songplaysWithPlayedSong, ['song_title', 'artist_name', 'song_length']],
  [stagingSongsWithMatchFlag, ['matched_to_plays']],
];

export async function up(knex: Knex): Promise<void> {
  for (const [table, columns] of additions) await addColumns(knex, table, columns);
}

export async function down(knex: Knex): Promise<void> {
  for (const [table, columns] of [...additions].reverse()) await dropColumns(knex, table, columns);
}
