import { expect } from 'chai';
import {
  DeleteNamespaceCommand,
  DeleteWorkgroupCommand,
  GetNamespaceCommand,
  GetWorkgroupCommand,
  ListTagsForResourceCommand,
  ListUsageLimitsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-redshift-serverless';
import { DeleteRoleCommand, DeleteRolePolicyCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { runCluster } from '../../src/cluster/run';
import { USAGE_SQL, periodStart, usageSince } from '../../src/cluster/serverless/usage';
import { ENV, OUR_TAGS, ROLE_ARN, allCalls, fake, mocks, role, useClusterMocks } from '../support/cluster-fakes';
import { HOST, WORKGROUP_ARN, workgroupIn } from '../support/serverless-fakes';

const SERVERLESS_ENV: NodeJS.ProcessEnv = { ...ENV, REDSHIFT_PASSWORD: undefined, REDSHIFT_DEPLOYMENT: 'serverless' };
const NAMESPACE_ARN = 'arn:aws:redshift-serverless:us-west-2:123456789012:namespace/def';
const gone = () => new ResourceNotFoundException({ message: 'not found', $metadata: {} });

describe('cluster status, pause, resume, wait and endpoint --serverless', () => {
  useClusterMocks();

  beforeEach(() => {
    mocks.serverless.on(GetNamespaceCommand).resolves({
      namespace: {
        namespaceName: 'sparkify',
        defaultIamRoleArn: ROLE_ARN,
        iamRoles: [`IamRole(applyStatus=in-sync, iamRoleArn=${ROLE_ARN})`],
      },
    });
  });

  it('status shows state, endpoint, capacity, roles, usage limit and the dated RPU price', async () => {
    mocks.serverless.on(GetWorkgroupCommand).resolves({ workgroup: workgroupIn('AVAILABLE', { maxCapacity: 64 }) });
    mocks.serverless
      .on(ListUsageLimitsCommand)
      .resolves({ usageLimits: [{ amount: 8, period: 'daily', breachAction: 'deactivate' }] });
    const f = fake();
    expect(await runCluster('status', {}, SERVERLESS_ENV, f.deps)).to.equal(0);
    expect(f.out).to.deep.equal([
      'workgroup   sparkify (namespace sparkify)',
      'state       AVAILABLE',
      `endpoint    ${HOST}:5439`,
      'capacity    base 8 RPU, max 64 RPU',
      'public      no',
      `roles       ${ROLE_ARN} (default)`,
      'usage limit 8 RPU-hours daily, then deactivate',
      'cost        $0.375 per RPU-hour at 2025-11 (us-east-1, on-demand) prices: at least $3.00 per hour of work at base capacity, billed per second (60 s minimum); nothing while idle apart from storage',
      'used        unknown: no database connection configured (REDSHIFT_HOST); see the AWS console',
    ]);
    expect(mocks.serverless.commandCalls(ListUsageLimitsCommand)[0].args[0].input).to.deep.equal({
      resourceArn: WORKGROUP_ARN,
      usageType: 'serverless-compute',
    });
  });

  it('status shows the RPU-hours used since the start of the usage period and their cost, or why not', async () => {
    mocks.serverless.on(GetWorkgroupCommand).resolves({ workgroup: workgroupIn('AVAILABLE') });
    mocks.serverless.on(ListUsageLimitsCommand).resolves({ usageLimits: [] });
    const asked: Date[] = [];
    const f = fake({ now: new Date('2025-11-27T15:30:00Z') });
    f.deps.serverlessUsage = async (since) => {
      asked.push(since);
      return { rpuHours: 2.5 };
    };
    expect(await runCluster('status', {}, { ...SERVERLESS_ENV, REDSHIFT_USAGE_PERIOD: 'weekly' }, f.deps)).to.equal(0);
    // 2025-11-27 is a Thursday: the week began on Monday the 24th.
    expect(asked).to.deep.equal([new Date('2025-11-24T00:00:00Z')]);
    expect(f.out.at(-1)).to.equal('used        2.50 RPU-hours since 2025-11-24T00:00:00.000Z ≈ $0.94');

    const g = fake();
    g.deps.serverlessUsage = async () => {
      throw new Error('permission denied for relation sys_serverless_usage');
    };
    expect(await runCluster('status', {}, SERVERLESS_ENV, g.deps)).to.equal(0);
    expect(g.out.at(-1)).to.equal(
      'used        unknown: could not read sys_serverless_usage (permission denied for relation sys_serverless_usage)',
    );
  });

  it('status says the usage is unknown, not $0.00, when the database user is not a superuser', async () => {
    mocks.serverless.on(GetWorkgroupCommand).resolves({ workgroup: workgroupIn('AVAILABLE') });
    mocks.serverless.on(ListUsageLimitsCommand).resolves({ usageLimits: [] });
    const f = fake();
    f.deps.serverlessUsage = async () => 'needs-superuser';
    expect(await runCluster('status', {}, SERVERLESS_ENV, f.deps)).to.equal(0);
    expect(f.out.at(-1)).to.equal(
      'used        unknown (needs a superuser): sys_serverless_usage shows its rows to superusers only, and your database user is not one; see the AWS console',
    );
    expect(f.out.join('\n')).not.to.include('$0.00');
  });

  it('reads usage with a query bound to the period start', () => {
    expect(USAGE_SQL).to.equal(
      'select coalesce(sum(charged_seconds), 0) / 3600.0 as rpu_hours from sys_serverless_usage where start_time >= cast(? as timestamp)',
    );
    // UTC text, never a Date the driver would send in the machine's zone.
    expect(usageSince(new Date('2025-11-27T00:00:00Z'))).to.equal('2025-11-27 00:00:00');
    const now = new Date('2025-11-27T15:30:00Z');
    expect(periodStart('daily', now).toISOString()).to.equal('2025-11-27T00:00:00.000Z');
    expect(periodStart('monthly', now).toISOString()).to.equal('2025-11-01T00:00:00.000Z');
    expect(periodStart('weekly', new Date('2025-11-24T00:00:00Z')).toISOString()).to.equal('2025-11-24T00:00:00.000Z');
    expect(periodStart('weekly', new Date('2025-11-30T23:59:00Z')).toISOString()).to.equal('2025-11-24T00:00:00.000Z');
  });

  it('status says when no usage limit caps the bill, and when there is no workgroup', async () => {
    mocks.serverless.on(GetWorkgroupCommand).resolves({ workgroup: workgroupIn('AVAILABLE') });
    mocks.serverless.on(ListUsageLimitsCommand).resolves({ usageLimits: [] });
    const f = fake();
    expect(await runCluster('status', {}, SERVERLESS_ENV, f.deps)).to.equal(0);
    expect(f.out).to.include('usage limit none: nothing caps the bill (create --serverless adds one)');

    mocks.serverless.on(GetWorkgroupCommand).rejects(gone());
    const g = fake();
    expect(await runCluster('status', {}, SERVERLESS_ENV, g.deps)).to.equal(0);
    expect(g.out).to.deep.equal([
      'No workgroup sparkify in us-west-2. Create one with npm run cluster -- create --serverless.',
    ]);
  });

  for (const verb of ['pause', 'resume']) {
    it(`${verb} explains that Serverless scales to zero by itself, exits 0 and calls nothing`, async () => {
      const f = fake();
      expect(await runCluster(verb, {}, SERVERLESS_ENV, f.deps)).to.equal(0);
      expect(f.out[0]).to.match(
        new RegExp(
          `^Nothing to ${verb}: Redshift Serverless workgroup sparkify scales to zero by itself and bills no compute while idle`,
        ),
      );
      expect(allCalls()).to.equal(0);
    });
  }

  it('wait polls until AVAILABLE with growing pauses, and gives up by the injected clock', async () => {
    mocks.serverless
      .on(GetWorkgroupCommand)
      .resolvesOnce({ workgroup: workgroupIn('CREATING') })
      .resolvesOnce({ workgroup: workgroupIn('CREATING') })
      .resolvesOnce({ workgroup: workgroupIn('MODIFYING') })
      .resolves({ workgroup: workgroupIn('AVAILABLE') });
    const f = fake();
    expect(await runCluster('wait', {}, SERVERLESS_ENV, f.deps)).to.equal(0);
    expect(f.sleeps).to.deep.equal([10_000, 20_000]);
    expect(f.out.at(-1)).to.equal('Workgroup sparkify is available.');

    mocks.serverless.on(GetWorkgroupCommand).resolves({ workgroup: workgroupIn('CREATING') });
    const g = fake();
    expect(await runCluster('wait', { timeout: '5' }, SERVERLESS_ENV, g.deps)).to.equal(1);
    expect(g.elapsedMinutes()).to.equal(5);
    expect(g.err[0]).to.match(/workgroup "sparkify" is still CREATING after 5 min/);
  });

  it('endpoint prints host:port only, or says to wait', async () => {
    mocks.serverless.on(GetWorkgroupCommand).resolves({ workgroup: workgroupIn('AVAILABLE') });
    const f = fake();
    expect(await runCluster('endpoint', {}, SERVERLESS_ENV, f.deps)).to.equal(0);
    expect(f.out).to.deep.equal([`${HOST}:5439`]);

    mocks.serverless.on(GetWorkgroupCommand).resolves({ workgroup: workgroupIn('CREATING', { endpoint: undefined }) });
    const g = fake();
    expect(await runCluster('endpoint', {}, SERVERLESS_ENV, g.deps)).to.equal(1);
    expect(g.err[0]).to.match(/no endpoint yet .*wait --serverless/);
  });

  it('every verb --dry-run calls nothing', async () => {
    for (const verb of ['status', 'wait', 'endpoint', 'delete']) {
      const f = fake();
      expect(await runCluster(verb, { dryRun: true, serverless: true }, ENV, f.deps)).to.equal(0);
      expect(f.out[0]).to.equal(`dry run of "${verb} --serverless": no AWS call is made. It would do, in order:`);
    }
    expect(allCalls()).to.equal(0);
  });
});

describe('cluster delete --serverless', () => {
  useClusterMocks();

  function ours(): void {
    mocks.serverless
      .on(GetWorkgroupCommand)
      .resolvesOnce({ workgroup: workgroupIn('AVAILABLE') })
      .resolvesOnce({ workgroup: workgroupIn('DELETING') })
      .rejects(gone());
    mocks.serverless
      .on(GetNamespaceCommand)
      .resolvesOnce({ namespace: { namespaceName: 'sparkify', namespaceArn: NAMESPACE_ARN, status: 'AVAILABLE' } })
      .rejects(gone());
    mocks.serverless
      .on(ListTagsForResourceCommand)
      .resolves({ tags: [{ key: 'managed-by', value: 'sparkify-warehouse' }] });
    mocks.serverless.on(DeleteWorkgroupCommand).resolves({});
    mocks.serverless.on(DeleteNamespaceCommand).resolves({});
    mocks.iam.on(GetRoleCommand).resolves({ Role: role(OUR_TAGS) });
    mocks.iam.on(DeleteRolePolicyCommand).resolves({});
    mocks.iam.on(DeleteRoleCommand).resolves({});
    mocks.ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
  }

  it('asks, deletes the workgroup, waits, then the namespace, then the role', async () => {
    ours();
    const f = fake({ answer: 'sparkify' });
    expect(await runCluster('delete', {}, SERVERLESS_ENV, f.deps)).to.equal(0);
    expect(f.questions[0]).to.match(/Delete workgroup sparkify and namespace sparkify\? all its data is lost/);
    const order = mocks.serverless.calls().map((c) => c.args[0].constructor.name);
    expect(order).to.deep.equal([
      'GetWorkgroupCommand',
      'GetNamespaceCommand',
      'ListTagsForResourceCommand',
      'ListTagsForResourceCommand',
      'DeleteWorkgroupCommand',
      'GetWorkgroupCommand',
      'GetWorkgroupCommand',
      'DeleteNamespaceCommand',
      'GetNamespaceCommand',
      'ListNamespacesCommand',
    ]);
    expect(mocks.serverless.commandCalls(DeleteNamespaceCommand)[0].args[0].input).to.deep.equal({
      namespaceName: 'sparkify',
    });
    expect(mocks.iam.commandCalls(DeleteRoleCommand)).to.have.length(1);
  });

  it('--final-snapshot keeps a snapshot of the namespace; --keep-role keeps the role; --yes asks nothing', async () => {
    ours();
    const f = fake();
    expect(
      await runCluster('delete', { yes: true, finalSnapshot: 'sparkify-last', keepRole: true }, SERVERLESS_ENV, f.deps),
    ).to.equal(0);
    expect(f.questions).to.deep.equal([]);
    expect(mocks.serverless.commandCalls(DeleteNamespaceCommand)[0].args[0].input).to.deep.equal({
      namespaceName: 'sparkify',
      finalSnapshotName: 'sparkify-last',
    });
    expect(mocks.iam.calls()).to.have.length(0);
  });

  it('refuses a workgroup not tagged as ours unless --force, and a wrong answer', async () => {
    ours();
    mocks.serverless.on(ListTagsForResourceCommand).resolves({ tags: [{ key: 'team', value: 'finance' }] });
    const f = fake();
    expect(await runCluster('delete', { yes: true }, SERVERLESS_ENV, f.deps)).to.equal(1);
    expect(f.err[0]).to.match(/Workgroup "sparkify" is not tagged managed-by=sparkify-warehouse.*--force/);
    expect(mocks.serverless.commandCalls(DeleteWorkgroupCommand)).to.have.length(0);

    ours();
    const g = fake({ answer: 'yes' });
    expect(await runCluster('delete', {}, SERVERLESS_ENV, g.deps)).to.equal(1);
    expect(g.err[0]).to.match(/Not deleted: the answer did not match "sparkify"/);
    expect(mocks.serverless.commandCalls(DeleteWorkgroupCommand)).to.have.length(0);
  });

  it('--dry-run shows the deletes in order and calls nothing', async () => {
    const f = fake();
    expect(await runCluster('delete', { dryRun: true, finalSnapshot: 'last-one' }, SERVERLESS_ENV, f.deps)).to.equal(0);
    const text = f.out.join('\n');
    expect(text.indexOf('redshift-serverless:DeleteWorkgroup')).to.be.lessThan(
      text.indexOf('redshift-serverless:DeleteNamespace'),
    );
    expect(text).to.include('"finalSnapshotName": "last-one"').and.include('iam:DeleteRole');
    expect(allCalls()).to.equal(0);
  });
});
