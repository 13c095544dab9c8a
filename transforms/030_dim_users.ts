// users: one row per user, as of their latest event in the batch. Users switch between
// free and paid, so the level (and names) come from the latest event, not from a
// `select distinct` that would keep one row per level. Logged-out events have an empty
// userId and are nobody.
import { sameValues, sqlStep } from '../src/transform/sql-step';

const columns = ['user_id', 'first_name', 'last_name', 'gender', 'level'];

export default sqlStep({
  description: 'upsert users with their latest level',
  target: 'users',
  statements: [
    {
      sql: `
create temp table users_batch as
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
    },
    {
      // Rows that would change nothing are not rewritten: a re-run reports 0 updates.
      sql: `
delete from users_batch
using users
where users_batch.user_id = users.user_id
  and ${sameValues('users_batch', 'users', columns.slice(1))}`,
    },
    { sql: 'delete from users using users_batch where users.user_id = users_batch.user_id', counts: 'replaced' },
    { sql: `insert into users (${columns.join(', ')}) select ${columns.join(', ')} from users_batch`, counts: 'inserted' },
    { sql: 'drop table users_batch' },
  ],
});
