// The warehouse's invariants, checked after every run (and alone with `npm run check`).
import { checkStep, type QualityCheck } from '../src/transform/check-step';

const keys: Array<[table: string, key: string]> = [
  ['users', 'user_id'],
  ['songs', 'song_id'],
  ['artists', 'artist_id'],
  ['time', 'start_time'],
  ['songplays', 'songplay_id'],
];

// "time" is quoted: it is a type name in both engines.
const sqlName = (table: string) => (table === 'time' ? '"time"' : table);

const keyChecks: QualityCheck[] = keys.flatMap(([table, key]) => [
  { name: `${table}.${key} is unique`, sql: `select ${key}, count(*) as copies from ${sqlName(table)} group by ${key} having count(*) > 1` },
  { name: `${table}.${key} is not null`, sql: `select * from ${sqlName(table)} where ${key} is null` },
]);

const references: QualityCheck[] = [
  {
    name: 'every songplay has its user in users',
    sql: 'select songplays.songplay_id, songplays.user_id from songplays left join users on users.user_id = songplays.user_id where users.user_id is null',
  },
  {
    name: 'every songplay has its start_time in time',
    sql: 'select songplays.songplay_id, songplays.start_time from songplays left join "time" on "time".start_time = songplays.start_time where "time".start_time is null',
  },
  {
    name: "every songplay's song_id is in songs",
    sql: 'select songplays.songplay_id, songplays.song_id from songplays left join songs on songs.song_id = songplays.song_id where songplays.song_id is not null and songs.song_id is null',
  },
  {
    name: "every songplay's artist_id is in artists",
    sql: 'select songplays.songplay_id, songplays.artist_id from songplays left join artists on artists.artist_id = songplays.artist_id where songplays.artist_id is not null and artists.artist_id is null',
  },
  {
    name: 'no play is in songplays twice',
    sql: 'select user_id, session_id, item_in_session, count(*) as copies from songplays group by user_id, session_id, item_in_session having count(*) > 1',
  },
];

const acceptedValues: QualityCheck[] = [
  { name: "users.level is 'free' or 'paid'", sql: "select user_id, level from users where level is null or level not in ('free', 'paid')" },
  { name: "songplays.level is 'free' or 'paid'", sql: "select songplay_id, level from songplays where level is null or level not in ('free', 'paid')" },
  { name: "users.gender is 'F', 'M' or unknown", sql: "select user_id, gender from users where gender is not null and gender not in ('F', 'M')" },
];

const notEmpty: QualityCheck[] = ['songplays', 'users', 'songs', 'artists', 'time'].map((table) => ({
  name: `${table} has rows`,
  sql: `select count(*) as row_count from ${sqlName(table)} having count(*) = 0`,
}));

export default checkStep('check keys, references, accepted values and row counts', [...keyChecks, ...references, ...acceptedValues, ...notEmpty]);
