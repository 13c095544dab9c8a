-- On which day of the week do users listen? (plays per weekday, Monday first, UTC)
-- chart: bar plays
with plays as (
    select start_time
    from songplays
),

days as (
    select start_time, weekday
    from "time"
),

plays_per_weekday as (
    select
        days.weekday as weekday_number,
        count(*) as plays
    from plays
    inner join days
        on days.start_time = plays.start_time
    group by days.weekday
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
        plays,
        mod(weekday_number + 6, 7) as day_order
    from plays_per_weekday
)

select weekday, plays
from final
order by day_order asc
