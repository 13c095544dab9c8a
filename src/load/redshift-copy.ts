// The Redshift loader: one COPY from S3 per source, which Redshift runs in parallel
// across slices and files (grammar: AWS "COPY" reference, "COPY from JSON format").
// Redshift reads every file under the prefix, so staging is cleared and reloaded in
// full each run, and the idempotent upserts take only what is new.
import type { Knex } from 'knex';
import type { Dialect } from '../dialects';
import { ConfigError, LoadError } from '../errors';
import type { StepContext, StepStats } from '../transform/step';
import { isS3Uri } from './source-files';
import type { StageSpec } from './stage-spec';
import { recordRejects, type Reject } from './ledger';
import type { WarehouseConfig } from '../config';

/** Placeholders that a dry run prints when the setting is not configured. */
const PLACEHOLDER_ROLE = 'arn:aws:iam::<account-id>:role/<REDSHIFT_IAM_ROLE_ARN>';
const PLACEHOLDER_REGION = '<AWS_REGION>';

export function renderCopy(spec: StageSpec, config: WarehouseConfig, dialect: Dialect, maxErrors: number): string {
  const uri = spec.uri(config);
  const mapping = spec.mapping(config);
  for (const [name, value] of [[spec.source === 'events' ? 'LOG_DATA' : 'SONG_DATA', uri], ['LOG_JSONPATH', mapping]] as const) {
    if (value !== 'auto' && !isS3Uri(value)) {
      throw new ConfigError(`${name} is "${value}", but Redshift's COPY reads only S3: set it to an s3://bucket/prefix URI (local files load with --target local or postgres).`);
    }
  }
  const lit = (v: string) => dialect.quoteLiteral(v);
  const lines = [
    `copy ${dialect.quoteIdentifier(spec.table)} (${spec.columns.map((c) => dialect.quoteIdentifier(c)).join(', ')})`,
    `from ${lit(uri)}`,
    `iam_role ${lit(config.redshiftLoad.iamRoleArn ?? PLACEHOLDER_ROLE)}`,
    `region ${lit(config.redshiftLoad.region ?? PLACEHOLDER_REGION)}`,
    `format as json ${lit(mapping)}`,
    // Staging is reloaded every run: skip the automatic compression analysis and
    // statistics that would otherwise run on each load.
    'compupdate off',
    'statupdate off',
    `maxerror ${maxErrors}`,
  ];
  if (uri.endsWith('.gz') || /\/compacted\//.test(uri)) lines.push('gzip');
  return lines.join('\n');
}

export async function redshiftLoad(context: StepContext, spec: StageSpec, outside: Knex): Promise<StepStats> {
  const { db, dialect, config, options } = context;
  const copy = renderCopy(spec, config, dialect, options.maxErrors);
  await db.raw(`delete from ${dialect.quoteIdentifier(spec.table)}`);
  if (options.dryRun) {
    await db.raw(copy);
    return {};
  }
  const [{ pid }] = (await db.raw('select pg_backend_pid() as pid')).rows as Array<{ pid: number }>;
  try {
    await db.raw(copy);
  } catch (error) {
    // The transaction is aborted now: read the reasons on another connection.
    const details = await loadErrorDetails(outside, `session_id = ${Number(pid)}`, 5).catch(() => []);
    throw new LoadError(
      `COPY into ${spec.table} failed: ${(error as Error).message}` +
        (details.length ? `\n${details.map((d) => `  ${d.path}, line ${d.line}: ${d.reason}`).join('\n')}` : '') +
        '\nFix those lines, or pass --max-errors N to load the good rows and keep the rejected ones in load_errors.',
    );
  }
  const [{ loaded }] = (await db.raw('select pg_last_copy_count() as loaded')).rows as Array<{ loaded: number }>;
  const rejects = await loadErrorDetails(db, 'query_id = pg_last_copy_id()', options.maxErrors);
  await recordRejects(db, spec.source, rejects, new Date());
  return { rowsLoaded: Number(loaded), rowsRejected: rejects.length, rowsRead: Number(loaded) + rejects.length };
}

/** Rejected lines from SYS_LOAD_ERROR_DETAIL, or STL_LOAD_ERRORS where the SYS view is missing. */
async function loadErrorDetails(db: Knex, condition: string, limit: number): Promise<Reject[]> {
  const sys = `select trim(file_name) as path, line_number as line, trim(column_name) as column_name, trim(error_message) as reason
from sys_load_error_detail where ${condition} order by line_number limit ${Math.max(limit, 1)}`;
  const stl = `select trim(filename) as path, line_number as line, trim(colname) as column_name, trim(err_reason) as reason, trim(raw_line) as raw
from stl_load_errors where ${condition.replace('query_id', 'query').replace('session_id', 'session')} order by line_number limit ${Math.max(limit, 1)}`;
  type Row = { path: string; line: number; column_name: string; reason: string; raw?: string };
  let rows: Row[];
  try {
    rows = (await db.raw(sys)).rows;
  } catch {
    rows = (await db.raw(stl)).rows;
  }
  return rows.map((r) => ({ path: r.path, line: Number(r.line), reason: `${r.column_name ? `${r.column_name}: ` : ''}${r.reason}`, raw: r.raw ?? '' }));
}
