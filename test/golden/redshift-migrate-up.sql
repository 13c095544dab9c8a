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
