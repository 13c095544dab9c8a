// The stand-in's own log of what ran: plain tables in a schema no session's search_path
// names, written by the admin connection, read through the Redshift-shaped views that
// catalog-views.ts builds over them. Nothing here is a Redshift object; every Redshift
// behaviour is emulated in the views and functions, with its AWS page beside it.

export const LOG_SCHEMA = 'redshift_standin_log';

/** Bumped whenever a table below changes shape: installCatalog then rebuilds the catalog. */
export const CATALOG_VERSION = 'redshift-standin catalog 2';

export const LOG_DDL = `
create schema if not exists ${LOG_SCHEMA};

-- One value per installCatalog: the stand-in's query counter restarts with each stand-in, so
-- a STL query id is only unique within one instance.
create sequence if not exists ${LOG_SCHEMA}.instances;

-- AWS "System tables and views reference", topic "Improved query identifier tracking using the
-- SYS monitoring views" (https://docs.aws.amazon.com/redshift/latest/dg/cm_chap_system-tables.html)
-- and /work/shared/notes/redshift.md: SYS views number queries on their own (query_id), not
-- with the STL "query" id that pg_last_copy_id() returns. The SYS ids start far from the
-- stand-in's STL ids so that a client mixing the two finds nothing, as it would on Redshift.
create sequence if not exists ${LOG_SCHEMA}.sys_query_ids start with 900000001;
create table if not exists ${LOG_SCHEMA}.query_ids (
    instance bigint not null,
    stl_query bigint not null,
    sys_query_id bigint not null default nextval('${LOG_SCHEMA}.sys_query_ids'),
    primary key (instance, stl_query)
);

-- Blocks of ids for stand-ins that share one backing database (reserveIdBlock).
create sequence if not exists ${LOG_SCHEMA}.id_blocks;

create table if not exists ${LOG_SCHEMA}.copies (
    copy_id bigserial primary key,
    instance bigint not null,
    query integer not null,
    sys_query_id bigint not null,
    deployment text not null,
    userid integer not null,
    session integer not null,
    xid bigint not null,
    database text not null,
    table_name text not null,
    tbl oid not null,
    starttime timestamp not null,
    endtime timestamp not null,
    status text not null check (status in ('success', 'failed')),
    load_started boolean not null,
    data_source text not null,
    file_format text not null,
    rows_loaded bigint not null,
    error_count bigint not null
);
create index if not exists copies_session on ${LOG_SCHEMA}.copies (session, starttime);

create table if not exists ${LOG_SCHEMA}.copy_files (
    copy_id bigint not null references ${LOG_SCHEMA}.copies on delete cascade,
    ordinal integer not null,
    file_name text not null,
    bytes bigint not null,
    lines_scanned bigint not null,
    errors integer not null,
    primary key (copy_id, ordinal)
);

create table if not exists ${LOG_SCHEMA}.copy_errors (
    copy_id bigint not null references ${LOG_SCHEMA}.copies on delete cascade,
    ordinal integer not null,
    filename text not null,
    line_number bigint not null,
    colname text not null,
    type text not null,
    col_length text not null,
    position integer not null,
    raw_line text not null,
    raw_field_value text not null,
    err_code integer not null,
    err_reason text not null,
    primary key (copy_id, ordinal)
);

create table if not exists ${LOG_SCHEMA}.queries (
    sys_query_id bigint primary key,
    instance bigint not null,
    stl_query bigint not null,
    user_id integer not null,
    session_id integer not null,
    transaction_id bigint not null,
    database_name text not null,
    query_label text not null,
    query_type text not null,
    status text not null check (status in ('success', 'failed', 'canceled')),
    start_time timestamp not null,
    end_time timestamp not null,
    elapsed_time bigint not null,
    returned_rows bigint not null,
    error_message text not null,
    query_text text not null
);
create index if not exists queries_session on ${LOG_SCHEMA}.queries (session_id, start_time);

-- What CREATE TABLE / ALTER TABLE declared, by name: the declaration may still be inside the
-- client's open transaction, where the admin connection cannot see the table's oid yet.
create table if not exists ${LOG_SCHEMA}.table_keys (
    schema_name text not null,
    table_name text not null,
    diststyle text not null,
    distkey text,
    sortkey_kind text not null,
    sortkey text[] not null,
    encodings jsonb not null,
    recorded_at timestamp not null,
    primary key (schema_name, table_name)
);

-- The SYS query id of one STL query id of one instance, made on first use, so that a COPY's
-- rows in SYS_LOAD_HISTORY and SYS_QUERY_HISTORY agree when the session records both under
-- the same STL id.
create or replace function ${LOG_SCHEMA}.sys_query_id(p_instance bigint, p_stl bigint) returns bigint
language sql volatile as $fn$
    insert into ${LOG_SCHEMA}.query_ids (instance, stl_query) values (p_instance, p_stl)
    on conflict (instance, stl_query) do update set stl_query = excluded.stl_query
    returning sys_query_id
$fn$;

-- AWS "Visibility of data in system tables and views"
-- (https://docs.aws.amazon.com/redshift/latest/dg/cm_chap_system-tables.html#c_visibility-of-data)
-- and each view's page ("visible to all users. Superusers can see all rows; regular users can
-- see only their own data"). The session says who it is with set_config (sessionSettingsSql);
-- a connection that never did is no Redshift session and sees nothing.
create or replace function ${LOG_SCHEMA}.is_superuser() returns boolean
language sql stable as $fn$
    select coalesce(current_setting('redshift_standin.superuser', true), '') = 'true'
$fn$;

create or replace function ${LOG_SCHEMA}.sees(p_owner integer, p_session integer) returns boolean
language sql stable as $fn$
    select ${LOG_SCHEMA}.is_superuser()
        or p_owner = nullif(current_setting('redshift_standin.user_id', true), '')::integer
        -- A session set up without a user id still owns what it ran itself.
        or (nullif(current_setting('redshift_standin.user_id', true), '') is null
            and p_session = nullif(current_setting('redshift_standin.session_id', true), '')::integer)
$fn$;

-- The client-facing database name ("dev"), not the backing database's.
create or replace function ${LOG_SCHEMA}.database_name() returns text
language sql stable as $fn$
    select coalesce(nullif(current_setting('redshift_standin.database', true), ''), current_database())
$fn$;

-- Rows, and distinct values of the distribution key, of one user table, for SVV_TABLE_INFO.
-- Counted, not estimated: reltuples is stale right after a COPY with STATUPDATE OFF, and the
-- tables the stand-in holds are small.
create or replace function ${LOG_SCHEMA}.table_counts(p_table regclass, p_distkey text, out rows bigint, out distinct_keys bigint)
language plpgsql stable as $fn$
begin
    if p_distkey is null then
        execute format('select count(*), count(*) from %s', p_table) into rows, distinct_keys;
        return;
    end if;
    begin
        execute format('select count(*), count(distinct %I) from %s', p_distkey, p_table) into rows, distinct_keys;
    exception when undefined_column then
        -- A recorded key that no longer names a column (renamed since): count rows only.
        execute format('select count(*), count(*) from %s', p_table) into rows, distinct_keys;
    end;
end
$fn$;
`;
