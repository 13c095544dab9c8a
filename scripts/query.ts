// npm run query -- "<sql>"  |  npm run query -- --file analytics/<name>.sql
// Every statement in the input runs, and each result prints, as psql prints them. On a
// PostgreSQL target (local, postgres) Redshift SQL runs too: see src/query/redshift-on-postgres.ts.
import { parseCommand } from '../src/cli/args';
import { runMain } from '../src/cli/main';
import { loadConfig } from '../src/config';
import { dialectFor } from '../src/dialects';
import { QueryError } from '../src/errors';
import { readQueryFile, renderShown, runForDisplay } from '../src/query';
import { COMPAT_SCHEMA, explainPostgresFailure, prepareForPostgres } from '../src/query/redshift-on-postgres';
import { withConnection } from '../src/targets/connect';

runMain(async (argv) => {
  const { values, positionals } = parseCommand('query', argv, { file: { type: 'string' } });
  const sql = values.file ? readQueryFile(values.file) : positionals.join(' ');
  if (values.help || !sql.trim()) {
    console.log('Usage: npm run query -- "select count(*) from songplays"   or   npm run query -- --file analytics/top_songs.sql');
    return values.help ? 0 : 1;
  }
  const config = loadConfig({ target: values.target, dryRun: values['dry-run'] });
  const onPostgres = !dialectFor(config.target).capabilities.redshiftFunctionsBuiltIn;
  const prepared = onPostgres ? prepareForPostgres(sql) : { sql, notes: [], warnings: [] };
  for (const line of [...prepared.warnings, ...prepared.notes.map((n) => `note: ${n}`)]) console.error(line);
  if (values['dry-run']) {
    console.log(prepared.sql.trim());
    return 0;
  }
  return withConnection(config, async (connection) => {
    const results = await runForDisplay(connection, prepared.sql, { alsoSearch: onPostgres ? COMPAT_SCHEMA : undefined }).catch((error: Error) => {
      const why = onPostgres ? explainPostgresFailure(error.message, sql) : undefined;
      throw new QueryError(`The query failed on ${config.target}: ${error.message}. ${why ?? 'Check the SQL (try it with --dry-run to see what is sent).'}`);
    });
    console.log(results.map(renderShown).join('\n\n'));
    return 0;
  });
});
