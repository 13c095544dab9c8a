// What `npm run query` does to run Redshift SQL on a PostgreSQL target: the syntax put into
// PostgreSQL's form (redshift-syntax.ts), Redshift's functions reached from the schema
// migration 20261216120000 creates, a warning for what Redshift would refuse, and a
// failure PostgreSQL reports for a Redshift construct explained as one.
import { codeMask } from './code-mask';
import { redshiftRefusals } from './postgres-only';
import { redshiftToPostgres } from './redshift-syntax';

/** The schema of Redshift's functions on PostgreSQL targets; only `npm run query` puts it on its search_path. */
export const COMPAT_SCHEMA = 'redshift_compat';
const COMPAT_FUNCTIONS = ['getdate', 'nvl', 'dateadd', 'datediff', 'len', 'median', 'listagg', 'trunc'];

export interface PreparedQuery {
  /** The text sent to the server. */
  sql: string;
  /** Rewrites a reader should know about, one line each. */
  notes: string[];
  /** PostgreSQL-only constructs Redshift would refuse, one line each. */
  warnings: string[];
}

export function prepareForPostgres(sql: string): PreparedQuery {
  const { sql: text, notes } = redshiftToPostgres(sql);
  return { sql: text, notes, warnings: redshiftRefusals(sql) };
}

/** A sentence that names the Redshift construct behind PostgreSQL's error, or undefined. */
export function explainPostgresFailure(message: string, sql: string): string | undefined {
  const missing = /column "([^"]+)" does not exist/.exec(message);
  if (
    missing &&
    new RegExp(`\\bas\\s+"?${missing[1].replace(/[^\w$]/g, '')}"?(?![\\w$])`, 'i').test(
      codeMask(sql).replace(/"_*"/g, (q, at: number) => sql.slice(at, at + q.length)),
    )
  ) {
    return (
      `"${missing[1]}" is an alias defined in the same select list. Redshift lets a select list reuse its own aliases (a lateral column alias); PostgreSQL does not: ` +
      `repeat the expression, or name it in a CTE first (with t as (select … as ${missing[1]} from …) select ${missing[1]} … from t).`
    );
  }
  const fn = /function (\w+)\(/.exec(message);
  if (fn && COMPAT_FUNCTIONS.includes(fn[1].toLowerCase()) && /does not exist/.test(message)) {
    return (
      `${fn[1]} is Redshift's; this target has it in the schema ${COMPAT_SCHEMA} once \`npm run migrate\` has run (migration 20261216120000). ` +
      'If it has, the arguments differ from the ones the Redshift function takes (see "Redshift SQL on the laptop" in the README).'
    );
  }
  return undefined;
}
