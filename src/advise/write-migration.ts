// --write-migration: the advice as a migration the user reviews, applies, rolls back
// and commits (migrations/README.md, "Changing a dist or sort key"). Its up() moves each
// changed table from today's declaration to the advised one with changeKeys; its down()
// moves it back. Redshift gets ALTER DISTSTYLE/DISTKEY/SORTKEY; PostgreSQL, which has no
// distribution, gets the index swap: the new sort key's index, and a btree on a new
// distribution key (the join column co-location serves on Redshift).
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, UsageError } from '../errors';
import { migrationNames } from '../migrate/dry-run';
import { PROJECT_ROOT } from '../config';
import type { Distribution, TableDeclaration } from '../schema/table';
import { describeLayout } from './colocation';
import type { DeclaredTable } from '../migrate/declarations';

export interface KeyChange {
  table: string;
  distribution: Distribution;
  sortKey: string[];
  reason: string;
}

/** The declaration after the change; lookup keys gain the new distribution column on Postgres. */
export function advisedDeclaration(today: TableDeclaration, change: KeyChange): TableDeclaration {
  const lookupKeys = [...(today.lookupKeys ?? [])];
  const dist = change.distribution;
  const indexed = (column: string) =>
    today.primaryKey?.join() === column || today.sortKey?.[0] === column || lookupKeys.some((k) => k.join() === column);
  if (dist.style === 'key' && !indexed(dist.column) && change.sortKey[0] !== dist.column)
    lookupKeys.push([dist.column]);
  // A BRIN index suits only the column rows arrive in order of; a new sort key gets a btree.
  const timeOrdered = change.sortKey[0] === today.sortKey?.[0] ? today.timeOrdered : undefined;
  return { ...today, distribution: dist, sortKey: change.sortKey, lookupKeys, timeOrdered };
}

export function isChange(today: TableDeclaration, change: KeyChange): boolean {
  return (
    describeLayout(today.distribution) !== describeLayout(change.distribution) ||
    (today.sortKey ?? []).join() !== change.sortKey.join()
  );
}

/** Parses --choose songplays=KEY(song_id) | EVEN | ALL | AUTO, optionally ",SORTKEY(a,b)". */
export function parseChoice(text: string, declared: Map<string, DeclaredTable>): KeyChange {
  const match = /^([a-z_][a-z0-9_]*)=(KEY\(([a-z_][a-z0-9_]*)\)|EVEN|ALL|AUTO)(?:,SORTKEY\(([a-z0-9_, ]*)\))?$/i.exec(
    text.trim(),
  );
  const fix =
    'Write it as table=KEY(column), table=EVEN, table=ALL or table=AUTO, optionally followed by ,SORTKEY(column, …), e.g. --choose "songplays=KEY(song_id),SORTKEY(start_time)".';
  if (!match) throw new UsageError(`--choose "${text}" is not a layout. ${fix}`);
  const table = declared.get(match[1])?.declaration;
  if (!table)
    throw new UsageError(
      `--choose names the table "${match[1]}", which no migration declares. Tables: ${[...declared.keys()].join(', ')}.`,
    );
  const columns = table.columns.map((c) => c.name);
  const checkColumn = (c: string) => {
    if (!columns.includes(c))
      throw new UsageError(`--choose: ${table.name} has no column "${c}". Columns: ${columns.join(', ')}.`);
    return c;
  };
  const style = match[2].toUpperCase();
  const distribution: Distribution = match[3]
    ? { style: 'key', column: checkColumn(match[3].toLowerCase()) }
    : { style: style.toLowerCase() as 'even' | 'all' | 'auto' };
  const sortKey =
    match[4] !== undefined
      ? match[4]
          .split(',')
          .map((c) => c.trim().toLowerCase())
          .filter(Boolean)
          .map(checkColumn)
      : (table.sortKey ?? []);
  return { table: table.name, distribution, sortKey, reason: 'chosen with --choose' };
}

export interface WrittenMigration {
  file: string;
  source: string;
}

/** The migration's TypeScript; `dir` is where it will live (imports are relative to it). */
export function migrationSource(
  changes: KeyChange[],
  declared: Map<string, DeclaredTable>,
  dir: string,
  writtenAt: Date,
): string {
  const rel = (file: string) => {
    const r = path.relative(dir, file).replace(/\\/g, '/').replace(/\.ts$/, '');
    return r.startsWith('.') ? r : `./${r}`;
  };
  const imports = new Map<string, string[]>();
  const blocks: string[] = [];
  const ups: string[] = [];
  const downs: string[] = [];
  for (const change of changes) {
    const today = declared.get(change.table)!;
    const from = today.file;
    const names = imports.get(from) ?? [];
    imports.set(from, [...names, today.exportName]);
    const advised = advisedDeclaration(today.declaration, change);
    const name = `${today.exportName}Advised`;
    blocks.push(
      `// ${change.table}: ${describeLayout(today.declaration.distribution)}, sort (${(today.declaration.sortKey ?? []).join(', ')}) -> ${describeLayout(change.distribution)}, sort (${change.sortKey.join(', ')})\n` +
        `// Why: ${change.reason}\n` +
        `export const ${name}: TableDeclaration = {\n  ...${today.exportName},\n  distribution: ${literal(advised.distribution)},\n  sortKey: ${literal(advised.sortKey)},\n  timeOrdered: ${advised.timeOrdered ? 'true' : 'false'},\n  lookupKeys: ${literal(advised.lookupKeys ?? [])},\n};`,
    );
    ups.push(`  await changeKeys(knex, ${today.exportName}, ${name});`);
    downs.unshift(`  await changeKeys(knex, ${name}, ${today.exportName});`);
  }
  const importLines = [...imports].map(([file, names]) => `import { ${names.join(', ')} } from '${rel(file)}';`);
  return `// Written by \`npm run advise -- --write-migration\` on ${writtenAt.toISOString().slice(0, 10)}. Review it, then
// \`npm run migrate -- --dry-run --target redshift\` shows its SQL; \`npm run migrate\` applies it and
// \`npm run migrate:rollback\` restores today's keys.
import type { Knex } from 'knex';
import { changeKeys } from '${rel(path.join(PROJECT_ROOT, 'src', 'migrate', 'ddl.ts'))}';
import type { TableDeclaration } from '${rel(path.join(PROJECT_ROOT, 'src', 'schema', 'table.ts'))}';
${importLines.join('\n')}

${blocks.join('\n\n')}

export async function up(knex: Knex): Promise<void> {
${ups.join('\n')}
}

export async function down(knex: Knex): Promise<void> {
${downs.join('\n')}
}
`;
}

/** A TypeScript literal in the project's style (single quotes); names are checked identifiers. */
function literal(value: unknown): string {
  return JSON.stringify(value)
    .replace(/"([a-z_][a-z0-9_]*)":/g, '$1: ')
    .replace(/"/g, "'")
    .replace(/,/g, ', ');
}

/** A name after every existing migration, so it runs last (knex refuses one that sorts earlier). */
export function migrationFileName(dir: string, writtenAt: Date): string {
  const stamp = writtenAt.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const last = migrationNames(dir).at(-1)?.slice(0, 14) ?? '0';
  const next = stamp > last ? stamp : String(BigInt(last) + 1n);
  return `${next}_advise_keys.ts`;
}

export function writeMigration(
  changes: KeyChange[],
  declared: Map<string, DeclaredTable>,
  dir: string,
  writtenAt = new Date(),
): WrittenMigration {
  if (changes.length === 0)
    throw new ConfigError(
      'Nothing to write: the advice keeps every table as it is. Name a change with --choose table=KEY(column) to write one anyway.',
    );
  const file = path.join(dir, migrationFileName(dir, writtenAt));
  const source = migrationSource(changes, declared, dir, writtenAt);
  fs.writeFileSync(file, source, { flag: 'wx' });
  return { file, source };
}
