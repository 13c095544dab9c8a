// The COPY text the driver gets is the text the dry run prints. knex.raw(sql) rewrites every
// `?` into `$n` (knex's pg client, positionBindings), even inside a quoted literal and with no
// bindings, so `acceptinvchars as '?'` would reach Redshift as `acceptinvchars as '$1'`. No
// database: knex's own redshift client, with only the driver call replaced by a recorder, so
// what is recorded is what knex hands to node-postgres.
import { expect } from 'chai';
import knexFactory, { type Knex } from 'knex';
import { loadConfig } from '../../src/config';
import { postgres, redshift } from '../../src/dialects';
import { loadModule } from '../../src/load-module';
import { runCopy } from '../../src/load/redshift/copy-run';
import { renderCopy } from '../../src/load/redshift/copy-sql';
import { dryRunSteps } from '../../src/transform/dry-run';
import { loadSteps } from '../../src/transform/runner';

const RedshiftClient = loadModule('knex/lib/dialects/redshift') as typeof Knex.Client;

/** A knex whose driver records the SQL it is given and answers from `answer`. */
function wireKnex(answer: (sql: string) => Array<Record<string, unknown>>): { knex: Knex; sent: string[] } {
  const sent: string[] = [];
  class WireClient extends RedshiftClient {
    override async acquireConnection() {
      return {};
    }
    override async releaseConnection() {}
    // knex's pg client: `connection.query({ text: obj.sql, values: obj.bindings })`; obj.sql
    // has been through positionBindings by now.
    async _query(_connection: unknown, obj: { sql: string; bindings?: unknown[] }) {
      sent.push(obj.sql);
      const rows = answer(obj.sql);
      return { ...obj, response: { rows, rowCount: rows.length, command: 'SELECT', fields: [] } };
    }
  }
  return { knex: knexFactory({ client: WireClient as unknown as typeof Knex.Client }), sent };
}

describe('COPY on the wire', () => {
  it("sends acceptinvchars as '?' and a ? in an S3 key as written, not as $1", async () => {
    const copySql = renderCopy(
      {
        table: 'staging_events',
        columns: ['ts'],
        from: 's3://b/log_data/what?.json',
        manifest: false,
        gzip: false,
        roleArn: 'arn:aws:iam::123456789012:role/r',
        region: 'us-west-2',
        mapping: 'auto',
        maxErrors: 0,
        acceptInvalidChars: '?',
      },
      redshift,
    );
    const step = wireKnex((sql) => {
      if (sql.includes('getdate()')) return [{ copy_marker: '2026-11-29 19:00:00' }];
      if (sql.includes('pg_last_copy_count')) return [{ loaded: 1, copy_id: 7 }];
      return [];
    });
    const outside = wireKnex(() => []);
    try {
      await runCopy(step.knex, outside.knex, copySql, 'staging_events', 4242, 0);
      const sent = step.sent.find((s) => s.startsWith('copy'));
      expect(sent).to.equal(copySql);
      expect(sent)
        .to.match(/\nacceptinvchars as '\?'(\n|$)/)
        .and.to.contain("from 's3://b/log_data/what?.json'");
    } finally {
      await step.knex.destroy();
      await outside.knex.destroy();
    }
  });

  it('the dry run prints the same text: ? kept in the COPY and in its comments', async () => {
    const env = {
      REDSHIFT_IAM_ROLE_ARN: 'arn:aws:iam::123456789012:role/r',
      AWS_REGION: 'eu-west-1',
      LOG_DATA: 's3://my-data/log?data',
      LOG_JSONPATH: 'auto',
      SOURCE_REGION: 'eu-west-1',
    };
    const [events] = loadSteps();
    for (const extra of [{}, { MANIFEST_PREFIX: 's3://my-data/m/' }]) {
      const config = loadConfig({ target: 'redshift', dryRun: true, env: { ...env, ...extra } });
      const [result] = (
        await dryRunSteps(redshift, [events], config, {
          fullRefresh: false,
          maxErrors: 0,
          dryRun: true,
          acceptInvalidChars: '?',
        })
      ).results;
      const copies = result.statements!.filter((s) => s.startsWith('copy'));
      expect(copies).to.have.length(2);
      for (const copy of copies)
        expect(copy)
          .to.match(/\nacceptinvchars as '\?'[\n ]/)
          .and.to.contain('s3://my-data/log?data')
          .and.not.to.match(/\$\d/);
    }
  });

  it("the local target's dry run keeps a ? in the path it names", async () => {
    const config = loadConfig({
      target: 'postgres',
      dryRun: true,
      env: { DATABASE_URL: 'postgres://u@h/db', LOG_DATA: '/tmp/no-such-dir/log?data', LOG_JSONPATH: 'auto' },
    });
    const [result] = (
      await dryRunSteps(postgres, [loadSteps()[0]], config, { fullRefresh: false, maxErrors: 0, dryRun: true })
    ).results;
    expect(result.statements!.find((s) => s.startsWith('copy'))).to.contain('/tmp/no-such-dir/log?data');
  });
});
