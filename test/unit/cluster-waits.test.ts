// Waiting for a cluster: errors that waiting cannot fix end the wait at once, with the
// message status gives (issue 23, item 1); progress says the state and the time elapsed.
import { expect } from 'chai';
import net from 'node:net';
import { ClusterNotFoundFault, DescribeClustersCommand, RedshiftServiceException } from '@aws-sdk/client-redshift';
import { clusterClients } from '../../src/cluster/clients';
import { runCluster } from '../../src/cluster/run';
import { pollingWaiters } from '../../src/cluster/waits';
import { ENV, clusterIn, fake, mocks, useClusterMocks, type Fake } from '../support/cluster-fakes';

/** A fake whose waiters are the CLI's own polls, on the fake clock. */
function polling(): Fake {
  const f = fake();
  f.deps.waiters = pollingWaiters(f.deps);
  return f;
}

const accessDenied = () =>
  new RedshiftServiceException({
    name: 'AccessDenied',
    $fault: 'client',
    $metadata: {},
    message: 'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: redshift:DescribeClusters',
  });
const expiredToken = () =>
  new RedshiftServiceException({
    name: 'ExpiredToken',
    $fault: 'client',
    $metadata: {},
    message: 'The security token included in the request is expired',
  });
const noCredentials = () =>
  Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });

describe('cluster waits', () => {
  useClusterMocks();
  const options = { clusterId: 'sparkify-warehouse', maxWaitSeconds: 600, minDelay: 10, maxDelay: 40 };

  it('polls until available, printing the state and the time elapsed at each look', async () => {
    mocks.redshift
      .on(DescribeClustersCommand)
      .resolvesOnce({ Clusters: [clusterIn('creating')] })
      .resolvesOnce({ Clusters: [clusterIn('creating')] })
      .resolves({ Clusters: [clusterIn('available')] });
    const f = polling();
    await f.deps.waiters.untilAvailable(f.deps.redshift, options);
    expect(f.sleeps).to.deep.equal([10_000, 20_000]);
    expect(f.out).to.deep.equal([
      '  sparkify-warehouse is creating (0 s so far); waiting for it to be available...',
      '  sparkify-warehouse is creating (10 s so far); waiting for it to be available...',
    ]);
  });

  it('the deleted wait ends on ClusterNotFound, and stops on a cluster being created again', async () => {
    mocks.redshift
      .on(DescribeClustersCommand)
      .resolvesOnce({ Clusters: [clusterIn('deleting')] })
      .rejects(new ClusterNotFoundFault({ message: 'gone', $metadata: {} }));
    const f = polling();
    await f.deps.waiters.untilDeleted(f.deps.redshift, options);
    expect(f.sleeps).to.deep.equal([10_000]);

    mocks.redshift.on(DescribeClustersCommand).resolves({ Clusters: [clusterIn('creating')] });
    const error = await polling()
      .deps.waiters.untilDeleted(f.deps.redshift, options)
      .catch((e: Error) => e);
    expect((error as Error).message).to.equal(
      'Cluster "sparkify-warehouse" went to "creating", so it will not become deleted. See npm run cluster -- status.',
    );
  });

  it('gives up at the timeout by the injected clock, saying what to run', async () => {
    mocks.redshift.on(DescribeClustersCommand).resolves({ Clusters: [clusterIn('creating')] });
    const f = polling();
    expect(await runCluster('wait', { timeout: '5' }, ENV, f.deps)).to.equal(1);
    expect(f.elapsedMinutes()).to.equal(5);
    expect(f.err[0]).to.match(
      /^error: Cluster "sparkify-warehouse" is still not available after 5 min\. .*npm run cluster -- status/,
    );
  });

  it('a cluster that starts deleting ends the available wait', async () => {
    mocks.redshift.on(DescribeClustersCommand).resolves({ Clusters: [clusterIn('deleting')] });
    const f = polling();
    expect(await runCluster('wait', {}, ENV, f.deps)).to.equal(1);
    expect(f.err).to.deep.equal([
      'error: Cluster "sparkify-warehouse" is being deleted, so it will not become available. See npm run cluster -- status.',
    ]);
  });

  for (const [what, error] of [
    ['access denied', accessDenied],
    ['an expired session', expiredToken],
    ['no credentials', noCredentials],
  ] as const) {
    it(`${what}: wait fails at the first look with the message status gives, without sleeping`, async () => {
      mocks.redshift.on(DescribeClustersCommand).rejects(error());
      const status = fake();
      expect(await runCluster('status', {}, ENV, status.deps)).to.equal(1);
      const f = polling();
      expect(await runCluster('wait', {}, ENV, f.deps)).to.equal(1);
      expect(f.sleeps).to.deep.equal([]);
      expect(f.err).to.deep.equal(status.err);
      expect(f.err[0]).to.match(/^error: (AWS denied access|Your AWS session has expired|No AWS credentials found)/);
    });
  }

  it('right after CreateCluster, ClusterNotFound within the grace means "not visible yet"; after it, the wait ends', async () => {
    const notFound = () =>
      new ClusterNotFoundFault({ message: 'Cluster sparkify-warehouse not found.', $metadata: {} });
    mocks.redshift
      .on(DescribeClustersCommand)
      .rejectsOnce(notFound())
      .resolves({ Clusters: [clusterIn('available')] });
    const f = polling();
    await f.deps.waiters.untilAvailable(f.deps.redshift, { ...options, notFoundGraceSeconds: 60 });
    expect(f.out).to.deep.equal([
      '  sparkify-warehouse is not visible yet (0 s so far); waiting for it to be available...',
    ]);

    mocks.redshift.on(DescribeClustersCommand).rejects(notFound());
    const g = polling();
    const error = await g.deps.waiters
      .untilAvailable(g.deps.redshift, { ...options, notFoundGraceSeconds: 60 })
      .catch((e: Error) => e);
    expect(error).to.have.property('name', 'ClusterNotFoundFault');
    expect(g.elapsedMinutes()).to.equal(70 / 60);
  });

  it('a cluster that does not exist (a mistyped REDSHIFT_CLUSTER_ID, or deleted) fails at once and says so', async () => {
    mocks.redshift
      .on(DescribeClustersCommand)
      .rejects(new ClusterNotFoundFault({ message: 'Cluster sparkify-warehouse not found.', $metadata: {} }));
    const f = polling();
    expect(await runCluster('wait', {}, ENV, f.deps)).to.equal(1);
    expect(f.sleeps).to.deep.equal([]);
    expect(f.err).to.deep.equal([
      'error: There is no cluster "sparkify-warehouse" in us-west-2. Create it with npm run cluster -- create, or check REDSHIFT_CLUSTER_ID and AWS_REGION.',
    ]);
  });
});

describe('cluster waits against an endpoint that cannot be used (real SDK clients)', () => {
  const env = { ...ENV, AWS_ACCESS_KEY_ID: 'AKIDFAKE', AWS_SECRET_ACCESS_KEY: 'fake-secret' };
  let silent: net.Server;
  const held: net.Socket[] = [];

  before(async () => {
    // Accepts connections and never answers.
    silent = net.createServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  after(() => {
    held.forEach((s) => s.destroy());
    silent.close();
  });

  async function waitThrough(endpoint: string): Promise<{ code: number; err: string[]; seconds: number }> {
    const f = fake();
    Object.assign(f.deps, clusterClients(env, { connectionTimeout: 300, requestTimeout: 300 }, endpoint));
    f.deps.waiters = pollingWaiters(f.deps);
    const started = Date.now();
    const code = await runCluster('wait', { timeout: '1' }, env, f.deps);
    return { code, err: f.err, seconds: (Date.now() - started) / 1000 };
  }

  it('nothing listening: fails within seconds, saying AWS cannot be reached', async function () {
    this.timeout(30_000);
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await waitThrough(`http://127.0.0.1:${port}`);
    expect(result.code).to.equal(1);
    expect(result.seconds).to.be.below(10);
    expect(result.err[0]).to.match(
      /^error: Cannot reach AWS \(.*ECONNREFUSED.*\)\. Check the network, a proxy, or AWS_REGION \(us-west-2\)\.$/,
    );
  });

  it('a listener that never answers: fails within seconds, not after the wait timeout', async function () {
    this.timeout(30_000);
    const port = (silent.address() as net.AddressInfo).port;
    const result = await waitThrough(`http://127.0.0.1:${port}`);
    expect(result.code).to.equal(1);
    expect(result.seconds).to.be.below(10);
    expect(result.err[0]).to.match(/^error: Cannot reach AWS \(.*requestTimeout.*\)/);
  });
});
