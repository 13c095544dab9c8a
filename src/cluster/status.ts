// `status`: what the cluster is, where it answers, and what it costs — with a reminder
// when it has been up long enough to be worth pausing.
import { type Cluster } from '@aws-sdk/client-redshift';
import { describeInput, endpointOf, findCluster } from './describe';
import { type ClusterDeps } from './deps';
import { printPlan } from './dry-run';
import { PRICES_RECORDED, formatUsd, hourlyCost } from './node-types';
import { type ClusterSettings } from './settings';

export interface StatusOptions {
  dryRun: boolean;
  /** Remind to pause or delete once an available cluster is older than this. */
  remindAfterHours: number;
}

export async function clusterStatus(
  settings: ClusterSettings,
  options: StatusOptions,
  deps: ClusterDeps,
): Promise<void> {
  if (options.dryRun) {
    printPlan(
      'status',
      [{ service: 'redshift', action: 'DescribeClusters', input: describeInput(settings.clusterId) }],
      deps.out,
      settings.secrets,
    );
    return;
  }
  const cluster = await findCluster(deps.redshift, settings.clusterId);
  if (!cluster) {
    deps.out(`No cluster ${settings.clusterId} in ${settings.region}. Create one with npm run cluster -- create.`);
    return;
  }
  for (const line of statusLines(cluster, deps.now(), options.remindAfterHours)) deps.out(line);
}

function statusLines(cluster: Cluster, now: Date, remindAfterHours: number): string[] {
  const state = cluster.ClusterStatus ?? 'unknown';
  const nodeType = cluster.NodeType ?? 'unknown';
  const nodes = cluster.NumberOfNodes ?? 1;
  const endpoint = endpointOf(cluster);
  const created = cluster.ClusterCreateTime;
  const hours = created ? Math.max(0, (now.getTime() - created.getTime()) / 3_600_000) : undefined;
  const perHour = hourlyCost(nodeType, nodes);

  const rows: Array<[string, string]> = [
    ['cluster', cluster.ClusterIdentifier ?? '?'],
    ['state', state],
    ['endpoint', endpoint ? `${endpoint.host}:${endpoint.port}` : '(none yet)'],
    ['nodes', `${nodes} × ${nodeType}`],
    ['public', cluster.PubliclyAccessible ? 'yes' : 'no'],
    [
      'roles',
      rolesLine((cluster.IamRoles ?? []).map((r) => `${r.IamRoleArn}${r.ApplyStatus ? ` (${r.ApplyStatus})` : ''}`)),
    ],
    ['age', created && hours !== undefined ? `${formatHours(hours)} (created ${created.toISOString()})` : 'unknown'],
  ];
  if (perHour === undefined)
    rows.push(['cost', `no price on record for ${nodeType}; see https://aws.amazon.com/redshift/pricing/`]);
  else {
    const current =
      state === 'paused'
        ? `${formatUsd(0)} compute while paused (storage is still billed)`
        : `${formatUsd(perHour)} per hour while running`;
    rows.push(['cost/hour', `${current}; ${nodes} × ${formatUsd(perHour / nodes, 3)} at ${PRICES_RECORDED} prices`]);
    // We only know the creation time, so hours spent paused are counted too: an upper bound.
    if (hours !== undefined)
      rows.push([
        'cost so far',
        `at most ${formatUsd(perHour * hours)} (${formatHours(hours)} × ${formatUsd(perHour)}; paused hours are not billed)`,
      ]);
  }
  const lines = rows.map(([label, value]) => `${label.padEnd(12)}${value}`);
  if (state === 'available' && hours !== undefined && hours >= remindAfterHours) {
    lines.push(
      `Reminder: ${cluster.ClusterIdentifier} has been up for ${formatHours(hours)} and bills ${perHour === undefined ? 'by the hour' : `~${formatUsd(perHour)}/h`} even when idle. ` +
        'Pause it (npm run cluster -- pause) or delete it (npm run cluster -- delete) when you are not using it.',
    );
  }
  return lines;
}

export function formatHours(hours: number): string {
  const totalMinutes = Math.floor(hours * 60);
  const days = Math.floor(totalMinutes / 1440);
  const h = Math.floor((totalMinutes % 1440) / 60);
  const m = totalMinutes % 60;
  if (days > 0) return `${days} d ${h} h`;
  return h > 0 ? `${h} h ${m} min` : `${m} min`;
}

/** The IAM roles COPY may use here (the failure hint for a role not yet usable points at this line). */
export function rolesLine(roles: string[]): string {
  return roles.length > 0
    ? roles.join('; ')
    : 'none associated: COPY cannot read S3 (npm run cluster -- create associates its role)';
}
