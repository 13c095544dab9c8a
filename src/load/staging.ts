// What staging holds before a load, the same rule for both loaders: a full refresh forgets
// the ledger and starts empty; a batch table ('events') is cleared only once the star
// schema has taken every staged file (the step that published them cleared it already:
// transform/staging-release.ts; this clears what an older version left); the catalogue
// ('songs') keeps its rows.
import type { StepContext } from '../step/contract';
import { hasUnpublished } from './ledger';
import type { StageSpec } from './stage-spec';

export async function prepareStaging(context: StepContext, spec: StageSpec): Promise<void> {
  const { db, options } = context;
  if (options.fullRefresh) await db('load_ledger').where({ source: spec.source }).delete();
  if (options.fullRefresh || (spec.keeps === 'batch' && !(await hasUnpublished(db, spec.source)))) {
    await db.raw(clearStatement(context, spec));
  }
}

export function clearStatement(context: StepContext, spec: Pick<StageSpec, 'table'>): string {
  const table = context.dialect.quoteIdentifier(spec.table);
  // Redshift's TRUNCATE commits the open transaction; DELETE keeps the step atomic.
  return context.dialect.capabilities.transactionalTruncate ? `truncate table ${table}` : `delete from ${table}`;
}
