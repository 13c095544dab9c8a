// The benchmark's "star limit": what the two big star tables cost when written by hand,
// the way pg_restore builds a table, on the same staging rows the transform reads. Each
// goes into a fresh table with no index, then gets every index the migrations declare
// for it (primary key included). Names are repaired as 070 repairs them. No dedup against
// earlier runs, no late-song matching: the fastest build of the same rows, which the
// 030–090 steps are measured against.
import type { Knex } from 'knex';
import { time } from '../../migrations/20261125120100_create_star_schema';
import { songplaysWithPlayedSong } from '../../migrations/20261129120000_track_arrival_order';
import { postgres } from '../dialects';
import { repaired } from '../double-encoding';
import type { TableDeclaration } from '../schema/table';
import { epochMillisToTimestamp } from '../transform/sql-step';
import { songMatch, songMatchKey } from '../../transforms/song-matches';
import { runVerbatim } from '../verbatim';

export interface StarLimitPart {
  table: string;
  rows: number;
  /** Filling the unindexed table. */
  insertSeconds: number;
  /** Building its declared indexes afterwards. */
  indexSeconds: number;
}

/** `time`: each distinct start time with its parts. */
const TIME_ROWS = `
select
    start_time,
    cast(extract(hour from start_time) as smallint),
    cast(extract(day from start_time) as smallint),
    cast(extract(week from start_time) as smallint),
    cast(extract(month from start_time) as smallint),
    cast(extract(year from start_time) as smallint),
    cast(extract(dow from start_time) as smallint)
from (
    select distinct ${epochMillisToTimestamp('ts')} as start_time
    from staging_events
    where page = 'NextSong' and ts is not null
) as plays`;

/**
 * `songplays`: every NextSong play with its left-joined match. The catalogue is narrowed
 * to one song per match key first (the smallest song_id, as 070 picks), so the join
 * cannot multiply plays and the declared unique key holds.
 */
const SONGPLAY_ROWS = `
with catalogue as (
    select song_id, artist_id, title, artist_name, duration
    from (
        select
            song_id, artist_id, title, artist_name, duration,
            row_number() over (partition by ${songMatchKey('staging_songs')} order by song_id) as match_rank
        from staging_songs
    ) as ranked
    where match_rank = 1
)

select
    ${epochMillisToTimestamp('plays.ts')},
    plays.user_id, plays.level, catalogue.song_id, catalogue.artist_id, plays.session_id, plays.item_in_session,
    plays.location, plays.user_agent, plays.song_title, plays.artist_name, plays.length
from (
    select *, ${repaired('song')} as song_title, ${repaired('artist')} as artist_name, length as song_length
    from staging_events
) as plays
left join catalogue
    on ${songMatch('catalogue', 'plays')}
where plays.page = 'NextSong'
  and plays.ts is not null
  and plays.user_id is not null
  and trim(plays.user_id) <> ''
  and plays.session_id is not null
  and plays.item_in_session is not null`;

const SONGPLAY_COLUMNS = songplaysWithPlayedSong.columns.map((c) => c.name).filter((name) => name !== 'songplay_id');

/** Builds both tables (as star_limit_time and star_limit_songplays) and times each part. */
export async function buildStarLimit(db: Knex): Promise<StarLimitPart[]> {
  return [
    await buildUnindexedThenIndex(
      db,
      time,
      time.columns.map((c) => c.name),
      TIME_ROWS,
    ),
    await buildUnindexedThenIndex(db, songplaysWithPlayedSong, SONGPLAY_COLUMNS, SONGPLAY_ROWS),
  ];
}

async function buildUnindexedThenIndex(
  db: Knex,
  declared: TableDeclaration,
  columns: string[],
  rows: string,
): Promise<StarLimitPart> {
  const name = `star_limit_${declared.name}`;
  const copy: TableDeclaration = {
    ...declared,
    name,
    primaryKey: undefined,
    uniqueKey: undefined,
    sortKey: undefined,
    lookupKeys: undefined,
  };
  const [createBare] = postgres.createTable(copy);
  // The declared indexes, renamed onto the copy: the primary key, then what createTable adds.
  const [createFull, ...indexes] = postgres.createTable({ ...declared, name });
  if (!createFull.includes('primary key'))
    throw new Error(`${declared.name} declares no primary key; the star limit expects one`);
  const primaryKey = `alter table "${name}" add primary key (${(declared.primaryKey ?? []).map((c) => `"${c}"`).join(', ')})`;

  await runVerbatim(db, `drop table if exists "${name}"`);
  await runVerbatim(db, createBare);
  let started = process.hrtime.bigint();
  const inserted = await runVerbatim(db, `insert into "${name}" (${columns.join(', ')})\n${rows.trim()}`);
  const insertSeconds = since(started);
  started = process.hrtime.bigint();
  for (const statement of [primaryKey, ...indexes]) await runVerbatim(db, statement);
  const indexSeconds = since(started);
  return { table: declared.name, rows: Number(inserted.rowCount ?? 0), insertSeconds, indexSeconds };
}

function since(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}
