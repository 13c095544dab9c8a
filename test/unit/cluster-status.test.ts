import { expect } from 'chai';
import { ClusterNotFoundFault, DescribeClustersCommand } from '@aws-sdk/client-redshift';
import { runCluster } from '../../src/cluster/run';
import { formatHours } from '../../src/cluster/status';
import { ENV, START, allCalls, clusterIn, fake, mocks, useClusterMocks } from '../support/cluster-fakes';

const hoursAfterStart = (h: number) => new Date(START.getTime() + h * 3_600_000);

describe('cluster status', () => {
  useClusterMocks();

  it('shows state, endpoint, nodes, age and cost, with a reminder when up for long', async () => {
    mocks.redshift.on(DescribeClustersCommand).resolves({ Clusters: [clusterIn('available')] });
    const f = fake({ now: hoursAfterStart(5.5) });
    expect(await runCluster('status', {}, ENV, f.deps)).to.equal(0);
    expect(f.out).to.deep.equal([
      'cluster     sparkify-warehouse',
      'state       available',
      'endpoint    sparkify-warehouse.abc123.us-west-2.redshift.amazonaws.com:5439',
      'nodes       4 × ra3.large',
      'public      no',
      'roles       arn:aws:iam::123456789012:role/sparkify-redshift-s3-read (in-sync)',
      'age         5 h 30 min (created 2025-11-25T10:00:00.000Z)',
      'cost/hour   $2.17 per hour while running; 4 × $0.543 at 2025-11 (us-east-1, on-demand) prices',
      'cost so far at most $11.95 (5 h 30 min × $2.17; paused hours are not billed)',
      'Reminder: sparkify-warehouse has been up for 5 h 30 min and bills ~$2.17/h even when idle. ' +
        'Pause it (npm run cluster -- pause) or delete it (npm run cluster -- delete) when you are not using it.',
    ]);
  });

  it('gives no reminder for a young or paused cluster, and prices a paused one at zero compute', async () => {
    mocks.redshift.on(DescribeClustersCommand).resolves({ Clusters: [clusterIn('available')] });
    const young = fake({ now: hoursAfterStart(1) });
    await runCluster('status', {}, ENV, young.deps);
    expect(young.out.join('\n')).not.to.include('Reminder');

    mocks.redshift.on(DescribeClustersCommand).resolves({ Clusters: [clusterIn('paused')] });
    const paused = fake({ now: hoursAfterStart(30) });
    await runCluster('status', {}, ENV, paused.deps);
    expect(paused.out.join('\n')).not.to.include('Reminder');
    expect(paused.out).to.include(
      'cost/hour   $0.00 compute while paused (storage is still billed); 4 × $0.543 at 2025-11 (us-east-1, on-demand) prices',
    );
  });

  it('--remind-after changes the threshold', async () => {
    mocks.redshift.on(DescribeClustersCommand).resolves({ Clusters: [clusterIn('available')] });
    const f = fake({ now: hoursAfterStart(1) });
    await runCluster('status', { remindAfter: '0.5' }, ENV, f.deps);
    expect(f.out[f.out.length - 1]).to.match(/^Reminder: sparkify-warehouse has been up for 1 h 0 min/);
  });

  it('says when there is no cluster, and exits 0', async () => {
    mocks.redshift
      .on(DescribeClustersCommand)
      .rejects(new ClusterNotFoundFault({ message: 'not found', $metadata: {} }));
    const f = fake();
    expect(await runCluster('status', {}, ENV, f.deps)).to.equal(0);
    expect(f.out).to.deep.equal([
      'No cluster sparkify-warehouse in us-west-2. Create one with npm run cluster -- create.',
    ]);
  });

  it('formats ages', () => {
    expect(formatHours(0.25)).to.equal('15 min');
    expect(formatHours(49.5)).to.equal('2 d 1 h');
  });
});

describe('cluster endpoint and wait', () => {
  useClusterMocks();

  it('endpoint prints host:port only', async () => {
    mocks.redshift.on(DescribeClustersCommand).resolves({ Clusters: [clusterIn('available')] });
    const f = fake();
    expect(await runCluster('endpoint', {}, ENV, f.deps)).to.equal(0);
    expect(f.out).to.deep.equal(['sparkify-warehouse.abc123.us-west-2.redshift.amazonaws.com:5439']);
  });

  it('endpoint fails with a hint while there is none yet', async () => {
    mocks.redshift.on(DescribeClustersCommand).resolves({ Clusters: [clusterIn('creating', { Endpoint: undefined })] });
    const f = fake();
    expect(await runCluster('endpoint', {}, ENV, f.deps)).to.equal(1);
    expect(f.out).to.deep.equal([]);
    expect(f.err).to.deep.equal([
      'error: Cluster "sparkify-warehouse" has no endpoint yet (it is creating). Run npm run cluster -- wait, then ask again.',
    ]);
  });

  it('wait uses the available waiter with --timeout', async () => {
    const f = fake();
    expect(await runCluster('wait', { timeout: '10' }, ENV, f.deps)).to.equal(0);
    expect(f.waited).to.deep.equal(['available:sparkify-warehouse:600']);
  });

  it('status, endpoint and wait --dry-run make no calls', async () => {
    for (const verb of ['status', 'endpoint', 'wait']) {
      const f = fake();
      expect(await runCluster(verb, { dryRun: true }, ENV, f.deps)).to.equal(0);
      expect(f.out[0]).to.equal(`dry run of "${verb}": no AWS call is made. It would do, in order:`);
    }
    expect(allCalls()).to.equal(0);
  });
});
