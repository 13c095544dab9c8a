-- Who listens more, free or paid users? (plays by the user's level at the time of the play)
-- chart: bar plays
with plays as (
    select
        user_id,
        coalesce(level, 'unknown') as level
    from songplays
),

plays_per_level as (
    select
        level,
        count(*) as plays,
        count(distinct user_id) as listeners
    from plays
    group by level
),

final as (
    select
        level,
        plays,
        listeners,
        round(cast(plays as decimal(18, 2)) / listeners, 1) as plays_per_listener
    from plays_per_level
)

select *
from final
order by level asc
