// How a play finds its song, the rule 070 inserts by and matches late songs by. Not a step
// (no number): the runner reads only NNN_name.ts files.
//
// Song files that arrive after the plays that name them. Staging keeps the catalogue, and
// the loads leave staging_songs.matched_to_plays at its default 0 on every row they add
// (they COPY an explicit column list without it). Those rows are offered to the plays
// of earlier runs: a play that matched nothing, or matched a song whose id sorts after a
// new match (one load of everything takes the smallest song_id), gets the new song_id
// and artist_id. Then the rows are marked offered. Only the new catalogue rows are read,
// and only the plays they match are written.
import { repaired } from '../src/double-encoding';
import { recordUpdated } from '../src/transform/check-scope';
import type { SqlDialect, Statement } from '../src/transform/sql-step';

/**
 * The song match, the same in the fact's insert and here; trailing blanks never count (rtrim
 * both sides). The song's text is repaired as the plays' is (../double-encoding.ts), so a
 * play matches its song however either side arrived encoded.
 */
export function songMatch(song: string, play: string): string {
  return matchOn(songKey(song), play);
}

/** The song's key, three expressions, equal to the play's title, artist name and length. */
function matchOn(songSide: string[], play: string): string {
  const played = [`rtrim(${play}.song_title)`, `rtrim(${play}.artist_name)`, `${play}.song_length`];
  return songSide.map((part, i) => `${part} = ${played[i]}`).join('\n        and ');
}

/** The song's side of songMatch as a list: two songs with equal keys match the same plays. */
export function songMatchKey(song: string): string {
  return songKey(song).join(', ');
}

function songKey(song: string): string[] {
  return [`rtrim(${repaired(`${song}.title`)})`, `rtrim(${repaired(`${song}.artist_name`)})`, `${song}.duration`];
}

/**
 * The catalogue as the plays are matched against it, one song per match key (the smallest
 * song_id), its key computed once a song: the table song_keys, which 070 keeps before it
 * offers the new songs to the plays (below: it reads them by matched_to_plays = 0).
 * - It is built again from scratch when no song of the catalogue has been offered yet (a
 *   first run, a --full-refresh, a migration that offers the catalogue again).
 * - Else the new songs' keys are added: a key already there keeps its song unless a new
 *   song's id sorts first (the smallest song_id wins, as one load of everything would choose).
 * A key with a null part matches no play (a comparison with null is never true), so none is
 * kept. On PostgreSQL it is analyzed at once when it changed (analyzes, 'now'): planned on keys
 * without statistics, the insert into an empty songplays hashed the plays, not the catalogue,
 * and stored them out of time order, the order the fact's BRIN index and every range read
 * of it rely on (docs/performance.md, "Figures behind comments").
 */
export const SONG_KEYS = 'song_keys';

/** song_keys' key columns, songKey's three parts computed once. */
const KEY_COLUMNS = ['title_key', 'artist_key', 'duration'];

export function keepSongKeys(dialect: SqlDialect): Statement[] {
  const [title, artistName, duration] = songKey('staging_songs');
  const sameKey = (indent: string) =>
    KEY_COLUMNS.map((column) => `${SONG_KEYS}.${column} = new_song_keys.${column}`).join(`\n${indent}and `);
  return [
    {
      sql: `
create temp table new_song_keys as
with keyed as (
    select
        song_id,
        artist_id,
        ${title} as title_key,
        ${artistName} as artist_key,
        ${duration} as duration
    from staging_songs
    where matched_to_plays = 0
),

ranked as (
    select
        keyed.*,
        row_number() over (
            partition by title_key, artist_key, duration
            order by ${dialect.binaryText('song_id')} asc
        ) as match_rank
    from keyed
    where title_key is not null
      and artist_key is not null
      and duration is not null
)

select song_id, artist_id, title_key, artist_key, duration
from ranked
where match_rank = 1`,
    },
    // Nothing offered yet: the table is built again from the whole catalogue.
    {
      sql: `
delete from ${SONG_KEYS}
where not exists (select 1 from staging_songs where matched_to_plays = 1)`,
    },
    {
      sql: `
delete from ${SONG_KEYS}
using new_song_keys
where ${sameKey('  ')}
  and ${dialect.binaryText('new_song_keys.song_id')} < ${dialect.binaryText(`${SONG_KEYS}.song_id`)}`,
    },
    {
      sql: `
insert into ${SONG_KEYS} (song_id, artist_id, title_key, artist_key, duration)
select new_song_keys.song_id, new_song_keys.artist_id, new_song_keys.title_key, new_song_keys.artist_key, new_song_keys.duration
from new_song_keys
left join ${SONG_KEYS}
    on ${sameKey('    ')}
where ${SONG_KEYS}.title_key is null`,
      analyzes: { table: SONG_KEYS, when: 'now' },
    },
    { sql: 'drop table new_song_keys' },
  ];
}

/** songMatch against the song_keys table: its keys are computed already. */
export function songKeysMatch(play: string): string {
  return matchOn(
    KEY_COLUMNS.map((column) => `${SONG_KEYS}.${column}`),
    play,
  );
}

export function lateSongMatches(dialect: SqlDialect): Statement[] {
  return [
    {
      sql: `
create temp table late_song_matches as
with new_songs as (
    select song_id, artist_id, title, artist_name, duration
    from staging_songs
    where matched_to_plays = 0
),

candidates as (
    select
        songplays.user_id,
        songplays.session_id,
        songplays.item_in_session,
        songplays.start_time,
        new_songs.song_id,
        new_songs.artist_id,
        row_number() over (
            partition by songplays.user_id, songplays.session_id, songplays.item_in_session
            order by ${dialect.binaryText('new_songs.song_id')} asc
        ) as match_rank
    from songplays
    inner join new_songs
        on ${songMatch('new_songs', 'songplays')}
    where songplays.song_id is null
       or ${dialect.binaryText('new_songs.song_id')} < ${dialect.binaryText('songplays.song_id')}
)

select user_id, session_id, item_in_session, start_time, song_id, artist_id
from candidates
where match_rank = 1`,
    },
    // UPDATE … FROM with the target in an equijoin on plain columns, as Redshift requires
    // (AWS "UPDATE", https://docs.aws.amazon.com/redshift/latest/dg/r_UPDATE.html: no
    // outer joins in FROM, "Target table must be part of an equijoin predicate").
    // start_time, the sort key, lets zone maps skip the other days' blocks.
    {
      sql: `
update songplays
set song_id = late_song_matches.song_id,
    artist_id = late_song_matches.artist_id
from late_song_matches
where songplays.user_id = late_song_matches.user_id
  and songplays.session_id = late_song_matches.session_id
  and songplays.item_in_session = late_song_matches.item_in_session
  and songplays.start_time = late_song_matches.start_time`,
      counts: 'updated',
    },
    // Plays outside this run's range changed: the checks follow the values written (check-scope.ts).
    ...recordUpdated('songplays', 'late_song_matches', ['song_id', 'artist_id']).map((sql) => ({ sql: `\n${sql}` })),
    { sql: 'drop table late_song_matches' },
    // The next run's loads find the catalogue's statistics current (src/load/postgres/stream-load.ts).
    {
      sql: '\nupdate staging_songs\nset matched_to_plays = 1\nwhere matched_to_plays = 0',
      analyzes: { table: 'staging_songs', when: 'after the step' },
    },
  ];
}
