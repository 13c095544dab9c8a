// npm run migrate | migrate:rollback [-- --all] | migrate:status | migrate:make -- <name> | migrate:unlock
// Any of them with --target <local|postgres|redshift>; latest and rollback with --dry-run.
// Each npm script passes its verb first: `npm run migrate:status` runs `scripts/migrate.ts status`.
import knexFactory from 'knex';
import { warehouseFlags } from '../cli/args';
import { defineCommand, type Output, STANDARD_OUTPUT } from '../cli/command';
import { loadConfig } from '../config';
import { dialectFor } from '../dialects';
import { UsageError } from '../errors';
import { formatRenderedMigrations, renderMigrations } from '../migrate/dry-run';
import { freeMigrationLock, makeMigration, migrateLatest, migrateRollback, migrationStatus } from '../migrate/migrator';
import { migrationSettings } from '../targets/knex-config';
import { withWarehouse } from '../targets/connect';

const HELP = `Usage:
  npm run migrate [-- --dry-run] [-- --target local|postgres|redshift]   apply pending migrations
  npm run migrate:rollback [-- --all] [-- --dry-run]                     revert the last batch (or all)
  npm run migrate:status                                                 applied and pending migrations
  npm run migrate:make -- <name>                                         new migration from the TypeScript stub
  npm run migrate:unlock                                                 free a lock left by a killed run
--dry-run prints the SQL without connecting (no credentials needed).`;

const VERBS = ['latest', 'rollback', 'status', 'make', 'unlock'] as const;
type Verb = (typeof VERBS)[number];

interface MigrateOptions {
  target?: string;
  dryRun?: boolean;
  /** rollback: every batch, not only the last. */
  all?: boolean;
  /** make: the new migration's name. */
  name?: string;
}

/** Checked before anything starts or connects: a typo must not start a server or reach Redshift. */
function checkArguments(
  verb: string | undefined,
  positionals: string[],
  options: MigrateOptions,
): asserts verb is Verb {
  if (verb === undefined) throw new UsageError(`Name a migrate verb: ${VERBS.join(', ')}.`);
  if (!(VERBS as readonly string[]).includes(verb))
    throw new UsageError(`Unknown migrate verb "${verb}"; the verbs are ${VERBS.join(', ')}.`);
  const allowed = verb === 'make' ? 1 : 0;
  if (positionals.length > allowed) {
    // `npm run migrate -- status` arrives as `latest status`: say which command was meant.
    const extra = positionals
      .slice(allowed)
      .map((p) => `"${p}"`)
      .join(' ');
    throw new UsageError(
      `migrate ${verb} takes ${allowed ? 'one name' : 'no arguments'}, got ${extra}. Each verb has its own script, e.g. \`npm run migrate:status\`.`,
    );
  }
  if (options.dryRun && verb !== 'latest' && verb !== 'rollback')
    throw new UsageError(`--dry-run works with migrate and migrate:rollback, not ${verb}.`);
  if (options.all && verb !== 'rollback') throw new UsageError(`--all works with migrate:rollback, not ${verb}.`);
  if (verb === 'make' && (!options.name || !/^[a-z0-9_]+$/.test(options.name)))
    throw new UsageError(
      'migrate:make needs a name of lowercase letters, digits and _, e.g. `npm run migrate:make -- add_songplays_device`.',
    );
}

/** Runs one migrate verb; with `dryRun` (latest, rollback), prints the SQL instead. */
export async function migrate(verb: Verb, options: MigrateOptions, out: Output = STANDARD_OUTPUT): Promise<number> {
  if (verb === 'make') {
    const knex = knexFactory({ client: 'pg', migrations: migrationSettings });
    const file = await makeMigration(knex, options.name!);
    await knex.destroy();
    out.print(`Created ${file}`);
    return 0;
  }
  const config = loadConfig({ target: options.target, dryRun: options.dryRun });
  if (options.dryRun) {
    const engine = dialectFor(config.target).name;
    const direction = verb === 'latest' ? 'up' : 'down';
    // The rendering ends with its own newline.
    out.print(
      formatRenderedMigrations(await renderMigrations(engine, direction), engine, direction).replace(/\n$/, ''),
    );
    return 0;
  }
  return withWarehouse(
    config,
    async (warehouse) => {
      out.print(`Target: ${warehouse.target} (${warehouse.location})`);
      switch (verb) {
        case 'latest': {
          const { batch, migrations } = await migrateLatest(warehouse.knex, out.print);
          out.print(
            migrations.length === 0
              ? 'Already up to date.'
              : `Batch ${batch}: applied ${migrations.length}\n${list(migrations)}`,
          );
          return 0;
        }
        case 'rollback': {
          const { batch, migrations } = await migrateRollback(warehouse.knex, Boolean(options.all), out.print);
          out.print(
            migrations.length === 0
              ? 'Nothing to roll back.'
              : `Rolled back batch ${batch}: ${migrations.length}\n${list(migrations)}`,
          );
          return 0;
        }
        case 'status': {
          const { completed, pending, locked } = await migrationStatus(warehouse.knex);
          out.print(
            `Applied (${completed.length}):\n${list(completed)}\nPending (${pending.length}):\n${list(pending)}`,
          );
          if (locked)
            out.print(
              'Lock: taken. A migrate is running, or one was killed outside a transaction; if none is running, free it with `npm run migrate:unlock`.',
            );
          return 0;
        }
        case 'unlock':
          await freeMigrationLock(warehouse.knex);
          out.print('Migration lock freed.');
          return 0;
      }
    },
    { log: out.print },
  );
}

function list(names: string[]): string {
  return names.length === 0 ? '  (none)' : names.map((n) => `  ${n}`).join('\n');
}

export const command = defineCommand({
  name: 'migrate',
  help: HELP,
  flags: { ...warehouseFlags, all: { type: 'boolean', default: false } },
  args: { max: Infinity, what: 'a verb' },
  handler: async ({ values, positionals: [verb, ...rest] }, out) => {
    const options = { target: values.target, dryRun: values['dry-run'], all: values.all, name: rest[0] };
    checkArguments(verb, rest, options);
    return migrate(verb, options, out);
  },
});
