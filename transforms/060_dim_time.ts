// time: one row per distinct start of a play (the plays of staged-events.ts, the same as
// the fact's), milliseconds kept.
// Rows never change, so only new start times are inserted; the check for existing ones
// reads only the batch's time range of `time` (into an empty `time`, there is none).
import { insertNewFromBatch } from '../src/transform/batch-statements';
import { sqlStep } from '../src/transform/sql-step';
import { PLAYS } from './staged-events';

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
with ${PLAYS},

start_times as (
    select distinct start_time
    from plays
)

select
    start_time,
    cast(extract(hour from start_time) as smallint) as hour,
    cast(extract(day from start_time) as smallint) as day,
    cast(extract(week from start_time) as smallint) as week,
    cast(extract(month from start_time) as smallint) as month,
    cast(extract(year from start_time) as smallint) as year,
    cast(extract(dow from start_time) as smallint) as weekday
from start_times`,
    }),
  ],
});
