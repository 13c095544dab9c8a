// REDSHIFT_AUTH=iam: temporary database credentials fetched at connect time, through
// aws-sdk-client-mock; no password in the configuration.
import { expect } from 'chai';
import knexFactory from 'knex';
import { mockClient } from 'aws-sdk-client-mock';
import { GetClusterCredentialsWithIAMCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import {
  AccessDeniedException,
  GetCredentialsCommand,
  RedshiftServerlessClient,
} from '@aws-sdk/client-redshift-serverless';
import { loadConfig } from '../../src/config';
import { ConfigError, CloudError } from '../../src/errors';
import { knexConfig } from '../../src/targets/knex-config';
import { fetchDatabaseCredentials, iamConnectionProvider } from '../../src/targets/iam-credentials';

const BASE_ENV: NodeJS.ProcessEnv = {
  WAREHOUSE_TARGET: 'redshift',
  AWS_REGION: 'us-west-2',
  REDSHIFT_HOST: 'sparkify.123456789012.us-west-2.redshift-serverless.amazonaws.com',
  REDSHIFT_DB: 'sparkify',
  REDSHIFT_IAM_ROLE_ARN: 'arn:aws:iam::123456789012:role/sparkify-redshift-s3-read',
};
const TEMP_PASSWORD = 'TempPw-From-IAM-123';
const EXPIRES = new Date('2025-11-25T11:00:00Z');

describe('REDSHIFT_AUTH=iam', () => {
  const serverless = mockClient(RedshiftServerlessClient);
  const redshift = mockClient(RedshiftClient);
  after(() => {
    serverless.restore();
    redshift.restore();
  });
  beforeEach(() => {
    serverless.reset();
    redshift.reset();
    serverless
      .on(GetCredentialsCommand)
      .resolves({ dbUser: 'IAMR:admin', dbPassword: TEMP_PASSWORD, expiration: EXPIRES });
    redshift
      .on(GetClusterCredentialsWithIAMCommand)
      .resolves({ DbUser: 'IAM:me', DbPassword: TEMP_PASSWORD, Expiration: EXPIRES });
  });

  it('is the default on Serverless and needs no password; REDSHIFT_AUTH=password keeps asking for one', () => {
    const config = loadConfig({ env: { ...BASE_ENV, REDSHIFT_DEPLOYMENT: 'serverless' } });
    expect(config.redshift).to.deep.include({ database: 'sparkify' });
    expect(config.redshift!.password).to.equal(undefined);
    expect(config.redshift!.iam).to.deep.equal({
      region: 'us-west-2',
      deployment: 'serverless',
      workgroup: 'sparkify',
    });
    expect(() =>
      loadConfig({
        env: { ...BASE_ENV, REDSHIFT_DEPLOYMENT: 'serverless', REDSHIFT_AUTH: 'password', REDSHIFT_USER: 'awsuser' },
      }),
    ).to.throw(ConfigError, /REDSHIFT_PASSWORD is not set/);
    expect(() => loadConfig({ env: { ...BASE_ENV, REDSHIFT_AUTH: 'token' } })).to.throw(
      ConfigError,
      /REDSHIFT_AUTH must be iam or password/,
    );
  });

  it('on Serverless calls GetCredentials on the workgroup at connect time, and refreshes near expiry', async () => {
    let clock = new Date('2025-11-25T10:00:00Z');
    const config = loadConfig({
      env: { ...BASE_ENV, REDSHIFT_DEPLOYMENT: 'serverless', REDSHIFT_WORKGROUP: 'team-wg' },
    });
    const provider = iamConnectionProvider({ ...config.redshift!, iam: config.redshift!.iam! }, () => clock);
    expect(serverless.calls()).to.have.length(0);
    const settings = await provider();
    expect(serverless.commandCalls(GetCredentialsCommand)[0].args[0].input).to.deep.equal({
      workgroupName: 'team-wg',
      dbName: 'sparkify',
      durationSeconds: 3600,
    });
    expect(settings).to.deep.include({
      user: 'IAMR:admin',
      password: TEMP_PASSWORD,
      database: 'sparkify',
      ssl: { rejectUnauthorized: true },
    });
    expect(settings.expirationChecker()).to.equal(false);
    clock = new Date('2025-11-25T10:56:00Z');
    expect(settings.expirationChecker()).to.equal(true);
  });

  it('on a provisioned cluster calls GetClusterCredentialsWithIAM', async () => {
    const config = loadConfig({ env: { ...BASE_ENV, REDSHIFT_AUTH: 'iam', REDSHIFT_CLUSTER_ID: 'my-cluster' } });
    const credentials = await fetchDatabaseCredentials(config.redshift!.iam!, 'sparkify');
    expect(redshift.commandCalls(GetClusterCredentialsWithIAMCommand)[0].args[0].input).to.deep.equal({
      ClusterIdentifier: 'my-cluster',
      DbName: 'sparkify',
      DurationSeconds: 3600,
    });
    expect(credentials).to.deep.equal({ user: 'IAM:me', password: TEMP_PASSWORD, expiresAt: EXPIRES });
    expect(serverless.calls()).to.have.length(0);
  });

  it('knex fetches the credentials when it opens a connection, not before', async () => {
    // Port 1 refuses the connection: what matters is that the credentials were asked for first.
    const config = loadConfig({
      env: { ...BASE_ENV, REDSHIFT_DEPLOYMENT: 'serverless', REDSHIFT_HOST: '127.0.0.1', REDSHIFT_PORT: '1' },
    });
    const knex = knexFactory({ ...knexConfig(config), acquireConnectionTimeout: 5000 });
    try {
      expect(serverless.calls()).to.have.length(0);
      let failure: unknown;
      await knex.raw('select 1').catch((error) => (failure = error));
      expect(String(failure)).to.match(/ECONNREFUSED/);
      expect(serverless.commandCalls(GetCredentialsCommand)).to.have.length(1);
      expect(String(failure)).not.to.include(TEMP_PASSWORD);
    } finally {
      await knex.destroy();
    }
  });

  it('turns a refusal into one line that says what to check, without a secret', async () => {
    serverless.on(GetCredentialsCommand).rejects(
      new AccessDeniedException({
        message: 'not authorized to perform: redshift-serverless:GetCredentials',
        $metadata: {},
      }),
    );
    const config = loadConfig({ env: { ...BASE_ENV, REDSHIFT_DEPLOYMENT: 'serverless' } });
    let failure: Error | undefined;
    await fetchDatabaseCredentials(config.redshift!.iam!, 'sparkify').catch((error) => (failure = error));
    expect(failure).to.be.instanceOf(CloudError);
    expect(failure!.message).to.equal(
      'Could not get temporary database credentials (REDSHIFT_AUTH=iam) for workgroup sparkify in us-west-2: AccessDeniedException: not authorized to perform: redshift-serverless:GetCredentials. ' +
        'Check your AWS credentials (AWS_PROFILE or keys), that your identity may call redshift-serverless:GetCredentials, and REDSHIFT_WORKGROUP; or set REDSHIFT_AUTH=password.',
    );
  });
});
