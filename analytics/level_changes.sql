-- Do users move between free and paid? (users by how their level changed from one play to the next)
-- chart: hbar users
with plays as (
    select user_id, level, start_time, session_id, item_in_session
    from songplays
    where level is not null
),

consecutive_plays as (
    select
        user_id,
        level,
        lag(level) over (
            partition by user_id
            order by start_time asc, session_id asc, item_in_session asc
        ) as previous_level
    from plays
),

per_user as (
    select
        user_id,
        sum(case when previous_level = 'free' and level = 'paid' then 1 else 0 end) as upgrades,
        sum(case when previous_level = 'paid' and level = 'free' then 1 else 0 end) as downgrades,
        max(level) as highest_level
    from consecutive_plays
    group by user_id
),

classified as (
    -- 'paid' > 'free', so max(level) tells whether a user who never changed was paid.
    select
        case
            when upgrades > 0 and downgrades > 0 then 'upgraded and downgraded'
            when upgrades > 0 then 'upgraded (free to paid)'
            when downgrades > 0 then 'downgraded (paid to free)'
            when highest_level = 'paid' then 'always paid'
            else 'always free'
        end as level_history,
        upgrades,
        downgrades
    from per_user
),

final as (
    select
        level_history,
        count(*) as users,
        sum(upgrades) as upgrades,
        sum(downgrades) as downgrades
    from classified
    group by level_history
)

select *
from final
order by users desc, level_history asc
