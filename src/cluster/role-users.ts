// Before delete removes our COPY role: does any other cluster or namespace still have it
// associated? IAM DeleteRole does not refuse a role a cluster uses (issue 23: two clusters
// with the default role name, deleting one removed the role from under the other), so we
// look ourselves, in this region:
// - DescribeClusters without ClusterIdentifier describes every cluster, IamRoles[].IamRoleArn
//   each (https://docs.aws.amazon.com/redshift/latest/APIReference/API_DescribeClusters.html),
//   paged by Marker;
// - ListNamespaces gives each namespace's defaultIamRoleArn and iamRoles, paged by nextToken
//   (https://docs.aws.amazon.com/redshift-serverless/latest/APIReference/API_ListNamespaces.html).
//   iamRoles is a list of strings, which the service has been seen to fill with
//   "IamRole(applyStatus=…, iamRoleArn=<arn>)" rather than the bare ARN, so the ARN is
//   looked for inside each string.
import { DescribeClustersCommand } from '@aws-sdk/client-redshift';
import { ListNamespacesCommand } from '@aws-sdk/client-redshift-serverless';
import { hasOurTag, type ClusterDeps } from './deps';
import { type PlanStep } from './dry-run';
import { READ_POLICY_NAME } from './policies';
import { findRole, removeRole } from './role';

/** DescribeClusters without ClusterIdentifier: every cluster, 100 a page (the most it allows). */
const LIST_ALL_CLUSTERS = (marker?: string) => ({ MaxRecords: 100, ...(marker ? { Marker: marker } : {}) });

/** What is being deleted, so it does not count as another user of the role. */
export interface Deleting {
  clusterId?: string;
  namespace?: string;
}

/** "cluster X" and "namespace Y" for each other cluster and namespace that has the role associated. */
async function otherUsersOfRole(
  deps: Pick<ClusterDeps, 'redshift' | 'serverless'>,
  roleArn: string,
  deleting: Deleting,
): Promise<string[]> {
  const users: string[] = [];
  let marker: string | undefined;
  do {
    const page = await deps.redshift.send(new DescribeClustersCommand(LIST_ALL_CLUSTERS(marker)));
    for (const cluster of page.Clusters ?? []) {
      if (cluster.ClusterIdentifier === deleting.clusterId) continue;
      if ((cluster.IamRoles ?? []).some((r) => r.IamRoleArn === roleArn))
        users.push(`cluster ${cluster.ClusterIdentifier}`);
    }
    marker = page.Marker;
  } while (marker);
  let token: string | undefined;
  do {
    const page = await deps.serverless.send(new ListNamespacesCommand(token ? { nextToken: token } : {}));
    for (const namespace of page.namespaces ?? []) {
      if (namespace.namespaceName === deleting.namespace) continue;
      if (
        namespace.defaultIamRoleArn === roleArn ||
        (namespace.iamRoles ?? []).some((text) => namesRole(text, roleArn))
      ) {
        users.push(`namespace ${namespace.namespaceName}`);
      }
    }
    token = page.nextToken;
  } while (token);
  return users;
}

/** A namespace's iamRoles entry: the bare ARN, or "IamRole(applyStatus=in-sync, iamRoleArn=<arn>)". */
export function namesRole(text: string, roleArn: string): boolean {
  return text === roleArn || text.includes(`iamRoleArn=${roleArn})`) || text.includes(`iamRoleArn=${roleArn},`);
}

/** The ARN in a namespace's iamRoles entry, in either of its spellings. */
export function namespaceRoleArn(text: string): string {
  return /iamRoleArn=([^,)\s]+)/.exec(text)?.[1] ?? text;
}

/**
 * Removes our role unless another cluster or namespace still uses it, or that cannot be
 * checked (then it is kept too: a role removed by mistake breaks another warehouse's COPY).
 * Returns the ARN of the role when it was removed.
 */
export async function removeRoleUnlessShared(
  deps: ClusterDeps,
  roleName: string,
  deleting: Deleting,
): Promise<string | undefined> {
  const role = await findRole(deps.iam, roleName);
  if (role?.Arn && hasOurTag(role.Tags)) {
    let users: string[];
    try {
      users = await otherUsersOfRole(deps, role.Arn, deleting);
    } catch (error) {
      const why = `${(error as Error).name}: ${String((error as Error).message).split('\n')[0]}`;
      deps.out(
        `Kept IAM role ${roleName}: could not check whether another cluster or namespace uses it (${why}). Remove it yourself once nothing does.`,
      );
      return undefined;
    }
    if (users.length > 0) {
      deps.out(
        `Kept IAM role ${roleName}: ${users.join(', ')} still ${users.length === 1 ? 'has' : 'have'} it associated. It goes with the last of them.`,
      );
      return undefined;
    }
  }
  // Missing, or not ours: removeRole says so and leaves it.
  await removeRole(deps.iam, roleName, deps.out);
  return role?.Arn && hasOurTag(role.Tags) ? role.Arn : undefined;
}

/** The dry run's steps for removeRoleUnlessShared, or for --keep-role. */
export function planRoleRemoval(roleName: string, keepRole: boolean): PlanStep[] {
  if (keepRole) return [{ note: `keep IAM role ${roleName} (--keep-role)` }];
  const ours = 'if the role is ours and no other cluster or namespace has it associated';
  return [
    { service: 'iam', action: 'GetRole', input: { RoleName: roleName } },
    {
      service: 'redshift',
      action: 'DescribeClusters',
      input: LIST_ALL_CLUSTERS(),
      when: 'every cluster in the region, page by page: does another one use the role?',
    },
    {
      service: 'redshift-serverless',
      action: 'ListNamespaces',
      input: {},
      when: 'every namespace, page by page: does one use the role?',
    },
    { service: 'iam', action: 'GetRole', input: { RoleName: roleName } },
    {
      service: 'iam',
      action: 'DeleteRolePolicy',
      input: { RoleName: roleName, PolicyName: READ_POLICY_NAME },
      when: ours,
    },
    { service: 'iam', action: 'DeleteRole', input: { RoleName: roleName }, when: ours },
  ];
}
