// f_repair_double_encoding(text): names that arrived double-encoded ("BeyoncÃ\u0083Â©"),
// repaired (src/double-encoding.ts). The same function on both targets; the transforms
// call it where a play meets its song and wherever the star keeps a name. Staging keeps
// the text as it came. On Redshift, creating it needs USAGE ON LANGUAGE SQL, PUBLIC's by default
// (AWS "UDF security and permissions", https://docs.aws.amazon.com/redshift/latest/dg/udf-security-and-privileges.html).
//
// Rows written before this migration are repaired in place, and every catalogue row is
// offered again to the plays (matched_to_plays = 0), so the next run matches the plays
// whose names were garbled, as a load of everything into a new warehouse would.
//
// down() drops the function. The names it repaired stay repaired: the text as it came is
// in the source files, and a --full-refresh after down() loads it again.
import type { Knex } from 'knex';
import { createRepairFunction, dropRepairFunction, repaired } from '../src/double-encoding';

const REPAIRED_COLUMNS: Array<[string, string[]]> = [
  ['songplays', ['song_title', 'artist_name']],
  ['users', ['first_name', 'last_name']],
  ['artists', ['name']],
  ['songs', ['title']],
];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(createRepairFunction());
  for (const [table, columns] of REPAIRED_COLUMNS) {
    const set = columns.map((c) => `${c} = ${repaired(c)}`).join(',\n    ');
    const changes = columns.map((c) => `${c} <> ${repaired(c)}`).join('\n   or ');
    await knex.raw(`\nupdate ${table}\nset ${set}\nwhere ${changes}`);
  }
  await knex.raw('\nupdate staging_songs\nset matched_to_plays = 0\nwhere matched_to_plays = 1');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(dropRepairFunction());
}
