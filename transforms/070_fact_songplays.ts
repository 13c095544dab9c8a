// songplays: one row per NextSong event, every one of them. A play finds its song in the
// catalogue by title, the artist name as the song file gives it, and duration = length
// (both double precision, parsed from the same decimal text, so equality is exact).
// Text is compared without trailing blanks (rtrim on both sides): Redshift ignores them
// in varchar comparisons and PostgreSQL does not, and both must match the same plays.
// Several songs can match: the smallest song_id wins, chosen in the catalogue (one song
// per match key, the temp table song_keys) before the join, so the join never multiplies a
// play and the plays need no second sort after it (ROW_NUMBER on Redshift:
// https://docs.aws.amazon.com/redshift/latest/dg/r_WF_ROW_NUMBER.html). Plays of songs
// not in the catalogue keep null song_id and artist_id, and keep what they played
// (song_title, artist_name, song_length), so a song file that arrives later still matches
// them (see song-matches.ts). A play already in the fact (same user, session and
// item) is never inserted again; that check reads only the batch's time range of songplays.
// Titles and artist names arrive double-encoded in the real logs ("BeyoncÃ\u0083Â©"): the
// fact keeps them repaired (src/double-encoding.ts), staging keeps them as they came, and
// the step counts the new plays that matched only because of the repair.
import { repaired } from '../src/double-encoding';
import { insertNewFromBatch } from '../src/transform/batch-statements';
import { epochMillisToTimestamp, sqlStep, type Statement } from '../src/transform/sql-step';
import { keepSongKeys, lateSongMatches, SONG_KEYS, songKeysMatch } from './song-matches';
import { IS_PLAY, PLAYS } from './staged-events';

const columns = [
  'start_time',
  'user_id',
  'level',
  'song_id',
  'artist_id',
  'session_id',
  'item_in_session',
  'location',
  'user_agent',
  'song_title',
  'artist_name',
  'song_length',
];

export default sqlStep({
  description: 'match earlier plays to new songs, insert new plays into songplays',
  target: 'songplays',
  statements: (dialect) => [
    // song_keys takes in the new songs while they are still marked new; then the late-song
    // match offers them to earlier runs' plays, while songplays holds only those: this
    // batch's plays are matched against the whole catalogue below.
    ...keepSongKeys(dialect),
    ...lateSongMatches(dialect),
    repairedMatches(),
    insertNewFromBatch(dialect, {
      table: 'songplays',
      key: ['user_id', 'session_id', 'item_in_session'],
      columns,
      range: 'start_time',
      batch: playsBatch(true),
      undeduplicated: playsBatch(false),
    }),
  ],
});

/**
 * How many of the batch's new plays match a song only once their names are repaired: the
 * names as they came match no song, the repaired ones do. Counted before the insert, so
 * plays already in the fact (a re-run) count 0. Reads only the few plays whose names the
 * repair changes, and the songs of their lengths.
 */
function repairedMatches(): Statement {
  // The plays whose song is in the catalogue, by the names repaired (prefix '') or as they came ('raw_').
  const matchedOn = (name: string, prefix: string) => `${name} as (
    select distinct user_id, session_id, item_in_session, start_time
    from repaired_plays
    inner join catalogue
        on catalogue.${prefix}title = repaired_plays.${prefix}title
        and catalogue.${prefix}artist_name = repaired_plays.${prefix}artist_name
        and catalogue.duration = repaired_plays.length
)`;
  const raw = (column: string) => `rtrim(${column})`;
  const fixed = (column: string) => `rtrim(${repaired(column)})`;
  return {
    sql: `
with repaired_plays as (
    select
        user_id,
        session_id,
        item_in_session,
        ${epochMillisToTimestamp('ts')} as start_time,
        ${raw('song')} as raw_title,
        ${raw('artist')} as raw_artist_name,
        ${fixed('song')} as title,
        ${fixed('artist')} as artist_name,
        length
    from staging_events
    where ${IS_PLAY}
      and (${repaired('song')} <> song or ${repaired('artist')} <> artist)
),

catalogue as (
    select distinct
        ${raw('title')} as raw_title,
        ${raw('artist_name')} as raw_artist_name,
        ${fixed('title')} as title,
        ${fixed('artist_name')} as artist_name,
        duration
    from staging_songs
    -- Only songs as long as a play whose names the repair changed can match one.
    where duration in (select length from repaired_plays)
),

${matchedOn('matched', '')},

${matchedOn('matched_as_they_came', 'raw_')}

select count(*) as plays
from matched
left join matched_as_they_came
    on matched_as_they_came.user_id = matched.user_id
    and matched_as_they_came.session_id = matched.session_id
    and matched_as_they_came.item_in_session = matched.item_in_session
left join songplays
    on songplays.user_id = matched.user_id
    and songplays.session_id = matched.session_id
    and songplays.item_in_session = matched.item_in_session
    and songplays.start_time = matched.start_time
where matched_as_they_came.user_id is null
  and songplays.user_id is null`,
    tally: 'repairedMatches',
  };
}

/**
 * The plays, each with its match. `dedup`: a play delivered more than once (same user,
 * session and item) is kept once, its earliest copy. Without it, the rows are the same
 * when no two share a key, which is what bulk-insert.ts lets the unique key's rebuild check.
 */
function playsBatch(dedup: boolean): string {
  const plays = dedup ? 'unique_plays' : 'plays';
  return `
with ${PLAYS},
${
  dedup
    ? `
unique_plays as (
    select
        plays.*,
        row_number() over (
            partition by user_id, session_id, item_in_session
            order by ts asc
        ) as copy_number
    from plays
),
`
    : ''
}
matched as (
    select
        ${plays}.*,
        ${SONG_KEYS}.song_id,
        ${SONG_KEYS}.artist_id
    from ${plays}
    left join ${SONG_KEYS}
        on ${songKeysMatch(plays)}${dedup ? `\n    where ${plays}.copy_number = 1` : ''}
)

select ${columns.join(', ')}
from matched`;
}
