// `pause` and `resume`: send the request, then wait until the cluster really is paused or
// available. Asking for the state it is already in (or heading to) is a no-op.
import { PauseClusterCommand, ResumeClusterCommand } from '@aws-sdk/client-redshift';
import { CloudError } from '../errors';
import { describeInput, findCluster } from './describe';
import { type ClusterDeps } from './deps';
import { printPlan } from './dry-run';
import { type ClusterSettings } from './settings';
import { pollUntilStatus } from './waits';

export interface PowerOptions {
  dryRun: boolean;
  maxWaitSeconds: number;
}

const VERBS = {
  pause: {
    target: 'paused',
    transit: 'pausing',
    action: 'PauseCluster',
    command: PauseClusterCommand,
    after: 'Compute billing has stopped; storage is still billed.',
  },
  resume: {
    target: 'available',
    transit: 'resuming',
    action: 'ResumeCluster',
    command: ResumeClusterCommand,
    after: 'It is billed by the hour again: pause it when you are done.',
  },
} as const;

export async function pauseCluster(settings: ClusterSettings, options: PowerOptions, deps: ClusterDeps): Promise<void> {
  await changePower('pause', settings, options, deps);
}

export async function resumeCluster(
  settings: ClusterSettings,
  options: PowerOptions,
  deps: ClusterDeps,
): Promise<void> {
  await changePower('resume', settings, options, deps);
}

async function changePower(
  verb: keyof typeof VERBS,
  settings: ClusterSettings,
  options: PowerOptions,
  deps: ClusterDeps,
): Promise<void> {
  const { target, transit, action, command, after } = VERBS[verb];
  const id = settings.clusterId;
  if (options.dryRun) {
    printPlan(
      verb,
      [
        {
          service: 'redshift',
          action: 'DescribeClusters',
          input: describeInput(id),
          when: `nothing more if it is already ${target}`,
        },
        { service: 'redshift', action, input: { ClusterIdentifier: id } },
        {
          service: 'redshift',
          action: 'DescribeClusters',
          input: describeInput(id),
          when: `repeated with growing pauses until ${target}, for up to ${Math.round(options.maxWaitSeconds / 60)} min`,
        },
      ],
      deps.out,
      settings.secrets,
    );
    return;
  }
  const cluster = await findCluster(deps.redshift, id);
  if (!cluster)
    throw new CloudError(
      `There is no cluster "${id}" in ${settings.region} to ${verb}. Check REDSHIFT_CLUSTER_ID and AWS_REGION.`,
    );
  if (cluster.ClusterStatus === target) {
    deps.out(`Cluster ${id} is already ${target}; nothing to do.`);
    return;
  }
  if (cluster.ClusterStatus !== transit) {
    // Any state that cannot do this (modifying, creating...) is refused by AWS with
    // InvalidClusterState, which the caller turns into a one-line message.
    await deps.redshift.send(new command({ ClusterIdentifier: id }));
    deps.out(`Asked AWS to ${verb} ${id}.`);
  }
  await pollUntilStatus(deps, target, { clusterId: id, maxWaitSeconds: options.maxWaitSeconds, ...deps.delays });
  deps.out(`Cluster ${id} is ${target}. ${after}`);
}
