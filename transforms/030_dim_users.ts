// users: one row per user, as of their latest event in the batch. Users switch between
// free and paid, so the level (and names) come from the latest event, not from a
// `select distinct` that would keep one row per level. Logged-out events have an empty
// userId and are nobody.
import { sqlStep, upsertFromBatch } from '../src/transform/sql-step';

const columns = ['user_id', 'first_name', 'last_name', 'gender', 'level'];

export default sqlStep({
  description: 'upsert users with their latest level',
  target: 'users',
  statements: upsertFromBatch({
    table: 'users',
    key: ['user_id'],
    columns,
    batch: `
with events as (
    select
        user_id,
        first_name,
        last_name,
        gender,
        level,
        ts,
        session_id,
        item_in_session
    from staging_events
    where user_id is not null
      and trim(user_id) <> ''
),

ranked as (
    select
        events.*,
        row_number() over (
            partition by user_id
            order by ts desc, session_id desc, item_in_session desc
        ) as recency
    from events
)

select ${columns.join(', ')}
from ranked
where recency = 1`,
  }),
});
