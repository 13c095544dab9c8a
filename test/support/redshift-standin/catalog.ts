// The stand-in's catalog: Redshift's system views and functions (STL_/STV_ on provisioned,
// SYS_ and SVV_ on both, getdate(), pg_last_copy_id(), pg_last_copy_count(),
// pg_backend_pid()), emulated on the backing PostgreSQL and filled with what actually ran.
//
// Layout: catalog-log.ts holds the plain log tables (schema redshift_standin_log, on no
// search_path); the Redshift-shaped views and functions over them live in one schema per
// deployment (redshift_standin_provisioned, redshift_standin_serverless, names in
// catalog-names.ts): functions and SYS_ views in catalog-views.ts, STL_/STV_ in
// catalog-stl.ts, the superuser-only SVV_ views and SYS_SERVERLESS_USAGE in catalog-svv.ts.
// Each session's search_path (searchPathFor) makes them resolve unqualified, ahead of pg_catalog.
//
// The log is written on the admin connection, autocommit, one statement a record: Redshift's
// system logs are not rolled back with the user's transaction, and the admin connection is
// shared by every session, so no record may span two statements (another session's record
// could land between them).
import type pg from 'pg';
import { CATALOG_VERSION, LOG_DDL, LOG_SCHEMA } from './catalog-log';
import { SCHEMAS, type Deployment } from './catalog-names';
import { deploymentDdl, LOG_FUNCTIONS_DDL } from './catalog-views';

export type { Deployment } from './catalog-names';
export { FAKE_NODES, FAKE_SLICES, SCHEMAS } from './catalog-names';
export { LOG_SCHEMA } from './catalog-log';

/** The instance (one per installCatalog) each admin connection records under. */
const instances = new WeakMap<pg.Client, number>();

/**
 * Creates (idempotently) the log schema and schemas "redshift_standin_provisioned" and
 * "redshift_standin_serverless" in the backing database. Run on an admin connection
 * (autocommit). Several stand-ins may share a database: installs are serialized by an
 * advisory lock, and a catalog of another version is dropped and rebuilt.
 */
export async function installCatalog(admin: pg.Client): Promise<void> {
  await admin.query('begin');
  try {
    await admin.query(`select pg_advisory_xact_lock(hashtext('redshift_standin catalog'))`);
    const { rows } = await admin.query<{ version: string | null }>(
      `select obj_description(oid, 'pg_namespace') as version from pg_namespace where nspname = $1`,
      [LOG_SCHEMA],
    );
    if (rows.length > 0 && rows[0].version !== CATALOG_VERSION) {
      await admin.query(`drop schema if exists ${SCHEMAS.provisioned}, ${SCHEMAS.serverless}, ${LOG_SCHEMA} cascade`);
    }
    await admin.query(LOG_DDL);
    await admin.query(LOG_FUNCTIONS_DDL);
    await admin.query(`comment on schema ${LOG_SCHEMA} is ${literal(CATALOG_VERSION)}`);
    for (const deployment of Object.keys(SCHEMAS) as Deployment[]) await admin.query(deploymentDdl(deployment));
    await admin.query('commit');
  } catch (error) {
    await admin.query('rollback');
    throw error;
  }
  instances.set(admin, await newInstance(admin));
}

async function newInstance(admin: pg.Client): Promise<number> {
  const { rows } = await admin.query<{ id: string }>(`select nextval('${LOG_SCHEMA}.instances') as id`);
  return Number(rows[0].id);
}

async function instanceOf(admin: pg.Client): Promise<number> {
  const known = instances.get(admin);
  if (known !== undefined) return known;
  const id = await newInstance(admin);
  instances.set(admin, id);
  return id;
}

/**
 * A block of a million ids no other stand-in on this backing database gets: start the
 * query (and session) counters from it, so that STL query ids stay unique across stand-ins
 * that share the database, as they are on one Redshift cluster.
 */
export async function reserveIdBlock(admin: pg.Client): Promise<number> {
  const { rows } = await admin.query<{ block: string }>(`select nextval('${LOG_SCHEMA}.id_blocks') as block`);
  return 100_000 + (Number(rows[0].block) - 1) * 1_000_000;
}

/**
 * The search_path of a backing session: unqualified stl_load_errors, sys_load_history,
 * getdate(), pg_last_copy_id() … resolve to the deployment's schema, and pg_catalog comes
 * after it (named, so PostgreSQL does not search it first), so that pg_backend_pid() is the
 * stand-in's. Serverless sees only its SYS_/SVV_ objects: AWS "Monitoring queries and
 * workloads with Amazon Redshift Serverless"
 * (https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-monitoring.html) says STL, STV,
 * SVCS and SVL cannot be queried there.
 */
export function searchPathFor(deployment: Deployment): string {
  return `"$user", public, ${SCHEMAS[deployment]}, pg_catalog`;
}

/**
 * set_config calls that tell the catalog who this backing session is. Run once on the
 * session's own backing connection, outside any transaction. Without userId a regular user
 * sees only its own session's rows; with it, every row of that user (AWS "Visibility of data
 * in system tables and views").
 */
export function sessionSettingsSql(s: {
  sessionId: number;
  superuser: boolean;
  userName: string;
  userId?: number;
  database?: string;
}): string {
  const settings: Array<[string, string]> = [
    ['session_id', String(integer(s.sessionId, 'sessionId'))],
    ['superuser', s.superuser ? 'true' : 'false'],
    ['user_name', s.userName],
  ];
  if (s.userId !== undefined) settings.push(['user_id', String(integer(s.userId, 'userId'))]);
  if (s.database !== undefined) settings.push(['database', s.database]);
  const calls = settings.map(([name, value]) => `set_config('redshift_standin.${name}', ${literal(value)}, false)`);
  // When the session began, so that pg_last_copy_id() never picks up a COPY of an earlier
  // stand-in's session that had the same id.
  calls.push(`set_config('redshift_standin.session_started', (statement_timestamp() at time zone 'UTC')::text, false)`);
  return `select ${calls.join(', ')}`;
}

/**
 * After a COPY that loaded: set_config for pg_last_copy_id() / pg_last_copy_count(), run on
 * the client's backing session in the COPY's transaction. set_config(…, false) is undone if
 * that transaction rolls back, which is what AWS "PG_LAST_COPY_ID" asks ("If the COPY
 * transaction is rolled back, the COPY ID is not updated"). A COPY that failed while loading
 * needs no call: the functions find it in the log (recordCopy with status 'failed').
 */
export function lastCopySql(c: { queryId: number; rowsLoaded: number }): string {
  const id = integer(c.queryId, 'queryId');
  const rows = integer(c.rowsLoaded, 'rowsLoaded');
  return `select set_config('redshift_standin.last_copy_id', '${id}', false), set_config('redshift_standin.last_copy_count', '${rows}', false)`;
}

export interface CopyRecord {
  deployment: Deployment;
  sessionId: number;
  userId: number;
  /** The STL query id (what pg_last_copy_id() returns). The SYS query_id is made from it. */
  queryId: number;
  transactionId: number;
  database: string;
  table: string;
  tableId: number;
  startedAt: Date;
  endedAt: Date;
  status: 'success' | 'failed';
  /** The FROM uri. */
  dataSource: string;
  fileFormat: string;
  rowsLoaded: number;
  /**
   * Whether the COPY got as far as loading (AWS "PG_LAST_COPY_ID": one that failed before,
   * on syntax, access, credentials or privileges, does not change pg_last_copy_id()).
   * Default: it read a file or rejected a line.
   */
  loadStarted?: boolean;
  files: Array<{ url: string; bytes: number; linesScanned: number; errors: number }>;
  errors: Array<{
    file: string;
    line: number;
    column: string;
    type: string;
    columnLength: string;
    position: number;
    rawLine: string;
    rawFieldValue: string;
    errCode: number;
    reason: string;
  }>;
}

/** Records one COPY in the log, committed at once (one statement). */
export async function recordCopy(admin: pg.Client, copy: CopyRecord): Promise<void> {
  const instance = await instanceOf(admin);
  const loadStarted = copy.loadStarted ?? (copy.files.length > 0 || copy.errors.length > 0);
  const files = copy.files.map((f, ordinal) => ({ ordinal, ...f }));
  const errors = copy.errors.map((e, ordinal) => ({ ordinal, ...e }));
  await admin.query(
    `with copy as (
    insert into ${LOG_SCHEMA}.copies (instance, query, sys_query_id, deployment, userid, session, xid, database, table_name, tbl,
        starttime, endtime, status, load_started, data_source, file_format, rows_loaded, error_count)
    values ($1::bigint, $2::integer, ${LOG_SCHEMA}.sys_query_id($1::bigint, $2::integer), $3, $4, $5, $6, $7, $8, $9::bigint::oid,
        $10::timestamptz at time zone 'UTC', $11::timestamptz at time zone 'UTC', $12, $13, $14, $15, $16, $17)
    returning copy_id
), files as (
    insert into ${LOG_SCHEMA}.copy_files (copy_id, ordinal, file_name, bytes, lines_scanned, errors)
    select copy.copy_id, f.ordinal, f.url, f.bytes, f."linesScanned", f.errors
    from copy, jsonb_to_recordset($18::jsonb) as f (ordinal integer, url text, bytes bigint, "linesScanned" bigint, errors integer)
)
insert into ${LOG_SCHEMA}.copy_errors (copy_id, ordinal, filename, line_number, colname, type, col_length, position, raw_line, raw_field_value, err_code, err_reason)
select copy.copy_id, e.ordinal, e.file, e.line, e."column", e.type, e."columnLength", e.position, e."rawLine", e."rawFieldValue", e."errCode", e.reason
from copy, jsonb_to_recordset($19::jsonb) as e (ordinal integer, file text, line bigint, "column" text, type text, "columnLength" text, position integer,
    "rawLine" text, "rawFieldValue" text, "errCode" integer, reason text)`,
    [
      instance,
      integer(copy.queryId, 'queryId'),
      copy.deployment,
      integer(copy.userId, 'userId'),
      integer(copy.sessionId, 'sessionId'),
      integer(copy.transactionId, 'transactionId'),
      copy.database,
      copy.table,
      integer(copy.tableId, 'tableId'),
      copy.startedAt.toISOString(),
      copy.endedAt.toISOString(),
      copy.status,
      loadStarted,
      copy.dataSource,
      copy.fileFormat,
      integer(copy.rowsLoaded, 'rowsLoaded'),
      copy.errors.length,
      JSON.stringify(files),
      JSON.stringify(errors),
    ],
  );
}

export interface QueryRecord {
  sessionId: number;
  userId: number;
  /** The STL query id; SYS_QUERY_HISTORY shows the SYS query_id made from it. */
  queryId: number;
  transactionId: number;
  database: string;
  /** The session's query_group ('' when none: shown as 'default'). */
  queryLabel: string;
  /** SELECT, INSERT, UPDATE, UNLOAD, COPY, COMMAND, DDL, UTILITY, CTAS or OTHER (AWS "SYS_QUERY_HISTORY"). */
  queryType: string;
  text: string;
  startedAt: Date;
  endedAt: Date;
  status: 'success' | 'failed' | 'canceled';
  returnedRows: number;
  errorMessage?: string;
}

/** Records one statement in SYS_QUERY_HISTORY; elapsed_time in microseconds. */
export async function recordQuery(admin: pg.Client, q: QueryRecord): Promise<void> {
  const instance = await instanceOf(admin);
  await admin.query(
    `insert into ${LOG_SCHEMA}.queries (sys_query_id, instance, stl_query, user_id, session_id, transaction_id, database_name, query_label, query_type,
    status, start_time, end_time, elapsed_time, returned_rows, error_message, query_text)
values (${LOG_SCHEMA}.sys_query_id($1::bigint, $2::bigint), $1::bigint, $2::bigint, $3, $4, $5, $6, $7, $8,
    $9, $10::timestamptz at time zone 'UTC', $11::timestamptz at time zone 'UTC', $12, $13, $14, $15)`,
    [
      instance,
      integer(q.queryId, 'queryId'),
      integer(q.userId, 'userId'),
      integer(q.sessionId, 'sessionId'),
      integer(q.transactionId, 'transactionId'),
      q.database,
      q.queryLabel === '' ? 'default' : q.queryLabel,
      q.queryType,
      q.status,
      q.startedAt.toISOString(),
      q.endedAt.toISOString(),
      Math.max(0, Math.round((q.endedAt.getTime() - q.startedAt.getTime()) * 1000)),
      integer(q.returnedRows, 'returnedRows'),
      q.errorMessage ?? '',
      q.text,
    ],
  );
}

export interface TableKeys {
  schema: string;
  table: string;
  /** As SVV_TABLE_INFO shows it: 'EVEN', 'ALL', 'KEY(start_time)', 'AUTO(ALL)', … */
  diststyle: string;
  distkey?: string;
  /** 'compound', 'interleaved', 'auto' or 'none'. */
  sortkeyKind: string;
  sortkey: string[];
  /** Column → ENCODE as declared; empty when the table left encoding to ENCODE AUTO. */
  encodings: Record<string, string>;
}

/** Records the keys a CREATE TABLE / ALTER TABLE declared, for SVV_TABLE_INFO (replacing earlier ones). */
export async function recordTableKeys(admin: pg.Client, keys: TableKeys): Promise<void> {
  await admin.query(
    `insert into ${LOG_SCHEMA}.table_keys (schema_name, table_name, diststyle, distkey, sortkey_kind, sortkey, encodings, recorded_at)
values ($1, $2, $3, $4, $5, $6, $7, statement_timestamp() at time zone 'UTC')
on conflict (schema_name, table_name) do update
set diststyle = excluded.diststyle, distkey = excluded.distkey, sortkey_kind = excluded.sortkey_kind, sortkey = excluded.sortkey,
    encodings = excluded.encodings, recorded_at = excluded.recorded_at`,
    [
      keys.schema,
      keys.table,
      keys.diststyle,
      keys.distkey ?? null,
      keys.sortkeyKind,
      keys.sortkey,
      JSON.stringify(keys.encodings),
    ],
  );
}

/** After DROP TABLE: its keys no longer apply (a new table of that name has its own). */
export async function forgetTable(admin: pg.Client, schema: string, table: string): Promise<void> {
  await admin.query(`delete from ${LOG_SCHEMA}.table_keys where schema_name = $1 and table_name = $2`, [schema, table]);
}

export interface ServerlessUsage {
  startTime: Date;
  endTime: Date;
  computeSeconds?: number;
  computeCapacity?: number;
  dataStorage?: number;
  crossRegionTransferredData?: number;
  chargedSeconds?: number;
}

/** Plants one interval in SYS_SERVERLESS_USAGE (what Serverless would have billed). */
export async function recordServerlessUsage(admin: pg.Client, u: ServerlessUsage): Promise<void> {
  await admin.query(
    `insert into ${SCHEMAS.serverless}.usage_log (start_time, end_time, compute_seconds, compute_capacity, data_storage, cross_region_transferred_data, charged_seconds)
values ($1::timestamptz at time zone 'UTC', $2::timestamptz at time zone 'UTC', $3, $4, $5, $6, $7)`,
    [
      u.startTime.toISOString(),
      u.endTime.toISOString(),
      u.computeSeconds ?? 0,
      u.computeCapacity ?? 0,
      u.dataStorage ?? 0,
      u.crossRegionTransferredData ?? 0,
      u.chargedSeconds ?? 0,
    ],
  );
}

function integer(value: number, name: string): number {
  if (!Number.isSafeInteger(value))
    throw new Error(`redshift-standin catalog: ${name} must be an integer, got ${value}`);
  return value;
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
