// `endpoint`: prints host:port and nothing else, so scripts can capture it.
import { CloudError } from '../errors';
import { describeInput, endpointOf, findCluster } from './describe';
import { type ClusterDeps } from './deps';
import { printPlan } from './dry-run';
import { type ClusterSettings } from './settings';

export async function printEndpoint(
  settings: ClusterSettings,
  options: { dryRun: boolean },
  deps: ClusterDeps,
): Promise<void> {
  const id = settings.clusterId;
  if (options.dryRun) {
    printPlan(
      'endpoint',
      [{ service: 'redshift', action: 'DescribeClusters', input: describeInput(id) }],
      deps.out,
      settings.secrets,
    );
    return;
  }
  const cluster = await findCluster(deps.redshift, id);
  if (!cluster)
    throw new CloudError(
      `There is no cluster "${id}" in ${settings.region}. Create it with npm run cluster -- create.`,
    );
  const endpoint = endpointOf(cluster);
  if (!endpoint) {
    throw new CloudError(
      `Cluster "${id}" has no endpoint yet (it is ${cluster.ClusterStatus}). Run npm run cluster -- wait, then ask again.`,
    );
  }
  deps.out(`${endpoint.host}:${endpoint.port}`);
}
