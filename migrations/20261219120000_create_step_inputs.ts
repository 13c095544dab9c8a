// step_inputs: what a step that derives its table from the whole song catalogue (040, 050)
// last derived it from, as a fingerprint, so a run whose catalogue did not change skips
// that work (src/transform/unchanged-inputs.ts). Written in the step's own transaction,
// so it never stands for a derivation that was rolled back.
import type { Knex } from 'knex';
import { createTables, dropTables } from '../src/migrate/ddl';
import { varchar, type TableDeclaration } from '../src/schema/table';

export const stepInputs: TableDeclaration = {
  name: 'step_inputs',
  layer: 'bookkeeping',
  comment: 'a fingerprint of what each catalogue-derived table was last derived from',
  columns: [
    { name: 'target', type: varchar(128), notNull: true },
    { name: 'fingerprint', type: varchar(64), notNull: true },
  ],
  primaryKey: ['target'],
  distribution: { style: 'all' },
  sortKey: ['target'],
};

export async function up(knex: Knex): Promise<void> {
  await createTables(knex, [stepInputs]);
}

export async function down(knex: Knex): Promise<void> {
  await dropTables(knex, [stepInputs]);
}
