// npm run query -- "<sql>"  |  npm run query -- --file analytics/<name>.sql
// Every statement in the input runs, and each result prints, as psql prints them.
import { parseCommand } from '../src/cli/args';
import { runMain } from '../src/cli/main';
import { loadConfig } from '../src/config';
import { QueryError } from '../src/errors';
import { readQueryFile, renderShown, runForDisplay } from '../src/query';
import { withWarehouse } from '../src/targets/connect';

runMain(async (argv) => {
  const { values, positionals } = parseCommand('query', argv, { file: { type: 'string' } });
  const sql = values.file ? readQueryFile(values.file) : positionals.join(' ');
  if (values.help || !sql.trim()) {
    console.log('Usage: npm run query -- "select count(*) from songplays"   or   npm run query -- --file analytics/top_songs.sql');
    return values.help ? 0 : 1;
  }
  if (values['dry-run']) {
    console.log(sql.trim());
    return 0;
  }
  const config = loadConfig({ target: values.target });
  return withWarehouse(config, async (warehouse) => {
    const results = await runForDisplay(warehouse.knex, sql).catch((error: Error) => {
      throw new QueryError(`The query failed on ${warehouse.target}: ${error.message}. Check the SQL (try it with --dry-run to see what is sent).`);
    });
    console.log(results.map(renderShown).join('\n\n'));
    return 0;
  });
});
