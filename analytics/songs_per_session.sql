-- How long do users listen at a time? (sessions by the number of songs played in them)
-- chart: bar sessions
with plays as (
    select user_id, session_id
    from songplays
),

songs_per_session as (
    select
        user_id,
        session_id,
        count(*) as song_count
    from plays
    group by user_id, session_id
),

bucketed as (
    select
        case
            when song_count = 1 then '1'
            when song_count <= 3 then '2-3'
            when song_count <= 5 then '4-5'
            when song_count <= 10 then '6-10'
            when song_count <= 20 then '11-20'
            when song_count <= 50 then '21-50'
            else '51+'
        end as songs,
        case
            when song_count = 1 then 1
            when song_count <= 3 then 2
            when song_count <= 5 then 4
            when song_count <= 10 then 6
            when song_count <= 20 then 11
            when song_count <= 50 then 21
            else 51
        end as bucket_start
    from songs_per_session
),

totals as (
    select count(*) as all_sessions
    from songs_per_session
),

final as (
    select
        bucketed.songs,
        count(*) as sessions,
        round(100.0 * count(*) / totals.all_sessions, 1) as share_pct,
        min(bucketed.bucket_start) as bucket_start
    from bucketed
    cross join totals
    group by bucketed.songs, totals.all_sessions
)

select songs, sessions, share_pct
from final
order by bucket_start asc
