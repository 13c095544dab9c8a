// time: one row per distinct play start, milliseconds kept (ts / 1000.0, not / 1000).
// Rows never change, so only new start times are inserted; the check for existing ones
// reads only the batch's time range of `time` (into an empty `time`, there is none).
import { epochMillisToTimestamp, insertNewFromBatch, sqlStep } from '../src/transform/sql-step';

const columns = ['start_time', 'hour', 'day', 'week', 'month', 'year', 'weekday'];

export default sqlStep({
  description: 'insert new play start times into time',
  target: 'time',
  statements: (dialect) => [
    insertNewFromBatch(dialect, {
      table: 'time',
      key: ['start_time'],
      columns,
      range: 'start_time',
      batch: `
with plays as (
    select distinct ${epochMillisToTimestamp('ts')} as start_time
    from staging_events
    where page = 'NextSong'
      and ts is not null
)

select
    start_time,
    cast(extract(hour from start_time) as smallint) as hour,
    cast(extract(day from start_time) as smallint) as day,
    cast(extract(week from start_time) as smallint) as week,
    cast(extract(month from start_time) as smallint) as month,
    cast(extract(year from start_time) as smallint) as year,
    cast(extract(dow from start_time) as smallint) as weekday
from plays`,
    }),
  ],
});
