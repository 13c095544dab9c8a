-- How does popularity change over time? (weekly plays of the five most played artists)
-- chart: series-line
with plays as (
    select
        artist_id,
        date_trunc('week', start_time) as week_start
    from songplays
    where artist_id is not null
),

artist_names as (
    select artist_id, name
    from artists
),

top_artists as (
    select artist_id
    from plays
    group by artist_id
    order by count(*) desc, artist_id asc
    limit 5
),

weeks as (
    select distinct week_start
    from plays
),

weekly_plays as (
    select
        plays.artist_id,
        plays.week_start,
        count(*) as plays
    from plays
    inner join top_artists
        on top_artists.artist_id = plays.artist_id
    group by plays.artist_id, plays.week_start
),

final as (
    -- Every week for every top artist, zero when they had no play that week.
    select
        to_char(weeks.week_start, 'YYYY-MM-DD') as week,
        artist_names.name as artist,
        coalesce(weekly_plays.plays, 0) as plays
    from weeks
    cross join top_artists
    inner join artist_names
        on artist_names.artist_id = top_artists.artist_id
    left join weekly_plays
        on weekly_plays.artist_id = top_artists.artist_id
        and weekly_plays.week_start = weeks.week_start
)

select *
from final
order by week asc, artist asc
