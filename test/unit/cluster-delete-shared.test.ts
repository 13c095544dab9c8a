// delete keeps a role another cluster or namespace still uses (issue 23, item 3), clears
// the .env lines that named what it deleted, and its dry run lists every call the real run
// makes (issue 23, item 7).
import { expect } from 'chai';
import fs from 'node:fs';
import { DeleteClusterCommand, DescribeClustersCommand } from '@aws-sdk/client-redshift';
import { DeleteRoleCommand, DeleteRolePolicyCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { DeleteSecurityGroupCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import {
  DeleteNamespaceCommand,
  DeleteWorkgroupCommand,
  GetNamespaceCommand,
  GetWorkgroupCommand,
  ListNamespacesCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-redshift-serverless';
import { runCluster } from '../../src/cluster/run';
import {
  ENV,
  OUR_TAGS,
  ROLE_ARN,
  clusterIn,
  fake,
  mocks,
  otherClusters,
  useClusterMocks,
  type Fake,
  role,
} from '../support/cluster-fakes';
import { HOST, workgroupIn } from '../support/serverless-fakes';

const SERVERLESS_ENV = { ...ENV, REDSHIFT_DEPLOYMENT: 'serverless' };
const CLUSTER_HOST = 'sparkify-warehouse.abc123.us-west-2.redshift.amazonaws.com';
const gone = () => new ResourceNotFoundException({ message: 'not found', $metadata: {} });

function ourRole(): void {
  mocks.iam.on(GetRoleCommand).resolves({ Role: role(OUR_TAGS) });
  mocks.iam.on(DeleteRolePolicyCommand).resolves({});
  mocks.iam.on(DeleteRoleCommand).resolves({});
  mocks.ec2
    .on(DescribeSecurityGroupsCommand)
    .resolves({ SecurityGroups: [{ GroupId: 'sg-1', GroupName: 'x-access', Tags: OUR_TAGS }] });
  mocks.ec2.on(DeleteSecurityGroupCommand).resolves({});
}

function ourCluster(): void {
  mocks.redshift.on(DescribeClustersCommand).resolves({ Clusters: [clusterIn('available')] });
  mocks.redshift.on(DeleteClusterCommand).resolves({});
  ourRole();
}

function ourWorkgroup(): void {
  mocks.serverless
    .on(GetWorkgroupCommand)
    .resolvesOnce({ workgroup: workgroupIn('AVAILABLE') })
    .rejects(gone());
  mocks.serverless
    .on(GetNamespaceCommand)
    .resolvesOnce({ namespace: { namespaceName: 'sparkify', namespaceArn: 'arn:ns', status: 'AVAILABLE' } })
    .rejects(gone());
  mocks.serverless
    .on(ListTagsForResourceCommand)
    .resolves({ tags: [{ key: 'managed-by', value: 'sparkify-warehouse' }] });
  mocks.serverless.on(DeleteWorkgroupCommand).resolves({});
  mocks.serverless.on(DeleteNamespaceCommand).resolves({});
  ourRole();
}

/** Every call the mocks saw, as the dry run names them: service:Action. */
function callsMade(): string[] {
  const named = (service: string, calls: Array<{ args: [object] }>) =>
    calls.map((c) => `${service}:${c.args[0].constructor.name.replace(/Command$/, '')}`);
  return [
    ...named('redshift', mocks.redshift.calls()),
    ...named('iam', mocks.iam.calls()),
    ...named('ec2', mocks.ec2.calls()),
    ...named('redshift-serverless', mocks.serverless.calls()),
  ];
}

function planned(f: Fake): string[] {
  return f.out
    .map((line) => /^\d+\.\s+([\w-]+:\w+)/.exec(line)?.[1])
    .filter((step): step is string => step !== undefined);
}

describe('cluster delete: shared role, .env, dry run', () => {
  useClusterMocks();

  it('keeps the role while another cluster has it associated, and says which', async () => {
    ourCluster();
    otherClusters([clusterIn('available'), clusterIn('paused', { ClusterIdentifier: 'team-b' })]);
    const f = fake();
    expect(await runCluster('delete', { yes: true }, ENV, f.deps)).to.equal(0);
    expect(mocks.iam.commandCalls(DeleteRoleCommand)).to.have.length(0);
    expect(mocks.iam.commandCalls(DeleteRolePolicyCommand)).to.have.length(0);
    expect(f.out).to.include(
      'Kept IAM role sparkify-redshift-s3-read: cluster team-b still has it associated. It goes with the last of them.',
    );
  });

  it('keeps the role while a namespace uses it, as its default or among its roles (either spelling AWS returns)', async () => {
    for (const namespace of [
      { namespaceName: 'analytics', defaultIamRoleArn: ROLE_ARN },
      { namespaceName: 'analytics', iamRoles: [`IamRole(applyStatus=in-sync, iamRoleArn=${ROLE_ARN})`] },
      { namespaceName: 'analytics', iamRoles: [ROLE_ARN] },
    ]) {
      ourCluster();
      mocks.serverless
        .on(ListNamespacesCommand)
        .resolvesOnce({ namespaces: [], nextToken: 'page-2' })
        .resolves({ namespaces: [namespace] });
      const f = fake();
      expect(await runCluster('delete', { yes: true }, ENV, f.deps)).to.equal(0);
      expect(mocks.iam.commandCalls(DeleteRoleCommand)).to.have.length(0);
      expect(f.out).to.include(
        'Kept IAM role sparkify-redshift-s3-read: namespace analytics still has it associated. It goes with the last of them.',
      );
      expect(mocks.serverless.commandCalls(ListNamespacesCommand).map((c) => c.args[0].input)).to.deep.equal([
        {},
        { nextToken: 'page-2' },
      ]);
      mocks.serverless.resetHistory();
    }
  });

  it('delete --serverless keeps the role a cluster still uses', async () => {
    ourWorkgroup();
    otherClusters([clusterIn('available', { ClusterIdentifier: 'team-b' })]);
    const f = fake();
    expect(await runCluster('delete', { yes: true }, SERVERLESS_ENV, f.deps)).to.equal(0);
    expect(mocks.serverless.commandCalls(DeleteNamespaceCommand)).to.have.length(1);
    expect(mocks.iam.commandCalls(DeleteRoleCommand)).to.have.length(0);
    expect(f.out).to.include(
      'Kept IAM role sparkify-redshift-s3-read: cluster team-b still has it associated. It goes with the last of them.',
    );
  });

  it('keeps the role when other users cannot be checked, and says why', async () => {
    ourCluster();
    mocks.serverless.on(ListNamespacesCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: redshift-serverless:ListNamespaces'), {
        name: 'AccessDeniedException',
      }),
    );
    const f = fake();
    expect(await runCluster('delete', { yes: true }, ENV, f.deps)).to.equal(0);
    expect(mocks.iam.commandCalls(DeleteRoleCommand)).to.have.length(0);
    expect(f.out.join('\n')).to.include(
      'Kept IAM role sparkify-redshift-s3-read: could not check whether another cluster or namespace uses it (AccessDeniedException',
    );
  });

  it('removes the .env lines that named the deleted cluster and role, and keeps the rest', async () => {
    ourCluster();
    const envText = `# mine\nREDSHIFT_DB=sparkify\nREDSHIFT_HOST=${CLUSTER_HOST}\nREDSHIFT_PORT=5439\nREDSHIFT_IAM_ROLE_ARN=${ROLE_ARN}\nLOG_DATA=s3://b/log\n`;
    const f = fake({ envText });
    expect(await runCluster('delete', { yes: true }, ENV, f.deps)).to.equal(0);
    expect(fs.readFileSync(f.deps.envFile, 'utf8')).to.equal('# mine\nREDSHIFT_DB=sparkify\nLOG_DATA=s3://b/log\n');
    expect(f.out.at(-1)).to.equal(
      `Removed REDSHIFT_HOST, REDSHIFT_PORT, REDSHIFT_IAM_ROLE_ARN from ${f.deps.envFile}: they named what was deleted. npm run cluster -- create writes them again.`,
    );
  });

  it('leaves .env alone when it points at another cluster, or the role was kept', async () => {
    ourCluster();
    otherClusters([clusterIn('available', { ClusterIdentifier: 'team-b' })]);
    const envText = `REDSHIFT_HOST=team-b.abc123.us-west-2.redshift.amazonaws.com\nREDSHIFT_IAM_ROLE_ARN=${ROLE_ARN}\n`;
    const f = fake({ envText });
    expect(await runCluster('delete', { yes: true }, ENV, f.deps)).to.equal(0);
    expect(fs.readFileSync(f.deps.envFile, 'utf8')).to.equal(envText);
  });

  it('delete --serverless removes the workgroup endpoint from .env', async () => {
    ourWorkgroup();
    const f = fake({ envText: `REDSHIFT_DEPLOYMENT=serverless\nREDSHIFT_HOST=${HOST}\nREDSHIFT_PORT=5439\n` });
    expect(await runCluster('delete', { yes: true }, SERVERLESS_ENV, f.deps)).to.equal(0);
    expect(fs.readFileSync(f.deps.envFile, 'utf8')).to.equal('REDSHIFT_DEPLOYMENT=serverless\n');
  });

  for (const [name, env, setUp] of [
    ['delete', ENV, ourCluster],
    ['delete --serverless', SERVERLESS_ENV, ourWorkgroup],
  ] as const) {
    it(`${name}: the dry run lists every call the real run makes`, async () => {
      const dry = fake();
      expect(await runCluster('delete', { dryRun: true, yes: true }, env, dry.deps)).to.equal(0);
      setUp();
      const real = fake();
      expect(await runCluster('delete', { yes: true }, env, real.deps)).to.equal(0);
      const missing = [...new Set(callsMade())].filter((call) => !planned(dry).includes(call));
      expect(missing, `made but not in the dry run: ${missing.join(', ')}`).to.deep.equal([]);
    });
  }
});
