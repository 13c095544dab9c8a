// What Redshift recorded about one COPY: its rejected lines and its rows per file.
//
// Two families of system views, with different query ids:
// - STL_LOAD_ERRORS / STL_LOAD_COMMITS are keyed by pg_last_copy_id() (AWS "PG_LAST_COPY_ID",
//   "STL_LOAD_ERRORS", "STL_LOAD_COMMITS"). Main provisioned clusters only; STL_LOAD_ERRORS
//   keeps the raw line.
// - SYS_LOAD_ERROR_DETAIL / SYS_LOAD_DETAIL use the SYS query ids, so this COPY is first
//   found in SYS_LOAD_HISTORY by its session and start time (AWS "SYS_LOAD_HISTORY",
//   "SYS_LOAD_ERROR_DETAIL", "SYS_LOAD_DETAIL"). Provisioned and Serverless.
//
// Every lookup runs on a connection outside the step's transaction: on Redshift any failing
// statement (a view this cluster lacks, a missing grant) aborts the transaction block it runs
// in, and the load must not depend on a lookup. Every lookup is bound to this one COPY.
import type { Knex } from 'knex';
import type { Reject } from '../ledger';

/** How to find one COPY in the system views. */
export interface CopyIdentity {
  /** pg_backend_pid() of the connection that ran the COPY (the views' session / session_id). */
  session: number;
  /** getdate() on that connection just before the COPY: a UTC timestamp, 'YYYY-MM-DD HH:MM:SS.ffffff'. */
  startedAfter: string;
  /** pg_last_copy_id() after the COPY succeeded; unknown after a failure (the transaction is aborted). */
  stlQueryId?: number;
}

export class LookupFailed extends Error {}

interface ErrorRow {
  path: string;
  line: number | string;
  column_name: string | null;
  reason: string;
  raw_text?: string | null;
}

/** Rejected lines of this COPY, STL first (it keeps the raw line), then SYS when STL has none. */
export async function rejectedLines(
  outside: Knex,
  copy: CopyIdentity,
  limit: number,
): Promise<{ rejects: Reject[]; view: string }> {
  const rows = await firstThatAnswers(outside, [
    ['stl_load_errors', stlErrorsSql(copy, limit)],
    ['sys_load_error_detail', sysErrorsSql(copy, limit)],
  ]);
  return {
    view: rows.view,
    rejects: (rows.rows as ErrorRow[]).map((r) => ({
      path: r.path,
      line: Number(r.line),
      reason: `${r.column_name ? `${r.column_name}: ` : ''}${r.reason}`,
      raw: r.raw_text ?? '',
    })),
  };
}

/** Lines scanned per file by this COPY (STL_LOAD_COMMITS, else SYS_LOAD_DETAIL when STL has none). */
export async function linesScannedPerFile(outside: Knex, copy: CopyIdentity): Promise<Map<string, number>> {
  const { rows } = await firstThatAnswers(outside, [
    ['stl_load_commits', stlCommitsSql(copy)],
    ['sys_load_detail', sysDetailSql(copy)],
  ]);
  return new Map((rows as Array<{ path: string; lines: number | string }>).map((r) => [r.path, Number(r.lines)]));
}

/**
 * The first view, in order, that answers with this COPY's rows. A view that answers with none
 * does not end the search: STL_LOAD_ERRORS and STL_LOAD_COMMITS hold the main cluster's
 * queries only (AWS "STL_LOAD_ERRORS"), so a COPY that ran on a concurrency-scaling cluster is
 * only in the SYS views. When every view that answers has no rows (a COPY that rejected
 * nothing), the answer is no rows; only when no view answers at all is it a failure.
 */
async function firstThatAnswers(
  outside: Knex,
  lookups: Array<[string, string | undefined]>,
): Promise<{ view: string; rows: unknown[] }> {
  const failures: string[] = [];
  let empty: string | undefined;
  for (const [view, sql] of lookups) {
    if (!sql) continue;
    try {
      const rows: unknown[] = (await outside.raw(sql)).rows ?? [];
      if (rows.length > 0) return { view, rows };
      empty ??= view;
    } catch (error) {
      failures.push(`${view}: ${(error as Error).message}`);
    }
  }
  if (empty) return { view: empty, rows: [] };
  throw new LookupFailed(failures.join('; '));
}

function checkedCopy(copy: CopyIdentity): { session: number; after: string; stlId?: number } {
  if (!Number.isInteger(copy.session)) throw new Error(`not a session id: ${copy.session}`);
  if (!/^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?$/.test(copy.startedAfter))
    throw new Error(`not a timestamp: ${copy.startedAfter}`);
  if (copy.stlQueryId !== undefined && !Number.isInteger(copy.stlQueryId))
    throw new Error(`not a query id: ${copy.stlQueryId}`);
  return { session: copy.session, after: copy.startedAfter.replace('T', ' '), stlId: copy.stlQueryId };
}

/**
 * After a success, pg_last_copy_id() names the COPY. After a failure it cannot be read (the
 * transaction is aborted), so: this session's latest COPY that started after the marker.
 */
function stlCopyCondition(view: 'stl_load_errors' | 'stl_load_commits', copy: CopyIdentity): string {
  const { session, after, stlId } = checkedCopy(copy);
  if (stlId !== undefined) return `query = ${stlId}`;
  // STL_LOAD_COMMITS has no session column, so after a failure only STL_LOAD_ERRORS is read.
  if (view === 'stl_load_commits') throw new Error('unreachable: row counts are read only after a successful COPY');
  return `query = (
    select max(query) from stl_load_errors
    where session = ${session} and starttime >= '${after}'
)`;
}

function stlErrorsSql(copy: CopyIdentity, limit: number): string {
  return `select trim(filename) as path, line_number as line, trim(colname) as column_name, trim(err_reason) as reason, trim(raw_line) as raw_text
from stl_load_errors
where ${stlCopyCondition('stl_load_errors', copy)}
order by trim(filename), line_number
limit ${Math.max(limit, 1)}`;
}

function stlCommitsSql(copy: CopyIdentity): string | undefined {
  if (copy.stlQueryId === undefined) return undefined;
  return `select trim(filename) as path, sum(lines_scanned) as lines
from stl_load_commits
where ${stlCopyCondition('stl_load_commits', copy)}
group by trim(filename)`;
}

/** This COPY's SYS query id: the latest COPY of this session since the marker. */
function sysThisCopy(copy: CopyIdentity): string {
  const { session, after } = checkedCopy(copy);
  return `with this_copy as (
    select query_id
    from sys_load_history
    where session_id = ${session}
      and start_time >= '${after}'
    order by start_time desc
    limit 1
)`;
}

function sysErrorsSql(copy: CopyIdentity, limit: number): string {
  return `${sysThisCopy(copy)}
select trim(file_name) as path, line_number as line, trim(column_name) as column_name, trim(error_message) as reason
from sys_load_error_detail
where query_id in (select query_id from this_copy)
order by trim(file_name), line_number
limit ${Math.max(limit, 1)}`;
}

function sysDetailSql(copy: CopyIdentity): string {
  return `${sysThisCopy(copy)}
select trim(file_name) as path, sum(lines_scanned) as lines
from sys_load_detail
where query_id in (select query_id from this_copy)
group by trim(file_name)`;
}
