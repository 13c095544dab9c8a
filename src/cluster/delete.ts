// `delete`: removes the cluster (after a confirmation), waits until it is gone, then the
// security group, subnet group and role create made, and the .env lines that named them.
// Only what carries our tag is deleted unless --force; a role another cluster or namespace
// still uses is kept.
import { DeleteClusterCommand, type DeleteClusterCommandInput } from '@aws-sdk/client-redshift';
import { ConfigError, WarehouseError, UsageError } from '../errors';
import { accessGroupName, removeAccessGroup } from './access';
import { describeInput, endpointOf, findCluster } from './describe';
import { type ClusterDeps, MANAGED_BY_TAG, hasOurTag } from './deps';
import { type PlanStep, printPlan } from './dry-run';
import { forgetDeleted } from './env-after-delete';
import { planRoleRemoval, removeRoleUnlessShared } from './role-users';
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

function deleteClusterInput(clusterId: string, finalSnapshot?: string): DeleteClusterCommandInput {
  if (!finalSnapshot) return { ClusterIdentifier: clusterId, SkipFinalClusterSnapshot: true };
  if (!/^[a-z](?!.*--)[a-z0-9-]{0,254}$/.test(finalSnapshot) || finalSnapshot.endsWith('-')) {
    throw new UsageError(
      `--final-snapshot must be 1-255 lowercase letters, digits or single hyphens, starting with a letter; got "${finalSnapshot}".`,
    );
  }
  return {
    ClusterIdentifier: clusterId,
    SkipFinalClusterSnapshot: false,
    FinalClusterSnapshotIdentifier: finalSnapshot,
  };
}

export async function deleteCluster(
  settings: ClusterSettings,
  options: DeleteOptions,
  deps: ClusterDeps,
): Promise<void> {
  const id = settings.clusterId;
  const input = deleteClusterInput(id, options.finalSnapshot);
  if (options.dryRun) {
    printPlan('delete', planDelete(settings, options, input, deps.envFile), deps.out, settings.secrets);
    return;
  }
  const cluster = await findCluster(deps.redshift, id);
  const host = cluster && endpointOf(cluster)?.host;
  if (!cluster) deps.out(`There is no cluster ${id} in ${settings.region}; nothing to delete.`);
  else {
    if (!hasOurTag(cluster.Tags) && !options.force) {
      throw new ConfigError(
        `Cluster "${id}" is not tagged ${MANAGED_BY_TAG.Key}=${MANAGED_BY_TAG.Value}, so this tool did not create it. ` +
          'Check REDSHIFT_CLUSTER_ID, or pass --force to delete it anyway.',
      );
    }
    if (cluster.ClusterStatus !== 'deleting') {
      if (!options.yes)
        await confirmByName(
          deps,
          {
            what: `cluster ${id} (${cluster.NumberOfNodes ?? 1} × ${cluster.NodeType}, ${cluster.ClusterStatus})`,
            noun: 'cluster',
            name: id,
          },
          options.finalSnapshot,
        );
      await deps.redshift.send(new DeleteClusterCommand(input));
      deps.out(
        `Deleting cluster ${id}${options.finalSnapshot ? ` after a final snapshot ${options.finalSnapshot}` : ' without a final snapshot'}...`,
      );
    }
    await deps.waiters.untilDeleted(deps.redshift, {
      clusterId: id,
      maxWaitSeconds: options.maxWaitSeconds,
      ...deps.delays,
    });
    deps.out(
      `Cluster ${id} is deleted; it no longer costs anything${options.finalSnapshot ? ' (the snapshot is billed as storage)' : ''}.`,
    );
  }
  // The groups can only go once no cluster uses them; the role also on a re-run after a failure.
  await removeAccessGroup(deps.ec2, id, deps.out);
  await removeSubnetGroup(deps.redshift, id, deps.out);
  let roleArn: string | undefined;
  if (options.keepRole) deps.out(`Kept IAM role ${settings.roleName} (--keep-role).`);
  else roleArn = await removeRoleUnlessShared(deps, settings.roleName, { clusterId: id });
  forgetDeleted(deps.envFile, { host, name: id, domain: 'redshift.amazonaws.com', roleArn }, deps.out);
}

/**
 * Deletes nothing until the user types `name` back: `what` is the question's subject
 * ("cluster x (2 × ra3.xlplus, available)"), `noun` what the name names.
 */
export async function confirmByName(
  deps: ClusterDeps,
  subject: { what: string; noun: string; name: string },
  finalSnapshot: string | undefined,
): Promise<void> {
  const loss = finalSnapshot ? `a final snapshot ${finalSnapshot} is kept` : 'all its data is lost (no final snapshot)';
  const answer = await deps.ask(`Delete ${subject.what}? ${loss}. Type the ${subject.noun} name to confirm: `);
  if (answer.trim() !== subject.name) {
    throw new WarehouseError(
      `Not deleted: the answer did not match "${subject.name}". Run delete again and type the name, or pass --yes.`,
    );
  }
}

function planDelete(
  settings: ClusterSettings,
  options: DeleteOptions,
  input: DeleteClusterCommandInput,
  envFile: string,
): PlanStep[] {
  const id = settings.clusterId;
  const steps: PlanStep[] = [
    {
      service: 'redshift',
      action: 'DescribeClusters',
      input: describeInput(id),
      when: `refuses unless tagged ${MANAGED_BY_TAG.Key}=${MANAGED_BY_TAG.Value} or --force`,
    },
    { note: options.yes ? 'no question asked (--yes)' : 'ask you to type the cluster name to confirm' },
    { service: 'redshift', action: 'DeleteCluster', input },
    {
      service: 'redshift',
      action: 'DescribeClusters',
      input: describeInput(id),
      when: `repeated with growing pauses until it is gone, for up to ${Math.round(options.maxWaitSeconds / 60)} min`,
    },
    ...planGroupRemoval(id),
    {
      service: 'redshift',
      action: 'DescribeClusterSubnetGroups',
      input: { ClusterSubnetGroupName: subnetGroupName(id) },
    },
    {
      service: 'redshift',
      action: 'DeleteClusterSubnetGroup',
      input: { ClusterSubnetGroupName: subnetGroupName(id) },
      when: 'if it exists and is ours',
    },
    ...planRoleRemoval(settings.roleName, options.keepRole),
    {
      note: `remove REDSHIFT_HOST, REDSHIFT_PORT and REDSHIFT_IAM_ROLE_ARN from ${envFile} where they name what was deleted`,
    },
  ];
  return steps;
}

/** The dry run's steps for removeAccessGroup. */
export function planGroupRemoval(name: string): PlanStep[] {
  return [
    {
      service: 'ec2',
      action: 'DescribeSecurityGroups',
      input: { Filters: [{ Name: 'group-name', Values: [accessGroupName(name)] }] },
    },
    {
      service: 'ec2',
      action: 'DeleteSecurityGroup',
      input: { GroupId: `<id of ${accessGroupName(name)}>` },
      when: 'if it exists and is ours',
    },
  ];
}
