// A re-run of `create` on a cluster that exists: bring what this tool made back to what the
// settings say, and print each change (the drift report). What the tool made is what carries
// the managed-by tag (see deps.ts): our role, our subnet group, our security group. Anything
// else is read and reported, never changed.
import { type Cluster, ModifyClusterCommand, ModifyClusterIamRolesCommand } from '@aws-sdk/client-redshift';
import { RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { CloudError } from '../errors';
import { accessGroupName, ensureAccessGroup, findAccessGroup } from './access';
import { type ClusterDeps } from './deps';
import { type PolicyDocument } from './policies';
import { syncRole } from './role';
import { type ClusterSettings } from './settings';
import { subnetGroupName } from './subnet-group';

export interface ConvergeOptions {
  /** --public: the cluster should be reachable from `cidr` through our security group. */
  public: boolean;
  /** The range --public opens to (--allow-cidr or the caller's own /32); set when public. */
  cidr?: string;
  maxWaitSeconds: number;
}

/** The IAM part, which does not depend on the cluster's state; returns our role's ARN if it is ours. */
export async function convergeRole(
  settings: ClusterSettings,
  policy: PolicyDocument,
  deps: ClusterDeps,
): Promise<string | undefined> {
  const role = await syncRole(deps.iam, settings.roleName, policy, deps.out);
  if (role.ours) return role.arn;
  deps.out(
    `IAM role ${settings.roleName} was not created by this tool (no managed-by tag): its policies are left as they are.`,
  );
  return undefined;
}

/** The cluster's side, on an available cluster: role association, subnet group, public access. */
export async function convergeCluster(
  cluster: Cluster,
  settings: ClusterSettings,
  roleArn: string | undefined,
  options: ConvergeOptions,
  deps: ClusterDeps,
): Promise<void> {
  const clusterId = settings.clusterId;
  const attached = (cluster.IamRoles ?? []).some((r) => r.IamRoleArn === roleArn);
  if (roleArn && !attached) {
    await deps.redshift.send(new ModifyClusterIamRolesCommand(associateRoleInput(clusterId, roleArn)));
    deps.out(`Changed: associated IAM role ${settings.roleName} with cluster ${clusterId} (COPY uses it).`);
    await untilAvailable(settings, options, deps);
  }
  reportSubnetGroup(cluster, settings, deps.out);
  if (options.public && options.cidr) await convergePublicAccess(cluster, settings, options.cidr, options, deps);
  else if (cluster.PubliclyAccessible) {
    deps.out(
      `Cluster ${clusterId} is publicly accessible; create without --public leaves it so. To make it private: ` +
        `aws redshift modify-cluster --cluster-identifier ${clusterId} --no-publicly-accessible`,
    );
  }
}

export function associateRoleInput(clusterId: string, roleArn: string) {
  return { ClusterIdentifier: clusterId, AddIamRoles: [roleArn] };
}

export function makePublicInput(clusterId: string, groupIds: string[]) {
  return { ClusterIdentifier: clusterId, PubliclyAccessible: true, VpcSecurityGroupIds: groupIds };
}

/** A cluster cannot move to another subnet group in place, so a difference is reported, not changed. */
function reportSubnetGroup(cluster: Cluster, settings: ClusterSettings, out: (line: string) => void): void {
  const wanted = settings.subnetGroup ?? subnetGroupName(settings.clusterId);
  const actual = cluster.ClusterSubnetGroupName;
  if (!actual || actual === wanted) return;
  out(
    `Cluster ${settings.clusterId} is in subnet group ${actual}, not ${wanted}${settings.subnetGroup ? ' (REDSHIFT_SUBNET_GROUP)' : ''}; ` +
      'create does not move a cluster between subnet groups. Set REDSHIFT_SUBNET_GROUP to match, or delete and create the cluster again.',
  );
}

/**
 * --public on a re-run: our group opens the port to exactly `cidr` (older ranges it opened
 * are revoked), and a private cluster is made public with our group added to its own.
 */
async function convergePublicAccess(
  cluster: Cluster,
  settings: ClusterSettings,
  cidr: string,
  options: ConvergeOptions,
  deps: ClusterDeps,
): Promise<void> {
  const clusterId = settings.clusterId;
  if (!cluster.VpcId)
    throw new CloudError(
      `Cluster ${clusterId} reports no VPC, so --public cannot be applied. See npm run cluster -- status.`,
    );
  const port = cluster.Endpoint?.Port ?? settings.port;
  const groupId = await ensureAccessGroup(deps.ec2, { clusterId, vpcId: cluster.VpcId, port, cidr }, deps.out);
  await revokeOtherRanges(clusterId, cluster.VpcId, port, cidr, deps);
  const groups = (cluster.VpcSecurityGroups ?? [])
    .map((g) => g.VpcSecurityGroupId)
    .filter((id): id is string => Boolean(id));
  if (cluster.PubliclyAccessible && groups.includes(groupId)) return;
  const wanted = groups.includes(groupId) ? groups : [...groups, groupId];
  await deps.redshift.send(new ModifyClusterCommand(makePublicInput(clusterId, wanted)));
  deps.out(
    `Changed: cluster ${clusterId} is now publicly accessible, through security group ${accessGroupName(clusterId)} (port ${port} open to ${cidr} only).`,
  );
  await untilAvailable(settings, options, deps);
}

async function revokeOtherRanges(
  clusterId: string,
  vpcId: string,
  port: number,
  cidr: string,
  deps: ClusterDeps,
): Promise<void> {
  const group = await findAccessGroup(deps.ec2, clusterId, vpcId);
  if (!group?.GroupId) return;
  for (const permission of group.IpPermissions ?? []) {
    const v4 = (permission.IpRanges ?? []).filter((r) => r.CidrIp && r.CidrIp !== cidr);
    const v6 = (permission.Ipv6Ranges ?? []).filter((r) => r.CidrIpv6 && r.CidrIpv6 !== cidr);
    if (v4.length === 0 && v6.length === 0) continue;
    const stale = {
      IpProtocol: permission.IpProtocol,
      FromPort: permission.FromPort,
      ToPort: permission.ToPort,
      IpRanges: v4,
      Ipv6Ranges: v6,
    };
    await deps.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: group.GroupId, IpPermissions: [stale] }));
    const ranges = [...v4.map((r) => r.CidrIp), ...v6.map((r) => r.CidrIpv6)].join(', ');
    deps.out(
      `Changed: security group ${accessGroupName(clusterId)} no longer opens port ${permission.FromPort ?? port} to ${ranges} (--allow-cidr is now ${cidr}).`,
    );
  }
}

async function untilAvailable(settings: ClusterSettings, options: ConvergeOptions, deps: ClusterDeps): Promise<void> {
  await deps.waiters.untilAvailable(deps.redshift, {
    clusterId: settings.clusterId,
    maxWaitSeconds: options.maxWaitSeconds,
    ...deps.delays,
  });
}
