// song_keys: the song catalogue as 070 matches plays against it, one song per match key (the
// smallest song_id), its key computed once a song (transforms/song-matches.ts). 070 keeps it:
// it adds the songs that arrived since it last ran, and builds it again from the whole
// catalogue when no song of it has been offered to the plays yet (a first run, a
// --full-refresh). So a day whose catalogue did not change reads none of it again, and the
// insert into an empty fact is planned on a table with statistics, not on expressions
// without them (planned so, it hashed the plays and stored them out of time order).
// up() offers the catalogue to the plays again (matched_to_plays = 0), as the repair of
// double-encoded names did: the next run builds song_keys from all of it, and the late-song
// match finds every play already matched as it is. down() drops the table.
import type { Knex } from 'knex';
import { createTables, dropTables } from '../src/migrate/ddl';
import { double, varchar, type TableDeclaration } from '../src/schema/table';

export const songKeys: TableDeclaration = {
  name: 'song_keys',
  layer: 'staging',
  comment: "the catalogue's one song per match key (title, artist name, duration), for 070",
  columns: [
    { name: 'song_id', type: varchar(64) },
    { name: 'artist_id', type: varchar(64) },
    { name: 'title_key', type: varchar(512), notNull: true },
    { name: 'artist_key', type: varchar(512), notNull: true },
    { name: 'duration', type: double, notNull: true },
  ],
  // Joined by the plays of every slice on Redshift: a copy on each node.
  distribution: { style: 'all' },
};

export async function up(knex: Knex): Promise<void> {
  await createTables(knex, [songKeys]);
  await knex.raw('\nupdate staging_songs\nset matched_to_plays = 0\nwhere matched_to_plays = 1');
}

export async function down(knex: Knex): Promise<void> {
  await dropTables(knex, [songKeys]);
}
