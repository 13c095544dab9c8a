-- migrate --dry-run for redshift: every migration, as if none (up) or all (down) were applied;
-- the whole batch runs in one transaction.

-- 20270101000000_advise_keys.ts
alter table "songplays" alter diststyle key distkey "song_id";

alter table "songplays" alter compound sortkey ("user_id");

alter table "time" alter diststyle all;

alter table "songs" alter diststyle even;

alter table "songs" alter sortkey none;

-- rollback --dry-run for redshift: every migration, as if none (up) or all (down) were applied;
-- the whole batch runs in one transaction.

-- 20270101000000_advise_keys.ts
alter table "songs" alter diststyle all;

alter table "songs" alter compound sortkey ("song_id");

alter table "time" alter diststyle key distkey "start_time";

alter table "songplays" alter diststyle key distkey "start_time";

alter table "songplays" alter compound sortkey ("start_time");
