// The share of plays matched to the song catalogue: the figure a run is judged by, printed
// at the end of every transform (and so of npm start).
import type { Knex } from 'knex';

export async function matchedShare(knex: Knex): Promise<string> {
  const result = await knex.raw('select count(*) as plays, count(song_id) as matched from songplays');
  const plays = Number(result.rows[0].plays);
  const matched = Number(result.rows[0].matched);
  const rate = plays === 0 ? 0 : (100 * matched) / plays;
  return `Plays matched to the song catalogue: ${matched.toLocaleString('en-US')} of ${plays.toLocaleString('en-US')} (${rate.toFixed(1)}%)`;
}
