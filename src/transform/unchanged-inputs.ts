// A step that derives its table from the whole song catalogue (040 artists, 050 songs: each
// reads every row of staging_songs) would do the same work on every run, though the
// catalogue changes only when song files arrive. Such a step keeps, in its own transaction,
// a fingerprint of what it derived its table from, and the next run compares it first:
// - its statements as rendered (a changed rule derives again);
// - the catalogue's loads: how many files the ledger holds for the source and when the
//   last one was loaded (a load records its files in the ledger in its own transaction; a
//   --full-refresh reloads them all), and how many rows its staging table holds;
// - the schema version, the last migration applied (a migration can change what a rule
//   computes, as the repair of double-encoded names did);
// - its table's row count after the step (a row deleted by hand is derived again).
// The same fingerprint means the derivation would write nothing: the step says so and
// skips it. --full-refresh always derives. A row edited by hand, its count unchanged,
// stays as edited until the catalogue changes or a --full-refresh.
import { createHash } from 'node:crypto';
import { migrationSettings } from '../targets/knex-config';
import { runVerbatim } from '../verbatim';
import { blockComment } from '../dialects/dialect';
import { ledgerStateSql } from '../load/ledger';
import type { StepContext } from '../step/contract';

export const INPUTS_TABLE = 'step_inputs';

export interface Catalogue {
  source: string;
  table: string;
}

export interface DerivedTable {
  /** The table the step derives. */
  target: string;
  /** The load whose whole catalogue it reads: the ledger's `source`, and its staging table. */
  catalogue: Catalogue;
  /** The step's statements as rendered for this engine. */
  rendered: string;
}

/** Whether the step's inputs are those recorded when it last derived its table; if so, it says so. */
export async function inputsUnchanged(context: StepContext, derived: DerivedTable): Promise<boolean> {
  const { current, recorded } = await readInputs(
    context,
    derived,
    `the same inputs as recorded: ${derived.target} is as it would be derived again, and the step ends here`,
  );
  if (current !== recorded) return false;
  context.log(
    `  the ${derived.catalogue.source} catalogue is as it was when ${derived.target} was last derived from it: nothing to do (--full-refresh derives it again)`,
  );
  return true;
}

/** Records what the step derived its table from, in the step's transaction (after its writes). */
export async function recordInputs(context: StepContext, derived: DerivedTable): Promise<void> {
  const { current } = await readInputs(context, derived, `what ${derived.target} was derived from, recorded next`);
  const target = context.dialect.quoteLiteral(derived.target);
  await runVerbatim(context.db, `delete from ${INPUTS_TABLE} where target = ${target}`);
  await runVerbatim(
    context.db,
    `insert into ${INPUTS_TABLE} (target, fingerprint) values (${target}, ${context.dialect.quoteLiteral(current)})`,
  );
}

async function readInputs(
  context: StepContext,
  derived: DerivedTable,
  why: string,
): Promise<{ current: string; recorded: string | undefined }> {
  const { dialect } = context;
  const ledger = ledgerStateSql(dialect.quoteLiteral(derived.catalogue.source));
  const result = await runVerbatim(
    context.db,
    `
select
    ${ledger.files} as catalogue_files,
    ${ledger.lastLoadedAt} as catalogue_loaded_at,
    (select count(*) from ${dialect.quoteIdentifier(derived.catalogue.table)}) as catalogue_rows,
    (select max(name) from ${dialect.quoteIdentifier(String(migrationSettings.tableName))}) as schema_version,
    (select count(*) from ${dialect.quoteIdentifier(derived.target)}) as table_rows,
    (select fingerprint from ${INPUTS_TABLE} where target = ${dialect.quoteLiteral(derived.target)}) as recorded ${blockComment(why)}`,
  );
  const row = (result?.rows?.[0] ?? {}) as Record<string, unknown>;
  const text = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value ?? ''));
  const current = createHash('sha256')
    .update(
      JSON.stringify([
        derived.rendered,
        text(row.catalogue_files),
        text(row.catalogue_loaded_at),
        text(row.catalogue_rows),
        text(row.schema_version),
        text(row.table_rows),
      ]),
    )
    .digest('hex');
  return { current, recorded: row.recorded === undefined || row.recorded === null ? undefined : String(row.recorded) };
}
