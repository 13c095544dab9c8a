-- At what hour of the day do users listen? (plays per hour, UTC)
-- chart: bar plays
with plays as (
    select start_time
    from songplays
),

hours as (
    select start_time, hour
    from "time"
),

final as (
    select
        hours.hour,
        count(*) as plays
    from plays
    inner join hours
        on hours.start_time = plays.start_time
    group by hours.hour
)

select *
from final
order by hour asc
