// With REGION, every file one COPY reads, the manifest and the JSONPaths file included, must be
// in that region (AWS, "COPY from Amazon S3"). The load checks it before it writes anything and
// names the variable to change. S3 through aws-sdk-client-mock; the step's connection is a
// stand-in that fails the test if the load gets as far as touching it.
import { expect } from 'chai';
import { GetBucketLocationCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import type { Knex } from 'knex';
import { loadConfig } from '../../src/config';
import { redshift } from '../../src/dialects';
import { ConfigError } from '../../src/errors';
import { redshiftLoad } from '../../src/load/redshift';
import type { StageSpec } from '../../src/load/stage-spec';
import { dryRunSteps } from '../../src/transform/dry-run';
import { silentProgress } from '../../src/step/progress';
import { loadSteps } from '../../src/transform/runner';
import type { StepContext } from '../../src/step/contract';

const REACHED = 'the load reached the database';

/** A connection that refuses everything: the check must come before the load writes. */
const untouchable = new Proxy(() => {}, {
  apply: () => {
    throw new Error(REACHED);
  },
  get: () => () => {
    throw new Error(REACHED);
  },
}) as unknown as Knex;

const events: StageSpec = {
  source: 'events',
  table: 'staging_events',
  columns: ['ts'],
  uri: (c) => c.sources.logData,
  mapping: (c) => c.sources.logJsonPath,
  keeps: 'batch',
};

const ENV = {
  REDSHIFT_IAM_ROLE_ARN: 'arn:aws:iam::123456789012:role/r',
  AWS_REGION: 'us-west-2',
  LOG_DATA: 's3://udacity-dend/log_data',
  LOG_JSONPATH: 's3://udacity-dend/log_json_path.json',
};

async function load(env: Record<string, string>, said: string[] = []): Promise<Error> {
  const config = loadConfig({ target: 'redshift', dryRun: true, env: { ...ENV, ...env } });
  const context: StepContext = {
    db: untouchable,
    outside: untouchable,
    dialect: redshift,
    config,
    options: { fullRefresh: false, maxErrors: 0, dryRun: false },
    progress: silentProgress,
    log: (m) => said.push(m),
  };
  return redshiftLoad(context, events, untouchable).then(
    () => new Error('the load finished'),
    (error: Error) => error,
  );
}

describe('Redshift load: the manifest and JSONPaths buckets are in COPY’s region', () => {
  // Every S3Client, made now or cached by src/load/s3.ts, for this suite only: restored after,
  // so that other suites' mocks of single clients do not meet a mocked prototype.
  const mockS3 = () => mockClient(S3Client);
  let s3: ReturnType<typeof mockS3>;
  before(() => {
    s3 = mockS3();
  });
  beforeEach(() => s3.reset());
  after(() => s3.restore());

  it('refuses a MANIFEST_PREFIX bucket in another region before writing a manifest, naming the variable and both regions', async () => {
    s3.on(GetBucketLocationCommand, { Bucket: 'my-loads' }).resolves({ LocationConstraint: 'eu-west-1' });
    const error = await load({ MANIFEST_PREFIX: 's3://my-loads/m/' });
    expect(error).to.be.instanceOf(ConfigError);
    expect(error.message)
      .to.contain('MANIFEST_PREFIX')
      .and.to.contain('eu-west-1')
      .and.to.contain("REGION 'us-west-2'")
      .and.to.contain('Set MANIFEST_PREFIX to a bucket in us-west-2');
    expect(s3.commandCalls(PutObjectCommand)).to.have.length(0);
  });

  it('refuses a LOG_JSONPATH bucket in another region, with or without MANIFEST_PREFIX', async () => {
    s3.on(GetBucketLocationCommand, { Bucket: 'my-paths' }).resolves({}); // us-east-1
    for (const extra of [{}, { MANIFEST_PREFIX: 's3://udacity-dend/m/' }] as Array<Record<string, string>>) {
      const error = await load({ ...extra, LOG_JSONPATH: 's3://my-paths/log_json_path.json' });
      expect(error).to.be.instanceOf(ConfigError);
      expect(error.message)
        .to.contain('LOG_JSONPATH is in bucket my-paths, in us-east-1')
        .and.to.contain('Set LOG_JSONPATH to a bucket in us-west-2');
    }
  });

  it('goes on when the buckets are in the region, asking nothing about the sources’ own bucket', async () => {
    s3.on(GetBucketLocationCommand, { Bucket: 'my-loads' }).resolves({ LocationConstraint: 'us-west-2' });
    expect((await load({ MANIFEST_PREFIX: 's3://my-loads/m/' })).message).to.equal(REACHED);
    expect(s3.commandCalls(GetBucketLocationCommand).map((c) => c.args[0].input.Bucket)).to.deep.equal(['my-loads']);
    s3.reset();
    expect((await load({ MANIFEST_PREFIX: 's3://udacity-dend/m/' })).message).to.equal(REACHED);
    expect(s3.commandCalls(GetBucketLocationCommand)).to.have.length(0);
  });

  it('when GetBucketLocation is refused: says it could not check, and goes on', async () => {
    s3.on(GetBucketLocationCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    const said: string[] = [];
    expect((await load({ MANIFEST_PREFIX: 's3://my-loads/m/' }, said)).message).to.equal(REACHED);
    expect(said.join('\n'))
      .to.contain('MANIFEST_PREFIX (bucket my-loads) could not be looked up')
      .and.to.contain('AccessDenied')
      .and.to.contain('must be us-west-2');
  });

  it('a dry run calls no AWS API and says in a comment what the real run checks', async () => {
    const config = loadConfig({
      target: 'redshift',
      dryRun: true,
      env: { ...ENV, MANIFEST_PREFIX: 's3://my-loads/m/' },
    });
    const [result] = (
      await dryRunSteps(redshift, [loadSteps()[0]], config, { fullRefresh: false, maxErrors: 0, dryRun: true })
    ).results;
    expect(result.statements!.find((s) => s.startsWith('copy'))).to.contain(
      "/* The region of MANIFEST_PREFIX (bucket my-loads) is checked with GetBucketLocation on a real run, before anything is written: it must be us-west-2, COPY's REGION. */",
    );
    expect(s3.calls()).to.have.length(0);
  });
});
