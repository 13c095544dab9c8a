-- When in the week do users listen? (plays per weekday and hour of day, UTC)
-- chart: heatmap
with plays as (
    select start_time
    from songplays
),

times as (
    select start_time, weekday, hour
    from "time"
),

plays_per_slot as (
    select
        times.weekday as weekday_number,
        times.hour,
        count(*) as plays
    from plays
    inner join times
        on times.start_time = plays.start_time
    group by times.weekday, times.hour
),

final as (
    -- weekday is extract(dow): 0 is Sunday.
    select
        case weekday_number
            when 1 then 'Monday'
            when 2 then 'Tuesday'
            when 3 then 'Wednesday'
            when 4 then 'Thursday'
            when 5 then 'Friday'
            when 6 then 'Saturday'
            else 'Sunday'
        end as weekday,
        hour,
        plays,
        mod(weekday_number + 6, 7) as day_order
    from plays_per_slot
)

select weekday, hour, plays
from final
order by day_order asc, hour asc
