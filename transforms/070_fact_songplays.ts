// songplays: one row per NextSong event, every one of them. A play finds its song in the
// catalogue by title, the artist name as the song file gives it, and duration = length
// (both double precision, parsed from the same decimal text, so equality is exact).
// Text is compared without trailing blanks (rtrim on both sides): Redshift ignores them
// in varchar comparisons and PostgreSQL does not, and both must match the same plays.
// Several songs can match: the smallest song_id wins. Plays of songs not in the
// catalogue keep null song_id and artist_id, and keep what they played (song_title,
// artist_name, song_length), so a song file that arrives later still matches them (see
// late-song-matches.ts). A play already in the fact (same user, session and item) is
// never inserted again; that check reads only the batch's time range of songplays.
import { publishStaged } from '../src/load/ledger';
import { epochMillisToTimestamp, insertNewFromBatch, sqlStep } from '../src/transform/sql-step';
import { lateSongMatches, songMatch } from '../src/transform/late-song-matches';

const columns = ['start_time', 'user_id', 'level', 'song_id', 'artist_id', 'session_id', 'item_in_session', 'location', 'user_agent', 'song_title', 'artist_name', 'song_length'];

export default sqlStep({
  description: 'match earlier plays to new songs, insert new plays into songplays',
  target: 'songplays',
  statements: (dialect) => [
    // First, while songplays holds only earlier runs' plays: this batch's are matched
    // against the whole catalogue below.
    ...lateSongMatches(),
    ...insertNewFromBatch(dialect, {
      table: 'songplays',
      key: ['user_id', 'session_id', 'item_in_session'],
      columns,
      range: 'start_time',
      batch: `
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

unique_plays as (
    select
        plays.*,
        row_number() over (
            partition by user_id, session_id, item_in_session
            order by ts asc
        ) as copy_number
    from plays
),

catalogue as (
    select song_id, artist_id, title, artist_name, duration
    from staging_songs
),

matched as (
    select
        unique_plays.*,
        catalogue.song_id,
        catalogue.artist_id,
        row_number() over (
            partition by unique_plays.user_id, unique_plays.session_id, unique_plays.item_in_session
            order by catalogue.song_id asc
        ) as match_rank
    from unique_plays
    left join catalogue
        on ${songMatch('catalogue', 'unique_plays')}
    where unique_plays.copy_number = 1
)

select ${columns.join(', ')}
from matched
where match_rank = 1`,
    }),
  ],
  // The last step to read staging_events: from now on its rows are in the star schema
  // and the next load may clear them.
  after: ({ db }) => publishStaged(db, 'events'),
  touches: ['load_ledger'],
});
