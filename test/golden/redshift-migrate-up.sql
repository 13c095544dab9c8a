-- migrate --dry-run for redshift: every migration, as if none (up) or all (down) were applied;
-- the whole batch runs in one transaction.

-- 20261125120000_create_staging_tables.ts
create table "staging_events" (
  "artist" varchar(512),
  "auth" varchar(32),
  "first_name" varchar(256),
  "gender" varchar(16),
  "item_in_session" integer,
  "last_name" varchar(256),
  "length" double precision,
  "level" varchar(16),
  "location" varchar(512),
  "method" varchar(16),
  "page" varchar(64),
  "registration" double precision,
  "session_id" integer,
  "song" varchar(512),
  "status" smallint,
  "ts" bigint,
  "user_agent" varchar(1024),
  "user_id" varchar(64)
)
diststyle even;

create table "staging_songs" (
  "num_songs" integer,
  "artist_id" varchar(64),
  "artist_latitude" double precision,
  "artist_longitude" double precision,
  "artist_location" varchar(512),
  "artist_name" varchar(512),
  "song_id" varchar(64),
  "title" varchar(512),
  "duration" double precision,
  "year" smallint
)
diststyle even;

-- 20261125120100_create_star_schema.ts
create table "users" (
  "user_id" varchar(64) encode raw not null,
  "first_name" varchar(256) encode zstd,
  "last_name" varchar(256) encode zstd,
  "gender" varchar(16) encode zstd,
  "level" varchar(16) encode zstd,
  primary key ("user_id")
)
diststyle all
compound sortkey ("user_id");

create table "artists" (
  "artist_id" varchar(64) encode raw not null,
  "name" varchar(512) encode zstd,
  "location" varchar(512) encode zstd,
  "latitude" double precision encode zstd,
  "longitude" double precision encode zstd,
  primary key ("artist_id")
)
diststyle all
compound sortkey ("artist_id");

create table "songs" (
  "song_id" varchar(64) encode raw not null,
  "title" varchar(512) encode zstd,
  "artist_id" varchar(64) encode zstd,
  "year" smallint encode az64,
  "duration" double precision encode zstd,
  primary key ("song_id")
)
diststyle all
compound sortkey ("song_id");

create table "time" (
  "start_time" timestamp encode raw not null,
  "hour" smallint encode az64,
  "day" smallint encode az64,
  "week" smallint encode az64,
  "month" smallint encode az64,
  "year" smallint encode az64,
  "weekday" smallint encode az64,
  primary key ("start_time")
)
diststyle key
distkey ("start_time")
compound sortkey ("start_time");

create table "songplays" (
  "songplay_id" bigint identity(1, 1) encode az64 not null,
  "start_time" timestamp encode raw not null,
  "user_id" varchar(64) encode zstd not null,
  "level" varchar(16) encode zstd,
  "song_id" varchar(64) encode zstd,
  "artist_id" varchar(64) encode zstd,
  "session_id" integer encode az64 not null,
  "item_in_session" integer encode az64 not null,
  "location" varchar(512) encode zstd,
  "user_agent" varchar(1024) encode zstd,
  primary key ("songplay_id"),
  unique ("user_id", "session_id", "item_in_session")
)
diststyle key
distkey ("start_time")
compound sortkey ("start_time");

-- 20261125120200_create_load_bookkeeping.ts
create table "load_ledger" (
  "source" varchar(32) not null,
  "path" varchar(1024) not null,
  "size_bytes" bigint not null,
  "version" varchar(128) not null,
  "rows_loaded" bigint,
  "rows_rejected" bigint,
  "published" integer not null,
  "loaded_at" timestamptz not null,
  primary key ("source", "path")
)
diststyle all
compound sortkey ("source", "path");

create table "load_errors" (
  "source" varchar(32) not null,
  "path" varchar(1024) not null,
  "line_number" bigint,
  "reason" varchar(1024) not null,
  "raw_line" varchar(65535),
  "loaded_at" timestamptz not null
)
diststyle even
compound sortkey ("loaded_at");

-- 20261129120000_track_arrival_order.ts
alter table "users" add column "last_event_at" timestamp encode az64;

alter table "songplays" add column "song_title" varchar(512) encode zstd;

alter table "songplays" add column "artist_name" varchar(512) encode zstd;

alter table "songplays" add column "song_length" double precision encode zstd;

alter table "staging_songs" add column "matched_to_plays" integer default 0 not null;

-- 20261129120100_create_run_history.ts
create table "transform_runs" (
  "run_id" varchar(36) not null,
  "target" varchar(16) not null,
  "options" varchar(256),
  "status" varchar(16) not null,
  "started_at" timestamptz not null,
  "finished_at" timestamptz,
  "host" varchar(256),
  "pid" integer,
  "files" bigint,
  "rows_read" bigint,
  "rows_loaded" bigint,
  "rows_rejected" bigint,
  "inserted" bigint,
  "updated" bigint,
  "error" varchar(4096),
  primary key ("run_id")
)
diststyle all
compound sortkey ("started_at");

create table "transform_run_steps" (
  "run_id" varchar(36) not null,
  "step_id" varchar(64) not null,
  "status" varchar(16) not null,
  "seconds" double precision,
  "files" bigint,
  "rows_read" bigint,
  "rows_loaded" bigint,
  "rows_rejected" bigint,
  "inserted" bigint,
  "updated" bigint,
  "error" varchar(4096),
  primary key ("run_id", "step_id")
)
diststyle all
compound sortkey ("run_id", "step_id");

-- 20261207120000_widen_source_paths.ts
create table "load_ledger__resized" (
  "source" varchar(32) not null,
  "path" varchar(4096) not null,
  "size_bytes" bigint not null,
  "version" varchar(128) not null,
  "rows_loaded" bigint,
  "rows_rejected" bigint,
  "published" integer not null,
  "loaded_at" timestamptz not null,
  primary key ("source", "path")
)
diststyle all
compound sortkey ("source", "path");

insert into "load_ledger__resized" ("source", "path", "size_bytes", "version", "rows_loaded", "rows_rejected", "published", "loaded_at") select "source", "path", "size_bytes", "version", "rows_loaded", "rows_rejected", "published", "loaded_at" from "load_ledger";

drop table "load_ledger";

alter table "load_ledger__resized" rename to "load_ledger";

create table "load_errors__resized" (
  "source" varchar(32) not null,
  "path" varchar(4096) not null,
  "line_number" bigint,
  "reason" varchar(1024) not null,
  "raw_line" varchar(65535),
  "loaded_at" timestamptz not null
)
diststyle even
compound sortkey ("loaded_at");

insert into "load_errors__resized" ("source", "path", "line_number", "reason", "raw_line", "loaded_at") select "source", "path", "line_number", "reason", "raw_line", "loaded_at" from "load_errors";

drop table "load_errors";

alter table "load_errors__resized" rename to "load_errors";

-- 20261214120000_hash_loaded_bytes.ts
alter table "load_ledger" add column "content_sha256" varchar(64);

-- 20261215120000_key_ledger_paths_by_md5.ts

-- 20261216120000_redshift_functions_on_postgres.ts

-- 20261217120000_repair_double_encoded_names.ts

create function f_repair_double_encoding(varchar(65535))
returns varchar(65535)
immutable
as $$
    select case
        when strpos($1, 'Â') > 0 or strpos($1, 'Ã') > 0 or strpos($1, 'â') > 0
            then replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace($1, 'Ã¢â‚¬â„¢', '’'), 'Ã¢â‚¬â€', '—'), 'Ã¢â‚¬â€œ', '–'), 'Ã¢â‚¬Â', '”'), 'Ã¢â‚¬Â ', '†'), 'Ã¢â‚¬Â¡', '‡'), 'Ã¢â‚¬Â¢', '•'), 'Ã¢â‚¬Â¦', '…'), 'Ã¢â‚¬Â°', '‰'), 'Ã¢â‚¬Â¹', '‹'), 'Ã¢â‚¬Âº', '›'), 'Ã¢â‚¬Å¡', '‚'), 'Ã¢â‚¬Å¾', '„'), 'Ã¢â‚¬Å“', '“'), 'Ã¢â‚¬Ëœ', '‘'), 'Ã¢â€šÂ¬', '€'), 'Ã¢â€žÂ¢', '™'), 'Ã¢ÂÂ', '–'), 'Ã¢ÂÂ', '—'), 'Ã¢ÂÂ', '‘'), 'Ã¢ÂÂ', '’'), 'Ã¢ÂÂ', '‚'), 'Ã¢ÂÂ', '“'), 'Ã¢ÂÂ', '”'), 'Ã¢ÂÂ', '„'), 'Ã¢ÂÂ ', '†'), 'Ã¢ÂÂ¡', '‡'), 'Ã¢ÂÂ¢', '•'), 'Ã¢ÂÂ¦', '…'), 'Ã¢ÂÂ°', '‰'), 'Ã¢ÂÂ¹', '‹'), 'Ã¢ÂÂº', '›'), 'Ã¢ÂÂ¬', '€'), 'Ã¢ÂÂ¢', '™'), 'Ãƒâ‚¬', 'À'), 'Ãƒâ„¢', 'Ù'), 'Ãƒâ€', 'Ô'), 'Ãƒâ€ ', 'Æ'), 'Ãƒâ€¡', 'Ç'), 'Ãƒâ€¢', 'Õ'), 'Ãƒâ€¦', 'Å'), 'Ãƒâ€°', 'É'), 'Ãƒâ€¹', 'Ë'), 'Ãƒâ€º', 'Û'), 'Ãƒâ€œ', 'Ó'), 'Ãƒâ€š', 'Â'), 'Ãƒâ€ž', 'Ä'), 'Ãƒâ€˜', 'Ñ'), 'Ãƒâ€“', 'Ö'), 'Ãƒâ€”', '×'), 'Ãƒâ€™', 'Ò'), 'ÃÂ ', ' '), 'ÃÂ¡', '¡'), 'ÃÂ¢', '¢'), 'ÃÂ£', '£'), 'ÃÂ¤', '¤'), 'ÃÂ¥', '¥'), 'ÃÂ¦', '¦'), 'ÃÂ§', '§'), 'ÃÂ¨', '¨'), 'ÃÂ©', '©'), 'ÃÂª', 'ª'), 'ÃÂ«', '«'), 'ÃÂ¬', '¬'), 'ÃÂ­', '­'), 'ÃÂ®', '®'), 'ÃÂ¯', '¯'), 'ÃÂ°', '°'), 'ÃÂ±', '±'), 'ÃÂ²', '²'), 'ÃÂ³', '³'), 'ÃÂ´', '´'), 'ÃÂµ', 'µ'), 'ÃÂ¶', '¶'), 'ÃÂ·', '·'), 'ÃÂ¸', '¸'), 'ÃÂ¹', '¹'), 'ÃÂº', 'º'), 'ÃÂ»', '»'), 'ÃÂ¼', '¼'), 'ÃÂ½', '½'), 'ÃÂ¾', '¾'), 'ÃÂ¿', '¿'), 'ÃÂ', 'À'), 'ÃÂ', 'Á'), 'ÃÂ', 'Â'), 'ÃÂ', 'Ã'), 'ÃÂ', 'Ä'), 'ÃÂ', 'Å'), 'ÃÂ', 'Æ'), 'ÃÂ', 'Ç'), 'ÃÂ', 'È'), 'ÃÂ', 'É'), 'ÃÂ', 'Ê'), 'ÃÂ', 'Ë'), 'ÃÂ', 'Ì'), 'ÃÂ', 'Í'), 'ÃÂ', 'Î'), 'ÃÂ', 'Ï'), 'ÃÂ', 'Ð'), 'ÃÂ', 'Ñ'), 'ÃÂ', 'Ò'), 'ÃÂ', 'Ó'), 'ÃÂ', 'Ô'), 'ÃÂ', 'Õ'), 'ÃÂ', 'Ö'), 'ÃÂ', '×'), 'ÃÂ', 'Ø'), 'ÃÂ', 'Ù'), 'ÃÂ', 'Ú'), 'ÃÂ', 'Û'), 'ÃÂ', 'Ü'), 'ÃÂ', 'Ý'), 'ÃÂ', 'Þ'), 'ÃÂ', 'ß'), 'ÃÂ ', 'à'), 'ÃÂ¡', 'á'), 'ÃÂ¢', 'â'), 'ÃÂ£', 'ã'), 'ÃÂ¤', 'ä'), 'ÃÂ¥', 'å'), 'ÃÂ¦', 'æ'), 'ÃÂ§', 'ç'), 'ÃÂ¨', 'è'), 'ÃÂ©', 'é'), 'ÃÂª', 'ê'), 'ÃÂ«', 'ë'), 'ÃÂ¬', 'ì'), 'ÃÂ­', 'í'), 'ÃÂ®', 'î'), 'ÃÂ¯', 'ï'), 'ÃÂ°', 'ð'), 'ÃÂ±', 'ñ'), 'ÃÂ²', 'ò'), 'ÃÂ³', 'ó'), 'ÃÂ´', 'ô'), 'ÃÂµ', 'õ'), 'ÃÂ¶', 'ö'), 'ÃÂ·', '÷'), 'ÃÂ¸', 'ø'), 'ÃÂ¹', 'ù'), 'ÃÂº', 'ú'), 'ÃÂ»', 'û'), 'ÃÂ¼', 'ü'), 'ÃÂ½', 'ý'), 'ÃÂ¾', 'þ'), 'ÃÂ¿', 'ÿ'), 'ÃƒÂ', 'Á'), 'ÃƒÂ', 'Í'), 'ÃƒÂ', 'Ï'), 'ÃƒÂ', 'Ð'), 'ÃƒÂ', 'Ý'), 'ÃƒÂ ', 'à'), 'ÃƒÂ¡', 'á'), 'ÃƒÂ¢', 'â'), 'ÃƒÂ£', 'ã'), 'ÃƒÂ¤', 'ä'), 'ÃƒÂ¥', 'å'), 'ÃƒÂ¦', 'æ'), 'ÃƒÂ§', 'ç'), 'ÃƒÂ¨', 'è'), 'ÃƒÂ©', 'é'), 'ÃƒÂª', 'ê'), 'ÃƒÂ«', 'ë'), 'ÃƒÂ¬', 'ì'), 'ÃƒÂ­', 'í'), 'ÃƒÂ®', 'î'), 'ÃƒÂ¯', 'ï'), 'ÃƒÂ°', 'ð'), 'ÃƒÂ±', 'ñ'), 'ÃƒÂ²', 'ò'), 'ÃƒÂ³', 'ó'), 'ÃƒÂ´', 'ô'), 'ÃƒÂµ', 'õ'), 'ÃƒÂ¶', 'ö'), 'ÃƒÂ·', '÷'), 'ÃƒÂ¸', 'ø'), 'ÃƒÂ¹', 'ù'), 'ÃƒÂº', 'ú'), 'ÃƒÂ»', 'û'), 'ÃƒÂ¼', 'ü'), 'ÃƒÂ½', 'ý'), 'ÃƒÂ¾', 'þ'), 'ÃƒÂ¿', 'ÿ'), 'ÃƒÅ ', 'Ê'), 'ÃƒÅ¡', 'Ú'), 'ÃƒÅ¸', 'ß'), 'ÃƒÅ½', 'Î'), 'ÃƒÅ¾', 'Þ'), 'ÃƒÅ’', 'Ì'), 'ÃƒÅ“', 'Ü'), 'ÃƒÆ’', 'Ã'), 'ÃƒËœ', 'Ø'), 'ÃƒË†', 'È'), 'Ã‚Â ', ' '), 'Ã‚Â¡', '¡'), 'Ã‚Â¢', '¢'), 'Ã‚Â£', '£'), 'Ã‚Â¤', '¤'), 'Ã‚Â¥', '¥'), 'Ã‚Â¦', '¦'), 'Ã‚Â§', '§'), 'Ã‚Â¨', '¨'), 'Ã‚Â©', '©'), 'Ã‚Âª', 'ª'), 'Ã‚Â«', '«'), 'Ã‚Â¬', '¬'), 'Ã‚Â­', '­'), 'Ã‚Â®', '®'), 'Ã‚Â¯', '¯'), 'Ã‚Â°', '°'), 'Ã‚Â±', '±'), 'Ã‚Â²', '²'), 'Ã‚Â³', '³'), 'Ã‚Â´', '´'), 'Ã‚Âµ', 'µ'), 'Ã‚Â¶', '¶'), 'Ã‚Â·', '·'), 'Ã‚Â¸', '¸'), 'Ã‚Â¹', '¹'), 'Ã‚Âº', 'º'), 'Ã‚Â»', '»'), 'Ã‚Â¼', '¼'), 'Ã‚Â½', '½'), 'Ã‚Â¾', '¾'), 'Ã‚Â¿', '¿'), 'â', '–'), 'â', '—'), 'â', '‘'), 'â', '’'), 'â', '‚'), 'â', '“'), 'â', '”'), 'â', '„'), 'â ', '†'), 'â¡', '‡'), 'â¢', '•'), 'â¦', '…'), 'â°', '‰'), 'â¹', '‹'), 'âº', '›'), 'â¬', '€'), 'â¢', '™'), 'â‚¬', '€'), 'â„¢', '™'), 'â€', '”'), 'â€ ', '†'), 'â€¡', '‡'), 'â€¢', '•'), 'â€¦', '…'), 'â€°', '‰'), 'â€¹', '‹'), 'â€º', '›'), 'â€œ', '“'), 'â€š', '‚'), 'â€ž', '„'), 'â€˜', '‘'), 'â€“', '–'), 'â€”', '—'), 'â€™', '’'), 'Â ', ' '), 'Â¡', '¡'), 'Â¢', '¢'), 'Â£', '£'), 'Â¤', '¤'), 'Â¥', '¥'), 'Â¦', '¦'), 'Â§', '§'), 'Â¨', '¨'), 'Â©', '©'), 'Âª', 'ª'), 'Â«', '«'), 'Â¬', '¬'), 'Â­', '­'), 'Â®', '®'), 'Â¯', '¯'), 'Â°', '°'), 'Â±', '±'), 'Â²', '²'), 'Â³', '³'), 'Â´', '´'), 'Âµ', 'µ'), 'Â¶', '¶'), 'Â·', '·'), 'Â¸', '¸'), 'Â¹', '¹'), 'Âº', 'º'), 'Â»', '»'), 'Â¼', '¼'), 'Â½', '½'), 'Â¾', '¾'), 'Â¿', '¿'), 'Ã', 'À'), 'Ã', 'Á'), 'Ã', 'Â'), 'Ã', 'Ã'), 'Ã', 'Ä'), 'Ã', 'Å'), 'Ã', 'Æ'), 'Ã', 'Ç'), 'Ã', 'È'), 'Ã', 'É'), 'Ã', 'Ê'), 'Ã', 'Ë'), 'Ã', 'Ì'), 'Ã', 'Í'), 'Ã', 'Î'), 'Ã', 'Ï'), 'Ã', 'Ð'), 'Ã', 'Ñ'), 'Ã', 'Ò'), 'Ã', 'Ó'), 'Ã', 'Ô'), 'Ã', 'Õ'), 'Ã', 'Ö'), 'Ã', '×'), 'Ã', 'Ø'), 'Ã', 'Ù'), 'Ã', 'Ú'), 'Ã', 'Û'), 'Ã', 'Ü'), 'Ã', 'Ý'), 'Ã', 'Þ'), 'Ã', 'ß'), 'Ã ', 'à'), 'Ã¡', 'á'), 'Ã¢', 'â'), 'Ã£', 'ã'), 'Ã¤', 'ä'), 'Ã¥', 'å'), 'Ã¦', 'æ'), 'Ã§', 'ç'), 'Ã¨', 'è'), 'Ã©', 'é'), 'Ãª', 'ê'), 'Ã«', 'ë'), 'Ã¬', 'ì'), 'Ã­', 'í'), 'Ã®', 'î'), 'Ã¯', 'ï'), 'Ã°', 'ð'), 'Ã±', 'ñ'), 'Ã²', 'ò'), 'Ã³', 'ó'), 'Ã´', 'ô'), 'Ãµ', 'õ'), 'Ã¶', 'ö'), 'Ã·', '÷'), 'Ã¸', 'ø'), 'Ã¹', 'ù'), 'Ãº', 'ú'), 'Ã»', 'û'), 'Ã¼', 'ü'), 'Ã½', 'ý'), 'Ã¾', 'þ'), 'Ã¿', 'ÿ'), 'ÃŒ', 'Ì'), 'Ãœ', 'Ü'), 'ÃŠ', 'Ê'), 'Ãš', 'Ú'), 'ÃŸ', 'ß'), 'ÃŽ', 'Î'), 'Ãž', 'Þ'), 'Ãƒ', 'Ã'), 'Ãˆ', 'È'), 'Ã˜', 'Ø'), 'Ã–', 'Ö'), 'Ã—', '×'), 'Ã‘', 'Ñ'), 'Ã’', 'Ò'), 'Ã‚', 'Â'), 'Ã“', 'Ó'), 'Ã”', 'Ô'), 'Ã„', 'Ä'), 'Ã†', 'Æ'), 'Ã‡', 'Ç'), 'Ã•', 'Õ'), 'Ã…', 'Å'), 'Ã‰', 'É'), 'Ã‹', 'Ë'), 'Ã›', 'Û'), 'Ã€', 'À'), 'Ã™', 'Ù')
        else $1
    end
$$ language sql;


update songplays
set song_title = f_repair_double_encoding(song_title),
    artist_name = f_repair_double_encoding(artist_name)
where song_title <> f_repair_double_encoding(song_title)
   or artist_name <> f_repair_double_encoding(artist_name);


update users
set first_name = f_repair_double_encoding(first_name),
    last_name = f_repair_double_encoding(last_name)
where first_name <> f_repair_double_encoding(first_name)
   or last_name <> f_repair_double_encoding(last_name);


update artists
set name = f_repair_double_encoding(name)
where name <> f_repair_double_encoding(name);


update songs
set title = f_repair_double_encoding(title)
where title <> f_repair_double_encoding(title);


update staging_songs
set matched_to_plays = 0
where matched_to_plays = 1;

-- 20261218120000_create_check_scope.ts
create table "check_scope" (
  "table_name" varchar(128) not null,
  "kind" varchar(8) not null,
  "column_name" varchar(128),
  "key_value" varchar(512),
  "range_from" timestamp,
  "range_to" timestamp
)
diststyle even
compound sortkey ("table_name");

alter table "transform_runs" add column "checks" varchar(16);

-- 20261219120000_create_step_inputs.ts
create table "step_inputs" (
  "target" varchar(128) not null,
  "fingerprint" varchar(64) not null,
  primary key ("target")
)
diststyle all
compound sortkey ("target");

-- 20261219120100_lookup_keys_without_nulls.ts

-- 20261219120200_create_song_keys.ts
create table "song_keys" (
  "song_id" varchar(64),
  "artist_id" varchar(64),
  "title_key" varchar(512) not null,
  "artist_key" varchar(512) not null,
  "duration" double precision not null
)
diststyle all;


update staging_songs
set matched_to_plays = 0
where matched_to_plays = 1;

-- 20261220120000_create_source_listings.ts
create table "source_listings" (
  "source" varchar(32) not null,
  "digest" varchar(64) not null,
  "ledger_files" bigint not null,
  "ledger_loaded_at" timestamptz,
  primary key ("source")
)
diststyle all
compound sortkey ("source");
