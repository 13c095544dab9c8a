// The STL_/STV_ views of a provisioned cluster: STL_LOAD_ERRORS, STL_LOAD_COMMITS, STV_SLICES.
import { LOG_SCHEMA } from './catalog-log';
import { FAKE_SLICES } from './catalog-names';

const L = LOG_SCHEMA;

/** STL_/STV_ objects: provisioned only. */
export function provisionedOnlyDdl(s: string): string {
  return `
-- Multibyte characters in raw_line become periods (AWS "STL_LOAD_ERRORS").
create or replace function ${s}.stl_ascii(p text) returns text
language sql immutable as $fn$
    select regexp_replace(p, '[^\\x01-\\x7F]', '.', 'g')
$fn$;

-- AWS "STL_LOAD_ERRORS" (https://docs.aws.amazon.com/redshift/latest/dg/r_STL_LOAD_ERRORS.html):
-- main provisioned clusters only; "query" is the id pg_last_copy_id() returns; line_number is
-- the last line of the JSON object in error; raw_line with multibyte characters replaced by
-- a period; visible to all users, regular users see their own rows. slice is the fake slice
-- that read the file (files go round the 4 slices in order).
create or replace view ${s}.stl_load_errors as
select
    c.userid,
    coalesce((select min(f.ordinal) from ${L}.copy_files as f where f.copy_id = c.copy_id and f.file_name = e.filename) % ${FAKE_SLICES}, 0)::integer as slice,
    c.tbl::integer as tbl,
    c.starttime,
    c.session,
    c.query,
    e.filename::character(256) as filename,
    e.line_number,
    e.colname::character(127) as colname,
    e.type::character(10) as type,
    e.col_length::character(10) as col_length,
    e.position,
    ${s}.stl_ascii(e.raw_line)::character(1024) as raw_line,
    e.raw_field_value::character(1024) as raw_field_value,
    e.err_code,
    e.err_reason::character(100) as err_reason
from ${L}.copies as c
inner join ${L}.copy_errors as e on e.copy_id = c.copy_id
where c.deployment = 'provisioned'
  and ${L}.sees(c.userid, c.session);

-- AWS "STL_LOAD_COMMITS" (https://docs.aws.amazon.com/redshift/latest/dg/r_STL_LOAD_COMMITS.html):
-- one row a data file as it is loaded; lines_scanned may exceed the rows loaded (MAXERROR);
-- byte_offset, errors and status are "for internal use only". Only COPYs that loaded are
-- listed (the stand-in's reading of "commits"); name, a "system-defined value", repeats the
-- file name.
create or replace view ${s}.stl_load_commits as
select
    c.userid,
    c.query,
    (f.ordinal % ${FAKE_SLICES})::integer as slice,
    f.file_name::character(256) as name,
    f.file_name::character(256) as filename,
    0 as byte_offset,
    f.lines_scanned::integer as lines_scanned,
    f.errors as errors,
    c.endtime as curtime,
    0 as status,
    c.file_format::character(16) as file_format,
    0 as is_partial,
    0::bigint as start_offset,
    0::bigint as copy_job_id
from ${L}.copies as c
inner join ${L}.copy_files as f on f.copy_id = c.copy_id
where c.deployment = 'provisioned'
  and c.status = 'success'
  and ${L}.sees(c.userid, c.session);

-- AWS "STV_SLICES" (https://docs.aws.amazon.com/redshift/latest/dg/r_STV_SLICES.html): the
-- slice-to-node mapping. FAKE: the stand-in is one PostgreSQL; it reports 2 nodes of 2 slices
-- so that slice counts (e.g. files a multiple of the slices) have something to divide by.
create or replace view ${s}.stv_slices as
select v.node, v.slice, v.localslice, 'D'::character(1) as type
from (values (0, 0, 0), (0, 1, 1), (1, 2, 0), (1, 3, 1)) as v (node, slice, localslice);
`;
}
