import { expect } from 'chai';
import {
  ClusterNotFoundFault,
  DeleteClusterCommand,
  DeleteClusterSubnetGroupCommand,
  DescribeClusterSubnetGroupsCommand,
  DescribeClustersCommand,
} from '@aws-sdk/client-redshift';
import { DeleteRoleCommand, DeleteRolePolicyCommand, GetRoleCommand, NoSuchEntityException } from '@aws-sdk/client-iam';
import { DeleteSecurityGroupCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { runCluster } from '../../src/cluster/run';
import {
  ENV,
  OUR_TAGS,
  allCalls,
  clusterIn,
  fake,
  mocks,
  otherClusters,
  useClusterMocks,
  role,
} from '../support/cluster-fakes';

function ourRole(): void {
  mocks.iam.on(GetRoleCommand).resolves({ Role: role(OUR_TAGS) });
  mocks.iam.on(DeleteRolePolicyCommand).resolves({});
  mocks.iam.on(DeleteRoleCommand).resolves({});
}

function noGroup(): void {
  mocks.ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
}

describe('cluster delete', () => {
  useClusterMocks();

  it('asks, deletes without a final snapshot by default, waits, then removes policy and role in that order', async () => {
    mocks.redshift.on(DescribeClustersCommand).resolves({ Clusters: [clusterIn('available')] });
    mocks.redshift.on(DeleteClusterCommand).resolves({});
    ourRole();
    noGroup();
    const f = fake({ answer: 'sparkify-warehouse\n' });
    expect(await runCluster('delete', {}, ENV, f.deps)).to.equal(0);
    expect(f.questions[0]).to.match(
      /Delete cluster sparkify-warehouse \(4 × ra3.large, available\)\? all its data is lost/,
    );
    expect(mocks.redshift.commandCalls(DeleteClusterCommand)[0].args[0].input).to.deep.equal({
      ClusterIdentifier: 'sparkify-warehouse',
      SkipFinalClusterSnapshot: true,
    });
    expect(f.waited).to.deep.equal(['deleted:sparkify-warehouse:2700']);
    const iamOrder = mocks.iam.calls().map((c) => c.args[0].constructor.name);
    expect(iamOrder).to.deep.equal([
      'GetRoleCommand',
      'GetRoleCommand',
      'DeleteRolePolicyCommand',
      'DeleteRoleCommand',
    ]);
    expect(mocks.iam.commandCalls(DeleteRolePolicyCommand)[0].args[0].input).to.deep.equal({
      RoleName: 'sparkify-redshift-s3-read',
      PolicyName: 'sparkify-source-read',
    });
  });

  it('does not delete when the answer does not match', async () => {
    mocks.redshift.on(DescribeClustersCommand).resolves({ Clusters: [clusterIn('available')] });
    const f = fake({ answer: 'y' });
    expect(await runCluster('delete', {}, ENV, f.deps)).to.equal(1);
    expect(f.err).to.deep.equal([
      'error: Not deleted: the answer did not match "sparkify-warehouse". Run delete again and type the name, or pass --yes.',
    ]);
    expect(mocks.redshift.commandCalls(DeleteClusterCommand)).to.have.length(0);
    expect(mocks.iam.calls()).to.have.length(0);
  });

  it('--yes skips the question; --final-snapshot keeps a snapshot; --keep-role keeps the role', async () => {
    mocks.redshift.on(DescribeClustersCommand).resolves({ Clusters: [clusterIn('paused')] });
    mocks.redshift.on(DeleteClusterCommand).resolves({});
    noGroup();
    const f = fake();
    expect(
      await runCluster('delete', { yes: true, finalSnapshot: 'sparkify-final-1', keepRole: true }, ENV, f.deps),
    ).to.equal(0);
    expect(f.questions).to.deep.equal([]);
    expect(mocks.redshift.commandCalls(DeleteClusterCommand)[0].args[0].input).to.deep.equal({
      ClusterIdentifier: 'sparkify-warehouse',
      SkipFinalClusterSnapshot: false,
      FinalClusterSnapshotIdentifier: 'sparkify-final-1',
    });
    expect(mocks.iam.calls()).to.have.length(0);
    expect(f.out).to.include('Kept IAM role sparkify-redshift-s3-read (--keep-role).');
  });

  it('refuses a malformed snapshot name before any call', async () => {
    const f = fake();
    expect(await runCluster('delete', { yes: true, finalSnapshot: 'Final_Snap' }, ENV, f.deps)).to.equal(2);
    expect(f.err[0]).to.match(/--final-snapshot must be/);
    expect(allCalls()).to.equal(0);
  });

  it('refuses a cluster not tagged as ours unless --force', async () => {
    mocks.redshift
      .on(DescribeClustersCommand)
      .resolves({ Clusters: [clusterIn('available', { Tags: [{ Key: 'team', Value: 'finance' }] })] });
    mocks.redshift.on(DeleteClusterCommand).resolves({});
    ourRole();
    noGroup();
    const f = fake();
    expect(await runCluster('delete', { yes: true }, ENV, f.deps)).to.equal(1);
    expect(f.err[0]).to.match(/not tagged managed-by=sparkify-warehouse.*--force/);
    expect(mocks.redshift.commandCalls(DeleteClusterCommand)).to.have.length(0);

    expect(await runCluster('delete', { yes: true, force: true }, ENV, fake().deps)).to.equal(0);
    expect(mocks.redshift.commandCalls(DeleteClusterCommand)).to.have.length(1);
  });

  it('on a missing cluster says so, exits 0, and still cleans up our role', async () => {
    mocks.redshift
      .on(DescribeClustersCommand)
      .rejects(new ClusterNotFoundFault({ message: 'Cluster sparkify-warehouse not found.', $metadata: {} }));
    otherClusters();
    ourRole();
    noGroup();
    const f = fake();
    expect(await runCluster('delete', {}, ENV, f.deps)).to.equal(0);
    expect(f.out[0]).to.equal('There is no cluster sparkify-warehouse in us-west-2; nothing to delete.');
    expect(f.questions).to.deep.equal([]);
    expect(mocks.redshift.commandCalls(DeleteClusterCommand)).to.have.length(0);
    expect(mocks.iam.commandCalls(DeleteRoleCommand)).to.have.length(1);
  });

  it('leaves a role it did not create, and copes with a role already gone', async () => {
    mocks.redshift
      .on(DescribeClustersCommand)
      .rejects(new ClusterNotFoundFault({ message: 'not found', $metadata: {} }));
    noGroup();
    mocks.iam.on(GetRoleCommand).resolves({ Role: role() });
    const f = fake();
    expect(await runCluster('delete', {}, ENV, f.deps)).to.equal(0);
    expect(f.out).to.include('IAM role sparkify-redshift-s3-read was not created by this tool; left in place.');
    expect(mocks.iam.commandCalls(DeleteRoleCommand)).to.have.length(0);

    mocks.iam.on(GetRoleCommand).rejects(new NoSuchEntityException({ message: 'no role', $metadata: {} }));
    const g = fake();
    expect(await runCluster('delete', {}, ENV, g.deps)).to.equal(0);
    expect(g.out).to.include('IAM role sparkify-redshift-s3-read does not exist; nothing to remove.');
  });

  it('removes the security group create made for --public, after the cluster is gone', async () => {
    mocks.redshift.on(DescribeClustersCommand).resolves({ Clusters: [clusterIn('available')] });
    mocks.redshift.on(DeleteClusterCommand).resolves({});
    ourRole();
    mocks.ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: 'sg-456', GroupName: 'sparkify-warehouse-access', Tags: OUR_TAGS }] });
    mocks.ec2.on(DeleteSecurityGroupCommand).resolves({});
    const f = fake();
    expect(await runCluster('delete', { yes: true }, ENV, f.deps)).to.equal(0);
    expect(mocks.ec2.commandCalls(DeleteSecurityGroupCommand)[0].args[0].input).to.deep.equal({ GroupId: 'sg-456' });
  });

  it('removes our subnet group after the cluster is gone, and keeps one not tagged as ours', async () => {
    mocks.redshift.on(DescribeClustersCommand).resolves({ Clusters: [clusterIn('available')] });
    mocks.redshift.on(DeleteClusterCommand).resolves({});
    mocks.redshift.on(DescribeClusterSubnetGroupsCommand).resolves({
      ClusterSubnetGroups: [{ ClusterSubnetGroupName: 'sparkify-warehouse-subnets', VpcId: 'vpc-123', Tags: OUR_TAGS }],
    });
    mocks.redshift.on(DeleteClusterSubnetGroupCommand).resolves({});
    ourRole();
    noGroup();
    const f = fake();
    expect(await runCluster('delete', { yes: true }, ENV, f.deps)).to.equal(0);
    const order = mocks.redshift.calls().map((c) => c.args[0].constructor.name);
    expect(order).to.deep.equal([
      'DescribeClustersCommand',
      'DeleteClusterCommand',
      'DescribeClusterSubnetGroupsCommand',
      'DeleteClusterSubnetGroupCommand',
      'DescribeClustersCommand',
    ]);
    expect(mocks.redshift.commandCalls(DeleteClusterSubnetGroupCommand)[0].args[0].input).to.deep.equal({
      ClusterSubnetGroupName: 'sparkify-warehouse-subnets',
    });
    expect(f.out).to.include('Removed cluster subnet group sparkify-warehouse-subnets.');

    mocks.redshift.on(DescribeClusterSubnetGroupsCommand).resolves({
      ClusterSubnetGroups: [{ ClusterSubnetGroupName: 'sparkify-warehouse-subnets', VpcId: 'vpc-123', Tags: [] }],
    });
    const g = fake();
    expect(await runCluster('delete', { yes: true }, ENV, g.deps)).to.equal(0);
    expect(mocks.redshift.commandCalls(DeleteClusterSubnetGroupCommand)).to.have.length(1);
    expect(g.out).to.include(
      'Cluster subnet group sparkify-warehouse-subnets was not created by this tool; left in place.',
    );
  });

  it('on a cluster already being deleted only waits', async () => {
    mocks.redshift.on(DescribeClustersCommand).resolves({ Clusters: [clusterIn('deleting')] });
    ourRole();
    noGroup();
    const f = fake();
    expect(await runCluster('delete', { keepRole: true }, ENV, f.deps)).to.equal(0);
    expect(f.questions).to.deep.equal([]);
    expect(mocks.redshift.commandCalls(DeleteClusterCommand)).to.have.length(0);
    expect(f.waited).to.have.length(1);
  });

  it('--dry-run lists the calls and makes none', async () => {
    const f = fake();
    expect(await runCluster('delete', { dryRun: true, finalSnapshot: 'last-one' }, ENV, f.deps)).to.equal(0);
    const text = f.out.join('\n');
    expect(text)
      .to.include('redshift:DeleteCluster')
      .and.include('"FinalClusterSnapshotIdentifier": "last-one"')
      .and.include('iam:DeleteRole');
    expect(text)
      .to.include('redshift:DeleteClusterSubnetGroup')
      .and.include('"ClusterSubnetGroupName": "sparkify-warehouse-subnets"');
    expect(allCalls()).to.equal(0);
    expect(f.questions).to.deep.equal([]);
  });
});
