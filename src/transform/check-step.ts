// A data-quality step. Its checks are grouped by the table they read, and each table is
// read once: one query (the table's "scan") tallies every check's possible breaches in a
// single row. Only a check whose tally is not 0 runs its own query, which lists the
// offending rows: the step then names it with up to five of them and fails. All checks run.
// By default the scans read only what the runs wrote since the last checks (check-scope.ts).
//
// The scan is plain aggregates both engines run: COUNT(*), COUNT(expr), COUNT(DISTINCT
// expr) (https://docs.aws.amazon.com/redshift/latest/dg/r_COUNT.html) and SUM over a
// searched CASE (https://docs.aws.amazon.com/redshift/latest/dg/r_SUM.html,
// https://docs.aws.amazon.com/redshift/latest/dg/r_CASE_function.html). Not PostgreSQL's
// `count(*) filter (where …)`: Redshift's aggregate syntax has no FILTER clause.
import type { Knex } from 'knex';
import type { Dialect } from '../dialects';
import { QualityError } from '../errors';
import { runVerbatim } from '../verbatim';
import { SCOPE_TABLE } from './check-scope';
import { defineStep, type StepContext, type TransformStep } from '../step/contract';

export interface QualityCheck {
  name: string;
  /**
   * An aggregate over the scan's rows: 0 when the check passes, more when it may not
   * (the scan's joins may repeat a row; the check's own query decides).
   */
  tally: string;
  /** The tally's column in the scan's row: lower case, unique within the scan. */
  alias: string;
  /** Returns the offending rows; none means the check passes. */
  sql: string;
}

export interface TableScan {
  /** What the tallies read: a table, with the left joins its checks need. */
  from: string;
  checks: QualityCheck[];
}

export interface CheckPlan {
  /** Every table a scan or a check's query reads (locked first on Redshift). */
  tables: string[];
  /** `incremental(table)`: read only what the runs wrote to it since the last checks (check-scope.ts). */
  scans(dialect: Dialect, incremental?: (table: string) => boolean): TableScan[];
}

interface CheckOutcome {
  name: string;
  offending: number;
  sample: Array<Record<string, unknown>>;
}

const SAMPLE_ROWS = 5;

export function checkStep(description: string, plan: CheckPlan): TransformStep {
  return defineStep({
    description,
    // The checks only read, but a serializable read can still meet error 1023 on Redshift.
    tables: plan.tables,
    async run(context) {
      const outcomes: CheckOutcome[] = [];
      const scope = await scopeToCheck(context);
      context.log(`  ${scope.description}`);
      for (const scan of plan.scans(
        context.dialect,
        (table) => scope.checks === 'incremental' && !scope.whole.has(table),
      )) {
        const tallies = ((await runVerbatim(context.db, scanSql(scan, context.dialect))).rows?.[0] ?? {}) as Record<
          string,
          unknown
        >;
        for (const check of scan.checks) {
          const outcome =
            Number(tallies[check.alias] ?? 0) > 0
              ? await inspect(context.db, check)
              : { name: check.name, offending: 0, sample: [] };
          outcomes.push(outcome);
          context.log(
            `  ${outcome.offending === 0 ? 'pass' : 'FAIL'}  ${check.name}${outcome.offending ? ` (${outcome.offending} rows)` : ''}`,
          );
        }
      }
      const failed = outcomes.filter((o) => o.offending > 0);
      if (failed.length > 0) throw new QualityError(describeFailures(failed));
      // Everything the runs wrote has now been checked. A failure keeps it (the step rolls back), for the next checks.
      await runVerbatim(context.db, `delete from ${SCOPE_TABLE}`);
      return { checksFailed: 0, checks: scope.checks };
    },
  });
}

interface ScopeToCheck {
  checks: 'incremental' | 'full';
  /** Tables checked whole even so: filled from empty, or rebuilt. */
  whole: Set<string>;
  description: string;
}

/**
 * Incremental by default: the rows written since the last checks passed. Everything with
 * --full or --full-refresh, and when no run has written since (`npm run check` with no run
 * to scope to). A dry run shows the incremental form.
 */
async function scopeToCheck({ db, options }: StepContext): Promise<ScopeToCheck> {
  const whole = new Set<string>();
  const full = (why: string): ScopeToCheck => ({ checks: 'full', whole, description: `every row is checked (${why})` });
  if (options?.fullRefresh) return full('--full-refresh');
  if (options?.fullChecks) return full('--full');
  const written =
    (
      await runVerbatim(
        db,
        `select table_name, kind, count(*) as entries from ${SCOPE_TABLE} group by table_name, kind`,
      )
    ).rows ?? [];
  if (written.length === 0 && !options?.dryRun) return full('no run has written since the last checks');
  for (const row of written) if (row.kind === 'all') whole.add(String(row.table_name));
  const wholly = whole.size ? `; ${[...whole].sort().join(', ')} whole, filled from empty` : '';
  return {
    checks: 'incremental',
    whole,
    description: `checking what the runs wrote since the last checks${wholly} (npm run check -- --full checks every row)`,
  };
}

/** The one query that reads a table for all of its checks: one row, a tally per check. */
function scanSql(scan: TableScan, dialect: Dialect): string {
  const tallies = scan.checks.map((check) => `    ${check.tally} as ${dialect.quoteIdentifier(check.alias)}`);
  return `select\n${tallies.join(',\n')}\nfrom ${scan.from}`;
}

/** How many rows break the check, and the first few of them. */
async function inspect(db: Knex, check: QualityCheck): Promise<CheckOutcome> {
  const counted = await runVerbatim(db, `select count(*) as offending from (${check.sql}) as offending_rows`);
  const offending = Number(counted?.rows?.[0]?.offending ?? 0);
  const sample = offending > 0 ? (await runVerbatim(db, `${check.sql}\nlimit ${SAMPLE_ROWS}`)).rows : [];
  return { name: check.name, offending, sample };
}

function describeFailures(failed: CheckOutcome[]): string {
  const parts = failed.map((f) => {
    const rows = f.sample.map((row) => `    ${JSON.stringify(row)}`).join('\n');
    return `${f.name}: ${f.offending} offending rows, for example:\n${rows}`;
  });
  return `${failed.length} data-quality check(s) failed:\n${parts.join('\n')}\nThe rows above break the rule in the check's name; fix the source or the step that wrote them, then run again.`;
}
