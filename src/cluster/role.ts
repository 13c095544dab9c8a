// The IAM role COPY assumes to read the sources: created (or found) by create, removed by
// delete. Only a role tagged as ours is ever changed or removed.
import { CreateRoleCommand, DeleteRoleCommand, DeleteRolePolicyCommand, GetRoleCommand, type IAMClient, PutRolePolicyCommand, type Role, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { CloudError } from '../errors';
import { errorCode } from './aws-errors';
import { MANAGED_BY_TAG, hasOurTag } from './deps';
import { type PolicyDocument, READ_POLICY_NAME, trustPolicy } from './policies';

export type Deployment = 'provisioned' | 'serverless';

export function createRoleInput(roleName: string, deployment: Deployment = 'provisioned') {
  return {
    RoleName: roleName,
    AssumeRolePolicyDocument: JSON.stringify(trustPolicy(deployment)),
    Description: 'Lets Redshift COPY read the Sparkify source data (created by npm run cluster -- create)',
    Tags: [{ ...MANAGED_BY_TAG }],
  };
}

/** A namespace's trust policy for a role that exists already (made for a cluster, or by an older create). */
export function updateTrustInput(roleName: string) {
  return { RoleName: roleName, PolicyDocument: JSON.stringify(trustPolicy('serverless')) };
}

export function putPolicyInput(roleName: string, policy: PolicyDocument) {
  return { RoleName: roleName, PolicyName: READ_POLICY_NAME, PolicyDocument: JSON.stringify(policy) };
}

export async function findRole(iam: IAMClient, roleName: string): Promise<Role | undefined> {
  try {
    return (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role;
  } catch (error) {
    if (errorCode(error) === 'NoSuchEntity') return undefined;
    throw error;
  }
}

/** Creates the role or reuses ours, then (re)writes its read policy (and, for Serverless, its trust); returns its ARN. */
export async function ensureRole(iam: IAMClient, roleName: string, policy: PolicyDocument, out: (line: string) => void, deployment: Deployment = 'provisioned'): Promise<string> {
  let role = await findRole(iam, roleName);
  if (role && !hasOurTag(role.Tags)) {
    throw new CloudError(
      `IAM role "${roleName}" exists but was not created by this tool (no ${MANAGED_BY_TAG.Key}=${MANAGED_BY_TAG.Value} tag), ` +
        'so it is left alone. Set REDSHIFT_IAM_ROLE_NAME to a new name and run create again.',
    );
  }
  const created = !role;
  if (role) out(`IAM role ${roleName} exists; updating its ${deployment === 'serverless' ? 'trust and read policies' : 'read policy'}.`);
  else {
    role = (await iam.send(new CreateRoleCommand(createRoleInput(roleName, deployment)))).Role;
    out(`Created IAM role ${roleName}.`);
  }
  // Put every time: it is idempotent and follows changes of LOG_DATA / SONG_DATA.
  await iam.send(new PutRolePolicyCommand(putPolicyInput(roleName, policy)));
  // A role of ours made for a cluster trusts only redshift.amazonaws.com. Widening it is safe
  // for a cluster sharing the role; a cluster's create never narrows it again.
  if (deployment === 'serverless' && !created) await iam.send(new UpdateAssumeRolePolicyCommand(updateTrustInput(roleName)));
  if (!role?.Arn) throw new CloudError(`IAM did not return the ARN of role "${roleName}". Run create again.`);
  return role.Arn;
}

/** Removes our role: its inline policy first (IAM refuses to delete a role that has one). */
export async function removeRole(iam: IAMClient, roleName: string, out: (line: string) => void): Promise<void> {
  const role = await findRole(iam, roleName);
  if (!role) {
    out(`IAM role ${roleName} does not exist; nothing to remove.`);
    return;
  }
  if (!hasOurTag(role.Tags)) {
    out(`IAM role ${roleName} was not created by this tool; left in place.`);
    return;
  }
  try {
    await iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: READ_POLICY_NAME }));
  } catch (error) {
    if (errorCode(error) !== 'NoSuchEntity') throw error;
  }
  try {
    await iam.send(new DeleteRoleCommand({ RoleName: roleName }));
  } catch (error) {
    if (errorCode(error) === 'DeleteConflict') {
      throw new CloudError(`IAM role "${roleName}" still has other policies or instance profiles attached. Detach them in the IAM console and run delete again, or pass --keep-role.`);
    }
    throw error;
  }
  out(`Removed IAM role ${roleName}.`);
}
