-- 010_stage_events
lock "load_errors", "load_ledger", "source_listings", "staging_events";

delete from "staging_events" /* when no staged file is waiting to be published */;

copy "staging_events" ("artist", "auth", "first_name", "gender", "item_in_session", "last_name", "length", "level", "location", "method", "page", "registration", "session_id", "song", "status", "ts", "user_agent", "user_id")
from 's3://sparkify-loads/manifests/events/<run>-plain.manifest'
iam_role 'arn:aws:iam::123456789012:role/sparkify-redshift-s3-read'
region 'us-west-2'
manifest
format as json 's3://udacity-dend/log_json_path.json'
compupdate off
statupdate off
maxerror 1 /* the new or changed uncompressed files under s3://udacity-dend/log_data, if any; a dry run does not list S3: the file list needs credentials (s3:ListBucket) */ /* The region of MANIFEST_PREFIX (bucket sparkify-loads) is checked with GetBucketLocation on a real run, before anything is written: it must be us-west-2, COPY's REGION. */;

copy "staging_events" ("artist", "auth", "first_name", "gender", "item_in_session", "last_name", "length", "level", "location", "method", "page", "registration", "session_id", "song", "status", "ts", "user_agent", "user_id")
from 's3://sparkify-loads/manifests/events/<run>-gzip.manifest'
iam_role 'arn:aws:iam::123456789012:role/sparkify-redshift-s3-read'
region 'us-west-2'
manifest
format as json 's3://udacity-dend/log_json_path.json'
compupdate off
statupdate off
maxerror 1
gzip /* the new or changed .json.gz files under s3://udacity-dend/log_data, if any; a dry run does not list S3: the file list needs credentials (s3:ListBucket) */ /* The region of MANIFEST_PREFIX (bucket sparkify-loads) is checked with GetBucketLocation on a real run, before anything is written: it must be us-west-2, COPY's REGION. */;

analyze "staging_events";

-- 020_stage_songs
lock "load_errors", "load_ledger", "source_listings", "staging_songs";

copy "staging_songs" ("num_songs", "artist_id", "artist_latitude", "artist_longitude", "artist_location", "artist_name", "song_id", "title", "duration", "year")
from 's3://sparkify-loads/manifests/songs/<run>-plain.manifest'
iam_role 'arn:aws:iam::123456789012:role/sparkify-redshift-s3-read'
region 'us-west-2'
manifest
format as json 'auto'
compupdate off
statupdate off
maxerror 1 /* the new or changed uncompressed files under s3://udacity-dend/song_data, if any; a dry run does not list S3: the file list needs credentials (s3:ListBucket) */ /* The region of MANIFEST_PREFIX (bucket sparkify-loads) is checked with GetBucketLocation on a real run, before anything is written: it must be us-west-2, COPY's REGION. */;

copy "staging_songs" ("num_songs", "artist_id", "artist_latitude", "artist_longitude", "artist_location", "artist_name", "song_id", "title", "duration", "year")
from 's3://sparkify-loads/manifests/songs/<run>-gzip.manifest'
iam_role 'arn:aws:iam::123456789012:role/sparkify-redshift-s3-read'
region 'us-west-2'
manifest
format as json 'auto'
compupdate off
statupdate off
maxerror 1
gzip /* the new or changed .json.gz files under s3://udacity-dend/song_data, if any; a dry run does not list S3: the file list needs credentials (s3:ListBucket) */ /* The region of MANIFEST_PREFIX (bucket sparkify-loads) is checked with GetBucketLocation on a real run, before anything is written: it must be us-west-2, COPY's REGION. */;

analyze "staging_songs";

-- 030_dim_users
lock "check_scope", "staging_events", "users";

create temp table users_batch as
with known as (
    select
        user_id,
        first_name,
        last_name,
        gender,
        level,
        ts
    from staging_events
    where user_id is not null
      and trim(user_id) <> ''
),

latest as (
    select
        user_id,
        coalesce(max(ts), 0) as ts
    from known
    group by user_id
),

events as (
    select
        known.user_id,
        f_repair_double_encoding(known.first_name) as first_name,
        f_repair_double_encoding(known.last_name) as last_name,
        known.gender,
        known.level,
        timestamp 'epoch' + known.ts / 1000.0 * interval '1 second' as last_event_at
    from known
    inner join latest
        on latest.user_id = known.user_id
        and latest.ts = coalesce(known.ts, 0)
),

stored as (
    select
        users.user_id,
        users.first_name,
        users.last_name,
        users.gender,
        users.level,
        users.last_event_at
    from users
    inner join latest
        on latest.user_id = users.user_id
),

candidates as (
    select * from events
    union all
    select * from stored
),

ranked as (
    select
        candidates.*,
        row_number() over (
            partition by user_id
            order by
                case when last_event_at is null then 1 else 0 end asc,
                last_event_at desc,
                level desc,
                first_name desc,
                last_name desc,
                gender desc
        ) as recency
    from candidates
)

select user_id, first_name, last_name, gender, level, last_event_at
from ranked
where recency = 1;

delete from users_batch
using "users"
where users_batch.user_id = "users".user_id
  and ((users_batch.first_name = "users".first_name and length(users_batch.first_name) = length("users".first_name)) or (users_batch.first_name is null and "users".first_name is null))
  and ((users_batch.last_name = "users".last_name and length(users_batch.last_name) = length("users".last_name)) or (users_batch.last_name is null and "users".last_name is null))
  and ((users_batch.gender = "users".gender and length(users_batch.gender) = length("users".gender)) or (users_batch.gender is null and "users".gender is null))
  and ((users_batch.level = "users".level and length(users_batch.level) = length("users".level)) or (users_batch.level is null and "users".level is null))
  and (users_batch.last_event_at = "users".last_event_at or (users_batch.last_event_at is null and "users".last_event_at is null));

insert into check_scope (table_name, kind, key_value)
select 'users', 'key', user_id from users_batch where user_id is not null;

insert into check_scope (table_name, kind)
select distinct 'users', 'nulls' from users_batch where user_id is null;

delete from "users"
using users_batch
where users_batch.user_id = "users".user_id;

insert into "users" (user_id, first_name, last_name, gender, level, last_event_at)
select user_id, first_name, last_name, gender, level, last_event_at from users_batch;

drop table users_batch;

insert into check_scope (table_name, kind) values ('users', 'ran');

-- 040_dim_artists
lock "artists", "check_scope", "load_ledger", "staging_songs", "step_inputs";

select
    (select count(*) from load_ledger where source = 'songs') as catalogue_files,
    (select max(loaded_at) from load_ledger where source = 'songs') as catalogue_loaded_at,
    (select count(*) from "staging_songs") as catalogue_rows,
    (select max(name) from "knex_migrations") as schema_version,
    (select count(*) from "artists") as table_rows,
    (select fingerprint from step_inputs where target = 'artists') as recorded /* the same inputs as recorded: artists is as it would be derived again, and the step ends here */;

create temp table artists_batch as
with catalogue as (
    select
        artist_id,
        f_repair_double_encoding(artist_name) as name,
        nullif(trim(artist_location), '') as location,
        artist_latitude as latitude,
        artist_longitude as longitude,
        song_id
    from staging_songs
    where artist_id is not null
),

name_counts as (
    select
        artist_id,
        name,
        count(*) as songs_with_name
    from catalogue
    group by artist_id, name
),

ranked as (
    select
        catalogue.*,
        row_number() over (
            partition by catalogue.artist_id
            order by
                name_counts.songs_with_name desc,
                length(catalogue.name) asc,
                catalogue.name asc,
                case when catalogue.location is null then 1 else 0 end asc,
                case when catalogue.latitude is null then 1 else 0 end asc,
                catalogue.song_id asc
        ) as preference
    from catalogue
    inner join name_counts
        on name_counts.artist_id = catalogue.artist_id
        and (name_counts.name = catalogue.name or (name_counts.name is null and catalogue.name is null))
)

select artist_id, name, location, latitude, longitude
from ranked
where preference = 1;

delete from artists_batch
using "artists"
where artists_batch.artist_id = "artists".artist_id
  and ((artists_batch.name = "artists".name and length(artists_batch.name) = length("artists".name)) or (artists_batch.name is null and "artists".name is null))
  and ((artists_batch.location = "artists".location and length(artists_batch.location) = length("artists".location)) or (artists_batch.location is null and "artists".location is null))
  and (artists_batch.latitude = "artists".latitude or (artists_batch.latitude is null and "artists".latitude is null))
  and (artists_batch.longitude = "artists".longitude or (artists_batch.longitude is null and "artists".longitude is null));

insert into check_scope (table_name, kind, key_value)
select 'artists', 'key', artist_id from artists_batch where artist_id is not null;

insert into check_scope (table_name, kind)
select distinct 'artists', 'nulls' from artists_batch where artist_id is null;

delete from "artists"
using artists_batch
where artists_batch.artist_id = "artists".artist_id;

insert into "artists" (artist_id, name, location, latitude, longitude)
select artist_id, name, location, latitude, longitude from artists_batch;

drop table artists_batch;

insert into check_scope (table_name, kind) values ('artists', 'ran');

select
    (select count(*) from load_ledger where source = 'songs') as catalogue_files,
    (select max(loaded_at) from load_ledger where source = 'songs') as catalogue_loaded_at,
    (select count(*) from "staging_songs") as catalogue_rows,
    (select max(name) from "knex_migrations") as schema_version,
    (select count(*) from "artists") as table_rows,
    (select fingerprint from step_inputs where target = 'artists') as recorded /* what artists was derived from, recorded next */;

delete from step_inputs where target = 'artists';

insert into step_inputs (target, fingerprint) values ('artists', 'df8f2c5865ff60c7417732d8a59f23ee9596f6d28d32d45549653a56e685ac7b');

-- 050_dim_songs
lock "check_scope", "load_ledger", "songs", "staging_songs", "step_inputs";

select
    (select count(*) from load_ledger where source = 'songs') as catalogue_files,
    (select max(loaded_at) from load_ledger where source = 'songs') as catalogue_loaded_at,
    (select count(*) from "staging_songs") as catalogue_rows,
    (select max(name) from "knex_migrations") as schema_version,
    (select count(*) from "songs") as table_rows,
    (select fingerprint from step_inputs where target = 'songs') as recorded /* the same inputs as recorded: songs is as it would be derived again, and the step ends here */;

create temp table songs_batch as
with catalogue as (
    select
        song_id,
        f_repair_double_encoding(title) as title,
        artist_id,
        year,
        duration
    from staging_songs
    where song_id is not null
),

ranked as (
    select
        catalogue.*,
        row_number() over (
            partition by song_id
            order by title asc, artist_id asc, year desc, duration asc
        ) as preference
    from catalogue
)

select song_id, title, artist_id, year, duration
from ranked
where preference = 1;

delete from songs_batch
using "songs"
where songs_batch.song_id = "songs".song_id
  and ((songs_batch.title = "songs".title and length(songs_batch.title) = length("songs".title)) or (songs_batch.title is null and "songs".title is null))
  and ((songs_batch.artist_id = "songs".artist_id and length(songs_batch.artist_id) = length("songs".artist_id)) or (songs_batch.artist_id is null and "songs".artist_id is null))
  and (songs_batch.year = "songs".year or (songs_batch.year is null and "songs".year is null))
  and (songs_batch.duration = "songs".duration or (songs_batch.duration is null and "songs".duration is null));

insert into check_scope (table_name, kind, key_value)
select 'songs', 'key', song_id from songs_batch where song_id is not null;

insert into check_scope (table_name, kind)
select distinct 'songs', 'nulls' from songs_batch where song_id is null;

delete from "songs"
using songs_batch
where songs_batch.song_id = "songs".song_id;

insert into "songs" (song_id, title, artist_id, year, duration)
select song_id, title, artist_id, year, duration from songs_batch;

drop table songs_batch;

insert into check_scope (table_name, kind) values ('songs', 'ran');

select
    (select count(*) from load_ledger where source = 'songs') as catalogue_files,
    (select max(loaded_at) from load_ledger where source = 'songs') as catalogue_loaded_at,
    (select count(*) from "staging_songs") as catalogue_rows,
    (select max(name) from "knex_migrations") as schema_version,
    (select count(*) from "songs") as table_rows,
    (select fingerprint from step_inputs where target = 'songs') as recorded /* what songs was derived from, recorded next */;

delete from step_inputs where target = 'songs';

insert into step_inputs (target, fingerprint) values ('songs', '714cae76c198eb34cc70d1a48cc70f942119c069db9f0ad4f934c3851b295551');

-- 060_dim_time
lock "check_scope", "staging_events", "time";

select 1 as found from "time" limit 1;

insert into "time" (start_time, hour, day, week, month, year, weekday)
with plays as (
    select
        timestamp 'epoch' + ts / 1000.0 * interval '1 second' as start_time,
        user_id,
        level,
        f_repair_double_encoding(song) as song_title,
        f_repair_double_encoding(artist) as artist_name,
        length as song_length,
        session_id,
        item_in_session,
        location,
        user_agent,
        ts
    from staging_events
    where page = 'NextSong'
      and ts is not null
      and user_id is not null
      and trim(user_id) <> ''
      and session_id is not null
      and item_in_session is not null
),

start_times as (
    select distinct start_time
    from plays
)

select
    start_time,
    cast(extract(hour from start_time) as smallint) as hour,
    cast(extract(day from start_time) as smallint) as day,
    cast(extract(week from start_time) as smallint) as week,
    cast(extract(month from start_time) as smallint) as month,
    cast(extract(year from start_time) as smallint) as year,
    cast(extract(dow from start_time) as smallint) as weekday
from start_times /* when "time" is empty */;

insert into check_scope (table_name, kind) values ('time', 'all') /* when "time" is empty */;

create temp table time_batch as
with plays as (
    select
        timestamp 'epoch' + ts / 1000.0 * interval '1 second' as start_time,
        user_id,
        level,
        f_repair_double_encoding(song) as song_title,
        f_repair_double_encoding(artist) as artist_name,
        length as song_length,
        session_id,
        item_in_session,
        location,
        user_agent,
        ts
    from staging_events
    where page = 'NextSong'
      and ts is not null
      and user_id is not null
      and trim(user_id) <> ''
      and session_id is not null
      and item_in_session is not null
),

start_times as (
    select distinct start_time
    from plays
)

select
    start_time,
    cast(extract(hour from start_time) as smallint) as hour,
    cast(extract(day from start_time) as smallint) as day,
    cast(extract(week from start_time) as smallint) as week,
    cast(extract(month from start_time) as smallint) as month,
    cast(extract(year from start_time) as smallint) as year,
    cast(extract(dow from start_time) as smallint) as weekday
from start_times /* when "time" has rows */;

delete from time_batch
using "time"
where time_batch.start_time = "time".start_time
  and "time".start_time between (select min(start_time) from time_batch) and (select max(start_time) from time_batch) /* when "time" has rows */;

insert into check_scope (table_name, kind, range_from, range_to)
select 'time', 'range', min(start_time), max(start_time) from time_batch /* when "time" has rows */;

insert into check_scope (table_name, kind)
select distinct 'time', 'nulls' from time_batch where start_time is null /* when "time" has rows */;

insert into "time" (start_time, hour, day, week, month, year, weekday)
select start_time, hour, day, week, month, year, weekday from time_batch /* when "time" has rows */;

drop table time_batch /* when "time" has rows */;

insert into check_scope (table_name, kind) values ('time', 'ran');

-- 070_fact_songplays
lock "check_scope", "load_ledger", "song_keys", "songplays", "staging_events", "staging_songs";

create temp table new_song_keys as
with keyed as (
    select
        song_id,
        artist_id,
        rtrim(f_repair_double_encoding(staging_songs.title)) as title_key,
        rtrim(f_repair_double_encoding(staging_songs.artist_name)) as artist_key,
        staging_songs.duration as duration
    from staging_songs
    where matched_to_plays = 0
),

ranked as (
    select
        keyed.*,
        row_number() over (
            partition by title_key, artist_key, duration
            order by song_id asc
        ) as match_rank
    from keyed
    where title_key is not null
      and artist_key is not null
      and duration is not null
)

select song_id, artist_id, title_key, artist_key, duration
from ranked
where match_rank = 1;

delete from song_keys
where not exists (select 1 from staging_songs where matched_to_plays = 1);

delete from song_keys
using new_song_keys
where song_keys.title_key = new_song_keys.title_key
  and song_keys.artist_key = new_song_keys.artist_key
  and song_keys.duration = new_song_keys.duration
  and new_song_keys.song_id < song_keys.song_id;

insert into song_keys (song_id, artist_id, title_key, artist_key, duration)
select new_song_keys.song_id, new_song_keys.artist_id, new_song_keys.title_key, new_song_keys.artist_key, new_song_keys.duration
from new_song_keys
left join song_keys
    on song_keys.title_key = new_song_keys.title_key
    and song_keys.artist_key = new_song_keys.artist_key
    and song_keys.duration = new_song_keys.duration
where song_keys.title_key is null;

drop table new_song_keys;

create temp table late_song_matches as
with new_songs as (
    select song_id, artist_id, title, artist_name, duration
    from staging_songs
    where matched_to_plays = 0
),

candidates as (
    select
        songplays.user_id,
        songplays.session_id,
        songplays.item_in_session,
        songplays.start_time,
        new_songs.song_id,
        new_songs.artist_id,
        row_number() over (
            partition by songplays.user_id, songplays.session_id, songplays.item_in_session
            order by new_songs.song_id asc
        ) as match_rank
    from songplays
    inner join new_songs
        on rtrim(f_repair_double_encoding(new_songs.title)) = rtrim(songplays.song_title)
        and rtrim(f_repair_double_encoding(new_songs.artist_name)) = rtrim(songplays.artist_name)
        and new_songs.duration = songplays.song_length
    where songplays.song_id is null
       or new_songs.song_id < songplays.song_id
)

select user_id, session_id, item_in_session, start_time, song_id, artist_id
from candidates
where match_rank = 1;

update songplays
set song_id = late_song_matches.song_id,
    artist_id = late_song_matches.artist_id
from late_song_matches
where songplays.user_id = late_song_matches.user_id
  and songplays.session_id = late_song_matches.session_id
  and songplays.item_in_session = late_song_matches.item_in_session
  and songplays.start_time = late_song_matches.start_time;

insert into check_scope (table_name, kind, column_name, key_value)
select distinct 'songplays', 'value', 'song_id', song_id from late_song_matches where song_id is not null;

insert into check_scope (table_name, kind, column_name, key_value)
select distinct 'songplays', 'value', 'artist_id', artist_id from late_song_matches where artist_id is not null;

drop table late_song_matches;

update staging_songs
set matched_to_plays = 1
where matched_to_plays = 0;

with repaired_plays as (
    select
        user_id,
        session_id,
        item_in_session,
        timestamp 'epoch' + ts / 1000.0 * interval '1 second' as start_time,
        rtrim(song) as raw_title,
        rtrim(artist) as raw_artist_name,
        rtrim(f_repair_double_encoding(song)) as title,
        rtrim(f_repair_double_encoding(artist)) as artist_name,
        length
    from staging_events
    where page = 'NextSong'
      and ts is not null
      and user_id is not null
      and trim(user_id) <> ''
      and session_id is not null
      and item_in_session is not null
      and (f_repair_double_encoding(song) <> song or f_repair_double_encoding(artist) <> artist)
),

catalogue as (
    select distinct
        rtrim(title) as raw_title,
        rtrim(artist_name) as raw_artist_name,
        rtrim(f_repair_double_encoding(title)) as title,
        rtrim(f_repair_double_encoding(artist_name)) as artist_name,
        duration
    from staging_songs
    -- Only songs as long as a play whose names the repair changed can match one.
    where duration in (select length from repaired_plays)
),

matched as (
    select distinct user_id, session_id, item_in_session, start_time
    from repaired_plays
    inner join catalogue
        on catalogue.title = repaired_plays.title
        and catalogue.artist_name = repaired_plays.artist_name
        and catalogue.duration = repaired_plays.length
),

matched_as_they_came as (
    select distinct user_id, session_id, item_in_session, start_time
    from repaired_plays
    inner join catalogue
        on catalogue.raw_title = repaired_plays.raw_title
        and catalogue.raw_artist_name = repaired_plays.raw_artist_name
        and catalogue.duration = repaired_plays.length
)

select count(*) as plays
from matched
left join matched_as_they_came
    on matched_as_they_came.user_id = matched.user_id
    and matched_as_they_came.session_id = matched.session_id
    and matched_as_they_came.item_in_session = matched.item_in_session
left join songplays
    on songplays.user_id = matched.user_id
    and songplays.session_id = matched.session_id
    and songplays.item_in_session = matched.item_in_session
    and songplays.start_time = matched.start_time
where matched_as_they_came.user_id is null
  and songplays.user_id is null;

select 1 as found from "songplays" limit 1;

insert into "songplays" (start_time, user_id, level, song_id, artist_id, session_id, item_in_session, location, user_agent, song_title, artist_name, song_length)
with plays as (
    select
        timestamp 'epoch' + ts / 1000.0 * interval '1 second' as start_time,
        user_id,
        level,
        f_repair_double_encoding(song) as song_title,
        f_repair_double_encoding(artist) as artist_name,
        length as song_length,
        session_id,
        item_in_session,
        location,
        user_agent,
        ts
    from staging_events
    where page = 'NextSong'
      and ts is not null
      and user_id is not null
      and trim(user_id) <> ''
      and session_id is not null
      and item_in_session is not null
),

unique_plays as (
    select
        plays.*,
        row_number() over (
            partition by user_id, session_id, item_in_session
            order by ts asc
        ) as copy_number
    from plays
),

matched as (
    select
        unique_plays.*,
        song_keys.song_id,
        song_keys.artist_id
    from unique_plays
    left join song_keys
        on song_keys.title_key = rtrim(unique_plays.song_title)
        and song_keys.artist_key = rtrim(unique_plays.artist_name)
        and song_keys.duration = unique_plays.song_length
    where unique_plays.copy_number = 1
)

select start_time, user_id, level, song_id, artist_id, session_id, item_in_session, location, user_agent, song_title, artist_name, song_length
from matched /* when "songplays" is empty */;

insert into check_scope (table_name, kind) values ('songplays', 'all') /* when "songplays" is empty */;

create temp table songplays_batch as
with plays as (
    select
        timestamp 'epoch' + ts / 1000.0 * interval '1 second' as start_time,
        user_id,
        level,
        f_repair_double_encoding(song) as song_title,
        f_repair_double_encoding(artist) as artist_name,
        length as song_length,
        session_id,
        item_in_session,
        location,
        user_agent,
        ts
    from staging_events
    where page = 'NextSong'
      and ts is not null
      and user_id is not null
      and trim(user_id) <> ''
      and session_id is not null
      and item_in_session is not null
),

unique_plays as (
    select
        plays.*,
        row_number() over (
            partition by user_id, session_id, item_in_session
            order by ts asc
        ) as copy_number
    from plays
),

matched as (
    select
        unique_plays.*,
        song_keys.song_id,
        song_keys.artist_id
    from unique_plays
    left join song_keys
        on song_keys.title_key = rtrim(unique_plays.song_title)
        and song_keys.artist_key = rtrim(unique_plays.artist_name)
        and song_keys.duration = unique_plays.song_length
    where unique_plays.copy_number = 1
)

select start_time, user_id, level, song_id, artist_id, session_id, item_in_session, location, user_agent, song_title, artist_name, song_length
from matched /* when "songplays" has rows */;

delete from songplays_batch
using "songplays"
where songplays_batch.user_id = "songplays".user_id
  and songplays_batch.session_id = "songplays".session_id
  and songplays_batch.item_in_session = "songplays".item_in_session
  and "songplays".start_time between (select min(start_time) from songplays_batch) and (select max(start_time) from songplays_batch) /* when "songplays" has rows */;

insert into check_scope (table_name, kind, range_from, range_to)
select 'songplays', 'range', min(start_time), max(start_time) from songplays_batch /* when "songplays" has rows */;

insert into check_scope (table_name, kind)
select distinct 'songplays', 'nulls' from songplays_batch where start_time is null /* when "songplays" has rows */;

insert into "songplays" (start_time, user_id, level, song_id, artist_id, session_id, item_in_session, location, user_agent, song_title, artist_name, song_length)
select start_time, user_id, level, song_id, artist_id, session_id, item_in_session, location, user_agent, song_title, artist_name, song_length from songplays_batch /* when "songplays" has rows */;

drop table songplays_batch /* when "songplays" has rows */;

insert into check_scope (table_name, kind) values ('songplays', 'ran');

update "load_ledger" set "published" = 1 where "source" = 'events' and "published" = 0;

delete from "staging_events";

-- 090_check_quality
lock "artists", "check_scope", "songplays", "songs", "time", "users";

select table_name, kind, count(*) as entries from check_scope group by table_name, kind;

select
    case when (select count(*) from (select 1 from "artists" limit 1) as counted) = 0 then 1 else 0 end as "no_rows",
    (select count(*) from (select 1 from check_scope where (table_name = 'artists' and kind = 'nulls')) as counted) as "artist_id_nulls",
    count("artists"."artist_id") - count(distinct "artists"."artist_id") as "artist_id_copies"
from "artists"
where "artists"."artist_id" in (select key_value from check_scope where (table_name = 'artists' and kind = 'key'));

select
    case when (select count(*) from (select 1 from "songplays" limit 1) as counted) = 0 then 1 else 0 end as "no_rows",
    count(*) - count("songplays"."songplay_id") as "songplay_id_nulls",
    count("songplays"."songplay_id") - count(distinct "songplays"."songplay_id") as "songplay_id_copies",
    count("songplays"."user_id" || '|' || cast("songplays"."session_id" as varchar(64)) || '|' || cast("songplays"."item_in_session" as varchar(64))) - count(distinct "songplays"."user_id" || '|' || cast("songplays"."session_id" as varchar(64)) || '|' || cast("songplays"."item_in_session" as varchar(64))) as "user_id_session_id_item_in_session_copies",
    sum(case when ref_1."user_id" is null then 1 else 0 end) as "user_id_not_in_users",
    sum(case when ref_2."start_time" is null then 1 else 0 end) as "start_time_not_in_time",
    sum(case when "songplays"."song_id" is not null and ref_3."song_id" is null then 1 else 0 end) as "song_id_not_in_songs",
    sum(case when "songplays"."artist_id" is not null and ref_4."artist_id" is null then 1 else 0 end) as "artist_id_not_in_artists",
    sum(case when "songplays"."level" is null or "songplays"."level" not in ('free', 'paid') then 1 else 0 end) as "level_not_accepted",
    (select count(*) from (select written.key_value from check_scope as written left join "users" as kept on kept."user_id" = written.key_value where ((written.table_name = 'users' and written.kind = 'key') or (written.table_name = 'songplays' and written.kind = 'value' and written.column_name = 'user_id')) and kept."user_id" is null) as counted) as "user_id_lost_in_users",
    (select count(*) from (select written.key_value from check_scope as written left join "songs" as kept on kept."song_id" = written.key_value where ((written.table_name = 'songs' and written.kind = 'key') or (written.table_name = 'songplays' and written.kind = 'value' and written.column_name = 'song_id')) and kept."song_id" is null) as counted) as "song_id_lost_in_songs",
    (select count(*) from (select written.key_value from check_scope as written left join "artists" as kept on kept."artist_id" = written.key_value where ((written.table_name = 'artists' and written.kind = 'key') or (written.table_name = 'songplays' and written.kind = 'value' and written.column_name = 'artist_id')) and kept."artist_id" is null) as counted) as "artist_id_lost_in_artists"
from "songplays"
left join "users" as ref_1
    on ref_1."user_id" = "songplays"."user_id"
left join "time" as ref_2
    on ref_2."start_time" = "songplays"."start_time"
    and ref_2."start_time" between (select min(range_from) from check_scope where (table_name = 'songplays' and kind = 'range')) and (select max(range_to) from check_scope where (table_name = 'songplays' and kind = 'range'))
left join "songs" as ref_3
    on ref_3."song_id" = "songplays"."song_id"
left join "artists" as ref_4
    on ref_4."artist_id" = "songplays"."artist_id"
where "songplays"."start_time" between (select min(range_from) from check_scope where (table_name = 'songplays' and kind = 'range')) and (select max(range_to) from check_scope where (table_name = 'songplays' and kind = 'range'));

select
    case when (select count(*) from (select 1 from "songs" limit 1) as counted) = 0 then 1 else 0 end as "no_rows",
    (select count(*) from (select 1 from check_scope where (table_name = 'songs' and kind = 'nulls')) as counted) as "song_id_nulls",
    count("songs"."song_id") - count(distinct "songs"."song_id") as "song_id_copies"
from "songs"
where "songs"."song_id" in (select key_value from check_scope where (table_name = 'songs' and kind = 'key'));

select
    case when (select count(*) from (select 1 from "time" limit 1) as counted) = 0 then 1 else 0 end as "no_rows",
    (select count(*) from (select 1 from check_scope where (table_name = 'time' and kind = 'nulls')) as counted) as "start_time_nulls",
    count("time"."start_time") - count(distinct "time"."start_time") as "start_time_copies"
from "time"
where "time"."start_time" between (select min(range_from) from check_scope where (table_name = 'time' and kind = 'range')) and (select max(range_to) from check_scope where (table_name = 'time' and kind = 'range'));

select
    case when (select count(*) from (select 1 from "users" limit 1) as counted) = 0 then 1 else 0 end as "no_rows",
    (select count(*) from (select 1 from check_scope where (table_name = 'users' and kind = 'nulls')) as counted) as "user_id_nulls",
    count("users"."user_id") - count(distinct "users"."user_id") as "user_id_copies",
    sum(case when "users"."gender" is not null and "users"."gender" not in ('F', 'M') then 1 else 0 end) as "gender_not_accepted",
    sum(case when "users"."level" is null or "users"."level" not in ('free', 'paid') then 1 else 0 end) as "level_not_accepted"
from "users"
where "users"."user_id" in (select key_value from check_scope where (table_name = 'users' and kind = 'key'));

delete from check_scope;
