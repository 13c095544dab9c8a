// A data-quality step: each check is a query that returns offending rows. All checks
// run; each failing one is named with up to five of its rows, and the step fails.
import { QualityError } from '../errors';
import { runVerbatim } from '../verbatim';
import { tablesNamedIn } from './table-locks';
import { defineStep, type TransformStep } from './step';

export interface QualityCheck {
  name: string;
  /** Returns the offending rows; none means the check passes. */
  sql: string;
}

export interface CheckOutcome {
  name: string;
  offending: number;
  sample: Array<Record<string, unknown>>;
}

const SAMPLE_ROWS = 5;

export function checkStep(description: string, checks: QualityCheck[]): TransformStep {
  return defineStep({
    description,
    // The checks only read, but a serializable read can still meet error 1023 on Redshift.
    tables: tablesNamedIn(checks.map((c) => c.sql)),
    async run(context) {
      const outcomes: CheckOutcome[] = [];
      for (const check of checks) {
        const counted = await runVerbatim(context.db, `select count(*) as offending from (${check.sql}) as offending_rows`);
        const offending = Number(counted?.rows?.[0]?.offending ?? 0);
        const sample = offending > 0 ? (await runVerbatim(context.db, `${check.sql}\nlimit ${SAMPLE_ROWS}`)).rows : [];
        outcomes.push({ name: check.name, offending, sample });
        context.log(`  ${offending === 0 ? 'pass' : 'FAIL'}  ${check.name}${offending ? ` (${offending} rows)` : ''}`);
      }
      const failed = outcomes.filter((o) => o.offending > 0);
      if (failed.length > 0) throw new QualityError(describeFailures(failed));
      return { checksFailed: 0 };
    },
  });
}

function describeFailures(failed: CheckOutcome[]): string {
  const parts = failed.map((f) => {
    const rows = f.sample.map((row) => `    ${JSON.stringify(row)}`).join('\n');
    return `${f.name}: ${f.offending} offending rows, for example:\n${rows}`;
  });
  return `${failed.length} data-quality check(s) failed:\n${parts.join('\n')}\nThe rows above break the rule in the check's name; fix the source or the step that wrote them, then run again.`;
}
