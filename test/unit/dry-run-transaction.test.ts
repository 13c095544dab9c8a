// migrate --dry-run says which migrations run outside a transaction (config.transaction = false),
// the way knex's migrator will run them.
import { expect } from 'chai';
import { formatRenderedMigrations, renderMigrations } from '../../src/migrate/dry-run';
import { rawMigration, withMigrations } from '../support/migration-folder';
import { readmeMigration, withMigrationFolder } from '../support/readme-migration';

const WIDEN = 'alter table "songs" alter column "title" type varchar(1024)';
const NARROW_BACK = 'select 1'; // Redshift cannot narrow a varchar: the down of a widening does nothing

describe('migrate --dry-run and config.transaction = false', () => {
  it('marks the migration that opts out, and says the others each get a transaction of their own', async () => {
    const files = {
      '20270101000000_add_table.ts': rawMigration('create table "t" ("a" integer)', 'drop table "t"'),
      '20270101000100_widen_title.ts': rawMigration(WIDEN, NARROW_BACK, { transaction: false }),
    };
    const script = await withMigrations(files, async (dir) =>
      formatRenderedMigrations(await renderMigrations('redshift', 'up', dir), 'redshift', 'up'),
    );
    expect(script).to.contain(
      '-- 1 of them set config.transaction = false and run outside any transaction; each of the others runs in its own.',
    );
    expect(script).to.contain(
      `-- 20270101000100_widen_title.ts (config.transaction = false: outside any transaction)\n${WIDEN};`,
    );
    expect(script).to.contain('-- 20270101000000_add_table.ts\ncreate table "t" ("a" integer);');
  });

  it('says the whole batch runs in one transaction when none opts out (an explicit true included)', async () => {
    const files = {
      '20270101000000_add_table.ts': rawMigration('create table "t" ("a" integer)', 'drop table "t"', {
        transaction: true,
      }),
      '20270101000100_add_other.ts': rawMigration('create table "u" ("a" integer)', 'drop table "u"'),
    };
    const rendered = await withMigrations(files, (dir) => renderMigrations('redshift', 'down', dir));
    expect(rendered.map((m) => [m.name, m.transaction])).to.deep.equal([
      ['20270101000100_add_other.ts', true],
      ['20270101000000_add_table.ts', true],
    ]);
    expect(formatRenderedMigrations(rendered, 'redshift', 'down'))
      .to.contain('-- the whole batch runs in one transaction.')
      .and.not.to.contain('config.transaction');
  });

  it('renders the example of migrations/README.md outside a transaction, as knex will run it', async () => {
    const example = readmeMigration('Statements Redshift cannot run in a transaction block');
    const rendered = await withMigrationFolder(example, (dir) => renderMigrations('redshift', 'up', dir));
    expect(rendered).to.deep.equal([
      {
        name: example.file,
        statements: ['alter table "songs" alter column "title" type varchar(1024)'],
        transaction: false,
      },
    ]);
  });
});
