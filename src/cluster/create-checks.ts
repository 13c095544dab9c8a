// What create refuses before AWS sees the parameters, from the CreateCluster API page
// (https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateCluster.html):
// - NodeType: new DC2 clusters can no longer be created (RA3 replaces them); an existing
//   DC2 cluster is still priced by status, so dc2.* stays a known node type.
// - Port: "For clusters with ra3 nodes - Select a port within the ranges 5431-5455 or
//   8191-8215" (existing RA3 clusters on other ports keep them, so only create checks).
// - MasterUsername: lower case (its other rules are checked in settings.ts).
import { ConfigError } from '../errors';
import type { ClusterSettings } from './settings';

export const RA3_PORT_RANGES: ReadonlyArray<readonly [number, number]> = [
  [5431, 5455],
  [8191, 8215],
];

export function checkCreatable(settings: ClusterSettings): void {
  if (settings.nodeType.startsWith('dc2.')) {
    throw new ConfigError(
      `REDSHIFT_NODE_TYPE ${settings.nodeType}: AWS no longer creates DC2 clusters. Use ra3.large (the smallest RA3 node, the default), ` +
        'or Redshift Serverless. An existing DC2 cluster still works with status, pause, resume and delete.',
    );
  }
  if (settings.nodeType.startsWith('ra3.') && !RA3_PORT_RANGES.some(([low, high]) => settings.port >= low && settings.port <= high)) {
    throw new ConfigError(`REDSHIFT_PORT ${settings.port} cannot be used for a new RA3 cluster: AWS allows only 5431-5455 or 8191-8215. Use 5439 (the default) or leave REDSHIFT_PORT out.`);
  }
}
