-- What share of plays is matched to a song in the catalogue? (plays with and without a song_id)
-- chart: donut plays
with plays as (
    select
        case when song_id is null then 'not in catalogue' else 'matched' end as match_status
    from songplays
),

totals as (
    select count(*) as all_plays
    from plays
),

final as (
    select
        plays.match_status,
        count(*) as plays,
        round(100.0 * count(*) / totals.all_plays, 1) as share_pct
    from plays
    cross join totals
    group by plays.match_status, totals.all_plays
)

select *
from final
order by match_status asc
