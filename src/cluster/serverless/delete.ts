// `delete --serverless`: the workgroup, then the namespace (optionally after a final
// snapshot), then our security group and role. Asks first unless --yes; refuses what is
// not tagged as ours unless --force.
// APIs: DeleteWorkgroup, DeleteNamespace (finalSnapshotName) in the Redshift Serverless API
// reference (https://docs.aws.amazon.com/redshift-serverless/latest/APIReference/).
import {
  DeleteNamespaceCommand,
  type DeleteNamespaceCommandInput,
  DeleteWorkgroupCommand,
} from '@aws-sdk/client-redshift-serverless';
import { ConfigError, UsageError } from '../../errors';
import { removeAccessGroup } from '../access';
import { type ClusterDeps, MANAGED_BY_TAG } from '../deps';
import { confirmByName, type DeleteOptions, planGroupRemoval } from '../delete';
import { type PlanStep, printPlan } from '../dry-run';
import { forgetDeleted } from '../env-after-delete';
import { planRoleRemoval, removeRoleUnlessShared } from '../role-users';
import { findNamespace, findWorkgroup, isOurs, pollNamespaceGone, pollWorkgroup, workgroupEndpoint } from './lookups';
import { type ServerlessSettings } from './settings';

/** The same choices as deleting a cluster: confirmation, ownership, role, final snapshot. */
export type ServerlessDeleteOptions = DeleteOptions;

function deleteNamespaceInput(namespaceName: string, finalSnapshot?: string): DeleteNamespaceCommandInput {
  if (!finalSnapshot) return { namespaceName };
  if (!/^[a-z](?!.*--)[a-z0-9-]{0,254}$/.test(finalSnapshot) || finalSnapshot.endsWith('-')) {
    throw new UsageError(
      `--final-snapshot must be 1-255 lowercase letters, digits or single hyphens, starting with a letter; got "${finalSnapshot}".`,
    );
  }
  return { namespaceName, finalSnapshotName: finalSnapshot };
}

export async function deleteServerless(
  settings: ServerlessSettings,
  options: ServerlessDeleteOptions,
  deps: ClusterDeps,
): Promise<void> {
  const namespaceInput = deleteNamespaceInput(settings.namespace, options.finalSnapshot);
  if (options.dryRun) {
    printPlan(
      'delete --serverless',
      planDelete(settings, options, namespaceInput, deps.envFile),
      deps.out,
      settings.secrets,
    );
    return;
  }
  const workgroup = await findWorkgroup(deps.serverless, settings.workgroup);
  const namespace = await findNamespace(deps.serverless, settings.namespace);
  for (const [what, arn] of [
    ['Workgroup', workgroup?.workgroupArn],
    ['Namespace', namespace?.namespaceArn],
  ] as const) {
    if (arn && !options.force && !(await isOurs(deps.serverless, arn))) {
      throw new ConfigError(
        `${what} "${what === 'Workgroup' ? settings.workgroup : settings.namespace}" is not tagged ${MANAGED_BY_TAG.Key}=${MANAGED_BY_TAG.Value}, so this tool did not create it. ` +
          'Check REDSHIFT_WORKGROUP / REDSHIFT_NAMESPACE, or pass --force to delete it anyway.',
      );
    }
  }
  if (!workgroup && !namespace)
    deps.out(
      `There is no workgroup ${settings.workgroup} or namespace ${settings.namespace} in ${settings.region}; nothing to delete.`,
    );
  else if (!options.yes) {
    const what = `workgroup ${settings.workgroup} and namespace ${settings.namespace}`;
    await confirmByName(deps, { what, noun: 'workgroup', name: settings.workgroup }, options.finalSnapshot);
  }
  if (workgroup) {
    if (workgroup.status !== 'DELETING')
      await deps.serverless.send(new DeleteWorkgroupCommand({ workgroupName: settings.workgroup }));
    deps.out(`Deleting workgroup ${settings.workgroup}...`);
    await pollWorkgroup(deps, settings.workgroup, 'gone', options.maxWaitSeconds);
  }
  if (namespace) {
    if (namespace.status !== 'DELETING') await deps.serverless.send(new DeleteNamespaceCommand(namespaceInput));
    deps.out(
      `Deleting namespace ${settings.namespace}${options.finalSnapshot ? ` after a final snapshot ${options.finalSnapshot}` : ' without a final snapshot'}...`,
    );
    await pollNamespaceGone(deps, settings.namespace, options.maxWaitSeconds);
  }
  if (workgroup || namespace)
    deps.out(
      `Workgroup and namespace are deleted; they no longer cost anything${options.finalSnapshot ? ' (the snapshot is billed as storage)' : ''}.`,
    );
  await removeAccessGroup(deps.ec2, settings.workgroup, deps.out);
  let roleArn: string | undefined;
  if (options.keepRole) deps.out(`Kept IAM role ${settings.roleName} (--keep-role).`);
  else roleArn = await removeRoleUnlessShared(deps, settings.roleName, { namespace: settings.namespace });
  const host = workgroup ? workgroupEndpoint(workgroup)?.host : undefined;
  forgetDeleted(
    deps.envFile,
    { host, name: settings.workgroup, domain: 'redshift-serverless.amazonaws.com', roleArn },
    deps.out,
  );
}

function planDelete(
  settings: ServerlessSettings,
  options: ServerlessDeleteOptions,
  namespaceInput: DeleteNamespaceCommandInput,
  envFile: string,
): PlanStep[] {
  const tagged = `refuses unless tagged ${MANAGED_BY_TAG.Key}=${MANAGED_BY_TAG.Value} or --force`;
  const steps: PlanStep[] = [
    { service: 'redshift-serverless', action: 'GetWorkgroup', input: { workgroupName: settings.workgroup } },
    { service: 'redshift-serverless', action: 'GetNamespace', input: { namespaceName: settings.namespace } },
    {
      service: 'redshift-serverless',
      action: 'ListTagsForResource',
      input: { resourceArn: '<workgroup ARN, then namespace ARN>' },
      when: tagged,
    },
    { note: options.yes ? 'no question asked (--yes)' : 'ask you to type the workgroup name to confirm' },
    { service: 'redshift-serverless', action: 'DeleteWorkgroup', input: { workgroupName: settings.workgroup } },
    {
      service: 'redshift-serverless',
      action: 'GetWorkgroup',
      input: { workgroupName: settings.workgroup },
      when: 'repeated until it is gone',
    },
    { service: 'redshift-serverless', action: 'DeleteNamespace', input: namespaceInput },
    {
      service: 'redshift-serverless',
      action: 'GetNamespace',
      input: { namespaceName: settings.namespace },
      when: 'repeated until it is gone',
    },
    ...planGroupRemoval(settings.workgroup),
    ...planRoleRemoval(settings.roleName, options.keepRole),
    {
      note: `remove REDSHIFT_HOST, REDSHIFT_PORT and REDSHIFT_IAM_ROLE_ARN from ${envFile} where they name what was deleted`,
    },
  ];
  return steps;
}
