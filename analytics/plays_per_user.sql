-- How much does each user listen? (users by their number of plays)
-- chart: bar users
with plays as (
    select user_id
    from songplays
),

plays_per_user as (
    select
        user_id,
        count(*) as play_count
    from plays
    group by user_id
),

bucketed as (
    select
        case
            when play_count <= 10 then '1-10'
            when play_count <= 25 then '11-25'
            when play_count <= 50 then '26-50'
            when play_count <= 100 then '51-100'
            when play_count <= 250 then '101-250'
            else '251+'
        end as plays,
        case
            when play_count <= 10 then 1
            when play_count <= 25 then 11
            when play_count <= 50 then 26
            when play_count <= 100 then 51
            when play_count <= 250 then 101
            else 251
        end as bucket_start
    from plays_per_user
),

totals as (
    select count(*) as all_users
    from plays_per_user
),

final as (
    select
        bucketed.plays,
        count(*) as users,
        round(100.0 * count(*) / totals.all_users, 1) as share_pct,
        min(bucketed.bucket_start) as bucket_start
    from bucketed
    cross join totals
    group by bucketed.plays, totals.all_users
)

select plays, users, share_pct
from final
order by bucket_start asc
