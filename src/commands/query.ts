// npm run query -- "<sql>"  |  npm run query -- --file analytics/<name>.sql
// Every statement in the input runs, and each result prints, as psql prints them. On a
// PostgreSQL target (local, postgres) Redshift SQL runs too: see src/query/redshift-on-postgres.ts.
import fs from 'node:fs';
import { warehouseFlags } from '../cli/args';
import { defineCommand, type Output, STANDARD_OUTPUT } from '../cli/command';
import { loadConfig, type WarehouseConfig } from '../config';
import { dialectFor } from '../dialects';
import { QueryError, UsageError } from '../errors';
import { renderShown, runForDisplay } from '../query/results';
import { COMPAT_SCHEMA, explainPostgresFailure, prepareForPostgres } from '../query/redshift-on-postgres';
import { withConnection } from '../targets/connect';

const HELP = `Usage: npm run query -- "select count(*) from songplays"   or   npm run query -- --file analytics/top_songs.sql
  --file F      run the statements of an .sql file
  --dry-run     print the SQL as it would be sent (on PostgreSQL targets, after the Redshift translation)
  --target T    local (default), postgres or redshift`;

/** Runs `sql` (every statement in it) and prints each result; with `dryRun`, prints the SQL that would be sent. */
export async function runAdHocQuery(
  config: WarehouseConfig,
  sql: string,
  dryRun: boolean,
  out: Output = STANDARD_OUTPUT,
): Promise<number> {
  const onPostgres = !dialectFor(config.target).capabilities.redshiftFunctionsBuiltIn;
  const prepared = onPostgres ? prepareForPostgres(sql) : { sql, notes: [], warnings: [] };
  for (const line of [...prepared.warnings, ...prepared.notes.map((n) => `note: ${n}`)]) out.log(line);
  if (dryRun) {
    out.print(prepared.sql.trim());
    return 0;
  }
  return withConnection(config, async (connection) => {
    const results = await runForDisplay(connection, prepared.sql, {
      alsoSearch: onPostgres ? COMPAT_SCHEMA : undefined,
    }).catch((error: Error) => {
      const why = onPostgres ? explainPostgresFailure(error.message, sql) : undefined;
      throw new QueryError(
        `The query failed on ${config.target}: ${error.message}. ${why ?? 'Check the SQL (try it with --dry-run to see what is sent).'}`,
      );
    });
    out.print(results.map(renderShown).join('\n\n'));
    return 0;
  });
}

function readQueryFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `Cannot read ${file}: ${(error as Error).message}. Give a path to an .sql file, e.g. --file analytics/top_songs.sql.`,
    );
  }
}

export const command = defineCommand({
  name: 'query',
  help: HELP,
  flags: { ...warehouseFlags, file: { type: 'string' } },
  args: { max: Infinity, what: 'the SQL' },
  handler: async ({ values, positionals }, out) => {
    if (values.file && positionals.length) throw new UsageError('Give the SQL or --file, not both.');
    const sql = values.file ? readQueryFile(values.file) : positionals.join(' ');
    if (!sql.trim())
      throw new UsageError(
        values.file
          ? `${values.file} holds no SQL.`
          : 'Give the SQL to run: npm run query -- "select count(*) from songplays", or --file analytics/top_songs.sql.',
      );
    return runAdHocQuery(loadConfig({ target: values.target, dryRun: values['dry-run'] }), sql, values['dry-run'], out);
  },
});
