// What the records are checked and formatted with: the mapping's JSONPaths paired with the
// staging table's columns as the catalog has them.
import type { Knex } from 'knex';
import { LoadError } from '../../errors';
import type { StepContext } from '../../step/contract';
import { columnSpecFromCatalog, type ColumnSpec } from '../json/columns';
import { autoPaths, parseJsonPaths, type FieldPath } from '../json/jsonpaths';
import type { RecordRules } from '../json/row-formatter';
import type { S3Options } from '../s3';
import { readSmallFile } from '../source-files';
import type { StageSpec } from '../stage-spec';

/** The mapping's paths paired with the table's columns, and the options the records are checked with. */
export async function recordRules(context: StepContext, spec: StageSpec, s3: S3Options): Promise<RecordRules> {
  const mapping = spec.mapping(context.config);
  const paths = await fieldPaths(spec, mapping, s3);
  if (paths.length !== spec.columns.length) {
    throw new LoadError(
      `${mapping} has ${paths.length} JSONPaths, but ${spec.table} loads ${spec.columns.length} columns (${spec.columns.join(', ')}); they must pair up one to one.`,
    );
  }
  const columns = await catalogColumns(context.db, spec);
  return { paths, columns, acceptInvalidChars: context.options.acceptInvalidChars };
}

async function fieldPaths(spec: StageSpec, mapping: string, s3: S3Options): Promise<FieldPath[]> {
  if (mapping === 'auto') return autoPaths(spec.columns);
  return parseJsonPaths(await readSmallFile(mapping, s3), mapping);
}

async function catalogColumns(db: Knex, spec: StageSpec): Promise<ColumnSpec[]> {
  const rows: Array<{ column_name: string; data_type: string; character_maximum_length: number | null }> = await db(
    'information_schema.columns',
  )
    .select('column_name', 'data_type', 'character_maximum_length')
    .where({ table_name: spec.table })
    .whereRaw('table_schema = current_schema()');
  const byName = new Map(rows.map((r) => [r.column_name, r]));
  return spec.columns.map((name) => {
    const row = byName.get(name);
    if (!row) throw new LoadError(`${spec.table} has no column ${name}. Run \`npm run migrate\` first.`);
    return columnSpecFromCatalog(name, row.data_type, row.character_maximum_length);
  });
}
