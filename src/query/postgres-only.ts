// PostgreSQL constructs outside the SQL both engines run. The transforms must never use any
// (test/unit/sql-subset.test.ts scans every statement they render with this list), and
// `npm run query` on a PostgreSQL target warns about those Redshift refuses, so a query
// developed on the laptop does not first fail on the cluster.
import { normalize } from '../sql-text';

export interface PostgresOnly {
  construct: string;
  /** Matched against normalize()d text: lower case, no comments, literals emptied. */
  pattern: RegExp;
  /** A statement that uses it. */
  example: string;
  /** What to write instead, when Redshift refuses it; undefined when Redshift runs it and only the project's subset avoids it. */
  onRedshift?: string;
}

// AWS "Unsupported PostgreSQL features" and "Unsupported PostgreSQL functions",
// https://docs.aws.amazon.com/redshift/latest/dg/c_unsupported-postgresql-features.html
export const POSTGRES_ONLY: PostgresOnly[] = [
  {
    construct: 'ON CONFLICT (upsert)',
    pattern: /on\s+conflict/,
    example: 'insert into users (user_id) values (1) on conflict (user_id) do nothing',
    onRedshift: 'delete the matching rows, then insert (or MERGE)',
  },
  {
    construct: 'DISTINCT ON',
    pattern: /distinct\s+on\b/,
    example: 'select distinct on (user_id) user_id, level from staging_events',
    onRedshift: 'row_number() over (partition by … order by …) = 1',
  },
  {
    construct: 'RETURNING',
    pattern: /\breturning\b/,
    example: 'delete from users where user_id = 1 returning user_id',
    onRedshift: 'select the rows before changing them',
  },
  {
    construct: 'jsonb',
    pattern: /jsonb/,
    example: 'create temp table raw_events (payload jsonb)',
    onRedshift: 'SUPER, or json_extract_path_text on varchar',
  },
  { construct: ':: casts', pattern: /::/, example: 'select ts::bigint from staging_events' },
  {
    construct: 'IS [NOT] DISTINCT FROM',
    pattern: /is\s+(not\s+)?distinct\s+from/,
    example: 'select 1 from users u join songs s on u.level is not distinct from s.title',
    onRedshift: '(a = b or (a is null and b is null))',
  },
  {
    construct: 'generate_series',
    pattern: /generate_series/,
    example: 'select generate_series(0, 23) as hour',
    onRedshift: 'a numbers table or a recursive CTE (generate_series runs on the leader node only)',
  },
  {
    construct: 'aggregate FILTER (...)',
    pattern: /filter\s*\(/,
    example: "select count(*) filter (where level = 'paid') from users",
    onRedshift: 'sum(case when … then 1 else 0 end)',
  },
];

/** The constructs in `sql` outside the subset both engines run, judged on syntax only (an ARN's `::` is text). */
function postgresOnlyIn(sql: string): PostgresOnly[] {
  const code = normalize(sql);
  return POSTGRES_ONLY.filter((c) => c.pattern.test(code));
}

/** One line for each construct in `sql` that Redshift refuses, saying what to write there; none when it has none. */
export function redshiftRefusals(sql: string): string[] {
  return postgresOnlyIn(sql)
    .filter((c) => c.onRedshift)
    .map((c) => `warning: ${c.construct} runs here but Redshift refuses it; on Redshift write ${c.onRedshift}.`);
}
