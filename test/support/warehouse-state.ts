// Snapshots of the star schema for comparing runs: row counts and an order-independent
// checksum of each table's content (the surrogate songplay_id left out).
import type { Knex } from 'knex';

const CONTENT: Record<string, string> = {
  users: 'user_id, first_name, last_name, gender, level, last_event_at',
  songs: 'song_id, title, artist_id, year, duration',
  artists: 'artist_id, name, location, latitude, longitude',
  time: 'start_time, hour, day, week, month, year, weekday',
  songplays:
    'start_time, user_id, level, song_id, artist_id, session_id, item_in_session, location, user_agent, song_title, artist_name, song_length',
};

export interface TableState {
  rows: number;
  checksum: string;
}

export async function starState(knex: Knex): Promise<Record<string, TableState>> {
  const state: Record<string, TableState> = {};
  for (const [table, columns] of Object.entries(CONTENT)) {
    const name = table === 'time' ? '"time"' : table;
    const result = await knex.raw(`
      select count(*) as row_count,
             coalesce(md5(string_agg(md5(cast(row(${columns}) as text)), ',' order by md5(cast(row(${columns}) as text)))), '') as checksum
      from ${name}`);
    state[table] = { rows: Number(result.rows[0].row_count), checksum: result.rows[0].checksum };
  }
  return state;
}

export async function count(knex: Knex, sql: string): Promise<number> {
  const result = await knex.raw(sql);
  return Number(Object.values(result.rows[0])[0]);
}
