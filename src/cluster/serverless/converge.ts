// A re-run of `create --serverless` on a workgroup that exists: the role's read policy and
// trust, and its association with the namespace, brought to the settings, each change
// printed. Only what carries our tag is changed (see ../deps.ts); the rest is reported.
import { type Namespace, UpdateNamespaceCommand, type Workgroup } from '@aws-sdk/client-redshift-serverless';
import { type ClusterDeps } from '../deps';
import { type PolicyDocument } from '../policies';
import { namesRole, namespaceRoleArn } from '../role-users';
import { syncRole } from '../role';
import { findNamespace, isOurs } from './lookups';
import { type ServerlessSettings } from './settings';

/** Returns the ARN COPY should use: our role, else the namespace's default. */
export async function convergeServerless(
  workgroup: Workgroup,
  settings: ServerlessSettings,
  policy: PolicyDocument,
  options: { public: boolean },
  deps: ClusterDeps,
): Promise<string | undefined> {
  const role = await syncRole(deps.iam, settings.roleName, policy, deps.out, 'serverless');
  if (!role.ours)
    deps.out(
      `IAM role ${settings.roleName} was not created by this tool (no managed-by tag): its policies are left as they are.`,
    );
  const namespace = await findNamespace(deps.serverless, workgroup.namespaceName ?? settings.namespace);
  if (role.ours && namespace && !(namespace.iamRoles ?? []).some((text) => namesRole(text, role.arn))) {
    if (await isOurs(deps.serverless, namespace.namespaceArn)) {
      await deps.serverless.send(new UpdateNamespaceCommand(associateRoleInput(namespace, role.arn)));
      deps.out(
        `Changed: associated IAM role ${settings.roleName} with namespace ${namespace.namespaceName} (COPY uses it).`,
      );
    } else {
      deps.out(
        `Namespace ${namespace.namespaceName} was not created by this tool, so role ${settings.roleName} is not associated with it; add it in the Redshift Serverless console.`,
      );
    }
  }
  if (options.public && !workgroup.publiclyAccessible) {
    deps.out(
      `Workgroup ${settings.workgroup} is private and create does not change an existing workgroup's access: --public is not applied. ` +
        `To make it public: aws redshift-serverless update-workgroup --workgroup-name ${settings.workgroup} --publicly-accessible, ` +
        `and open port ${settings.port} to your address in its security group; or delete it and create it again with --public.`,
    );
  }
  return role.ours ? role.arn : namespace?.defaultIamRoleArn;
}

/** UpdateNamespace takes defaultIamRoleArn together with iamRoles; an existing default is kept. */
function associateRoleInput(namespace: Namespace, roleArn: string) {
  const roles = (namespace.iamRoles ?? []).map(namespaceRoleArn);
  return {
    namespaceName: namespace.namespaceName,
    iamRoles: [...roles, roleArn],
    defaultIamRoleArn: namespace.defaultIamRoleArn ?? roleArn,
  };
}
