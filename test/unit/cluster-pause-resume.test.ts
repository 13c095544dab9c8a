import { expect } from 'chai';
import {
  DescribeClustersCommand,
  InvalidClusterStateFault,
  PauseClusterCommand,
  ResumeClusterCommand,
} from '@aws-sdk/client-redshift';
import { runCluster } from '../../src/cluster/run';
import { ENV, allCalls, clusterIn, fake, mocks, useClusterMocks } from '../support/cluster-fakes';

/** DescribeClusters answers these states in turn, then keeps answering the last one. */
function states(...sequence: string[]): void {
  const stub = mocks.redshift.on(DescribeClustersCommand);
  for (const status of sequence) stub.resolvesOnce({ Clusters: [clusterIn(status)] });
  stub.resolves({ Clusters: [clusterIn(sequence[sequence.length - 1])] });
}

describe('cluster pause and resume', () => {
  useClusterMocks();

  it('pause sends PauseCluster and polls with doubling delays until paused', async () => {
    states('available', 'pausing', 'pausing', 'pausing', 'pausing', 'pausing', 'paused');
    mocks.redshift.on(PauseClusterCommand).resolves({ Cluster: clusterIn('pausing') });
    const f = fake();
    expect(await runCluster('pause', {}, ENV, f.deps)).to.equal(0);
    expect(mocks.redshift.commandCalls(PauseClusterCommand)[0].args[0].input).to.deep.equal({
      ClusterIdentifier: 'sparkify-warehouse',
    });
    // 10 s, doubling, capped at 120 s.
    expect(f.sleeps).to.deep.equal([10_000, 20_000, 40_000, 80_000, 120_000]);
    expect(f.out[f.out.length - 1]).to.match(/^Cluster sparkify-warehouse is paused\. Compute billing has stopped/);
  });

  it('pause gives up at the timeout with a message that says what to do', async () => {
    states('available', 'pausing');
    mocks.redshift.on(PauseClusterCommand).resolves({});
    const f = fake();
    expect(await runCluster('pause', { timeout: '5' }, ENV, f.deps)).to.equal(1);
    expect(f.err).to.deep.equal([
      'error: Cluster "sparkify-warehouse" is still not paused after 5 min. AWS keeps working on it: check npm run cluster -- status and wait again, or pass --timeout <minutes> for a longer wait.',
    ]);
    expect(f.elapsedMinutes()).to.equal(5);
  });

  it('pause on a paused cluster is a no-op', async () => {
    states('paused');
    const f = fake();
    expect(await runCluster('pause', {}, ENV, f.deps)).to.equal(0);
    expect(f.out).to.deep.equal(['Cluster sparkify-warehouse is already paused; nothing to do.']);
    expect(mocks.redshift.commandCalls(PauseClusterCommand)).to.have.length(0);
  });

  it('pause on a pausing cluster only waits', async () => {
    states('pausing', 'pausing', 'paused');
    const f = fake();
    expect(await runCluster('pause', {}, ENV, f.deps)).to.equal(0);
    expect(mocks.redshift.commandCalls(PauseClusterCommand)).to.have.length(0);
    expect(f.sleeps).to.deep.equal([10_000]);
  });

  it('resume sends ResumeCluster and waits until available', async () => {
    states('paused', 'resuming', 'available');
    mocks.redshift.on(ResumeClusterCommand).resolves({});
    const f = fake();
    expect(await runCluster('resume', {}, ENV, f.deps)).to.equal(0);
    expect(mocks.redshift.commandCalls(ResumeClusterCommand)[0].args[0].input).to.deep.equal({
      ClusterIdentifier: 'sparkify-warehouse',
    });
    expect(f.out[f.out.length - 1]).to.match(/is available\. It is billed by the hour again/);
  });

  it('resume on an available cluster is a no-op', async () => {
    states('available');
    const f = fake();
    expect(await runCluster('resume', {}, ENV, f.deps)).to.equal(0);
    expect(f.out).to.deep.equal(['Cluster sparkify-warehouse is already available; nothing to do.']);
    expect(mocks.redshift.commandCalls(ResumeClusterCommand)).to.have.length(0);
  });

  it('pause in a state AWS refuses becomes one line naming the fix', async () => {
    states('modifying');
    mocks.redshift
      .on(PauseClusterCommand)
      .rejects(new InvalidClusterStateFault({ message: 'The cluster is being modified', $metadata: {} }));
    const f = fake();
    expect(await runCluster('pause', {}, ENV, f.deps)).to.equal(1);
    expect(f.err).to.deep.equal([
      'error: Cluster "sparkify-warehouse" cannot do that in its current state (The cluster is being modified). Check npm run cluster -- status, let it settle (npm run cluster -- wait) and retry.',
    ]);
  });

  it('stops waiting when the cluster starts being deleted', async () => {
    states('available', 'deleting');
    mocks.redshift.on(PauseClusterCommand).resolves({});
    const f = fake();
    expect(await runCluster('pause', {}, ENV, f.deps)).to.equal(1);
    expect(f.err[0]).to.match(/is being deleted, so it will not become paused/);
  });

  it('--dry-run lists the calls and makes none', async () => {
    for (const verb of ['pause', 'resume']) {
      const f = fake();
      expect(await runCluster(verb, { dryRun: true }, ENV, f.deps)).to.equal(0);
      expect(f.out.join('\n')).to.include(verb === 'pause' ? 'redshift:PauseCluster' : 'redshift:ResumeCluster');
    }
    expect(allCalls()).to.equal(0);
  });
});
