// Every SQL text the transforms render, for either engine, stays inside the subset both
// run: no Postgres-only constructs, and epoch milliseconds divided as decimals. The scan
// is checked against planted offenders too, so a pattern that matches nothing fails here.
import { expect } from 'chai';
import { normalize } from '../../src/sql-text';
import { loadConfig } from '../../src/config';
import { postgres, redshift, type Dialect } from '../../src/dialects';
import { dryRunSteps } from '../../src/transform/dry-run';
import { loadSteps, type LoadedStep } from '../../src/transform/runner';
import type { RunOptions } from '../../src/step/contract';
import { failingCheckStatements } from '../support/failing-checks';
import { POSTGRES_ONLY } from '../../src/query/postgres-only';

/** Postgres has these; Redshift does not (the list npm run query warns with). Each with a statement that uses it. */
const NOT_ON_REDSHIFT: Array<[string, RegExp, string]> = POSTGRES_ONLY.map((c) => [c.construct, c.pattern, c.example]);

interface Rendered {
  step: string;
  sql: string;
}

/** The constructs outside the subset, `step: construct`, judged on syntax only (an ARN's `::` is text). */
function offenders(statements: Rendered[]): string[] {
  return statements.flatMap((s) =>
    NOT_ON_REDSHIFT.filter(([, pattern]) => pattern.test(normalize(s.sql))).map(
      ([construct]) => `${s.step}: ${construct}`,
    ),
  );
}

/** Integer division of epoch milliseconds (`ts / 1000`) loses the milliseconds on both engines. */
function integerDivisions(statements: Rendered[]): string[] {
  return statements.filter((s) => /\/\s*1000(?![\d.])/.test(normalize(s.sql))).map((s) => `${s.step}: ${s.sql}`);
}

const options: RunOptions = { fullRefresh: false, maxErrors: 0, dryRun: true };

/** Every statement of every step: incremental and --full-refresh, and each check's sample queries. */
async function renderAll(
  dialect: Dialect,
  steps: LoadedStep[],
): Promise<{ statements: Rendered[]; errors: string[]; empty: string[] }> {
  const config = loadConfig({ target: dialect.name, dryRun: true, env: {} });
  const statements: Rendered[] = [];
  const errors: string[] = [];
  const empty: string[] = [];
  for (const fullRefresh of [false, true]) {
    const outcome = await dryRunSteps(dialect, steps, config, { ...options, fullRefresh });
    if (outcome.error) errors.push(outcome.error.message);
    for (const r of outcome.results) {
      if (!r.statements?.length) empty.push(r.id);
      for (const sql of r.statements ?? []) statements.push({ step: r.id, sql });
    }
  }
  for (const step of steps.filter((s) => /_check_/.test(s.id))) {
    for (const sql of await failingCheckStatements(step, dialect)) statements.push({ step: step.id, sql });
  }
  return { statements, errors, empty };
}

for (const dialect of [redshift, postgres]) {
  describe(`the SQL subset the transforms render for ${dialect.name}`, () => {
    let steps: LoadedStep[];
    let rendered: Awaited<ReturnType<typeof renderAll>>;

    before(async () => {
      steps = loadSteps();
      rendered = await renderAll(dialect, steps);
    });

    it('renders every step without an error, each with statements', () => {
      expect(steps.length).to.be.at.least(8);
      expect(rendered.errors).to.deep.equal([]);
      expect(rendered.empty).to.deep.equal([]);
      expect(new Set(rendered.statements.map((s) => s.step))).to.deep.equal(new Set(steps.map((s) => s.id)));
    });

    it('uses no construct outside the subset', () => {
      expect(offenders(rendered.statements)).to.deep.equal([]);
    });

    it('converts epoch milliseconds with / 1000.0, never integer division', () => {
      const epochs = rendered.statements.filter((s) => /'epoch'/.test(s.sql));
      expect(epochs.length, 'dim_users, dim_time and fact_songplays convert ts').to.be.at.least(3);
      for (const s of epochs)
        expect(s.sql, s.step).to.match(/timestamp 'epoch' \+ (\w+\.)?ts \/ 1000\.0 \* interval '1 second'/);
      expect(integerDivisions(rendered.statements)).to.deep.equal([]);
    });
  });
}

describe('the subset scan', () => {
  it('catches a step whose SQL uses each construct, rendered like any other step', async () => {
    const planted: LoadedStep[] = NOT_ON_REDSHIFT.map(([construct, , sql], i) => ({
      id: `9${String(i).padStart(2, '0')}_planted`,
      description: construct,
      run: async ({ db }) => (await db.raw(sql), {}),
    }));
    const outcome = await dryRunSteps(
      redshift,
      planted,
      loadConfig({ target: 'redshift', dryRun: true, env: {} }),
      options,
    );
    const statements = outcome.results.flatMap((r) => (r.statements ?? []).map((sql) => ({ step: r.id, sql })));
    const expected = NOT_ON_REDSHIFT.map(([construct], i) => `${planted[i].id}: ${construct}`);
    expect(offenders(statements)).to.deep.equal(expected);
    expect(
      integerDivisions([{ step: 'x', sql: "select timestamp 'epoch' + ts / 1000 * interval '1 second'" }]),
    ).to.have.length(1);
  });

  it('reads syntax only: the same words in a literal, a comment or an ARN are no offence', () => {
    const text: Rendered[] = [
      { step: 'a', sql: "select 'on conflict do nothing', 'x::int' -- returning ::\n/* distinct on (x) */ from t" },
      { step: 'b', sql: "copy t from 's3://b/p' iam_role 'arn:aws:iam::123456789012:role/r'" },
    ];
    expect(offenders(text)).to.deep.equal([]);
  });

  it('scans the staging COPY too: on Redshift it reads the public sample on S3', async () => {
    const { statements } = await renderAll(redshift, loadSteps());
    const copies = statements.filter((s) => /^copy /.test(s.sql)).map((s) => s.sql);
    expect(copies.some((s) => s.includes("from 's3://udacity-dend/log_data'"))).to.equal(true);
    expect(copies.some((s) => s.includes("from 's3://udacity-dend/song_data'"))).to.equal(true);
  });
});
