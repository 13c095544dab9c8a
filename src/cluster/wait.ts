// `wait`: blocks until the cluster is available, for scripts that run right after create
// or resume (npm run cluster -- wait && npm run migrate -- --target redshift).
import { describeInput } from './describe';
import { type ClusterDeps } from './deps';
import { printPlan } from './dry-run';
import { type ClusterSettings } from './settings';

export interface WaitVerbOptions {
  dryRun: boolean;
  maxWaitSeconds: number;
}

export async function waitForCluster(
  settings: ClusterSettings,
  options: WaitVerbOptions,
  deps: ClusterDeps,
): Promise<void> {
  const id = settings.clusterId;
  if (options.dryRun) {
    const when = `repeated with growing pauses until available, for up to ${Math.round(options.maxWaitSeconds / 60)} min; an error ends the wait at once`;
    printPlan(
      'wait',
      [{ service: 'redshift', action: 'DescribeClusters', input: describeInput(id), when }],
      deps.out,
      settings.secrets,
    );
    return;
  }
  await deps.waiters.untilAvailable(deps.redshift, {
    clusterId: id,
    maxWaitSeconds: options.maxWaitSeconds,
    ...deps.delays,
  });
  deps.out(`Cluster ${id} is available.`);
}
