// A re-run of create on a cluster that exists converges: the role, its association and
// --public are brought to the settings and each change is printed (issue 23, item 2).
import { expect } from 'chai';
import {
  CreateClusterCommand,
  DescribeClustersCommand,
  ModifyClusterCommand,
  ModifyClusterIamRolesCommand,
} from '@aws-sdk/client-redshift';
import { PutRolePolicyCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
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
import { ourRoleWithPolicyOf, statefulIam } from '../support/role-state';

const ROLE = 'sparkify-redshift-s3-read';
const MOVED: NodeJS.ProcessEnv = {
  ...ENV,
  LOG_DATA: 's3://my-sparkify/logs/',
  SONG_DATA: 's3://udacity-dend/song_data',
  LOG_JSONPATH: 's3://my-sparkify/log_json_path.json',
};

describe('cluster create, run again on an existing cluster', () => {
  useClusterMocks();

  it('leaves the role policy equal to what a first create with the new settings makes, and says what changed', async () => {
    freshAccount();
    const roles = statefulIam();
    expect(await runCluster('create', {}, ENV, fake().deps)).to.equal(0);
    const f = fake();
    expect(await runCluster('create', {}, MOVED, f.deps)).to.equal(0);
    const afterRerun = JSON.parse(roles.get(ROLE)!.policy!);
    expect(mocks.redshift.commandCalls(CreateClusterCommand)).to.have.length(1);

    resetMocks();
    freshAccount();
    const fresh = statefulIam();
    expect(await runCluster('create', {}, MOVED, fake().deps)).to.equal(0);
    expect(afterRerun).to.deep.equal(JSON.parse(fresh.get(ROLE)!.policy!));

    const changed = f.out.find((line) => line.startsWith(`Changed: IAM role ${ROLE}, read policy`));
    expect(changed).to.include('adds s3:GetObject on arn:aws:s3:::my-sparkify/logs/*');
    expect(changed).to.include('adds s3:GetObject on arn:aws:s3:::my-sparkify/log_json_path.json');
    expect(changed).to.include('removes s3:GetObject on arn:aws:s3:::udacity-dend/log_data*');
    expect(changed).to.include('removes s3:ListBucket on arn:aws:s3:::udacity-dend (prefix log_data*)');
    expect(changed).not.to.include('song_data');
  });

  it('a third run with the same settings changes nothing and says so', async () => {
    mocks.redshift.on(DescribeClustersCommand).resolves({ Clusters: [clusterIn('available')] });
    ourRoleWithPolicyOf(MOVED);
    const f = fake();
    expect(await runCluster('create', {}, MOVED, f.deps)).to.equal(0);
    expect(f.out).to.include(`IAM role ${ROLE} exists and matches the settings; unchanged.`);
    expect(f.out.filter((line) => line.startsWith('Changed:'))).to.deep.equal([]);
    expect(mocks.iam.commandCalls(PutRolePolicyCommand)).to.have.length(0);
    expect(mocks.redshift.commandCalls(ModifyClusterIamRolesCommand)).to.have.length(0);
  });

  it('associates our role with the cluster when it is not, and waits for the change', async () => {
    mocks.redshift.on(DescribeClustersCommand).resolves({ Clusters: [clusterIn('available', { IamRoles: [] })] });
    ourRoleWithPolicyOf(ENV);
    const f = fake();
    expect(await runCluster('create', {}, ENV, f.deps)).to.equal(0);
    expect(mocks.redshift.commandCalls(ModifyClusterIamRolesCommand).map((c) => c.args[0].input)).to.deep.equal([
      { ClusterIdentifier: 'sparkify-warehouse', AddIamRoles: [ROLE_ARN] },
    ]);
    expect(f.out).to.include(`Changed: associated IAM role ${ROLE} with cluster sparkify-warehouse (COPY uses it).`);
    expect(f.waited).to.have.length(2);
  });

  it('puts back a trust that no longer names Redshift', async () => {
    mocks.redshift.on(DescribeClustersCommand).resolves({ Clusters: [clusterIn('available')] });
    const roles = ourRoleWithPolicyOf(ENV);
    roles.get(ROLE)!.trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    const f = fake();
    expect(await runCluster('create', {}, ENV, f.deps)).to.equal(0);
    expect(JSON.parse(roles.get(ROLE)!.trust!).Statement[0].Principal).to.deep.equal({
      Service: 'redshift.amazonaws.com',
    });
    expect(f.out).to.include(
      `Changed: IAM role ${ROLE}, trust: now trusts redshift.amazonaws.com (was: ec2.amazonaws.com).`,
    );
  });

  it('leaves a role it did not create alone, and says so', async () => {
    mocks.redshift.on(DescribeClustersCommand).resolves({ Clusters: [clusterIn('available', { IamRoles: [] })] });
    const roles = ourRoleWithPolicyOf(ENV);
    roles.get(ROLE)!.tags = [];
    const f = fake();
    expect(await runCluster('create', {}, MOVED, f.deps)).to.equal(0);
    expect(f.out).to.include(
      `IAM role ${ROLE} was not created by this tool (no managed-by tag): its policies are left as they are.`,
    );
    expect(mocks.iam.commandCalls(PutRolePolicyCommand)).to.have.length(0);
    expect(mocks.iam.commandCalls(UpdateAssumeRolePolicyCommand)).to.have.length(0);
    expect(mocks.redshift.commandCalls(ModifyClusterIamRolesCommand)).to.have.length(0);
  });

  it('--public --allow-cidr on a private cluster makes it public through our group, and revokes the range it opened before', async () => {
    const cluster = clusterIn('available', {
      VpcId: 'vpc-123',
      VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-default', Status: 'active' }],
    });
    mocks.redshift.on(DescribeClustersCommand).resolves({ Clusters: [cluster] });
    ourRoleWithPolicyOf(ENV);
    const oldRule = { IpProtocol: 'tcp', FromPort: 5439, ToPort: 5439, IpRanges: [{ CidrIp: '198.51.100.9/32' }] };
    mocks.ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        { GroupId: 'sg-456', GroupName: 'sparkify-warehouse-access', Tags: OUR_TAGS, IpPermissions: [oldRule] },
      ],
    });
    mocks.ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({});
    mocks.ec2.on(RevokeSecurityGroupIngressCommand).resolves({});
    const f = fake();
    expect(await runCluster('create', { public: true, allowCidr: '203.0.113.7/32' }, ENV, f.deps)).to.equal(0);
    expect(
      mocks.ec2.commandCalls(AuthorizeSecurityGroupIngressCommand)[0].args[0].input.IpPermissions![0].IpRanges![0]
        .CidrIp,
    ).to.equal('203.0.113.7/32');
    expect(mocks.ec2.commandCalls(RevokeSecurityGroupIngressCommand).map((c) => c.args[0].input)).to.deep.equal([
      {
        GroupId: 'sg-456',
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 5439,
            ToPort: 5439,
            IpRanges: [{ CidrIp: '198.51.100.9/32' }],
            Ipv6Ranges: [],
          },
        ],
      },
    ]);
    expect(mocks.redshift.commandCalls(ModifyClusterCommand).map((c) => c.args[0].input)).to.deep.equal([
      {
        ClusterIdentifier: 'sparkify-warehouse',
        PubliclyAccessible: true,
        VpcSecurityGroupIds: ['sg-default', 'sg-456'],
      },
    ]);
    expect(f.out).to.include(
      'Changed: cluster sparkify-warehouse is now publicly accessible, through security group sparkify-warehouse-access (port 5439 open to 203.0.113.7/32 only).',
    );
    expect(f.out).to.include(
      'Changed: security group sparkify-warehouse-access no longer opens port 5439 to 198.51.100.9/32 (--allow-cidr is now 203.0.113.7/32).',
    );
  });

  it('without --public, says how to make a public cluster private instead of doing nothing silently', async () => {
    mocks.redshift
      .on(DescribeClustersCommand)
      .resolves({ Clusters: [clusterIn('available', { PubliclyAccessible: true })] });
    ourRoleWithPolicyOf(ENV);
    const f = fake();
    expect(await runCluster('create', {}, ENV, f.deps)).to.equal(0);
    expect(f.out.join('\n')).to.include('--no-publicly-accessible');
    expect(mocks.redshift.commandCalls(ModifyClusterCommand)).to.have.length(0);
  });

  it('--dry-run lists the converging calls and makes none', async () => {
    const f = fake();
    expect(
      await runCluster('create', { dryRun: true, public: true, allowCidr: '203.0.113.7/32' }, ENV, f.deps),
    ).to.equal(0);
    const text = f.out.join('\n');
    for (const call of [
      'iam:GetRolePolicy',
      'iam:UpdateAssumeRolePolicy',
      'redshift:ModifyClusterIamRoles',
      'ec2:RevokeSecurityGroupIngress',
      'redshift:ModifyCluster ',
    ])
      expect(text).to.include(call);
    expect(allCalls()).to.equal(0);
  });
});

describe('cluster create: the price and the master user, before anything is made', () => {
  useClusterMocks();

  it('prints the price before it creates the cluster, and in the dry run', async () => {
    freshAccount();
    const f = fake();
    expect(await runCluster('create', {}, ENV, f.deps)).to.equal(0);
    const price = f.out.findIndex((line) =>
      line.startsWith('Price: $2.17 per hour while it runs (4 × ra3.large at $0.543'),
    );
    expect(price).to.be.greaterThan(-1);
    expect(price).to.be.lessThan(f.out.findIndex((line) => line.startsWith('Creating cluster')));

    const dry = fake();
    expect(await runCluster('create', { dryRun: true }, ENV, dry.deps)).to.equal(0);
    expect(dry.out.join('\n')).to.include('Price: $2.17 per hour while it runs');
  });

  for (const user of ['user', 'select', 'timestamp']) {
    it(`refuses REDSHIFT_USER=${user}, a reserved word, before any call`, async () => {
      const f = fake();
      expect(await runCluster('create', {}, { ...ENV, REDSHIFT_USER: user }, f.deps)).to.equal(1);
      expect(f.err[0]).to.match(
        new RegExp(`REDSHIFT_USER "${user}" is a reserved word in Redshift.*r_pg_keywords.*awsuser`),
      );
      expect(allCalls()).to.equal(0);
    });
  }
});
