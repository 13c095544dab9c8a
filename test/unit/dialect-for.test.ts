// dialectFor(target) decides what a command renders for a target: the embedded server and
// DATABASE_URL get PostgreSQL's SQL, redshift gets Redshift's. Seen where it matters, in
// what `transform --dry-run` prints for each target.
import { expect } from 'chai';
import { loadConfig, type TargetName } from '../../src/config';
import { dialectFor } from '../../src/dialects';
import { integer, type TableDeclaration } from '../../src/schema/table';
import { runTransformCommand } from '../../src/transform/command';

async function dryRunOutput(target: TargetName): Promise<string> {
  const printed: string[] = [];
  await runTransformCommand(loadConfig({ target, dryRun: true, env: {} }), {
    selection: { only: '010_stage_events' },
    options: { fullRefresh: false, maxErrors: 0, dryRun: true },
    print: (text) => printed.push(text),
  });
  return printed.join('\n');
}

describe('dialectFor: the dialect a target speaks', () => {
  for (const target of ['local', 'postgres'] as const) {
    it(`${target}: a transform dry run renders PostgreSQL's streamed COPY, no table locks`, async () => {
      const output = await dryRunOutput(target);
      expect(output).to.match(/^-- transform --dry-run for postgres:/);
      expect(output).to.match(/copy "staging_events" \([^)]*\) from stdin/);
      expect(output).not.to.match(/^lock /m);
      expect(output).not.to.include("from 's3://");
    });
  }

  it("redshift: a transform dry run renders Redshift's COPY from S3, after a lock of the step's tables", async () => {
    const output = await dryRunOutput('redshift');
    expect(output).to.match(/^-- transform --dry-run for redshift:/);
    expect(output).to.match(/^lock "load_errors", "load_ledger", "source_listings", "staging_events";$/m);
    expect(output).to.match(/from 's3:\/\/udacity-dend\/log_data'\niam_role /);
    expect(output).not.to.include('from stdin');
  });

  it("renders each target's DDL: distribution and sort keys on Redshift, indexes on PostgreSQL", () => {
    const table: TableDeclaration = {
      name: 't',
      layer: 'star',
      comment: '',
      columns: [{ name: 'k', type: integer }],
      distribution: { style: 'all' },
      sortKey: ['k'],
    };
    expect(dialectFor('redshift').createTable(table).join('\n')).to.match(/diststyle all\ncompound sortkey \("k"\)$/);
    for (const target of ['local', 'postgres'] as const)
      expect(dialectFor(target).createTable(table)).to.deep.equal([
        'create table "t" (\n  "k" integer\n)',
        'create index "t_k_btree" on "t" using btree ("k")',
      ]);
  });
});
