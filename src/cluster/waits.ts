// Waiting for a cluster to reach a state. Available and deleted have SDK waiters; paused
// has none, so we poll DescribeClusters ourselves with exponential backoff. Sleep and
// clock are injected, so tests run the whole loop instantly.
import { waitUntilClusterAvailable, waitUntilClusterDeleted } from '@aws-sdk/client-redshift';
import { CloudError } from '../errors';
import { findCluster } from './describe';
import type { ClusterDeps, WaitOptions, Waiters } from './deps';

/** The SDK's own waiters; a non-success result becomes a CloudError that says what to run. */
export const sdkWaiters: Waiters = {
  async untilAvailable(client, { clusterId, maxWaitSeconds, minDelay, maxDelay }) {
    try {
      await waitUntilClusterAvailable({ client, maxWaitTime: maxWaitSeconds, minDelay, maxDelay }, { ClusterIdentifier: clusterId });
    } catch (error) {
      throw waiterFailure(error, clusterId, 'available', maxWaitSeconds);
    }
  },
  async untilDeleted(client, { clusterId, maxWaitSeconds, minDelay, maxDelay }) {
    try {
      await waitUntilClusterDeleted({ client, maxWaitTime: maxWaitSeconds, minDelay, maxDelay }, { ClusterIdentifier: clusterId });
    } catch (error) {
      throw waiterFailure(error, clusterId, 'deleted', maxWaitSeconds);
    }
  },
};

function waiterFailure(error: unknown, clusterId: string, wanted: string, maxWaitSeconds: number): Error {
  if ((error as Error).name === 'TimeoutError') return timedOut(clusterId, wanted, maxWaitSeconds);
  if ((error as Error).name === 'AbortError') return new CloudError(`Stopped waiting for cluster "${clusterId}" to be ${wanted}.`);
  // The waiter gives up early when the cluster enters a state it cannot leave for the one
  // we want (deleting while we wait for available; creating while we wait for deleted).
  const status = /"ClusterStatus":"([\w-]+)"/.exec(String((error as Error).message))?.[1] ?? 'another state';
  return new CloudError(`Cluster "${clusterId}" went to "${status}" while we waited for it to be ${wanted}. See npm run cluster -- status.`);
}

function timedOut(clusterId: string, wanted: string, maxWaitSeconds: number): CloudError {
  return new CloudError(
    `Cluster "${clusterId}" is still not ${wanted} after ${Math.round(maxWaitSeconds / 60)} min. AWS keeps working on it: ` +
      'check npm run cluster -- status and wait again, or pass --timeout <minutes> for a longer wait.',
  );
}

/**
 * Polls until ClusterStatus is `wanted`: first after `minDelay`, then doubling up to
 * `maxDelay`, and gives up after `maxWaitSeconds` by the injected clock.
 */
export async function pollUntilStatus(deps: Pick<ClusterDeps, 'redshift' | 'sleep' | 'now' | 'out'>, wanted: 'paused' | 'available', options: WaitOptions): Promise<void> {
  const started = deps.now().getTime();
  const deadline = started + options.maxWaitSeconds * 1000;
  let delay = options.minDelay * 1000;
  let lastStatus: string | undefined;
  for (;;) {
    const cluster = await findCluster(deps.redshift, options.clusterId);
    const status = cluster?.ClusterStatus;
    if (!cluster) throw new CloudError(`Cluster "${options.clusterId}" disappeared while we waited for it to be ${wanted}. See npm run cluster -- status.`);
    if (status === wanted) return;
    if (status === 'deleting' || status === 'final-snapshot') {
      throw new CloudError(`Cluster "${options.clusterId}" is being deleted, so it will not become ${wanted}.`);
    }
    if (status !== lastStatus) deps.out(`  ${options.clusterId} is ${status}; waiting for ${wanted}...`);
    lastStatus = status;
    const remaining = deadline - deps.now().getTime();
    if (remaining <= 0) throw timedOut(options.clusterId, wanted, options.maxWaitSeconds);
    await deps.sleep(Math.min(delay, remaining));
    delay = Math.min(delay * 2, options.maxDelay * 1000);
  }
}
