-- How often do users come back? (users by the number of sessions they listened in)
-- chart: bar users
with plays as (
    select user_id, session_id
    from songplays
),

sessions_per_user as (
    select
        user_id,
        count(distinct session_id) as session_count
    from plays
    group by user_id
),

bucketed as (
    select
        case
            when session_count = 1 then '1'
            when session_count <= 3 then '2-3'
            when session_count <= 5 then '4-5'
            when session_count <= 10 then '6-10'
            when session_count <= 20 then '11-20'
            else '21+'
        end as sessions,
        case
            when session_count = 1 then 1
            when session_count <= 3 then 2
            when session_count <= 5 then 4
            when session_count <= 10 then 6
            when session_count <= 20 then 11
            else 21
        end as bucket_start
    from sessions_per_user
),

totals as (
    select count(*) as all_users
    from sessions_per_user
),

final as (
    select
        bucketed.sessions,
        count(*) as users,
        round(100.0 * count(*) / totals.all_users, 1) as share_pct,
        min(bucketed.bucket_start) as bucket_start
    from bucketed
    cross join totals
    group by bucketed.sessions, totals.all_users
)

select sessions, users, share_pct
from final
order by bucket_start asc
