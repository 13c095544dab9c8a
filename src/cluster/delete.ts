// `delete`: removes the cluster (after a confirmation), waits until it is gone, then the
// security group, subnet group and role create made. Only what carries our tag is deleted unless --force.
import { DeleteClusterCommand, type DeleteClusterCommandInput } from '@aws-sdk/client-redshift';
import { ConfigError, WarehouseError } from '../errors';
import { accessGroupName, removeAccessGroup } from './access';
import { describeInput, findCluster } from './describe';
import { type ClusterDeps, MANAGED_BY_TAG, hasOurTag } from './deps';
import { type PlanStep, printPlan } from './dry-run';
import { READ_POLICY_NAME } from './policies';
import { removeRole } from './role';
import { type ClusterSettings } from './settings';
import { removeSubnetGroup, subnetGroupName } from './subnet-group';

export interface DeleteOptions {
  dryRun: boolean;
  yes: boolean;
  force: boolean;
  keepRole: boolean;
  finalSnapshot?: string;
  maxWaitSeconds: number;
}

export function deleteClusterInput(clusterId: string, finalSnapshot?: string): DeleteClusterCommandInput {
  if (!finalSnapshot) return { ClusterIdentifier: clusterId, SkipFinalClusterSnapshot: true };
  if (!/^[a-z](?!.*--)[a-z0-9-]{0,254}$/.test(finalSnapshot) || finalSnapshot.endsWith('-')) {
    throw new ConfigError(`--final-snapshot must be 1-255 lowercase letters, digits or single hyphens, starting with a letter; got "${finalSnapshot}".`);
  }
  return { ClusterIdentifier: clusterId, SkipFinalClusterSnapshot: false, FinalClusterSnapshotIdentifier: finalSnapshot };
}

export async function deleteCluster(settings: ClusterSettings, options: DeleteOptions, deps: ClusterDeps): Promise<void> {
  const id = settings.clusterId;
  const input = deleteClusterInput(id, options.finalSnapshot);
  if (options.dryRun) {
    printPlan('delete', planDelete(settings, options, input), deps.out, settings.secrets);
    return;
  }
  const cluster = await findCluster(deps.redshift, id);
  if (!cluster) deps.out(`There is no cluster ${id} in ${settings.region}; nothing to delete.`);
  else {
    if (!hasOurTag(cluster.Tags) && !options.force) {
      throw new ConfigError(
        `Cluster "${id}" is not tagged ${MANAGED_BY_TAG.Key}=${MANAGED_BY_TAG.Value}, so this tool did not create it. ` + 'Check REDSHIFT_CLUSTER_ID, or pass --force to delete it anyway.',
      );
    }
    if (cluster.ClusterStatus !== 'deleting') {
      if (!options.yes) await confirm(id, `${cluster.NumberOfNodes ?? 1} × ${cluster.NodeType}, ${cluster.ClusterStatus}`, options, deps);
      await deps.redshift.send(new DeleteClusterCommand(input));
      deps.out(`Deleting cluster ${id}${options.finalSnapshot ? ` after a final snapshot ${options.finalSnapshot}` : ' without a final snapshot'}...`);
    }
    await deps.waiters.untilDeleted(deps.redshift, { clusterId: id, maxWaitSeconds: options.maxWaitSeconds, ...deps.delays });
    deps.out(`Cluster ${id} is deleted; it no longer costs anything${options.finalSnapshot ? ' (the snapshot is billed as storage)' : ''}.`);
  }
  // The groups can only go once no cluster uses them; the role also on a re-run after a failure.
  await removeAccessGroup(deps.ec2, id, deps.out);
  await removeSubnetGroup(deps.redshift, id, deps.out);
  if (options.keepRole) deps.out(`Kept IAM role ${settings.roleName} (--keep-role).`);
  else await removeRole(deps.iam, settings.roleName, deps.out);
}

async function confirm(id: string, what: string, options: DeleteOptions, deps: ClusterDeps): Promise<void> {
  const loss = options.finalSnapshot ? `a final snapshot ${options.finalSnapshot} is kept` : 'all its data is lost (no final snapshot)';
  const answer = await deps.ask(`Delete cluster ${id} (${what})? ${loss}. Type the cluster name to confirm: `);
  if (answer.trim() !== id) {
    throw new WarehouseError(`Not deleted: the answer did not match "${id}". Run delete again and type the name, or pass --yes.`);
  }
}

function planDelete(settings: ClusterSettings, options: DeleteOptions, input: DeleteClusterCommandInput): PlanStep[] {
  const id = settings.clusterId;
  const steps: PlanStep[] = [
    { service: 'redshift', action: 'DescribeClusters', input: describeInput(id), when: `refuses unless tagged ${MANAGED_BY_TAG.Key}=${MANAGED_BY_TAG.Value} or --force` },
    { note: options.yes ? 'no question asked (--yes)' : 'ask you to type the cluster name to confirm' },
    { service: 'redshift', action: 'DeleteCluster', input },
    { service: 'redshift', action: 'waitUntilClusterDeleted', input: describeInput(id), when: `polls DescribeClusters for up to ${Math.round(options.maxWaitSeconds / 60)} min` },
    { service: 'ec2', action: 'DescribeSecurityGroups', input: { Filters: [{ Name: 'group-name', Values: [accessGroupName(id)] }] } },
    { service: 'ec2', action: 'DeleteSecurityGroup', input: { GroupId: `<id of ${accessGroupName(id)}>` }, when: 'if it exists and is ours' },
    { service: 'redshift', action: 'DescribeClusterSubnetGroups', input: { ClusterSubnetGroupName: subnetGroupName(id) } },
    { service: 'redshift', action: 'DeleteClusterSubnetGroup', input: { ClusterSubnetGroupName: subnetGroupName(id) }, when: 'if it exists and is ours' },
  ];
  if (!options.keepRole) {
    steps.push(
      { service: 'iam', action: 'GetRole', input: { RoleName: settings.roleName } },
      { service: 'iam', action: 'DeleteRolePolicy', input: { RoleName: settings.roleName, PolicyName: READ_POLICY_NAME }, when: 'if the role is ours' },
      { service: 'iam', action: 'DeleteRole', input: { RoleName: settings.roleName }, when: 'if the role is ours' },
    );
  } else steps.push({ note: `keep IAM role ${settings.roleName} (--keep-role)` });
  return steps;
}
