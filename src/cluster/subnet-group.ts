// The cluster subnet group: which subnets the cluster may be placed in. create makes one,
// tagged as ours, from the default VPC's subnets (unless REDSHIFT_SUBNET_GROUP names one
// of the user's own); delete removes ours once the cluster is gone.
// API: CreateClusterSubnetGroup, https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateClusterSubnetGroup.html
// (name: at most 255 letters, digits or hyphens, not "Default"; at most 20 subnets).
import {
  type ClusterSubnetGroup,
  CreateClusterSubnetGroupCommand,
  DeleteClusterSubnetGroupCommand,
  DescribeClusterSubnetGroupsCommand,
  type RedshiftClient,
} from '@aws-sdk/client-redshift';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { CloudError } from '../errors';
import { errorCode } from './aws-errors';
import { MANAGED_BY_TAG, hasOurTag } from './deps';
import { defaultSubnetIds, defaultVpcId } from './network';

const SET_SUBNET_GROUP = 'set REDSHIFT_SUBNET_GROUP to an existing cluster subnet group';

export function subnetGroupName(clusterId: string): string {
  return `${clusterId}-subnets`;
}

export function createSubnetGroupInput(clusterId: string, subnetIds: string[]) {
  return {
    ClusterSubnetGroupName: subnetGroupName(clusterId),
    Description: `Subnets of the default VPC for Redshift cluster ${clusterId} (npm run cluster)`,
    SubnetIds: subnetIds,
    Tags: [{ ...MANAGED_BY_TAG }],
  };
}

async function findSubnetGroup(redshift: RedshiftClient, name: string): Promise<ClusterSubnetGroup | undefined> {
  try {
    return (await redshift.send(new DescribeClusterSubnetGroupsCommand({ ClusterSubnetGroupName: name })))
      .ClusterSubnetGroups?.[0];
  } catch (error) {
    if (errorCode(error) === 'ClusterSubnetGroupNotFound') return undefined;
    throw error;
  }
}

/** The subnet group the cluster goes in (the user's own, ours found, or ours made now) and its VPC. */
export async function ensureSubnetGroup(
  clients: { redshift: RedshiftClient; ec2: EC2Client },
  clusterId: string,
  own: string | undefined,
  out: (line: string) => void,
): Promise<{ name: string; vpcId: string }> {
  const name = own ?? subnetGroupName(clusterId);
  const existing = await findSubnetGroup(clients.redshift, name);
  if (own && !existing) {
    throw new CloudError(
      `REDSHIFT_SUBNET_GROUP names "${own}", which is no cluster subnet group in this region. Create it in the Redshift console, or leave the setting out to use the default VPC.`,
    );
  }
  if (existing?.VpcId) {
    if (!own) out(`Cluster subnet group ${name} exists; using it.`);
    return { name, vpcId: existing.VpcId };
  }
  const vpcId = await defaultVpcId(clients.ec2, SET_SUBNET_GROUP);
  const subnetIds = await defaultSubnetIds(clients.ec2, vpcId, SET_SUBNET_GROUP);
  await clients.redshift.send(new CreateClusterSubnetGroupCommand(createSubnetGroupInput(clusterId, subnetIds)));
  out(`Created cluster subnet group ${name} (${subnetIds.length} subnets of default VPC ${vpcId}).`);
  return { name, vpcId };
}

/** Removes our subnet group once no cluster uses it; one not tagged as ours is kept. */
export async function removeSubnetGroup(
  redshift: RedshiftClient,
  clusterId: string,
  out: (line: string) => void,
): Promise<void> {
  const name = subnetGroupName(clusterId);
  const group = await findSubnetGroup(redshift, name);
  if (!group) return;
  if (!hasOurTag(group.Tags)) {
    out(`Cluster subnet group ${name} was not created by this tool; left in place.`);
    return;
  }
  await redshift.send(new DeleteClusterSubnetGroupCommand({ ClusterSubnetGroupName: name }));
  out(`Removed cluster subnet group ${name}.`);
}
