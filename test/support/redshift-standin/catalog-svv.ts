// SVV_TABLE_INFO, SVV_ALTER_TABLE_RECOMMENDATIONS and SYS_SERVERLESS_USAGE: the superuser-only
// views, over the real tables and the keys the stand-in recorded, and over planted usage.
import { LOG_SCHEMA } from './catalog-log';
import { FAKE_NODES, FAKE_SLICES, SCHEMAS, type Deployment } from './catalog-names';

const L = LOG_SCHEMA;

/** SVV_TABLE_INFO and SVV_ALTER_TABLE_RECOMMENDATIONS: superusers only. */
export function svvViewsDdl(s: string): string {
  const all = `('ALL', 'AUTO(ALL)')`;
  return `
-- AWS "SVV_TABLE_INFO" (https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_TABLE_INFO.html):
-- user tables only; "doesn't return any information for empty tables"; "visible only to
-- superusers" (a regular user gets no rows here); diststyle is EVEN, KEY(column), ALL,
-- AUTO(ALL), AUTO(EVEN) or AUTO(KEY(column)); sortkey1 is a column, AUTO(SORTKEY) or
-- AUTO(SORTKEY(column)); size in 1 MB blocks; tbl_rows numeric(38,0).
-- A table the stand-in saw no keys for has Redshift's defaults: DISTSTYLE AUTO, small, so
-- AUTO(ALL); SORTKEY AUTO; ENCODE AUTO. Interleaved keys show sortkey1 INTERLEAVED (not on the
-- page: the stand-in's choice).
-- size: at least AWS's minimum table size (knowledge center "Why does a table in an Amazon
-- Redshift cluster consume more or less disk storage space than expected?",
-- https://repost.aws/knowledge-center/redshift-cluster-storage-space): 1 MB x (user columns
-- + 3 system columns) x populated slices (nodes for ALL) x segments (2 with a sort key,
-- else 1), on the fake 2-node, 4-slice cluster; KEY populates as many slices as it has
-- distinct keys (up to 4), EVEN as many as rows. Above that, PostgreSQL's own size.
-- pct_used, skew_* and risk_event are null: there is no disk or slice to measure.
create or replace view ${s}.svv_table_info as
select
    t.database,
    t.schema,
    t.table_id,
    t."table",
    t.encoded,
    t.diststyle,
    t.sortkey1,
    t.max_varchar,
    t.sortkey1_enc::character(32) as sortkey1_enc,
    t.sortkey_num,
    greatest(
        ceil(pg_catalog.pg_table_size(t.table_id) / 1048576.0) * case when t.diststyle in ${all} then ${FAKE_NODES} else 1 end,
        (t.user_columns + 3)
            * case when t.diststyle in ${all} then ${FAKE_NODES} when t.distkey is not null then least(t.distinct_keys, ${FAKE_SLICES}) else least(t.rows, ${FAKE_SLICES}) end
            * case when t.sortkey_num > 0 then 2 else 1 end
    )::bigint as size,
    null::numeric(10, 4) as pct_used,
    0::bigint as empty,
    (case when t.sortkey_num > 0 then 0 end)::numeric(5, 2) as unsorted,
    0::numeric(5, 2) as stats_off,
    t.rows::numeric(38, 0) as tbl_rows,
    null::numeric(19, 2) as skew_sortkey1,
    null::numeric(19, 2) as skew_rows,
    t.rows::numeric(38, 0) as estimated_visible_rows,
    null::text as risk_event,
    (case when t.sortkey_num > 0 then 0 end)::numeric(12, 2) as vacuum_sort_benefit,
    t.create_time
from (
    select
        ${L}.database_name() as database,
        n.nspname::text as schema,
        c.oid as table_id,
        c.relname::text as "table",
        case
            when k.table_name is null or k.encodings = '{}'::jsonb then 'Y, AUTO(ENCODE)'
            when exists (select 1 from jsonb_each_text(k.encodings) as e where lower(e.value) <> 'raw') then 'Y'
            else 'N'
        end as encoded,
        coalesce(k.diststyle, 'AUTO(ALL)') as diststyle,
        case
            when k.table_name is null or lower(k.sortkey_kind) = 'auto' then 'AUTO(SORTKEY)'
            when lower(k.sortkey_kind) = 'interleaved' then 'INTERLEAVED'
            when lower(k.sortkey_kind) = 'compound' then k.sortkey[1]
        end as sortkey1,
        case when lower(k.sortkey_kind) in ('compound', 'interleaved') then upper(coalesce(k.encodings ->> k.sortkey[1], 'none')) end as sortkey1_enc,
        case when lower(k.sortkey_kind) in ('compound', 'interleaved') then cardinality(k.sortkey) else 0 end::integer as sortkey_num,
        (
            select max(a.atttypmod - 4) from pg_catalog.pg_attribute as a
            where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.atttypid = 'pg_catalog.varchar'::pg_catalog.regtype
        )::integer as max_varchar,
        (select count(*) from pg_catalog.pg_attribute as a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as user_columns,
        dk.distkey,
        counts.rows,
        counts.distinct_keys,
        k.recorded_at as create_time
    from pg_catalog.pg_class as c
    inner join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
    left join ${L}.table_keys as k on k.schema_name = n.nspname and k.table_name = c.relname
    cross join lateral (select coalesce(k.distkey, substring(k.diststyle from '^(?:AUTO\\()?KEY\\(([^)]*)\\)')) as distkey) as dk
    cross join lateral ${L}.table_counts(c.oid::pg_catalog.regclass, dk.distkey) as counts
    where c.relkind in ('r', 'p')
      and c.relpersistence = 'p'
      and n.nspname not in ('pg_catalog', 'information_schema', '${L}', '${SCHEMAS.provisioned}', '${SCHEMAS.serverless}')
      and n.nspname not like 'pg\\_toast%'
      and n.nspname not like 'pg\\_temp\\_%'
      and ${L}.is_superuser()
) as t
where t.rows > 0;

-- AWS "SVV_ALTER_TABLE_RECOMMENDATIONS"
-- (https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_ALTER_TABLE_RECOMMENDATIONS.html): the
-- Amazon Redshift Advisor's current recommendations; superusers only. The stand-in has no
-- advisor, so it never recommends anything: always empty.
create or replace view ${s}.svv_alter_table_recommendations as
select
    null::character(30) as type,
    null::character(128) as database,
    null::integer as table_id,
    null::integer as group_id,
    null::character(1024) as ddl,
    null::character(1) as auto_eligible
where false;
`;
}

export function serverlessUsageDdl(s: string, deployment: Deployment): string {
  const columns = `start_time, end_time, compute_seconds, compute_capacity, data_storage, cross_region_transferred_data, charged_seconds`;
  if (deployment === 'provisioned') {
    // AWS "SYS_SERVERLESS_USAGE": "doesn't apply to provisioned Amazon Redshift clusters": no rows.
    return `
create or replace view ${s}.sys_serverless_usage as
select null::timestamp as start_time, null::timestamp as end_time, null::double precision as compute_seconds, null::double precision as compute_capacity,
    null::integer as data_storage, null::integer as cross_region_transferred_data, null::integer as charged_seconds
where false;
`;
  }
  return `
-- What Serverless bills: tests plant rows here (recordServerlessUsage or a plain insert).
create table if not exists ${s}.usage_log (
    start_time timestamp not null,
    end_time timestamp not null,
    compute_seconds double precision not null default 0,
    compute_capacity double precision not null default 0,
    data_storage integer not null default 0,
    cross_region_transferred_data integer not null default 0,
    charged_seconds integer not null default 0
);

-- AWS "SYS_SERVERLESS_USAGE" (https://docs.aws.amazon.com/redshift/latest/dg/SYS_SERVERLESS_USAGE.html):
-- compute_seconds and compute_capacity double precision, data_storage (MB),
-- cross_region_transferred_data (bytes) and charged_seconds integer; "retains the information
-- ... for 7 days"; "visible only to superusers" (a regular user gets no rows here).
create or replace view ${s}.sys_serverless_usage as
select ${columns}
from ${s}.usage_log
where start_time >= (statement_timestamp() at time zone 'UTC') - interval '7 days'
  and ${L}.is_superuser();
`;
}

/**
 * PG_USER, as far as asking "is the current user a superuser" goes ("Creating, altering, and
 * deleting users", https://docs.aws.amazon.com/redshift/latest/dg/r_Users-creatingaltering-and-deleting-users.html:
 * usename, usesuper, …). Every stand-in session runs as one PostgreSQL role, so the view has
 * one row: that role's name (what current_user answers here) with the session's own
 * superuser flag (the master user yes, an IAM user no). Other users are not listed.
 */
export function pgUserDdl(s: string): string {
  return `
create or replace view ${s}.pg_user as
select current_user::name as usename, ${L}.is_superuser() as usesuper;
`;
}
