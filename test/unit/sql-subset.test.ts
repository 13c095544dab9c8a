// Every SQL text the transforms produce for Redshift stays inside the subset Redshift
// runs: no Postgres-only constructs, and epoch milliseconds divided as decimals.
import { expect } from 'chai';
import { loadConfig } from '../../src/config';
import { redshift } from '../../src/dialects';
import { dryRunSteps, loadSteps, type LoadedStep, type StepResult } from '../../src/transform/runner';
import { failingCheckStatements } from '../support/failing-checks';
import type { RunOptions } from '../../src/transform/step';

/** Postgres has these; Redshift does not. */
const NOT_ON_REDSHIFT: Array<[string, RegExp]> = [
  ['ON CONFLICT (upsert)', /on\s+conflict/i],
  ['DISTINCT ON', /distinct\s+on\b/i],
  ['RETURNING', /\breturning\b/i],
  ['jsonb', /jsonb/i],
  [':: casts', /::/],
  ['IS [NOT] DISTINCT FROM', /is\s+(not\s+)?distinct\s+from/i],
  ['generate_series', /generate_series/i],
  ['aggregate FILTER (...)', /filter\s*\(/i],
];

/** The SQL with string literals and comments blanked, so only syntax is checked (an ARN's `::` is text). */
function syntaxOf(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'|\/\*[\s\S]*?\*\/|--[^\n]*/g, "''");
}

describe('the SQL subset the transforms use on Redshift', () => {
  const config = loadConfig({ target: 'redshift', dryRun: true, env: {} });
  const options: RunOptions = { fullRefresh: true, maxErrors: 0, dryRun: true };
  let steps: LoadedStep[];
  let results: StepResult[];
  let statements: Array<{ step: string; sql: string }>;

  before(async () => {
    steps = loadSteps();
    const incremental = (await dryRunSteps(redshift, steps, config, { ...options, fullRefresh: false })).results;
    results = (await dryRunSteps(redshift, steps, config, options)).results;
    statements = [...results, ...incremental].flatMap((r) => r.statements!.map((sql) => ({ step: r.id, sql })));
    // A check's sample query runs only when it finds rows: render those too.
    for (const step of steps.filter((s) => /_check_/.test(s.id))) {
      for (const sql of await failingCheckStatements(step)) statements.push({ step: step.id, sql });
    }
  });

  it('renders every step, each with statements', () => {
    expect(results.map((r) => r.id)).to.deep.equal(steps.map((s) => s.id));
    expect(results.length).to.be.at.least(8);
    for (const r of results) {
      expect(r.status, r.id).to.equal('success');
      expect(r.statements, r.id).to.be.an('array').that.is.not.empty;
    }
  });

  it('renders for Redshift: staging is a COPY from the public S3 sample', () => {
    const copies = statements.filter((s) => /^copy /.test(s.sql)).map((s) => s.sql);
    expect(copies.some((s) => s.includes("from 's3://udacity-dend/log_data'"))).to.equal(true);
    expect(copies.some((s) => s.includes("from 's3://udacity-dend/song_data'"))).to.equal(true);
    expect(copies.join('\n')).not.to.match(/from stdin/i);
  });

  for (const [construct, pattern] of NOT_ON_REDSHIFT) {
    it(`uses no ${construct}`, () => {
      const offending = statements.filter((s) => pattern.test(syntaxOf(s.sql)));
      expect(offending.map((s) => `${s.step}: ${s.sql}`)).to.deep.equal([]);
    });
  }

  it('converts epoch milliseconds with / 1000.0, never integer division', () => {
    const epochs = statements.filter((s) => /'epoch'/.test(s.sql));
    expect(epochs.length, 'dim_time and fact_songplays convert ts').to.be.at.least(2);
    for (const s of epochs) expect(s.sql, s.step).to.include("timestamp 'epoch' + ts / 1000.0 * interval '1 second'");
    const integerDivision = statements.filter((s) => /\/\s*1000(?![\d.])/.test(s.sql));
    expect(integerDivision.map((s) => `${s.step}: ${s.sql}`)).to.deep.equal([]);
  });

  it('blanks only literals and comments when checking syntax', () => {
    expect(syntaxOf("select 'a::b', x::int -- c::d\n/* e::f */")).to.equal("select '', x::int ''\n''");
    expect(syntaxOf("select 'it''s::x'")).to.equal("select ''");
  });
});
