// The SQL a check step sends when every check finds rows, incremental and --full: its scans, then each check's
// count and sample queries. Those run only on a failure, so no dry run shows them; this
// renders them with a stand-in connection that records each statement and answers 1 to
// whatever column it is asked for (the scans' tallies, the counts).
import { expect } from 'chai';
import { loadConfig } from '../../src/config';
import { redshift, type Dialect } from '../../src/dialects';
import { QualityError } from '../../src/errors';
import { silentProgress } from '../../src/step/progress';
import type { StepContext, TransformStep } from '../../src/step/contract';

export async function failingCheckStatements(
  step: TransformStep & { id?: string },
  dialect: Dialect = redshift,
): Promise<string[]> {
  // Both forms: the incremental checks (what the runs wrote; the stand-in answers that they wrote something), and --full.
  return [...(await statementsOf(step, dialect, false)), ...(await statementsOf(step, dialect, true))];
}

async function statementsOf(
  step: TransformStep & { id?: string },
  dialect: Dialect,
  fullChecks: boolean,
): Promise<string[]> {
  const recorded: string[] = [];
  const everyColumnIsOne = new Proxy({}, { get: () => 1 });
  const db = {
    async raw(sql: string) {
      recorded.push(sql);
      return { rows: [everyColumnIsOne], rowCount: 1 };
    },
  };
  const context = {
    db,
    outside: db,
    dialect,
    config: loadConfig({ target: dialect.name, dryRun: true, env: {} }),
    options: { fullRefresh: false, maxErrors: 0, dryRun: false, fullChecks },
    progress: silentProgress,
    log: () => {},
  } as unknown as StepContext;
  try {
    await step.run(context);
    expect.fail(`${step.id} passed although every check found rows`);
  } catch (error) {
    expect(error).to.be.instanceOf(QualityError);
  }
  expect(
    recorded.some((sql) => /\nlimit 5$/.test(sql)),
    'sample queries rendered',
  ).to.equal(true);
  return recorded;
}
