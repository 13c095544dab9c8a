// Redshift's functions that analysts' SQL uses and PostgreSQL lacks, as look-alikes in a
// schema of their own, `redshift_compat`, on PostgreSQL targets only (the embedded server
// and DATABASE_URL): people develop queries on the laptop and run them on Redshift. Only
// `npm run query` puts the schema on its search_path (src/query.ts); the
// transforms never see it, so they cannot come to depend on a function Redshift would
// run differently. Redshift has all of these built in, and there this migration does
// nothing. Each function keeps the AWS page's stated semantics; test/integration/
// redshift-sql-on-postgres.test.ts runs the pages' own examples.
//
// Two Redshift constructs no function can carry are handled before the text reaches the
// server (src/query/redshift-syntax.ts): a bare date part (`dateadd(day, …)`, a column
// name to PostgreSQL) is quoted, and `listagg(x, d) within group (order by y)`, which
// PostgreSQL allows only for ordered-set aggregates whose direct arguments are constants,
// becomes `listagg(x, d order by y)`.
//
// down() drops the schema and everything in it.
import type { Knex } from 'knex';
import { dialectOf } from '../src/dialects';
import { DATEPARTS } from '../src/query/dateparts';
import { COMPAT_SCHEMA as S } from '../src/query/redshift-on-postgres';

const partNames = [...DATEPARTS].map(([alias, name]) => `when '${alias}' then '${name}'`).join('\n      ');

// The interval one unit of a DATEADD date part adds.
const UNIT_INTERVALS: Array<[string, string]> = [
  ['millennium', '1000 years'],
  ['century', '100 years'],
  ['decade', '10 years'],
  ['year', '1 year'],
  ['quarter', '3 months'],
  ['month', '1 month'],
  ['week', '7 days'],
  ['day', '1 day'],
  ['hour', '1 hour'],
  ['minute', '1 minute'],
  ['second', '1 second'],
  ['millisecond', '1 millisecond'],
  ['microsecond', '1 microsecond'],
];

const NUMERIC_INPUTS = ['smallint', 'integer', 'bigint', 'numeric'];
const FLOAT_INPUTS = ['real', 'double precision'];
const NVL_MAX_ARGUMENTS = 8;

const PARTS_HINT =
  'Use year, quarter, month, week, day, hour, minute, second, millisecond or microsecond (or an abbreviation AWS lists under "Date parts for date or timestamp functions").';

/** A plpgsql function of a date part whose value is `value`, or an error naming the part when `value` is null. */
function ofDatepart(signature: string, type: string, value: string, refusal: string): string {
  return `create function ${S}.${signature} returns ${type} language plpgsql immutable strict as $$
declare
  result ${type} := ${value};
begin
  if result is null then
    raise exception '${refusal} "%"', part using hint = '${PARTS_HINT.replace(/'/g, "''")}';
  end if;
  return result;
end $$`;
}

function nvlOverloads(): string[] {
  const statements: string[] = [];
  for (let count = 2; count <= NVL_MAX_ARGUMENTS; count++) {
    const params = Array.from({ length: count }, (_, i) => `v${i + 1} anycompatible`).join(', ');
    const args = Array.from({ length: count }, (_, i) => `v${i + 1}`).join(', ');
    statements.push(
      `create function ${S}.nvl(${params}) returns anycompatible language sql immutable as $$ select coalesce(${args}) $$`,
    );
  }
  return statements;
}

function medianAggregates(): string[] {
  const numeric = NUMERIC_INPUTS.flatMap((type) => [
    `create function ${S}.median_add(numeric[], ${type}) returns numeric[] language sql immutable strict as $$ select array_append($1, cast($2 as numeric)) $$`,
    `create aggregate ${S}.median(${type}) (sfunc = ${S}.median_add, stype = numeric[], initcond = '{}', finalfunc = ${S}.median_of)`,
  ]);
  const float = FLOAT_INPUTS.flatMap((type) => [
    `create function ${S}.median_add(double precision[], ${type}) returns double precision[] language sql immutable strict as $$ select array_append($1, cast($2 as double precision)) $$`,
    `create aggregate ${S}.median(${type}) (sfunc = ${S}.median_add, stype = double precision[], initcond = '{}', finalfunc = ${S}.median_of)`,
  ]);
  return [...numeric, ...float];
}

const statements = (): string[] => [
  `create schema ${S}`,
  `comment on schema ${S} is 'Redshift functions for npm run query on PostgreSQL (migration 20261216120000)'`,

  // GETDATE: the statement's start, in the session's zone, to the second, as TIMESTAMP.
  // https://docs.aws.amazon.com/redshift/latest/dg/r_GETDATE.html
  `create function ${S}.getdate() returns timestamp language sql stable as $$ select date_trunc('second', cast(statement_timestamp() as timestamp)) $$`,

  // TRUNC(timestamp): its date, as the GETDATE page's `trunc(getdate())` uses it
  // (PostgreSQL's trunc takes numbers only). https://docs.aws.amazon.com/redshift/latest/dg/r_TRUNC_date.html
  `create function ${S}.trunc(ts timestamp) returns date language sql immutable strict as $$ select cast(ts as date) $$`,

  // NVL: COALESCE under another name, any number of arguments of a common type.
  // https://docs.aws.amazon.com/redshift/latest/dg/r_NVL_function.html
  ...nvlOverloads(),

  // A date part's canonical name; an error naming the part when Redshift has none such.
  // https://docs.aws.amazon.com/redshift/latest/dg/r_Dateparts_for_datetime_functions.html
  ofDatepart(
    'datepart_name(part text)',
    'text',
    `case lower(trim(part))
      ${partNames}
    end`,
    'Redshift has no date part',
  ),

  // DATEADD(datepart, interval, timestamp): a date counts as its midnight; month ends as
  // PostgreSQL adds intervals ('2008-01-31' + 1 month = 2008-02-29), as AWS's examples show.
  // https://docs.aws.amazon.com/redshift/latest/dg/r_DATEADD_function.html
  ofDatepart(
    'datepart_interval(part text)',
    'interval',
    `case ${S}.datepart_name(part)
      ${UNIT_INTERVALS.map(([name, unit]) => `when '${name}' then interval '${unit}'`).join('\n      ')}
    end`,
    'DATEADD takes no date part',
  ),
  `create function ${S}.dateadd(part text, n integer, ts timestamp) returns timestamp language sql immutable as $$ select ts + n * ${S}.datepart_interval(part) $$`,

  // DATEDIFF(datepart, a, b): the number of the part's boundaries crossed from a to b
  // (year between 2008-12-31 and 2009-01-01 is 1), negative when b is earlier; BIGINT.
  // Weeks start on Monday, as DATE_TRUNC('week') and DATE_PART(week) (ISO 8601) count them.
  // https://docs.aws.amazon.com/redshift/latest/dg/r_DATEDIFF_function.html
  ofDatepart(
    'datediff(part text, a timestamp, b timestamp)',
    'bigint',
    `case ${S}.datepart_name(part)
      when 'millennium' then extract(millennium from b) - extract(millennium from a)
      when 'century' then extract(century from b) - extract(century from a)
      when 'decade' then extract(decade from b) - extract(decade from a)
      when 'year' then extract(year from b) - extract(year from a)
      when 'quarter' then (extract(year from b) * 4 + extract(quarter from b)) - (extract(year from a) * 4 + extract(quarter from a))
      when 'month' then (extract(year from b) * 12 + extract(month from b)) - (extract(year from a) * 12 + extract(month from a))
      when 'week' then (cast(date_trunc('week', b) as date) - cast(date_trunc('week', a) as date)) / 7
      when 'day' then cast(b as date) - cast(a as date)
      when 'hour' then (extract(epoch from date_trunc('hour', b)) - extract(epoch from date_trunc('hour', a))) / 3600
      when 'minute' then (extract(epoch from date_trunc('minute', b)) - extract(epoch from date_trunc('minute', a))) / 60
      when 'second' then extract(epoch from date_trunc('second', b)) - extract(epoch from date_trunc('second', a))
      when 'millisecond' then (extract(epoch from date_trunc('milliseconds', b)) - extract(epoch from date_trunc('milliseconds', a))) * 1000
      when 'microsecond' then (extract(epoch from b) - extract(epoch from a)) * 1000000
    end`,
    'DATEDIFF takes no date part',
  ),

  // LEN: characters, not bytes; a CHAR's trailing blanks do not count (a char(n) argument
  // becomes text without them), a VARCHAR's do. https://docs.aws.amazon.com/redshift/latest/dg/r_LEN.html
  `create function ${S}.len(value text) returns integer language sql immutable strict as $$ select length(value) $$`,

  // MEDIAN: the middle value, or the mean of the two middle values; nulls ignored; DECIMAL
  // for integer and decimal input, DOUBLE for floats. https://docs.aws.amazon.com/redshift/latest/dg/r_MEDIAN.html
  `create function ${S}.median_of(v numeric[]) returns numeric language sql immutable as $$
select trim_scale(avg(x)) from (select x from unnest(v) as x order by x offset (cardinality(v) - 1) / 2 limit 2 - cardinality(v) % 2) as middle
$$`,
  `create function ${S}.median_of(v double precision[]) returns double precision language sql immutable as $$
select percentile_cont(0.5) within group (order by x) from unnest(v) as x
$$`,
  ...medianAggregates(),

  // LISTAGG(expression [, delimiter]): the values joined in the group's (or the ORDER BY's)
  // order; nulls and empty strings ignored; no delimiter when none is given.
  // https://docs.aws.amazon.com/redshift/latest/dg/r_LISTAGG.html
  `create function ${S}.listagg_add(joined text, value anyelement, delimiter text) returns text language sql immutable as $$
select case when value is null or cast(value as text) = '' then joined when joined is null then cast(value as text) else joined || coalesce(delimiter, '') || cast(value as text) end
$$`,
  `create function ${S}.listagg_add(joined text, value anyelement) returns text language sql immutable as $$ select ${S}.listagg_add(joined, value, null) $$`,
  `create aggregate ${S}.listagg(anyelement, text) (sfunc = ${S}.listagg_add, stype = text)`,
  `create aggregate ${S}.listagg(anyelement) (sfunc = ${S}.listagg_add, stype = text)`,
];

export async function up(knex: Knex): Promise<void> {
  if (dialectOf(knex).capabilities.redshiftFunctionsBuiltIn) return;
  for (const sql of statements()) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  if (dialectOf(knex).capabilities.redshiftFunctionsBuiltIn) return;
  await knex.raw(`drop schema if exists ${S} cascade`);
}
