-- Which songs do users play most? (the ten most played, among plays matched to the song catalogue)
-- chart: hbar plays
with plays as (
    select song_id, user_id
    from songplays
    where song_id is not null
),

song_titles as (
    select song_id, title, artist_id
    from songs
),

artist_names as (
    select artist_id, name
    from artists
),

plays_per_song as (
    select
        song_id,
        count(*) as plays,
        count(distinct user_id) as listeners
    from plays
    group by song_id
),

final as (
    select
        song_titles.title as song,
        artist_names.name as artist,
        plays_per_song.plays,
        plays_per_song.listeners
    from plays_per_song
    inner join song_titles
        on song_titles.song_id = plays_per_song.song_id
    left join artist_names
        on artist_names.artist_id = song_titles.artist_id
)

select *
from final
order by plays desc, song asc, artist asc
limit 10
