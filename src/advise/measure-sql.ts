// The SQL of `npm run advise -- --measure` on Redshift, one function per statement so a
// test can pin each against the AWS reference. Every construct is Redshift's own:
// - CREATE TABLE AS with BACKUP NO, DISTSTYLE/DISTKEY and COMPOUND SORTKEY
//   (https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_TABLE_AS.html); CTAS tables
//   are analyzed on creation ("Analyzing tables", t_Analyzing_tables.html), and BACKUP NO
//   keeps the throwaway copies out of snapshots.
// - SET enable_result_cache_for_session TO off, so every run executes
//   (https://docs.aws.amazon.com/redshift/latest/dg/r_enable_result_cache_for_session.html).
// - SET query_group TO '…' labels the runs (https://docs.aws.amazon.com/redshift/latest/dg/r_query_group.html);
//   SYS_QUERY_HISTORY gives each run's query_label, session_id, status and elapsed_time in
//   microseconds (https://docs.aws.amazon.com/redshift/latest/dg/SYS_QUERY_HISTORY.html).
// - EXPLAIN shows the join's distribution step (DS_DIST_NONE, DS_BCAST_INNER, DS_DIST_BOTH…;
//   "Query plan example", https://docs.aws.amazon.com/redshift/latest/dg/t_explain_plan_example.html).
// - SVV_TABLE_INFO.size is the table's size in 1 MB blocks
//   (https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_TABLE_INFO.html).
// - SVV_ALTER_TABLE_RECOMMENDATIONS holds the Advisor's distribution and sort-key
//   suggestions as DDL (https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_ALTER_TABLE_RECOMMENDATIONS.html).
import { quoteIdentifier, quoteLiteral } from '../dialects/dialect';
import type { Distribution } from '../schema/table';

export interface ShadowTable {
  /** The table copied, and the copy's name. */
  source: string;
  shadow: string;
  distribution: Distribution;
  sortKey: string[];
}

export const RESULT_CACHE_OFF = 'set enable_result_cache_for_session to off';

export function createShadowSql(t: ShadowTable): string {
  const dist = t.distribution;
  const attributes = [`diststyle ${dist.style}`];
  if (dist.style === 'key') attributes.push(`distkey (${quoteIdentifier(dist.column)})`);
  if (t.sortKey.length) attributes.push(`compound sortkey (${t.sortKey.map(quoteIdentifier).join(', ')})`);
  return `create table ${quoteIdentifier(t.shadow)}\nbackup no\n${attributes.join('\n')}\nas\nselect * from ${quoteIdentifier(t.source)}`;
}

export function dropShadowSql(t: ShadowTable): string {
  return `drop table if exists ${quoteIdentifier(t.shadow)}`;
}

/** The saved query reading the copies: each `from|join <table>` becomes `<copy> as <table>`, so qualified names still resolve. */
export function againstShadows(sql: string, shadows: ShadowTable[]): string {
  let text = sql.trim().replace(/;\s*$/, '');
  for (const t of shadows) {
    const name = new RegExp(`\\b(from|join)(\\s+)(?:"${t.source}"|${t.source})(?=[\\s)]|$)`, 'gi');
    text = text.replace(
      name,
      (_m, keyword: string, space: string) =>
        `${keyword}${space}${quoteIdentifier(t.shadow)} as ${quoteIdentifier(t.source)}`,
    );
  }
  return text;
}

export function setLabelSql(label: string): string {
  return `set query_group to ${quoteLiteral(label)}`;
}

export const RESET_LABEL = 'reset query_group';

export function explainSql(sql: string): string {
  return `explain\n${sql}`;
}

/** This session's labelled runs; `pg_backend_pid()` is the session_id SYS_QUERY_HISTORY records. */
export function elapsedSql(labelPrefix: string): string {
  return `select
    trim(query_label) as label,
    elapsed_time
from sys_query_history
where session_id = pg_backend_pid()
  and trim(query_label) like ${quoteLiteral(`${labelPrefix}%`)}
  and query_type = 'SELECT'
  and status = 'success'
order by start_time`;
}

export function shadowSizesSql(shadows: ShadowTable[]): string {
  return `select
    trim("table") as table_name,
    size as size_mb,
    tbl_rows
from svv_table_info
where "table" in (${shadows.map((s) => quoteLiteral(s.shadow)).join(', ')})
order by table_name`;
}

export function advisorSql(tables: string[]): string {
  return `select
    trim(info."table") as table_name,
    trim(recommendation.type) as type,
    recommendation.group_id,
    trim(recommendation.ddl) as ddl,
    recommendation.auto_eligible
from svv_alter_table_recommendations as recommendation
inner join svv_table_info as info
    on info.table_id = recommendation.table_id
where info."table" in (${tables.map(quoteLiteral).join(', ')})
order by table_name, type`;
}

/** The distribution steps an EXPLAIN's lines mention, in plan order. */
export function distributionSteps(planLines: string[]): string[] {
  return planLines.flatMap((line) => line.match(/\bDS_[A-Z_]+\b/g) ?? []);
}
