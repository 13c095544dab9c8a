// A step made of SQL statements in the subset Redshift and Postgres both run. Each
// statement may say what its row count means, so the summary can report inserted and
// updated rows: an upsert deletes the rows it replaces, then inserts the new versions.
import { runVerbatim } from '../verbatim';
import { defineStep, type StepContext, type StepStats, type TransformStep } from './step';

export interface Statement {
  sql: string;
  /** replaced: rows deleted to be inserted again (updates); inserted: rows inserted; deleted: rows removed. */
  counts?: 'replaced' | 'inserted' | 'deleted';
}

export interface SqlStepDefinition {
  description: string;
  /** The table the step writes; --full-refresh empties it first. */
  target: string;
  statements: Statement[];
  /** Runs after the statements, in the same transaction. */
  after?(context: StepContext): Promise<void>;
}

export function sqlStep(definition: SqlStepDefinition): TransformStep {
  return defineStep({
    description: definition.description,
    async run(context): Promise<StepStats> {
      const { db, dialect, options } = context;
      if (options.fullRefresh) await db.raw(`delete from ${dialect.quoteIdentifier(definition.target)}`);
      let replaced = 0;
      let inserted = 0;
      let deleted = 0;
      for (const statement of definition.statements) {
        const result = await runVerbatim(db, statement.sql);
        const count = Number(result?.rowCount ?? 0);
        if (statement.counts === 'replaced') replaced += count;
        if (statement.counts === 'inserted') inserted += count;
        if (statement.counts === 'deleted') deleted += count;
      }
      if (definition.after) await definition.after(context);
      return { inserted: inserted - replaced, updated: replaced, ...(deleted ? { deleted } : {}) };
    },
  });
}

/** `a.col = b.col` for every column, where two nulls count as equal (Redshift has no IS NOT DISTINCT FROM). */
export function sameValues(left: string, right: string, columns: string[]): string {
  return columns.map((c) => `(${left}.${c} = ${right}.${c} or (${left}.${c} is null and ${right}.${c} is null))`).join('\n      and ');
}

/** Epoch milliseconds to a timestamp that keeps the milliseconds, on both engines. */
export function epochMillisToTimestamp(column: string): string {
  return `timestamp 'epoch' + ${column} / 1000.0 * interval '1 second'`;
}
