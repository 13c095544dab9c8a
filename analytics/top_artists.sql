-- Which artists do users play most? (the ten most played, among plays matched to the song catalogue)
-- chart: hbar plays
with plays as (
    select artist_id, song_id, user_id
    from songplays
    where artist_id is not null
),

artist_names as (
    select artist_id, name
    from artists
),

plays_per_artist as (
    select
        artist_id,
        count(*) as plays,
        count(distinct user_id) as listeners,
        count(distinct song_id) as songs_played
    from plays
    group by artist_id
),

final as (
    select
        artist_names.name as artist,
        plays_per_artist.plays,
        plays_per_artist.listeners,
        plays_per_artist.songs_played
    from plays_per_artist
    inner join artist_names
        on artist_names.artist_id = plays_per_artist.artist_id
)

select *
from final
order by plays desc, artist asc
limit 10
