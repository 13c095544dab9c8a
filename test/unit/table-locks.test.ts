// The tables each step declares, which Redshift's step transactions lock first: found
// in the steps' SQL, and every one of them a table the migrations create.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { postgres, redshift } from '../../src/dialects';
import type { TableDeclaration } from '../../src/schema/table';
import { MIGRATIONS_DIR } from '../../src/targets/knex-config';
import { loadSteps } from '../../src/transform/runner';
import { tableLockStatement, tablesNamedIn } from '../../src/transform/table-locks';
import { loadModule } from '../../src/load-module';

function declaredTables(): Set<string> {
  const names = new Set<string>();
  for (const file of fs.readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.ts'))) {
    for (const value of Object.values(loadModule(path.join(MIGRATIONS_DIR, file)) as Record<string, unknown>)) {
      const table = value as Partial<TableDeclaration>;
      if (table && typeof table === 'object' && typeof table.name === 'string' && Array.isArray(table.columns))
        names.add(table.name);
    }
  }
  return names;
}

describe('table locks', () => {
  it('finds tables after from, join, using, into, update; not CTEs, temp tables or extract(… from column)', () => {
    const sql = [
      'create temp table users_batch as\nwith events as (select * from staging_events)\nselect extract(hour from start_time), trim(both from name) from events join "time" on true',
      'delete from users_batch using users where users_batch.user_id = users.user_id',
      'insert into users (user_id) select user_id from users_batch',
      'update songplays set song_id = s.song_id from staging_songs s',
    ];
    expect(tablesNamedIn(sql).sort()).to.deep.equal(['songplays', 'staging_events', 'staging_songs', 'time', 'users']);
  });

  it('every step declares tables, and each is one the migrations create', () => {
    const declared = declaredTables();
    for (const step of loadSteps()) {
      expect(step.tables, step.id).to.be.an('array').that.is.not.empty;
      for (const table of step.tables!)
        expect(declared.has(table), `${step.id} locks ${table}, which no migration declares`).to.equal(true);
    }
  });

  it('renders one sorted, quoted lock on Redshift and nothing on PostgreSQL', () => {
    expect(tableLockStatement(redshift, ['users', 'time', 'users'])).to.equal('lock "time", "users"');
    expect(tableLockStatement(postgres, ['users'])).to.equal(undefined);
    expect(tableLockStatement(redshift, [])).to.equal(undefined);
  });
});
