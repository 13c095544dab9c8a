// users: one row per user, as of their latest event across everything ever loaded.
// Users switch between free and paid, so the level (and names) come from the latest
// event, not from a `select distinct` that would keep one row per level. Day files may
// arrive in any order: each row keeps the time of the event it reflects
// (last_event_at), and the batch's events compete with the stored row under one order,
// so an older day that arrives late never overwrites a newer level. Two events of one
// user in the same millisecond are ordered by their values (level, names, gender), an
// order the stored row can take part in, so the result does not depend on which file
// came first. Only known users' events count (staged-events.ts). Names arrive
// double-encoded at times and are kept repaired (src/double-encoding.ts): repaired in
// `events`, for each user's latest events only, not for every event (the repair of every
// event's names was a fifth of the step in a first run: docs/performance.md, "Figures
// behind comments"); the ranking below sees the repaired names either way.
// Only each user's events at their latest ts in the batch go into that ranking: a grouped
// max and an equi-join instead of sorting every event (docs/performance.md, "Figures behind
// comments"). An event without ts ranks after any with one, so letting such events
// through (coalesce(ts, 0) matches a user whose latest ts is 0, or who has no ts at all)
// can never change the winner.
import { repaired } from '../src/double-encoding';
import { upsertFromBatch } from '../src/transform/batch-statements';
import { epochMillisToTimestamp, sqlStep } from '../src/transform/sql-step';
import { KNOWN_USER } from './staged-events';

const columns = ['user_id', 'first_name', 'last_name', 'gender', 'level', 'last_event_at'];

export default sqlStep({
  description: 'upsert users with the level of their latest event',
  target: 'users',
  statements: (dialect) =>
    upsertFromBatch(dialect, {
      table: 'users',
      key: ['user_id'],
      columns,
      text: ['first_name', 'last_name', 'gender', 'level'],
      batch: `
with known as (
    select
        user_id,
        first_name,
        last_name,
        gender,
        level,
        ts
    from staging_events
    where ${KNOWN_USER}
),

latest as (
    select
        user_id,
        coalesce(max(ts), 0) as ts
    from known
    group by user_id
),

events as (
    select
        known.user_id,
        ${repaired('known.first_name')} as first_name,
        ${repaired('known.last_name')} as last_name,
        known.gender,
        known.level,
        ${epochMillisToTimestamp('known.ts')} as last_event_at
    from known
    inner join latest
        on latest.user_id = known.user_id
        and latest.ts = coalesce(known.ts, 0)
),

stored as (
    select
        users.user_id,
        users.first_name,
        users.last_name,
        users.gender,
        users.level,
        users.last_event_at
    from users
    inner join latest
        on latest.user_id = users.user_id
),

candidates as (
    select * from events
    union all
    select * from stored
),

ranked as (
    select
        candidates.*,
        row_number() over (
            partition by user_id
            order by
                case when last_event_at is null then 1 else 0 end asc,
                last_event_at desc,
                ${dialect.binaryText('level')} desc,
                ${dialect.binaryText('first_name')} desc,
                ${dialect.binaryText('last_name')} desc,
                ${dialect.binaryText('gender')} desc
        ) as recency
    from candidates
)

select ${columns.join(', ')}
from ranked
where recency = 1`,
    }),
});
