// create's guards: the subnet group, the retry while IAM propagates a new role, and the
// checks made before AWS sees the parameters.
import { expect } from 'chai';
import {
  CreateClusterCommand,
  CreateClusterSubnetGroupCommand,
  DescribeClusterSubnetGroupsCommand,
  RedshiftServiceException,
} from '@aws-sdk/client-redshift';
import { CreateSecurityGroupCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { runCluster } from '../../src/cluster/run';
import {
  ENV,
  OUR_TAGS,
  ROLE_ARN,
  allCalls,
  clusterIn,
  fake,
  freshAccount,
  mocks,
  resetMocks,
  useClusterMocks,
} from '../support/cluster-fakes';

describe('cluster create: subnet group, IAM propagation and checks before AWS', () => {
  useClusterMocks();

  it('reuses its own subnet group, and uses REDSHIFT_SUBNET_GROUP (and its VPC for --public) without creating one', async () => {
    freshAccount();
    mocks.redshift.on(DescribeClusterSubnetGroupsCommand).resolves({
      ClusterSubnetGroups: [{ ClusterSubnetGroupName: 'sparkify-warehouse-subnets', VpcId: 'vpc-123', Tags: OUR_TAGS }],
    });
    expect(await runCluster('create', {}, ENV, fake().deps)).to.equal(0);
    expect(mocks.redshift.commandCalls(CreateClusterSubnetGroupCommand)).to.have.length(0);
    expect(mocks.redshift.commandCalls(CreateClusterCommand)[0].args[0].input.ClusterSubnetGroupName).to.equal(
      'sparkify-warehouse-subnets',
    );

    resetMocks();
    freshAccount();
    mocks.redshift
      .on(DescribeClusterSubnetGroupsCommand, { ClusterSubnetGroupName: 'team-private' })
      .resolves({ ClusterSubnetGroups: [{ ClusterSubnetGroupName: 'team-private', VpcId: 'vpc-team' }] });
    expect(
      await runCluster(
        'create',
        { public: true, allowCidr: '203.0.113.7/32' },
        { ...ENV, REDSHIFT_SUBNET_GROUP: 'team-private' },
        fake().deps,
      ),
    ).to.equal(0);
    expect(mocks.redshift.commandCalls(CreateClusterSubnetGroupCommand)).to.have.length(0);
    expect(mocks.ec2.commandCalls(DescribeVpcsCommand)).to.have.length(0);
    expect(mocks.ec2.commandCalls(CreateSecurityGroupCommand)[0].args[0].input.VpcId).to.equal('vpc-team');
    expect(mocks.redshift.commandCalls(CreateClusterCommand)[0].args[0].input.ClusterSubnetGroupName).to.equal(
      'team-private',
    );
  });

  it('refuses a REDSHIFT_SUBNET_GROUP that does not exist, naming the setting', async () => {
    freshAccount();
    const f = fake();
    expect(await runCluster('create', {}, { ...ENV, REDSHIFT_SUBNET_GROUP: 'nope' }, f.deps)).to.equal(1);
    expect(f.err).to.deep.equal([
      'error: REDSHIFT_SUBNET_GROUP names "nope", which is no cluster subnet group in this region. Create it in the Redshift console, or leave the setting out to use the default VPC.',
    ]);
    expect(mocks.redshift.commandCalls(CreateClusterCommand)).to.have.length(0);
  });

  it('with no default VPC refuses in one line that names what to create or set, and creates no cluster', async () => {
    freshAccount();
    mocks.ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [] });
    const f = fake();
    expect(await runCluster('create', {}, ENV, f.deps)).to.equal(1);
    expect(f.err).to.deep.equal([
      'error: This region has no default VPC. Create one (aws ec2 create-default-vpc), or set REDSHIFT_SUBNET_GROUP to an existing cluster subnet group.',
    ]);
    expect(mocks.redshift.commandCalls(CreateClusterSubnetGroupCommand)).to.have.length(0);
    expect(mocks.redshift.commandCalls(CreateClusterCommand)).to.have.length(0);
  });

  const roleNotValid = () =>
    new RedshiftServiceException({
      name: 'InvalidParameterValue',
      $fault: 'client',
      message: `The IAM role ${ROLE_ARN} is not valid. The IAM role must delegate access to an Amazon Redshift account.`,
      $metadata: { httpStatusCode: 400 },
    });

  it('retries CreateCluster with growing pauses while IAM propagates a new role', async () => {
    freshAccount();
    mocks.redshift
      .on(CreateClusterCommand)
      .rejectsOnce(roleNotValid())
      .rejectsOnce(roleNotValid())
      .resolves({ Cluster: clusterIn('creating') });
    const f = fake();
    expect(await runCluster('create', {}, ENV, f.deps)).to.equal(0);
    expect(mocks.redshift.commandCalls(CreateClusterCommand)).to.have.length(3);
    expect(f.sleeps).to.deep.equal([5000, 10000]);
    expect(f.out.filter((l) => l.includes('not visible to Redshift yet'))).to.have.length(1);
    expect(f.waited).to.deep.equal(['available:sparkify-warehouse:2700']);
  });

  it('gives up on a role that stays invalid after 3 minutes, in one line, by the injected clock', async () => {
    freshAccount();
    mocks.redshift.on(CreateClusterCommand).rejects(roleNotValid());
    const f = fake();
    expect(await runCluster('create', {}, ENV, f.deps)).to.equal(1);
    expect(f.err).to.deep.equal([
      'error: Redshift still calls IAM role sparkify-redshift-s3-read not valid after 3 min of retries (IAM changes take a while to reach Redshift). The role is kept: run npm run cluster -- create again in a few minutes.',
    ]);
    expect(f.elapsedMinutes()).to.equal(3);
    expect(f.sleeps).to.deep.equal([5000, 10000, 20000, 30000, 30000, 30000, 30000, 25000]);
    expect(f.waited).to.deep.equal([]);
  });

  it('does not retry any other InvalidParameterValue', async () => {
    freshAccount();
    mocks.redshift.on(CreateClusterCommand).rejects(
      new RedshiftServiceException({
        name: 'InvalidParameterValue',
        $fault: 'client',
        message: 'Invalid node type',
        $metadata: {},
      }),
    );
    const f = fake();
    expect(await runCluster('create', {}, ENV, f.deps)).to.equal(1);
    expect(mocks.redshift.commandCalls(CreateClusterCommand)).to.have.length(1);
    expect(f.sleeps).to.deep.equal([]);
    expect(f.err[0]).to.match(/^error: AWS rejected a setting: Invalid node type/);
  });

  const refusedBeforeAws: Array<[string, NodeJS.ProcessEnv, string]> = [
    [
      'a DC2 node type',
      { REDSHIFT_NODE_TYPE: 'dc2.large' },
      'REDSHIFT_NODE_TYPE dc2.large: AWS no longer creates DC2 clusters. Use ra3.large (the smallest RA3 node, the default), or Redshift Serverless. An existing DC2 cluster still works with status, pause, resume and delete.',
    ],
    [
      'an RA3 port outside 5431-5455 and 8191-8215',
      { REDSHIFT_PORT: '5430' },
      'REDSHIFT_PORT 5430 cannot be used for a new RA3 cluster: AWS allows only 5431-5455 or 8191-8215. Use 5439 (the default) or leave REDSHIFT_PORT out.',
    ],
    [
      'an upper-case master user',
      { REDSHIFT_USER: 'AwsUser' },
      'REDSHIFT_USER must be lower case (Redshift refuses an upper-case master user name); use "awsuser".',
    ],
    [
      'the master user "public"',
      { REDSHIFT_USER: 'public' },
      'REDSHIFT_USER must start with a letter and hold only lower-case letters, digits, _ + . @ or - (at most 128), and not be "public"; got "public".',
    ],
  ];
  for (const [what, env, message] of refusedBeforeAws) {
    it(`refuses ${what} before any call, dry run included`, async () => {
      for (const dryRun of [false, true]) {
        const f = fake();
        expect(await runCluster('create', { dryRun }, { ...ENV, ...env }, f.deps)).to.equal(1);
        expect(f.err).to.deep.equal([`error: ${message}`]);
        expect(allCalls()).to.equal(0);
      }
    });
  }

  it('accepts the edges of both RA3 port ranges', async () => {
    for (const port of ['5431', '5455', '8191', '8215']) {
      const f = fake();
      expect(await runCluster('create', { dryRun: true }, { ...ENV, REDSHIFT_PORT: port }, f.deps)).to.equal(0);
      expect(f.out.join('\n')).to.include(`"Port": ${port}`);
    }
  });
});
