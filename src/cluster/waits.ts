// Waiting for a cluster to reach a state: available, paused or deleted. We poll
// DescribeClusters ourselves rather than use the SDK's waiters: those (client-redshift's
// waitUntilClusterAvailable/Deleted) answer RETRY to every error they do not name, so an
// expired session, a missing permission or a mistyped REDSHIFT_CLUSTER_ID meant silence for
// the whole timeout and then a false "still not available" (issue 23). Here an error
// propagates at once and the caller reports it as status would; AWS's own transient
// failures are already retried inside each call by the SDK's retry strategy. Sleep and
// clock are injected, so tests run the whole loop instantly.
import { type Cluster, DescribeClustersCommand } from '@aws-sdk/client-redshift';
import { CloudError } from '../errors';
import { errorCode } from './aws-errors';
import { describeInput } from './describe';
import type { ClusterDeps, WaitOptions, Waiters } from './deps';

type Wanted = 'available' | 'paused' | 'deleted';
type Clock = Pick<ClusterDeps, 'sleep' | 'now' | 'out'>;

/** States from which the cluster will not reach `wanted` (the SDK waiters' failure states, and deleting for paused). */
const DEAD_ENDS: Record<Wanted, string[]> = {
  available: ['deleting', 'final-snapshot'],
  paused: ['deleting', 'final-snapshot'],
  deleted: ['creating', 'modifying'],
};

/** The waiters the CLI uses: our own polls, on the given clock and output. */
export function pollingWaiters(clock: Clock): Waiters {
  return {
    untilAvailable: (redshift, options) => pollUntilStatus({ redshift, ...clock }, 'available', options),
    untilDeleted: (redshift, options) => pollUntilStatus({ redshift, ...clock }, 'deleted', options),
  };
}

/**
 * Polls until ClusterStatus is `wanted` (or, for deleted, until the cluster is gone): first
 * after `minDelay`, then doubling up to `maxDelay`, printing the state and the time elapsed
 * at each look, and gives up after `maxWaitSeconds` by the injected clock. A missing
 * cluster while waiting for available or paused is ClusterNotFound, reported as such.
 */
export async function pollUntilStatus(
  deps: Pick<ClusterDeps, 'redshift'> & Clock,
  wanted: Wanted,
  options: WaitOptions,
): Promise<void> {
  const started = deps.now().getTime();
  const deadline = started + options.maxWaitSeconds * 1000;
  let delay = options.minDelay * 1000;
  for (;;) {
    const inGrace = deps.now().getTime() - started < (options.notFoundGraceSeconds ?? 0) * 1000;
    const cluster = await describe(deps, options.clusterId, wanted, inGrace);
    const status = cluster === NOT_VISIBLE_YET ? 'not visible yet' : (cluster?.ClusterStatus ?? 'unknown');
    if (!cluster || status === wanted) return;
    if (DEAD_ENDS[wanted].includes(status)) {
      const state = status === 'deleting' || status === 'final-snapshot' ? 'is being deleted' : `went to "${status}"`;
      throw new CloudError(
        `Cluster "${options.clusterId}" ${state}, so it will not become ${wanted}. See npm run cluster -- status.`,
      );
    }
    const elapsed = deps.now().getTime() - started;
    deps.out(
      `  ${options.clusterId} is ${status} (${formatElapsed(elapsed)} so far); waiting for it to be ${wanted}...`,
    );
    const remaining = deadline - deps.now().getTime();
    if (remaining <= 0) throw timedOut(options.clusterId, wanted, options.maxWaitSeconds);
    await deps.sleep(Math.min(delay, remaining));
    delay = Math.min(delay * 2, options.maxDelay * 1000);
  }
}

const NOT_VISIBLE_YET: Cluster = {};

/**
 * The cluster, or undefined once it is gone when that is what we wait for, or
 * NOT_VISIBLE_YET within a grace; any other error is thrown as it came.
 */
async function describe(
  deps: Pick<ClusterDeps, 'redshift'>,
  clusterId: string,
  wanted: Wanted,
  inGrace: boolean,
): Promise<Cluster | undefined> {
  try {
    const cluster = (await deps.redshift.send(new DescribeClustersCommand(describeInput(clusterId)))).Clusters?.[0];
    if (!cluster && wanted !== 'deleted')
      throw new CloudError(`AWS returned no cluster "${clusterId}" and no error. See npm run cluster -- status.`);
    return cluster;
  } catch (error) {
    if (errorCode(error) !== 'ClusterNotFound') throw error;
    if (wanted === 'deleted') return undefined;
    if (inGrace) return NOT_VISIBLE_YET;
    throw error;
  }
}

function timedOut(clusterId: string, wanted: string, maxWaitSeconds: number): CloudError {
  return new CloudError(
    `Cluster "${clusterId}" is still not ${wanted} after ${Math.round(maxWaitSeconds / 60)} min. AWS keeps working on it: ` +
      'check npm run cluster -- status and wait again, or pass --timeout <minutes> for a longer wait.',
  );
}

/** 45 s, 3 min 10 s, 1 h 2 min: how long a wait has lasted, for the progress lines. */
export function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const min = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h} h ${min} min`;
  return min > 0 ? `${min} min ${s} s` : `${s} s`;
}
