// Today's table declarations, read from the migrations themselves: every exported
// TableDeclaration, the latest migration's version of a table winning (a later
// migration that changes keys exports the changed declaration, as migrations/README.md
// shows). Reading them at run time keeps the advice, the declared checks (090) and the
// index rebuilds right when migrations add or change tables.
import path from 'node:path';
import { migrationNames } from './dry-run';
import type { TableDeclaration } from '../schema/table';
import { MIGRATIONS_DIR } from '../targets/knex-config';
import { loadModule } from '../load-module';

export interface DeclaredTable {
  declaration: TableDeclaration;
  /** The migration file that exports it (full path), and the name it is exported under. */
  file: string;
  exportName: string;
}

export function declaredTables(dir = MIGRATIONS_DIR): Map<string, DeclaredTable> {
  const tables = new Map<string, DeclaredTable>();
  for (const file of migrationNames(dir)) {
    const exports = loadModule(path.join(dir, file)) as Record<string, unknown>;
    for (const [exportName, value] of Object.entries(exports)) {
      if (isDeclaration(value)) tables.set(value.name, { declaration: value, file: path.join(dir, file), exportName });
    }
  }
  return tables;
}

function isDeclaration(value: unknown): value is TableDeclaration {
  const v = value as Partial<TableDeclaration> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.name === 'string' &&
    Array.isArray(v.columns) &&
    typeof v.distribution === 'object'
  );
}

/** Table name → column names, the catalogue the SQL reader resolves columns against. */
export function catalogOf(tables: Map<string, DeclaredTable>): Map<string, string[]> {
  return new Map(
    [...tables.values()].map(({ declaration }) => [declaration.name, declaration.columns.map((c) => c.name)]),
  );
}
