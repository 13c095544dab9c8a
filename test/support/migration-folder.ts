// Throwaway migrations in a temp folder, for tests of how the migrator runs them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A migration whose up and down each run one raw statement; `transaction: false` opts out of knex's transaction. */
export function rawMigration(up: string, down: string, options: { transaction?: boolean } = {}): string {
  const config =
    options.transaction === undefined ? '' : `export const config = { transaction: ${options.transaction} };\n`;
  return `import type { Knex } from 'knex';
${config}
export async function up(knex: Knex): Promise<void> {
  await knex.raw(${JSON.stringify(up)});
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(${JSON.stringify(down)});
}
`;
}

/** Writes `files` (name → source) into a new temp folder, runs `work` on it, removes it. */
export async function withMigrations<T>(files: Record<string, string>, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
  try {
    for (const [name, source] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), source);
    return await work(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
