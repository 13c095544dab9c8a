// Looking a cluster up. A missing cluster is an answer (undefined), not an error, since
// create, delete and status all have something sensible to do about it.
import { type Cluster, DescribeClustersCommand, type RedshiftClient } from '@aws-sdk/client-redshift';
import { errorCode } from './aws-errors';

export async function findCluster(redshift: RedshiftClient, clusterId: string): Promise<Cluster | undefined> {
  try {
    const answer = await redshift.send(new DescribeClustersCommand(describeInput(clusterId)));
    return answer.Clusters?.[0];
  } catch (error) {
    if (errorCode(error) === 'ClusterNotFound') return undefined;
    throw error;
  }
}

export function describeInput(clusterId: string) {
  return { ClusterIdentifier: clusterId };
}

/** host:port, or undefined while the cluster has no endpoint yet (creating). */
export function endpointOf(cluster: Cluster): { host: string; port: number } | undefined {
  const host = cluster.Endpoint?.Address;
  const port = cluster.Endpoint?.Port;
  return host && port ? { host, port } : undefined;
}

/** The ARN of our role among the roles attached to the cluster. */
export function attachedRoleArn(cluster: Cluster, roleName: string): string | undefined {
  return cluster.IamRoles?.map((r) => r.IamRoleArn).find((arn): arn is string =>
    Boolean(arn?.endsWith(`:role/${roleName}`)),
  );
}
