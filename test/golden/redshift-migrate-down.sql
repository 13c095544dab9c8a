-- rollback --dry-run for redshift: every migration, as if none (up) or all (down) were applied;
-- the whole batch runs in one transaction.

-- 20261220120000_create_source_listings.ts
drop table if exists "source_listings";

-- 20261219120200_create_song_keys.ts
drop table if exists "song_keys";

-- 20261219120100_lookup_keys_without_nulls.ts

-- 20261219120000_create_step_inputs.ts
drop table if exists "step_inputs";

-- 20261218120000_create_check_scope.ts
alter table "transform_runs" drop column "checks";

drop table if exists "check_scope";

-- 20261217120000_repair_double_encoded_names.ts
drop function f_repair_double_encoding(varchar(65535));

-- 20261216120000_redshift_functions_on_postgres.ts

-- 20261215120000_key_ledger_paths_by_md5.ts

-- 20261214120000_hash_loaded_bytes.ts
alter table "load_ledger" drop column "content_sha256";

-- 20261207120000_widen_source_paths.ts
create table "load_errors__resized" (
  "source" varchar(32) not null,
  "path" varchar(1024) not null,
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

create table "load_ledger__resized" (
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

insert into "load_ledger__resized" ("source", "path", "size_bytes", "version", "rows_loaded", "rows_rejected", "published", "loaded_at") select "source", "path", "size_bytes", "version", "rows_loaded", "rows_rejected", "published", "loaded_at" from "load_ledger";

drop table "load_ledger";

alter table "load_ledger__resized" rename to "load_ledger";

-- 20261129120100_create_run_history.ts
drop table if exists "transform_run_steps";

drop table if exists "transform_runs";

-- 20261129120000_track_arrival_order.ts
alter table "staging_songs" drop column "matched_to_plays";

alter table "songplays" drop column "song_length";

alter table "songplays" drop column "artist_name";

alter table "songplays" drop column "song_title";

alter table "users" drop column "last_event_at";

-- 20261125120200_create_load_bookkeeping.ts
drop table if exists "load_errors";

drop table if exists "load_ledger";

-- 20261125120100_create_star_schema.ts
drop table if exists "songplays";

drop table if exists "time";

drop table if exists "songs";

drop table if exists "artists";

drop table if exists "users";

-- 20261125120000_create_staging_tables.ts
drop table if exists "staging_songs";

drop table if exists "staging_events";
