// The Redshift system views and functions, as PostgreSQL views and SQL functions over the
// stand-in's log (catalog-log.ts), one schema per deployment. Column names and types follow
// each view's AWS page; Redshift's character(n) columns are PostgreSQL character(n), so they
// come back blank-padded and a client must trim them, as on Redshift.
import { LOG_SCHEMA } from './catalog-log';
import { SCHEMAS, type Deployment } from './catalog-names';
import { provisionedOnlyDdl } from './catalog-stl';
import { pgUserDdl, serverlessUsageDdl, svvViewsDdl } from './catalog-svv';

const L = LOG_SCHEMA;

/** Functions every deployment has, resolved ahead of pg_catalog by the search_path. */
function functionsDdl(s: string): string {
  return `
-- AWS "GETDATE function" (https://docs.aws.amazon.com/redshift/latest/dg/r_GETDATE.html):
-- "the current date and time in the current session time zone (UTC by default)", "the start
-- date or time of the current statement, even when it is within a transaction block"; return
-- type TIMESTAMP. The page's examples show whole seconds (2008-12-04 16:10:43), so the
-- fraction is cut. The session's TimeZone is UTC (session.ts), so the cast gives UTC.
create or replace function ${s}.getdate() returns timestamp
language sql stable as $fn$
    select date_trunc('second', statement_timestamp())::timestamp
$fn$;

-- AWS "VERSION function" (https://docs.aws.amazon.com/redshift/latest/dg/r_VERSION.html): a
-- PostgreSQL 8.0.2 string followed by the Redshift version; clients (knex among them) parse
-- the PostgreSQL part, so it must not be the backing server's own version.
create or replace function ${s}.version() returns text
language sql immutable as $fn$
    select 'PostgreSQL 8.0.2 on i686-pc-linux-gnu, compiled by GCC gcc (GCC) 3.4.2 20041017 (Red Hat 3.4.2-6.fc3), Redshift 1.0.0 (redshift-standin)'::text
$fn$;

-- On Redshift pg_backend_pid() is the session id the system views record (session,
-- session_id). A stand-in client's session has its own id (sent in BackendKeyData), not the
-- backing connection's pid, so this one answers the stand-in's id and shadows pg_catalog's
-- (the search_path names pg_catalog after this schema: searchPathFor).
create or replace function ${s}.pg_backend_pid() returns integer
language sql stable as $fn$
    select coalesce(nullif(current_setting('redshift_standin.session_id', true), '')::integer, pg_catalog.pg_backend_pid())
$fn$;

-- AWS "PG_LAST_COPY_ID" (https://docs.aws.amazon.com/redshift/latest/dg/PG_LAST_COPY_ID.html):
-- the query id of this session's latest COPY, -1 if none; updated when a COPY begins loading,
-- also when it then fails on invalid load data; not updated when the COPY's transaction is
-- rolled back, nor when it fails before loading (syntax, access, credentials, privileges).
-- A successful COPY sets redshift_standin.last_copy_id in its own transaction (lastCopySql),
-- so a rollback takes it back, as the page says. A COPY that failed while loading cannot set
-- anything (its transaction is aborted), so it is read from the log the admin connection
-- committed: this session's latest failed COPY that began loading, since the session began.
create or replace function ${s}.pg_last_copy_id() returns integer
language sql stable as $fn$
    select coalesce(greatest(
        nullif(current_setting('redshift_standin.last_copy_id', true), '')::integer,
        ${L}.last_failed_copy_id()
    ), -1)
$fn$;

-- AWS "PG_LAST_COPY_COUNT" (https://docs.aws.amazon.com/redshift/latest/dg/PG_LAST_COPY_COUNT.html):
-- BIGINT, the rows loaded by the COPY that pg_last_copy_id() names; 0 if there was none or
-- if that COPY failed during loading.
create or replace function ${s}.pg_last_copy_count() returns bigint
language sql stable as $fn$
    select case
        when ${L}.last_failed_copy_id() > coalesce(nullif(current_setting('redshift_standin.last_copy_id', true), '')::integer, -1) then 0::bigint
        else coalesce(nullif(current_setting('redshift_standin.last_copy_count', true), '')::bigint, 0)
    end
$fn$;
`;
}

/** The SYS views: AWS "SYS monitoring views" are on provisioned clusters and Serverless alike. */
function sysViewsDdl(s: string): string {
  return `
-- AWS "SYS_LOAD_HISTORY" (https://docs.aws.amazon.com/redshift/latest/dg/SYS_LOAD_HISTORY.html):
-- one row a COPY; status is running, completed or aborted; duration in microseconds; visible
-- to all users, regular users see their own rows.
create or replace view ${s}.sys_load_history as
select
    c.userid as user_id,
    c.sys_query_id as query_id,
    c.xid as transaction_id,
    c.session as session_id,
    c.database as database_name,
    case c.status when 'success' then 'completed' else 'aborted' end as status,
    c.table_name,
    c.starttime as start_time,
    c.endtime as end_time,
    (extract(epoch from c.endtime - c.starttime) * 1000000)::bigint as duration,
    c.data_source,
    lower(c.file_format) as file_format,
    c.rows_loaded as loaded_rows,
    case c.status when 'success' then f.bytes else 0 end::bigint as loaded_bytes,
    f.files::integer as source_file_count,
    f.bytes::bigint as source_file_bytes,
    f.files::integer as file_count_scanned,
    f.bytes::bigint as file_bytes_scanned,
    c.error_count::bigint as error_count,
    0::bigint as copy_job_id
from ${L}.copies as c
cross join lateral (
    select count(*) as files, coalesce(sum(cf.bytes), 0) as bytes from ${L}.copy_files as cf where cf.copy_id = c.copy_id
) as f
where ${L}.sees(c.userid, c.session);

-- AWS "SYS_LOAD_ERROR_DETAIL" (https://docs.aws.amazon.com/redshift/latest/dg/SYS_LOAD_ERROR_DETAIL.html).
create or replace view ${s}.sys_load_error_detail as
select
    c.userid as user_id,
    c.sys_query_id as query_id,
    c.xid as transaction_id,
    c.session as session_id,
    c.database::character(64) as database_name,
    c.tbl::integer as table_id,
    c.starttime as start_time,
    e.filename::character(256) as file_name,
    e.line_number,
    e.colname::character(127) as column_name,
    e.type::character(10) as column_type,
    e.col_length::character(10) as column_length,
    e.position,
    e.err_code as error_code,
    e.err_reason::character(512) as error_message
from ${L}.copies as c
inner join ${L}.copy_errors as e on e.copy_id = c.copy_id
where ${L}.sees(c.userid, c.session);

-- AWS "SYS_LOAD_DETAIL" (https://docs.aws.amazon.com/redshift/latest/dg/SYS_LOAD_DETAIL.html):
-- one row a file a COPY read; query_id and the counts are integer on that page.
create or replace view ${s}.sys_load_detail as
select
    c.userid as user_id,
    c.sys_query_id::integer as query_id,
    f.file_name::character(256) as file_name,
    f.bytes::integer as bytes_scanned,
    f.lines_scanned::integer as lines_scanned,
    c.endtime as record_time,
    1 as splits_scanned,
    c.starttime as start_time,
    c.endtime as end_time,
    null::character(256) as file_etag,
    null::timestamp as file_last_modified
from ${L}.copies as c
inner join ${L}.copy_files as f on f.copy_id = c.copy_id
where ${L}.sees(c.userid, c.session);

-- AWS "SYS_QUERY_HISTORY" (https://docs.aws.amazon.com/redshift/latest/dg/SYS_QUERY_HISTORY.html):
-- times in microseconds; status one of planning, queued, running, returning, failed, canceled,
-- success. query_label is the query group; without one it is 'default' (as AWS "STL_QUERY",
-- https://docs.aws.amazon.com/redshift/latest/dg/r_STL_QUERY.html, says of its label).
create or replace view ${s}.sys_query_history as
select
    q.user_id,
    q.sys_query_id as query_id,
    q.query_label::character(320) as query_label,
    q.transaction_id,
    q.session_id,
    q.database_name::character(128) as database_name,
    q.query_type::character(32) as query_type,
    q.status::character(10) as status,
    false as result_cache_hit,
    q.start_time,
    q.end_time,
    q.elapsed_time,
    0::bigint as queue_time,
    q.elapsed_time as execution_time,
    q.error_message::character(512) as error_message,
    q.returned_rows,
    0::bigint as returned_bytes,
    q.query_text::character(4000) as query_text,
    'redshift-standin'::character(256) as redshift_version
from ${L}.queries as q
where ${L}.sees(q.user_id, q.session_id);
`;
}

/** Everything one deployment's schema holds. */
export function deploymentDdl(deployment: Deployment): string {
  const s = SCHEMAS[deployment];
  return [
    `create schema if not exists ${s};`,
    functionsDdl(s),
    sysViewsDdl(s),
    svvViewsDdl(s),
    // AWS "Monitoring queries and workloads with Amazon Redshift Serverless"
    // (https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-monitoring.html): "You can't
    // query STL, STV, SVCS, SVL, and some SVV system tables and views with Amazon Redshift
    // Serverless". So the serverless schema has none: querying one fails with PostgreSQL's
    // 'relation "stl_load_errors" does not exist' (42P01); the docs give no wording of their own.
    deployment === 'provisioned' ? provisionedOnlyDdl(s) : '',
    serverlessUsageDdl(s, deployment),
    pgUserDdl(s),
  ].join('\n');
}

/** Functions of the log schema that the deployment functions call. */
export const LOG_FUNCTIONS_DDL = `
-- This session's latest COPY that failed after it began loading (it has files or errors),
-- since this session began: the part of pg_last_copy_id() a set_config cannot carry.
create or replace function ${L}.last_failed_copy_id() returns integer
language sql stable as $fn$
    select max(c.query)
    from ${L}.copies as c
    where c.session = nullif(current_setting('redshift_standin.session_id', true), '')::integer
      -- Node's Date has milliseconds only: compare at that precision.
      and c.starttime >= date_trunc('milliseconds', coalesce(nullif(current_setting('redshift_standin.session_started', true), '')::timestamp, '-infinity'))
      and c.status = 'failed'
      and c.load_started
$fn$;
`;
