// npm run migrate | migrate:rollback [-- --all] | migrate:status | migrate:make -- <name> | migrate:unlock
// Any of them with --target <local|postgres|redshift>; latest and rollback with --dry-run.
import knexFactory from 'knex';
import { parseCommand } from '../src/cli/args';
import { runMain } from '../src/cli/main';
import { loadConfig } from '../src/config';
import { dialectFor } from '../src/dialects';
import { ConfigError, UsageError } from '../src/errors';
import { formatRenderedMigrations, renderMigrations } from '../src/migrate/dry-run';
import { freeMigrationLock, makeMigration, migrateLatest, migrateRollback, migrationStatus } from '../src/migrate/migrator';
import { migrationSettings } from '../src/targets/knex-config';
import { withWarehouse } from '../src/targets/connect';

const HELP = `Usage:
  npm run migrate [-- --dry-run] [-- --target local|postgres|redshift]   apply pending migrations
  npm run migrate:rollback [-- --all] [-- --dry-run]                     revert the last batch (or all)
  npm run migrate:status                                                 applied and pending migrations
  npm run migrate:make -- <name>                                         new migration from the TypeScript stub
  npm run migrate:unlock                                                 free a lock left by a killed run
--dry-run prints the SQL without connecting (no credentials needed).`;

const VERBS = ['latest', 'rollback', 'status', 'make', 'unlock'] as const;
type Verb = (typeof VERBS)[number];

/** Checked before anything starts or connects: a typo must not start a server or reach Redshift. */
function checkArguments(verb: string, positionals: string[], dryRun: boolean): asserts verb is Verb {
  if (!(VERBS as readonly string[]).includes(verb)) throw new UsageError(`Unknown migrate verb "${verb}"; the verbs are ${VERBS.join(', ')}.\n${HELP}`);
  const allowed = verb === 'make' ? 1 : 0;
  if (positionals.length > allowed) {
    // `npm run migrate -- status` arrives as `latest status`: say which command was meant.
    const extra = positionals
      .slice(allowed)
      .map((p) => `"${p}"`)
      .join(' ');
    throw new UsageError(`migrate ${verb} takes ${allowed ? 'one name' : 'no arguments'}, got ${extra}. Each verb has its own script, e.g. \`npm run migrate:status\`.\n${HELP}`);
  }
  if (dryRun && verb !== 'latest' && verb !== 'rollback') throw new UsageError(`--dry-run works with migrate and migrate:rollback, not ${verb}.`);
}

runMain(async (argv) => {
  const [verb, ...rest] = argv;
  const { values, positionals } = parseCommand('migrate', rest, { all: { type: 'boolean', default: false } });
  if (values.help || !verb) {
    console.log(HELP);
    return 0;
  }
  checkArguments(verb, positionals, values['dry-run']);
  if (verb === 'make') {
    const name = positionals[0];
    if (!name || !/^[a-z0-9_]+$/.test(name)) throw new ConfigError('migrate:make needs a name of lowercase letters, digits and _, e.g. `npm run migrate:make -- add_songplays_device`.');
    const knex = knexFactory({ client: 'pg', migrations: migrationSettings });
    const file = await makeMigration(knex, name);
    await knex.destroy();
    console.log(`Created ${file}`);
    return 0;
  }
  const config = loadConfig({ target: values.target, dryRun: values['dry-run'] });
  if (values['dry-run']) {
    const engine = dialectFor(config.target).name;
    const direction = verb === 'latest' ? 'up' : 'down';
    process.stdout.write(formatRenderedMigrations(await renderMigrations(engine, direction), engine, direction));
    return 0;
  }
  return withWarehouse(
    config,
    async (warehouse) => {
      console.log(`Target: ${warehouse.target} (${warehouse.location})`);
      switch (verb) {
        case 'latest': {
          const { batch, migrations } = await migrateLatest(warehouse.knex, (m) => console.log(m));
          console.log(migrations.length === 0 ? 'Already up to date.' : `Batch ${batch}: applied ${migrations.length}\n${list(migrations)}`);
          return 0;
        }
        case 'rollback': {
          const { batch, migrations } = await migrateRollback(warehouse.knex, values.all, (m) => console.log(m));
          console.log(migrations.length === 0 ? 'Nothing to roll back.' : `Rolled back batch ${batch}: ${migrations.length}\n${list(migrations)}`);
          return 0;
        }
        case 'status': {
          const { completed, pending, locked } = await migrationStatus(warehouse.knex);
          console.log(`Applied (${completed.length}):\n${list(completed)}\nPending (${pending.length}):\n${list(pending)}`);
          if (locked) console.log('Lock: taken. A migrate is running, or one was killed outside a transaction; if none is running, free it with `npm run migrate:unlock`.');
          return 0;
        }
        case 'unlock':
          await freeMigrationLock(warehouse.knex);
          console.log('Migration lock freed.');
          return 0;
      }
    },
    { log: (m) => console.log(m) },
  );
});

function list(names: string[]): string {
  return names.length === 0 ? '  (none)' : names.map((n) => `  ${n}`).join('\n');
}
