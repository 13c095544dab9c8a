// The cleaned events, defined once and read by 030, 060 and 070, as a dbt project's staging
// models are: which events are a known user's, and which are plays. Not a step (no number):
// the runner reads only NNN_name.ts files.
import { repaired } from '../src/double-encoding';
import { epochMillisToTimestamp } from '../src/transform/sql-step';

/** An event of a known user: logged-out events have an empty userId and are nobody. */
export const KNOWN_USER = `user_id is not null
      and trim(user_id) <> ''`;

/** A play: a song (NextSong) a known user played, at a known time and place in a session. */
export const IS_PLAY = `page = 'NextSong'
      and ts is not null
      and ${KNOWN_USER}
      and session_id is not null
      and item_in_session is not null`;

/**
 * The CTE `plays`: every play of the batch, its start time with the milliseconds kept, its
 * names repaired (src/double-encoding.ts; staging keeps them as they came).
 */
export const PLAYS = `plays as (
    select
        ${epochMillisToTimestamp('ts')} as start_time,
        user_id,
        level,
        ${repaired('song')} as song_title,
        ${repaired('artist')} as artist_name,
        length as song_length,
        session_id,
        item_in_session,
        location,
        user_agent,
        ts
    from staging_events
    where ${IS_PLAY}
)`;
