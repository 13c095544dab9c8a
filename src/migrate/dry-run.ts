// `migrate --dry-run`: the SQL each migration would run, rendered for an engine with no
// connection and no credentials. Without a connection the tool cannot know which
// migrations a database has applied, so it shows all of them, in the order they run.
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { lineComment } from '../dialects/dialect';
import { MIGRATIONS_DIR } from '../targets/knex-config';
import { recordingKnex } from '../dry-run/recording-knex';
import { loadModule } from '../load-module';

export interface RenderedMigration {
  name: string;
  statements: string[];
  /** False when the migration sets `config.transaction = false`: knex then runs it outside any transaction. */
  transaction: boolean;
}

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
  config?: { transaction?: boolean };
}

export function migrationNames(dir = MIGRATIONS_DIR): string[] {
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .sort();
}

export async function renderMigrations(
  engine: 'postgres' | 'redshift',
  direction: 'up' | 'down',
  dir = MIGRATIONS_DIR,
): Promise<RenderedMigration[]> {
  const names = direction === 'up' ? migrationNames(dir) : migrationNames(dir).reverse();
  const rendered: RenderedMigration[] = [];
  for (const name of names) {
    const migration = loadModule(path.join(dir, name)) as MigrationModule;
    const { knex, statements } = recordingKnex(engine);
    await migration[direction](knex);
    await knex.destroy();
    // knex's Migrator reads the same flag (_useTransaction): only an explicit false opts out.
    rendered.push({ name, statements, transaction: migration.config?.transaction !== false });
  }
  return rendered;
}

/**
 * One SQL script: each migration under a comment naming it, statements ending in `;`.
 * It says how knex would group them: one transaction for the whole batch, unless a migration
 * opts out (`config.transaction = false`); then that one runs outside any transaction and
 * each of the others in a transaction of its own.
 */
export function formatRenderedMigrations(
  rendered: RenderedMigration[],
  engine: string,
  direction: 'up' | 'down',
): string {
  const outside = rendered.filter((m) => !m.transaction);
  const grouping = outside.length
    ? `-- ${outside.length} of them set config.transaction = false and run outside any transaction; each of the others runs in its own.`
    : '-- the whole batch runs in one transaction.';
  const header = `-- ${direction === 'up' ? 'migrate' : 'rollback'} --dry-run for ${engine}: every migration, as if none (up) or all (down) were applied;\n${grouping}\n`;
  const bodies = rendered.map((m) => {
    const note = m.transaction ? '' : ' (config.transaction = false: outside any transaction)';
    return `\n${lineComment(`${m.name}${note}`)}\n${m.statements.map((s) => `${s};\n`).join('\n')}`;
  });
  return header + bodies.join('');
}
