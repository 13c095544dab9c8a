// artists: one row per artist_id. The catalogue lists some artists under several names
// ("X", "X featuring Y") and locations. Rule: the name used on most of the artist's
// songs; on a tie the shortest, then the first alphabetically. Location and
// coordinates come from that same song row, preferring one that has them. A name that
// arrived double-encoded counts as the name it stands for (src/double-encoding.ts).
import { repaired } from '../src/double-encoding';
import { upsertFromBatch } from '../src/transform/batch-statements';
import { sqlStep } from '../src/transform/sql-step';

const columns = ['artist_id', 'name', 'location', 'latitude', 'longitude'];

export default sqlStep({
  description: 'upsert artists, one name per artist_id',
  target: 'artists',
  // Skipped when the song catalogue has not changed since artists was last derived from it.
  derivesFromCatalogue: { source: 'songs', table: 'staging_songs' },
  statements: (dialect) =>
    upsertFromBatch(dialect, {
      table: 'artists',
      key: ['artist_id'],
      columns,
      text: ['name', 'location'],
      batch: `
with catalogue as (
    select
        artist_id,
        ${repaired('artist_name')} as name,
        nullif(trim(artist_location), '') as location,
        artist_latitude as latitude,
        artist_longitude as longitude,
        song_id
    from staging_songs
    where artist_id is not null
),

name_counts as (
    select
        artist_id,
        name,
        count(*) as songs_with_name
    from catalogue
    group by artist_id, name
),

ranked as (
    select
        catalogue.*,
        row_number() over (
            partition by catalogue.artist_id
            order by
                name_counts.songs_with_name desc,
                length(catalogue.name) asc,
                ${dialect.binaryText('catalogue.name')} asc,
                case when catalogue.location is null then 1 else 0 end asc,
                case when catalogue.latitude is null then 1 else 0 end asc,
                ${dialect.binaryText('catalogue.song_id')} asc
        ) as preference
    from catalogue
    inner join name_counts
        on name_counts.artist_id = catalogue.artist_id
        and (name_counts.name = catalogue.name or (name_counts.name is null and catalogue.name is null))
)

select ${columns.join(', ')}
from ranked
where preference = 1`,
    }),
});
