// Runs one COPY in the step's transaction and reads back what Redshift recorded about it:
// rows loaded, rejected lines, lines per file. Lookups go through system-views.ts, on the
// connection outside the transaction.
import type { Knex } from 'knex';
import { LoadError } from '../../errors';
import { runVerbatim } from '../../verbatim';
import type { Reject } from '../ledger';
import { linesScannedPerFile, LookupFailed, rejectedLines, type CopyIdentity } from './system-views';

export interface CopyOutcome {
  rowsLoaded: number;
  rejects: Reject[];
  /** Lines scanned per file (s3:// URL), when a view answered. */
  linesPerFile?: Map<string, number>;
  /** Why linesPerFile is missing. */
  linesUnknown?: string;
}

/** The step's connection: its session id, for the system views. */
export async function sessionId(db: Knex): Promise<number> {
  const [{ pid }] = (await db.raw('select pg_backend_pid() as pid')).rows as Array<{ pid: number | string }>;
  return Number(pid);
}

export async function runCopy(
  db: Knex,
  outside: Knex,
  copySql: string,
  table: string,
  session: number,
  maxErrors: number,
): Promise<CopyOutcome> {
  // AWS "GETDATE function": the start of the current statement, UTC. A lower bound for the
  // COPY's start time in SYS_LOAD_HISTORY and STL_LOAD_ERRORS.
  const [{ copy_marker: marker }] = (await db.raw("select to_char(getdate(), 'YYYY-MM-DD HH24:MI:SS') as copy_marker"))
    .rows as Array<{ copy_marker: string }>;
  try {
    // As written: a `?` in a path, an ARN or ACCEPTINVCHARS AS '?' must reach Redshift as `?`,
    // which knex.raw would rewrite into `$n` (src/verbatim.ts).
    await runVerbatim(db, copySql);
  } catch (error) {
    throw await explainFailedCopy(outside, { session, startedAfter: marker }, table, error as Error);
  }
  // AWS "PG_LAST_COPY_COUNT", "PG_LAST_COPY_ID": this session's last COPY. Both are plain
  // functions on this connection: they cannot fail the transaction.
  const [counts] = (await db.raw('select pg_last_copy_count() as loaded, pg_last_copy_id() as copy_id')).rows as Array<{
    loaded: number | string;
    copy_id: number | string;
  }>;
  const copy: CopyIdentity = { session, startedAfter: marker, stlQueryId: Number(counts.copy_id) };
  let rejects: Reject[] = [];
  // With MAXERROR 1 a successful COPY rejected nothing: no lookup needed.
  if (maxErrors > 0) {
    try {
      rejects = (await rejectedLines(outside, copy, maxErrors + 1)).rejects;
    } catch (error) {
      if (!(error instanceof LookupFailed)) throw error;
      throw new LoadError(
        `COPY into ${table} succeeded, but its rejected lines could not be read from STL_LOAD_ERRORS or SYS_LOAD_ERROR_DETAIL (${error.message}). ` +
          'The load is rolled back rather than lose them. Fix: let this database user read those system views, or run with --max-errors 0 so that any bad line fails the load.',
      );
    }
  }
  const outcome: CopyOutcome = { rowsLoaded: Number(counts.loaded), rejects };
  try {
    outcome.linesPerFile = await linesScannedPerFile(outside, copy);
  } catch (error) {
    outcome.linesUnknown = (error as Error).message;
  }
  return outcome;
}

async function explainFailedCopy(outside: Knex, copy: CopyIdentity, table: string, error: Error): Promise<LoadError> {
  let details: string;
  try {
    const { rejects } = await rejectedLines(outside, copy, 5);
    details = rejects.map((d) => `\n  ${d.path}, line ${d.line}: ${d.reason}`).join('');
  } catch (lookup) {
    details = `\n  (the rejected lines could not be read from the system views: ${(lookup as Error).message})`;
  }
  return new LoadError(
    `COPY into ${table} failed: ${error.message}${details}` +
      '\nFix those lines, or pass --max-errors N to load the good rows and keep the rejected ones in load_errors.',
  );
}
