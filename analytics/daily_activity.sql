-- How many users listen each day, and how much? (daily active users and plays, UTC days)
-- chart: line plays active_users
with plays as (
    select
        user_id,
        to_char(start_time, 'YYYY-MM-DD') as day
    from songplays
),

final as (
    select
        day,
        count(distinct user_id) as active_users,
        count(*) as plays
    from plays
    group by day
)

select *
from final
order by day asc
