import fs from 'node:fs';
import { expect } from 'chai';
import {
  CreateClusterCommand,
  CreateClusterSubnetGroupCommand,
  DescribeClustersCommand,
} from '@aws-sdk/client-redshift';
import { CreateRoleCommand, GetRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { ourRoleWithPolicyOf } from '../support/role-state';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSubnetsCommand,
} from '@aws-sdk/client-ec2';
import { runCluster } from '../../src/cluster/run';
import {
  ENV,
  PASSWORD,
  ROLE_ARN,
  OUR_TAGS,
  SUBNETS,
  allCalls,
  clusterIn,
  everything,
  fake,
  freshAccount,
  mocks,
  resetMocks,
  useClusterMocks,
  role,
} from '../support/cluster-fakes';

describe('cluster create', () => {
  useClusterMocks();

  it('creates the role, then an encrypted private tagged cluster, waits, and writes .env', async () => {
    freshAccount();
    const f = fake({ envText: '# mine\nWAREHOUSE_TARGET=redshift\nREDSHIFT_HOST=old\n' });
    expect(await runCluster('create', {}, ENV, f.deps)).to.equal(0);

    const createRole = mocks.iam.commandCalls(CreateRoleCommand)[0].args[0].input;
    expect(createRole.RoleName).to.equal('sparkify-redshift-s3-read');
    expect(JSON.parse(createRole.AssumeRolePolicyDocument!).Statement[0].Principal).to.deep.equal({
      Service: 'redshift.amazonaws.com',
    });
    expect(createRole.Tags).to.deep.equal(OUR_TAGS);

    const put = mocks.iam.commandCalls(PutRolePolicyCommand)[0].args[0].input;
    const policy = JSON.parse(put.PolicyDocument!);
    expect(policy.Statement[0].Resource).to.deep.equal([
      'arn:aws:s3:::udacity-dend/log_data*',
      'arn:aws:s3:::udacity-dend/song_data*',
      'arn:aws:s3:::udacity-dend/log_json_path.json',
    ]);
    expect(policy.Statement[1]).to.deep.include({ Action: 's3:ListBucket', Resource: 'arn:aws:s3:::udacity-dend' });
    expect(
      mocks.iam.commandCalls(PutRolePolicyCommand).length + mocks.iam.commandCalls(CreateRoleCommand).length,
    ).to.equal(2);

    expect(mocks.redshift.commandCalls(CreateClusterCommand)[0].args[0].input).to.deep.equal({
      ClusterIdentifier: 'sparkify-warehouse',
      NodeType: 'ra3.large',
      ClusterType: 'multi-node',
      NumberOfNodes: 4,
      DBName: 'sparkify',
      MasterUsername: 'awsuser',
      MasterUserPassword: PASSWORD,
      Port: 5439,
      IamRoles: [ROLE_ARN],
      Encrypted: true,
      PubliclyAccessible: false,
      ClusterSubnetGroupName: 'sparkify-warehouse-subnets',
      Tags: OUR_TAGS,
    });
    // The subnet group is made from the default VPC's subnets, tagged as ours.
    expect(mocks.redshift.commandCalls(CreateClusterSubnetGroupCommand)[0].args[0].input).to.deep.equal({
      ClusterSubnetGroupName: 'sparkify-warehouse-subnets',
      Description: 'Subnets of the default VPC for Redshift cluster sparkify-warehouse (npm run cluster)',
      SubnetIds: SUBNETS,
      Tags: OUR_TAGS,
    });
    expect(mocks.ec2.commandCalls(DescribeSubnetsCommand)[0].args[0].input).to.deep.equal({
      Filters: [{ Name: 'vpc-id', Values: ['vpc-123'] }],
    });
    expect(mocks.ec2.commandCalls(CreateSecurityGroupCommand)).to.have.length(0);
    expect(f.waited).to.deep.equal(['available:sparkify-warehouse:2700']);

    expect(fs.readFileSync(f.deps.envFile, 'utf8')).to.equal(
      '# mine\nWAREHOUSE_TARGET=redshift\nREDSHIFT_HOST=sparkify-warehouse.abc123.us-west-2.redshift.amazonaws.com\n' +
        `REDSHIFT_PORT=5439\nREDSHIFT_IAM_ROLE_ARN=${ROLE_ARN}\n`,
    );
    expect(everything(f)).not.to.include(PASSWORD);
  });

  it('asks for a single-node cluster when the count is 1', async () => {
    freshAccount();
    const f = fake();
    expect(await runCluster('create', {}, { ...ENV, REDSHIFT_NODE_COUNT: '1' }, f.deps)).to.equal(0);
    const input = mocks.redshift.commandCalls(CreateClusterCommand)[0].args[0].input;
    expect(input.ClusterType).to.equal('single-node');
    expect(input).not.to.have.property('NumberOfNodes');
  });

  it('--public opens only the port, only to the given CIDR, in a group of its own', async () => {
    freshAccount();
    const f = fake();
    expect(await runCluster('create', { public: true, allowCidr: '203.0.113.7/32' }, ENV, f.deps)).to.equal(0);
    expect(mocks.ec2.commandCalls(CreateSecurityGroupCommand)[0].args[0].input).to.deep.include({
      GroupName: 'sparkify-warehouse-access',
      VpcId: 'vpc-123',
    });
    expect(mocks.ec2.commandCalls(AuthorizeSecurityGroupIngressCommand)[0].args[0].input).to.deep.equal({
      GroupId: 'sg-456',
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 5439,
          ToPort: 5439,
          IpRanges: [{ CidrIp: '203.0.113.7/32', Description: 'Redshift from the address given to --allow-cidr' }],
        },
      ],
    });
    expect(mocks.redshift.commandCalls(CreateClusterCommand)[0].args[0].input).to.deep.include({
      PubliclyAccessible: true,
      VpcSecurityGroupIds: ['sg-456'],
      Encrypted: true,
    });
  });

  it("--public without --allow-cidr uses the caller's own /32 when it can be found", async () => {
    freshAccount();
    const f = fake({ publicIp: '198.51.100.23' });
    expect(await runCluster('create', { public: true }, ENV, f.deps)).to.equal(0);
    const ranges = mocks.ec2.commandCalls(AuthorizeSecurityGroupIngressCommand)[0].args[0].input.IpPermissions![0]
      .IpRanges;
    expect(ranges).to.deep.equal([
      { CidrIp: '198.51.100.23/32', Description: 'Redshift from the address given to --allow-cidr' },
    ]);
  });

  it("--public refuses when the caller's address cannot be found (offline), before any call", async () => {
    freshAccount();
    const f = fake();
    expect(await runCluster('create', { public: true }, ENV, f.deps)).to.equal(1);
    expect(f.err).to.deep.equal([
      'error: --public needs the address range allowed to connect, and your public address could not be found (offline?). Pass --allow-cidr <your IP>/32.',
    ]);
    expect(mocks.iam.calls()).to.have.length(0);
    expect(mocks.ec2.calls()).to.have.length(0);
    expect(mocks.redshift.commandCalls(CreateClusterCommand)).to.have.length(0);
  });

  for (const cidr of ['0.0.0.0/0', '::/0']) {
    it(`refuses --allow-cidr ${cidr} without calling AWS`, async () => {
      freshAccount();
      const f = fake();
      expect(await runCluster('create', { public: true, allowCidr: cidr }, ENV, f.deps)).to.equal(2);
      expect(f.err[0]).to.match(/^error: --allow-cidr .* whole internet/);
      expect(allCalls()).to.equal(0);
    });
  }

  it('never sends 0.0.0.0/0 or ::/0 in any call', async () => {
    const sent: unknown[] = [];
    for (const cidr of ['2001:db8::7', '10.1.2.3']) {
      resetMocks();
      freshAccount();
      expect(await runCluster('create', { public: true, allowCidr: cidr }, ENV, fake().deps)).to.equal(0);
      sent.push(
        ...[...mocks.ec2.calls(), ...mocks.redshift.calls(), ...mocks.iam.calls()].map(
          (c) => (c.args[0] as { input: unknown }).input,
        ),
      );
    }
    const text = JSON.stringify(sent);
    expect(text).to.include('"CidrIpv6":"2001:db8::7/128"').and.include('"CidrIp":"10.1.2.3/32"');
    expect(text).not.to.include('0.0.0.0/0').and.not.include('::/0');
  });

  it('refuses --allow-cidr without --public', async () => {
    const f = fake();
    expect(await runCluster('create', { allowCidr: '203.0.113.7/32' }, ENV, f.deps)).to.equal(2);
    expect(f.err[0]).to.match(/--allow-cidr only applies with --public/);
    expect(allCalls()).to.equal(0);
  });

  it('on an existing cluster checks its role, waits for it and writes .env, creating nothing', async () => {
    mocks.redshift.on(DescribeClustersCommand).resolves({ Clusters: [clusterIn('creating')] });
    ourRoleWithPolicyOf(ENV);
    const f = fake();
    expect(await runCluster('create', {}, ENV, f.deps)).to.equal(0);
    expect(f.out[0]).to.equal(
      'Cluster sparkify-warehouse already exists (creating); not creating it again. Bringing it to the settings:',
    );
    expect(f.out).to.include('IAM role sparkify-redshift-s3-read exists and matches the settings; unchanged.');
    expect(f.waited).to.have.length(1);
    expect(mocks.redshift.commandCalls(CreateClusterCommand)).to.have.length(0);
    expect(mocks.iam.commandCalls(PutRolePolicyCommand)).to.have.length(0);
    expect(mocks.iam.commandCalls(CreateRoleCommand)).to.have.length(0);
    expect(fs.readFileSync(f.deps.envFile, 'utf8')).to.include(`REDSHIFT_IAM_ROLE_ARN=${ROLE_ARN}`);
  });

  it('on an existing paused cluster says to resume it instead of waiting forever', async () => {
    mocks.redshift.on(DescribeClustersCommand).resolves({ Clusters: [clusterIn('paused')] });
    ourRoleWithPolicyOf(ENV);
    const f = fake();
    expect(await runCluster('create', {}, ENV, f.deps)).to.equal(0);
    expect(f.out).to.include(
      'It is paused: resume it with npm run cluster -- resume, then run create again to check its role and access.',
    );
    expect(f.waited).to.deep.equal([]);
  });

  it("reuses its own role and refuses someone else's", async () => {
    freshAccount();
    mocks.iam.on(GetRoleCommand).resolves({ Role: role(OUR_TAGS) });
    expect(await runCluster('create', {}, ENV, fake().deps)).to.equal(0);
    expect(mocks.iam.commandCalls(CreateRoleCommand)).to.have.length(0);
    expect(mocks.iam.commandCalls(PutRolePolicyCommand)).to.have.length(1);

    resetMocks();
    freshAccount();
    mocks.iam.on(GetRoleCommand).resolves({ Role: role([]) });
    const f = fake();
    expect(await runCluster('create', {}, ENV, f.deps)).to.equal(1);
    expect(f.err[0]).to.match(/exists but was not created by this tool .* REDSHIFT_IAM_ROLE_NAME/);
    expect(mocks.iam.commandCalls(PutRolePolicyCommand)).to.have.length(0);
    expect(mocks.redshift.commandCalls(CreateClusterCommand)).to.have.length(0);
  });

  it('refuses local source paths before any call', async () => {
    const f = fake();
    expect(await runCluster('create', {}, { ...ENV, LOG_DATA: 'sample/log_data' }, f.deps)).to.equal(1);
    expect(f.err[0]).to.match(/^error: LOG_DATA must be an s3:\/\/bucket\/prefix URI/);
    expect(allCalls()).to.equal(0);
  });

  it('--dry-run prints every call with the password masked and makes none, without a password', async () => {
    for (const env of [ENV, { ...ENV, REDSHIFT_PASSWORD: undefined }]) {
      const f = fake();
      expect(
        await runCluster('create', { dryRun: true, public: true, allowCidr: '203.0.113.7/32' }, env, f.deps),
      ).to.equal(0);
      const text = f.out.join('\n');
      for (const call of [
        'redshift:DescribeClusters',
        'iam:GetRole',
        'iam:CreateRole',
        'iam:PutRolePolicy',
        'redshift:DescribeClusterSubnetGroups',
        'ec2:DescribeVpcs',
        'ec2:DescribeSubnets',
        'redshift:CreateClusterSubnetGroup',
        'ec2:AuthorizeSecurityGroupIngress',
        'redshift:CreateCluster',
        'redshift:DescribeClusters',
      ]) {
        expect(text).to.include(call);
      }
      expect(text)
        .to.include('"MasterUserPassword": "***"')
        .and.include('"Encrypted": true')
        .and.include('"ClusterSubnetGroupName": "sparkify-warehouse-subnets"')
        .and.include('"CidrIp": "203.0.113.7/32"');
      expect(text).to.include('"arn:aws:s3:::udacity-dend/log_data*"');
      expect(text).not.to.include(PASSWORD);
      expect(allCalls()).to.equal(0);
      expect(fs.existsSync(f.deps.envFile)).to.equal(false);
    }
  });
});
