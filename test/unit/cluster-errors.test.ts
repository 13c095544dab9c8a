import { expect } from 'chai';
import {
  ClusterAlreadyExistsFault,
  ClusterNotFoundFault,
  ClusterQuotaExceededFault,
  CreateClusterCommand,
  DescribeClustersCommand,
  InvalidClusterStateFault,
} from '@aws-sdk/client-redshift';
import { CreateRoleCommand, GetRoleCommand, NoSuchEntityException, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CloudError } from '../../src/errors';
import { errorCode, translateAwsError } from '../../src/cluster/aws-errors';
import { runCluster } from '../../src/cluster/run';
import { ENV, PASSWORD, ROLE_ARN, everything, fake, mocks, useClusterMocks } from '../support/cluster-fakes';

/** An error as the SDK throws it for a code it has no class for. */
function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });
}

const CONTEXT = { clusterId: 'sparkify-warehouse', region: 'us-west-2', secrets: [PASSWORD] };

describe('cluster AWS error translation', () => {
  const cases: Array<[string, Error, RegExp]> = [
    [
      'AccessDenied',
      awsError('AccessDenied', 'User: arn:aws:iam::1:user/me is not authorized to perform: redshift:CreateCluster'),
      /^AWS denied access: User: .*redshift:CreateCluster\. Grant your IAM identity that permission, or set AWS_PROFILE/,
    ],
    [
      'AccessDeniedException',
      awsError('AccessDeniedException', 'not authorized to perform: iam:CreateRole'),
      /^AWS denied access: .*iam:CreateRole\. Grant/,
    ],
    [
      'UnauthorizedOperation (EC2)',
      awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'),
      /^AWS denied access/,
    ],
    [
      'ClusterAlreadyExists',
      awsError('ClusterAlreadyExists', 'Cluster already exists'),
      /already exists in us-west-2\. See it with npm run cluster -- status, or set REDSHIFT_CLUSTER_ID/,
    ],
    [
      'ClusterAlreadyExistsFault',
      new ClusterAlreadyExistsFault({ message: 'exists', $metadata: {} }),
      /already exists in us-west-2/,
    ],
    [
      'InvalidClusterState',
      awsError('InvalidClusterState', 'busy'),
      /cannot do that in its current state \(busy\)\. Check npm run cluster -- status/,
    ],
    [
      'InvalidClusterStateFault',
      new InvalidClusterStateFault({ message: 'busy', $metadata: {} }),
      /cannot do that in its current state/,
    ],
    ['ClusterQuotaExceeded', awsError('ClusterQuotaExceeded', 'quota'), /cluster quota is used up .*Service Quotas/],
    [
      'ClusterQuotaExceededFault',
      new ClusterQuotaExceededFault({ message: 'quota', $metadata: {} }),
      /cluster quota is used up/,
    ],
    ['Throttling', awsError('Throttling', 'Rate exceeded'), /^AWS is throttling requests .*Wait a minute/],
    ['ThrottlingException', awsError('ThrottlingException', 'Rate exceeded'), /^AWS is throttling requests/],
    [
      'ExpiredToken',
      awsError('ExpiredToken', 'The security token included in the request is expired'),
      /session has expired\. Refresh your credentials/,
    ],
    ['ExpiredTokenException', awsError('ExpiredTokenException', 'expired'), /session has expired/],
    [
      'missing credentials',
      awsError('CredentialsProviderError', 'Could not load credentials from any providers'),
      /^No AWS credentials found\. Set AWS_PROFILE .*--dry-run needs none/,
    ],
    [
      'ClusterNotFoundFault',
      new ClusterNotFoundFault({ message: 'nope', $metadata: {} }),
      /There is no cluster "sparkify-warehouse" in us-west-2/,
    ],
    [
      'a network failure',
      Object.assign(new Error('getaddrinfo ENOTFOUND redshift.us-west-2.amazonaws.com'), { code: 'ENOTFOUND' }),
      /^Cannot reach AWS/,
    ],
    ['anything else', awsError('SomethingNew', 'odd\nthing'), /^AWS call failed with SomethingNew: odd thing\.$/],
  ];
  for (const [what, error, expected] of cases) {
    it(`turns ${what} into one line that says what to do`, () => {
      const translated = translateAwsError(error, CONTEXT);
      expect(translated).to.be.instanceOf(CloudError);
      expect(translated.message).to.match(expected);
      expect(translated.message).not.to.include('\n');
    });
  }

  it('drops the service suffix of a code', () => {
    expect(errorCode(new InvalidClusterStateFault({ message: '', $metadata: {} }))).to.equal('InvalidClusterState');
    expect(errorCode(awsError('AccessDeniedException', ''))).to.equal('AccessDenied');
  });

  it('masks a secret that an AWS message happens to carry', () => {
    expect(translateAwsError(awsError('Weird', `bad value ${PASSWORD}`), CONTEXT).message).to.equal(
      'AWS call failed with Weird: bad value ***.',
    );
  });
});

describe('cluster command errors', () => {
  useClusterMocks();

  function accountWithoutCluster(): void {
    mocks.redshift
      .on(DescribeClustersCommand)
      .rejects(new ClusterNotFoundFault({ message: 'not found', $metadata: {} }));
    mocks.iam.on(GetRoleCommand).rejects(new NoSuchEntityException({ message: 'no role', $metadata: {} }));
    mocks.iam
      .on(CreateRoleCommand)
      .resolves({ Role: { RoleName: 'r', Arn: ROLE_ARN, Path: '/', RoleId: 'x', CreateDate: new Date() } });
    mocks.iam.on(PutRolePolicyCommand).resolves({});
  }

  const failures: Array<[string, Error, RegExp]> = [
    [
      'AccessDenied',
      awsError('AccessDenied', 'not authorized to perform: redshift:CreateCluster'),
      /AWS denied access/,
    ],
    ['ClusterAlreadyExists', new ClusterAlreadyExistsFault({ message: 'exists', $metadata: {} }), /already exists/],
    ['ClusterQuotaExceeded', new ClusterQuotaExceededFault({ message: 'quota', $metadata: {} }), /quota is used up/],
    ['ThrottlingException', awsError('ThrottlingException', 'Rate exceeded'), /throttling/],
    ['ExpiredTokenException', awsError('ExpiredTokenException', 'expired'), /session has expired/],
    ['InvalidClusterStateFault', new InvalidClusterStateFault({ message: 'busy', $metadata: {} }), /current state/],
  ];
  for (const [what, error, expected] of failures) {
    it(`create prints one line and exits 1 on ${what}, never the password`, async () => {
      accountWithoutCluster();
      mocks.redshift.on(CreateClusterCommand).rejects(error);
      const f = fake();
      expect(await runCluster('create', {}, ENV, f.deps)).to.equal(1);
      expect(f.err).to.have.length(1);
      expect(f.err[0])
        .to.match(/^error: /)
        .and.match(expected);
      expect(everything(f)).not.to.include(PASSWORD);
    });
  }

  it('missing credentials on the first call becomes one line', async () => {
    mocks.redshift
      .on(DescribeClustersCommand)
      .rejects(awsError('CredentialsProviderError', 'Could not load credentials from any providers'));
    const f = fake();
    expect(await runCluster('status', {}, ENV, f.deps)).to.equal(1);
    expect(f.err).to.deep.equal([
      'error: No AWS credentials found. Set AWS_PROFILE to a configured profile (aws configure / aws sso login), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; --dry-run needs none.',
    ]);
  });

  it('an unknown verb or a flag of another verb is a usage error', async () => {
    const f = fake();
    expect(await runCluster('start', {}, ENV, f.deps)).to.equal(2);
    expect(f.err[0]).to.equal('error: "start" is not a cluster verb.');
    const g = fake();
    expect(await runCluster('pause', { yes: true }, ENV, g.deps)).to.equal(2);
    expect(g.err).to.deep.equal(['error: --yes does not apply to "pause". See npm run cluster -- --help.']);
    const h = fake();
    expect(await runCluster('wait', { timeout: 'soon' }, ENV, h.deps)).to.equal(2);
    expect(h.err[0]).to.match(/--timeout is in minutes/);
  });

  it('a configuration error is reported before any call', async () => {
    const f = fake();
    expect(await runCluster('status', {}, { ...ENV, AWS_REGION: undefined }, f.deps)).to.equal(1);
    expect(f.err).to.deep.equal([
      'error: AWS_REGION is not set. Put the region of the cluster and the source buckets, e.g. us-west-2 in .env or the environment (see .env.example).',
    ]);
    expect(mocks.redshift.calls()).to.have.length(0);
  });
});
