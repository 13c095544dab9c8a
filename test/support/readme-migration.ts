// The example migration in migrations/README.md, as a file a migrator can load: the
// grammar test renders it through the same path as a real migration, so the README's
// example cannot drift into something that no longer runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MIGRATIONS_DIR } from '../../src/targets/knex-config';

export const MIGRATIONS_README = path.join(MIGRATIONS_DIR, 'README.md');

export interface ReadmeMigration {
  /** The file name the example's first line gives, e.g. 20270101000000_distribute_songplays_by_song.ts. */
  file: string;
  source: string;
}

/** The ```ts block under `heading`, with its imports pointed at the project (it will live in a temp folder). */
export function readmeMigration(heading: string, readme = MIGRATIONS_README): ReadmeMigration {
  const text = fs.readFileSync(readme, 'utf8');
  const section = text.split(/^## /m).find((s) => s.startsWith(heading));
  if (!section) throw new Error(`${readme} has no "## ${heading}" section`);
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error(`${readme}, "## ${heading}": no \`\`\`ts block`);
  const file = /^\/\/ migrations\/(\S+\.ts)$/m.exec(block)?.[1];
  if (!file)
    throw new Error(
      `${readme}, "## ${heading}": the example's first line must name its file, e.g. // migrations/20270101000000_x.ts`,
    );
  const source = block.replace(
    /from '(\.\.?\/[^']+)'/g,
    (_match, specifier: string) => `from ${JSON.stringify(path.resolve(MIGRATIONS_DIR, specifier))}`,
  );
  return { file, source };
}

/** Runs `work` with the example alone in a temp migrations folder, removed afterwards. */
export async function withMigrationFolder<T>(
  migration: ReadmeMigration,
  work: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-migration-'));
  try {
    fs.writeFileSync(path.join(dir, migration.file), migration.source);
    return await work(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
