// The IAM role COPY assumes to read the sources: created (or found) by create, removed by
// delete. Only a role tagged as ours is ever changed or removed.
import { CreateRoleCommand, DeleteRoleCommand, DeleteRolePolicyCommand, GetRoleCommand, type IAMClient, PutRolePolicyCommand, type Role } from '@aws-sdk/client-iam';
import { CloudError } from '../errors';
import { errorCode } from './aws-errors';
import { MANAGED_BY_TAG, hasOurTag } from './deps';
import { type PolicyDocument, READ_POLICY_NAME, trustPolicy } from './policies';

export function createRoleInput(roleName: string) {
  return {
    RoleName: roleName,
    AssumeRolePolicyDocument: JSON.stringify(trustPolicy()),
    Description: 'Lets Redshift COPY read the Sparkify source data (created by npm run cluster -- create)',
    Tags: [{ ...MANAGED_BY_TAG }],
  };
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

/** Creates the role or reuses ours, then (re)writes its read policy; returns its ARN. */
export async function ensureRole(iam: IAMClient, roleName: string, policy: PolicyDocument, out: (line: string) => void): Promise<string> {
  let role = await findRole(iam, roleName);
  if (role && !hasOurTag(role.Tags)) {
    throw new CloudError(
      `IAM role "${roleName}" exists but was not created by this tool (no ${MANAGED_BY_TAG.Key}=${MANAGED_BY_TAG.Value} tag), ` +
        'so it is left alone. Set REDSHIFT_IAM_ROLE_NAME to a new name and run create again.',
    );
  }
  if (role) out(`IAM role ${roleName} exists; updating its read policy.`);
  else {
    role = (await iam.send(new CreateRoleCommand(createRoleInput(roleName)))).Role;
    out(`Created IAM role ${roleName}.`);
  }
  // Put every time: it is idempotent and follows changes of LOG_DATA / SONG_DATA.
  await iam.send(new PutRolePolicyCommand(putPolicyInput(roleName, policy)));
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
