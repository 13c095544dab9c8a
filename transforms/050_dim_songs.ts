// songs: one row per song_id. Titles that arrive as JSON numbers were kept as text by
// the load; a double-encoded title is kept repaired (src/double-encoding.ts). Should a
// song_id appear in two files, the longer-lived choice is the one whose fields sort
// first, so every run picks the same row.
import { repaired } from '../src/double-encoding';
import { upsertFromBatch } from '../src/transform/batch-statements';
import { sqlStep } from '../src/transform/sql-step';

const columns = ['song_id', 'title', 'artist_id', 'year', 'duration'];

export default sqlStep({
  description: 'upsert songs',
  target: 'songs',
  // Skipped when the song catalogue has not changed since songs was last derived from it.
  derivesFromCatalogue: { source: 'songs', table: 'staging_songs' },
  statements: (dialect) =>
    upsertFromBatch(dialect, {
      table: 'songs',
      key: ['song_id'],
      columns,
      text: ['title', 'artist_id'],
      batch: `
with catalogue as (
    select
        song_id,
        ${repaired('title')} as title,
        artist_id,
        year,
        duration
    from staging_songs
    where song_id is not null
),

ranked as (
    select
        catalogue.*,
        row_number() over (
            partition by song_id
            order by ${dialect.binaryText('title')} asc, ${dialect.binaryText('artist_id')} asc, year desc, duration asc
        ) as preference
    from catalogue
)

select ${columns.join(', ')}
from ranked
where preference = 1`,
    }),
});
