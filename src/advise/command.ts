// What `npm run advise` does with its flags; src/commands/advise.ts parses them and calls these.
import fs from 'node:fs';
import type { Knex } from 'knex';
import type { Dialect } from '../dialects';
import { candidateColumns, advisedTables, buildAdvice, type AdviceReport } from './advise';
import { catalogOf, declaredTables, type DeclaredTable } from '../migrate/declarations';
import { adviceJson, formatAdvice } from './format';
import { columnStatsSql, loadCorrelationSql, slicePlacementSql, tableSizeSql, valueText } from './profile';
import type { SliceLayout } from './slices';
import { readWorkload } from './workload';
import {
  advisedDeclaration,
  isChange,
  writeMigration,
  migrationSource,
  migrationFileName,
  type KeyChange,
} from './write-migration';

/** The report's SQL, for --dry-run: what the profile would run, in the order it runs. */
export async function profileStatements(slices: number, declared = declaredTables()): Promise<string[]> {
  const workload = await readWorkload(catalogOf(declared));
  return advisedTables(declared).flatMap((table) => {
    const loadOrder = table.columns.find((c) => c.type.kind === 'identity')?.name;
    return [
      tableSizeSql(table),
      ...candidateColumns(table, workload).flatMap((column) => [
        columnStatsSql(table.name, column),
        slicePlacementSql(table.name, valueText(table, column), slices),
        ...(loadOrder && loadOrder !== column ? [loadCorrelationSql(table.name, column, loadOrder)] : []),
      ]),
    ];
  });
}

export function changesFromAdvice(report: AdviceReport, declared: Map<string, DeclaredTable>): KeyChange[] {
  return report.tables
    .map((t) => ({ table: t.table, distribution: t.distribution, sortKey: t.sortKey, reason: t.reason }))
    .filter((change) => isChange(declared.get(change.table)!.declaration, change));
}

/** Every statement the migration runs, up then down, rendered by `dialect` (what changeKeys sends). */
function migrationStatements(
  changes: KeyChange[],
  declared: Map<string, DeclaredTable>,
  dialect: Dialect,
): { up: string[]; down: string[] } {
  const pairs = changes.map((c) => {
    const today = declared.get(c.table)!.declaration;
    return [today, advisedDeclaration(today, c)] as const;
  });
  return {
    up: pairs.flatMap(([today, advised]) => dialect.changeKeys(today, advised)),
    down: [...pairs].reverse().flatMap(([today, advised]) => dialect.changeKeys(advised, today)),
  };
}

export function describeMigration(
  changes: KeyChange[],
  declared: Map<string, DeclaredTable>,
  dialect: Dialect,
  dir: string,
  write: boolean,
): string {
  const { up, down } = migrationStatements(changes, declared, dialect);
  const sql = (list: string[]) =>
    list.length
      ? list.map((s) => `${s};`).join('\n')
      : `-- nothing: ${dialect.name} needs no statement for this change`;
  if (write) {
    const written = writeMigration(changes, declared, dir);
    return `Wrote ${written.file}\n\n-- up (${dialect.name})\n${sql(up)}\n\n-- down (${dialect.name})\n${sql(down)}`;
  }
  const source = migrationSource(changes, declared, dir, new Date());
  return `-- would write ${migrationFileName(dir, new Date())}:\n${source}\n-- up (${dialect.name})\n${sql(up)}\n\n-- down (${dialect.name})\n${sql(down)}`;
}

export async function report(
  db: Knex,
  layout: SliceLayout,
  json: boolean,
): Promise<{ text: string; report: AdviceReport }> {
  const built = await buildAdvice(db, layout);
  return { text: json ? adviceJson(built) : formatAdvice(built), report: built };
}

export function print(text: string): void {
  fs.writeSync(1, `${text}\n`);
}
