// time: one row per distinct play start, milliseconds kept (ts / 1000.0, not / 1000).
// Rows never change, so only new start times are inserted.
import { epochMillisToTimestamp, sqlStep } from '../src/transform/sql-step';

export default sqlStep({
  description: 'insert new play start times into time',
  target: 'time',
  statements: [
    {
      sql: `
create temp table time_batch as
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
    },
    { sql: 'delete from time_batch using "time" where time_batch.start_time = "time".start_time' },
    {
      sql: 'insert into "time" (start_time, hour, day, week, month, year, weekday) select start_time, hour, day, week, month, year, weekday from time_batch',
      counts: 'inserted',
    },
    { sql: 'drop table time_batch' },
  ],
});
