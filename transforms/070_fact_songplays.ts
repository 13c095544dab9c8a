// songplays: one row per NextSong event, every one of them. A play finds its song in the
// catalogue by title, the artist name as the song file gives it, and duration = length
// (both double precision, parsed from the same decimal text, so equality is exact).
// Text is compared without trailing blanks (rtrim on both sides): Redshift ignores them
// in varchar comparisons and PostgreSQL does not, and both must match the same plays.
// Several songs can match: the smallest song_id wins, chosen in the catalogue (one song
// per match key) before the join, so the join never multiplies a play and the plays need
// no second sort after it. (ROW_NUMBER's PARTITION BY takes expressions on Redshift too:
// https://docs.aws.amazon.com/redshift/latest/dg/r_WF_ROW_NUMBER.html.) Plays of songs
// not in the catalogue keep null song_id and artist_id, and keep what they played
// (song_title, artist_name, song_length), so a song file that arrives later still matches
// them (see late-song-matches.ts). A play already in the fact (same user, session and
// item) is never inserted again; that check reads only the batch's time range of songplays.
import { publishStaged } from '../src/load/ledger';
import { epochMillisToTimestamp, insertNewFromBatch, sqlStep, type SqlDialect } from '../src/transform/sql-step';
import { lateSongMatches, songMatch, songMatchKey } from '../src/transform/late-song-matches';

const columns = ['start_time', 'user_id', 'level', 'song_id', 'artist_id', 'session_id', 'item_in_session', 'location', 'user_agent', 'song_title', 'artist_name', 'song_length'];

export default sqlStep({
  description: 'match earlier plays to new songs, insert new plays into songplays',
  target: 'songplays',
  statements: (dialect) => [
    // First, while songplays holds only earlier runs' plays: this batch's are matched
    // against the whole catalogue below.
    ...lateSongMatches(dialect),
    insertNewFromBatch(dialect, {
      table: 'songplays',
      key: ['user_id', 'session_id', 'item_in_session'],
      columns,
      range: 'start_time',
      batch: playsBatch(dialect, true),
      undeduplicated: playsBatch(dialect, false),
    }),
  ],
  // The last step to read staging_events: from now on its rows are in the star schema
  // and the next load may clear them.
  after: ({ db }) => publishStaged(db, 'events'),
  touches: ['load_ledger'],
});

/**
 * The plays, each with its match. `dedup`: a play delivered more than once (same user,
 * session and item) is kept once, its earliest copy. Without it, the rows are the same
 * when no two share a key, which is what bulk-insert.ts lets the unique key's rebuild check.
 */
function playsBatch(dialect: SqlDialect, dedup: boolean): string {
  const plays = dedup ? 'unique_plays' : 'plays';
  return `
with plays as (
    select
        ${epochMillisToTimestamp('ts')} as start_time,
        user_id,
        level,
        song as song_title,
        artist as artist_name,
        length as song_length,
        session_id,
        item_in_session,
        location,
        user_agent,
        ts
    from staging_events
    where page = 'NextSong'
      and ts is not null
      and user_id is not null
      and trim(user_id) <> ''
      and session_id is not null
      and item_in_session is not null
),
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
ranked_songs as (
    select
        song_id,
        artist_id,
        title,
        artist_name,
        duration,
        row_number() over (
            partition by ${songMatchKey('staging_songs')}
            order by ${dialect.binaryText('song_id')} asc
        ) as match_rank
    from staging_songs
),

catalogue as (
    select song_id, artist_id, title, artist_name, duration
    from ranked_songs
    where match_rank = 1
),

matched as (
    select
        ${plays}.*,
        catalogue.song_id,
        catalogue.artist_id
    from ${plays}
    left join catalogue
        on ${songMatch('catalogue', plays)}${dedup ? `\n    where ${plays}.copy_number = 1` : ''}
)

select ${columns.join(', ')}
from matched`;
}
