// Issue 21 item 9: text from the configuration (a source path, a bucket prefix) printed in
// a dry run's SQL comment must stay inside it. Pasted into psql, every statement the dry
// run prints must be one statement, and only the one the tool means.
import { expect } from 'chai';
import { loadConfig } from '../../src/config';
import { blockComment, lineComment } from '../../src/dialects/dialect';
import { postgres, redshift } from '../../src/dialects';
import { dryRunSteps } from '../../src/transform/dry-run';
import { loadSteps } from '../../src/transform/runner';
import { splitStatements } from '../support/sql-statements';

const ATTACK = '/x*/; drop table users cascade; /*y';
const ATTACKS = [
  ATTACK,
  'x/*/; drop table users; --',
  '/x*/\n; drop table users; /*y',
  '/x*/*/; drop table users; -- */',
  '/x**//; drop table users;/*',
];

/** The load steps' dry-run statements, normal and --full-refresh; none when the tool refuses the setting (an S3 URI with a line break). */
async function dryRunStatements(
  engine: 'postgres' | 'redshift',
  attack: string,
  manifests: boolean,
): Promise<string[]> {
  const s3 = engine === 'redshift';
  const source = (name: string) =>
    s3 ? `s3://bucket${attack.startsWith('/') ? '' : '/'}${attack}/${name}` : `${attack}/${name}`;
  const env = {
    REDSHIFT_IAM_ROLE_ARN: 'arn:aws:iam::123456789012:role/sparkify-redshift-s3-read',
    AWS_REGION: 'us-west-2',
    LOG_DATA: source('log_data'),
    SONG_DATA: source('song_data'),
    LOG_JSONPATH: source('log_json_path.json'),
    ...(manifests ? { MANIFEST_PREFIX: 's3://loads/manifests/' } : {}),
  };
  const config = loadConfig({ target: engine, dryRun: true, env });
  const statements: string[] = [];
  for (const fullRefresh of [false, true]) {
    const { results, error } = await dryRunSteps(s3 ? redshift : postgres, loadSteps().slice(0, 2), config, {
      fullRefresh,
      maxErrors: 0,
      dryRun: true,
    });
    if (error) {
      expect(error.message).to.match(/is not an S3 URI/);
      return [];
    }
    statements.push(...results.flatMap((r) => r.statements!));
  }
  return statements;
}

describe('dry-run comments hold config text safely', () => {
  for (const engine of ['postgres', 'redshift'] as const) {
    for (const manifests of engine === 'redshift' ? [true, false] : [false]) {
      it(`${engine}${manifests ? ' with MANIFEST_PREFIX' : ''}: each statement of the load steps is one statement under either comment rule, with no drop`, async () => {
        let shown = 0;
        for (const attack of ATTACKS) {
          const statements = await dryRunStatements(engine, attack, manifests);
          if (statements.some((s) => s.includes('drop table users'))) shown++;
          for (const statement of statements) {
            for (const nested of [true, false]) {
              const split = splitStatements(statement, { nested });
              expect(split.length, `${attack} (${nested ? 'nested' : 'flat'} comments) in:\n${statement}`).to.equal(1);
              expect(split[0].code, statement).not.to.match(/\bdrop\b/i);
            }
          }
          // As printed by transform --dry-run: the statements joined with ";", pasted whole.
          const printed = statements.map((s) => `${s.trim()};`).join('\n\n');
          expect(splitStatements(printed).length).to.equal(statements.length);
        }
        expect(shown, 'attacks rendered into the SQL').to.be.greaterThan(2);
      });
    }
  }

  it('blockComment and lineComment keep any text inside the comment', () => {
    for (const text of [
      ...ATTACKS,
      '*/',
      '/*',
      '*',
      '/',
      '**//**',
      'a\r\n; drop table users; --',
      'ends in *',
      'ends in /',
    ]) {
      for (const nested of [true, false]) {
        expect(
          splitStatements(`select 1 ${blockComment(text)}; select 2`, { nested }).map((s) => s.code),
          text,
        ).to.deep.equal(['select 1', 'select 2']);
        expect(
          splitStatements(`select 1 ${lineComment(text)}\n; select 2`, { nested }).map((s) => s.code),
          text,
        ).to.deep.equal(['select 1', 'select 2']);
      }
    }
    expect(blockComment('streamed: the files under /data/logs')).to.equal('/* streamed: the files under /data/logs */');
  });
});
