// The Redshift stand-in's translator: what each Redshift statement becomes on the backing
// PostgreSQL, and what it refuses. No database: pure text in, text or refusal out.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { splitStatements } from '../support/redshift-standin/statements';
import { translate, type Translation } from '../support/redshift-standin/translate';

const inBlock = { inTransactionBlock: true };
const outside = { inTransactionBlock: false };

function ran(translation: Translation): Extract<Translation, { kind: 'run' }> {
  if (translation.kind !== 'run') throw new Error(`expected run, got ${JSON.stringify(translation)}`);
  return translation;
}

function refused(translation: Translation): { code: string; message: string } {
  if (translation.kind !== 'refuse') throw new Error(`expected a refusal, got ${JSON.stringify(translation)}`);
  return translation.error;
}

describe('redshift stand-in: statements', () => {
  it('splits at semicolons outside strings, quoted names and comments', () => {
    const text = `select ';' as a; -- a comment; still comment\nselect "x;y" from t /* ; */; ; select 1`;
    expect(splitStatements(text)).to.deep.equal([
      `select ';' as a`,
      `-- a comment; still comment\nselect "x;y" from t /* ; */`,
      'select 1',
    ]);
  });

  it('drops pieces that hold only comments', () => {
    expect(splitStatements('-- nothing here\n;  /* nor here */')).to.deep.equal([]);
  });
});

describe('redshift stand-in: translate', () => {
  it('runs every statement the tool sends to Redshift (the golden SQL) without a refusal', () => {
    const golden = path.join(__dirname, '..', 'golden');
    const files = fs.readdirSync(golden).filter((f) => f.startsWith('redshift-'));
    expect(files.length).to.be.greaterThan(2);
    for (const file of files) {
      for (const statement of splitStatements(fs.readFileSync(path.join(golden, file), 'utf8'))) {
        const result = translate(statement, inBlock);
        expect(result.kind, `${file}: ${statement.slice(0, 120)}`).to.not.equal('refuse');
      }
    }
  });

  it('strips table and column attributes and records the keys', () => {
    const result = ran(
      translate(
        `create table "songplays" ("songplay_id" bigint identity(1, 1) encode az64 not null, "start_time" timestamp encode raw not null, "note" varchar(max), "tag" text, primary key ("songplay_id")) backup no diststyle key distkey ("start_time") compound sortkey ("start_time")`,
        inBlock,
      ),
    );
    expect(result.sql).to.have.length(1);
    const sql = result.sql[0].replace(/\s+/g, ' ');
    expect(sql).to.include('"songplay_id" bigint generated always as identity (start with 1 increment by 1) not null');
    expect(sql).to.include('"note" varchar(65535)');
    expect(sql).to.include('"tag" varchar(256)');
    expect(sql).to.not.match(/encode|diststyle|distkey|sortkey|backup/i);
    expect(result.createdTable).to.deep.equal({
      table: 'songplays',
      diststyle: 'KEY(start_time)',
      distkey: 'start_time',
      sortkeyKind: 'compound',
      sortkey: ['start_time'],
      encodings: { songplay_id: 'az64', start_time: 'raw' },
    });
  });

  it('takes column-level DISTKEY and SORTKEY, and defaults to AUTO', () => {
    expect(ran(translate('create table t (a int distkey sortkey, b int)', inBlock)).createdTable).to.include({
      diststyle: 'KEY(a)',
      sortkeyKind: 'compound',
    });
    expect(ran(translate('create table t (a int)', inBlock)).createdTable).to.include({
      diststyle: 'AUTO(ALL)',
      sortkeyKind: 'auto',
    });
  });

  it('keeps no keys for a temporary CTAS and strips its attributes', () => {
    const result = ran(translate('create temp table b diststyle even sortkey (x) as select 1 as x', inBlock));
    expect(result.sql[0].replace(/\s+/g, ' ')).to.equal('create temp table b as select 1 as x');
    expect(result.createdTable).to.equal(undefined);
  });

  it('refuses a distribution or sort key that names no column', () => {
    expect(refused(translate('create table t (a int) distkey (b)', inBlock))).to.deep.equal({
      code: '42703',
      message: 'column "b" does not exist',
    });
    expect(refused(translate('create table t (a int) diststyle key', inBlock)).code).to.equal('42601');
  });

  it('turns LOCK without a mode into ACCESS EXCLUSIVE, and refuses a mode', () => {
    expect(ran(translate('lock "a", "b"', inBlock)).sql).to.deep.equal([
      'lock table "a", "b" in access exclusive mode',
    ]);
    expect(refused(translate('lock table a in share mode', inBlock))).to.deep.equal({
      code: '42601',
      message: 'syntax error at or near "in"',
    });
    expect(refused(translate('lock a nowait', inBlock)).message).to.equal('syntax error at or near "nowait"');
  });

  it('turns ALTER DISTSTYLE / SORTKEY into a lock plus a column check, with the key change', () => {
    const result = ran(translate('alter table "songplays" alter diststyle key distkey "song_id"', inBlock));
    expect(result.sql).to.deep.equal([
      'lock table "songplays" in access exclusive mode',
      'select "song_id" from "songplays" limit 0',
    ]);
    expect(result.tag).to.equal('ALTER TABLE');
    expect(result.alteredKeys).to.deep.equal({ table: 'songplays', distkey: 'song_id', diststyle: 'KEY(song_id)' });
    expect(ran(translate('alter table t alter sortkey none', outside)).alteredKeys).to.deep.equal({
      table: 't',
      sortkeyKind: 'none',
      sortkey: [],
    });
    expect(refused(translate('alter table t alter interleaved sortkey (a)', inBlock)).code).to.equal('42601');
  });

  it('strips ENCODE from ADD COLUMN and records it', () => {
    const result = ran(translate('alter table "users" add column "last_event_at" timestamp encode az64', inBlock));
    expect(result.sql[0].replace(/\s+/g, ' ').trim()).to.equal(
      'alter table "users" add column "last_event_at" timestamp',
    );
    expect(result.alteredKeys).to.deep.equal({ table: 'users', encodings: { last_event_at: 'az64' } });
  });

  it('refuses PostgreSQL-only syntax as Redshift does', () => {
    const cases: Array<[string, string]> = [
      ['insert into t (a) values (1) on conflict do nothing', 'syntax error at or near "on"'],
      ['insert into t (a) values (1) returning a', 'syntax error at or near "returning"'],
      ['select distinct on (a) a from t', 'syntax error at or near "on"'],
      ['select a from t where a is distinct from b', 'syntax error at or near "distinct"'],
      ['select a from t where a is not distinct from b', 'syntax error at or near "distinct"'],
      ['select a from t for update', 'syntax error at or near "for"'],
      ['create index i on t (a)', 'syntax error at or near "index"'],
      ['create table t (a serial)', 'type "serial" does not exist'],
      [`select '{}'::jsonb`, 'type "jsonb" does not exist'],
      [`select '{}'::json`, 'type "json" does not exist'],
      ['do $$ begin end $$', 'syntax error at or near "do"'],
    ];
    for (const [statement, message] of cases)
      expect(refused(translate(statement, outside)).message, statement).to.equal(message);
  });

  it('does not see syntax inside strings, quoted names or comments', () => {
    expect(translate(`select 'on conflict' as "returning" /* distinct on */ from t`, outside).kind).to.equal('run');
  });

  it('refuses in a transaction block what cannot run there', () => {
    expect(refused(translate('vacuum', inBlock))).to.deep.equal({
      code: '25001',
      message: 'VACUUM cannot run inside a transaction block',
    });
    expect(translate('vacuum delete only t', outside)).to.deep.equal({ kind: 'ignore', tag: 'VACUUM' });
    expect(refused(translate('alter table t alter column c type varchar(300)', inBlock)).code).to.equal('25001');
  });

  it('accepts Redshift-only session settings with no effect, and runs the rest', () => {
    expect(translate('set enable_result_cache_for_session to off', inBlock)).to.deep.equal({
      kind: 'ignore',
      tag: 'SET',
    });
    expect(translate(`set query_group to 'nightly'`, inBlock)).to.deep.equal({ kind: 'ignore', tag: 'SET' });
    expect(translate('reset query_group', inBlock)).to.deep.equal({ kind: 'ignore', tag: 'RESET' });
    expect(ran(translate('set statement_timeout to 1000', inBlock)).sql).to.deep.equal([
      'set statement_timeout to 1000',
    ]);
  });

  it('marks TRUNCATE as committing and refuses more than one table', () => {
    expect(ran(translate('truncate "staging_events"', inBlock)).commitsTransaction).to.equal(true);
    expect(refused(translate('truncate a, b', inBlock)).code).to.equal('42601');
  });

  it('passes COPY to the COPY engine and drops the COLUMNS clause of ANALYZE', () => {
    expect(translate(`copy t from 's3://b/k' iam_role 'x' format as json 'auto'`, inBlock)).to.deep.equal({
      kind: 'copy',
    });
    expect(ran(translate('analyze "t" predicate columns', inBlock)).sql).to.deep.equal(['analyze "t"']);
  });
});
