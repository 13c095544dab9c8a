// The IAM role COPY assumes to read the sources: created (or found) by create, removed by
// delete, brought back to the settings by a re-run of create. Only a role tagged as ours
// is ever changed or removed.
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  type IAMClient,
  PutRolePolicyCommand,
  type Role,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { CloudError } from '../errors';
import { errorCode } from './aws-errors';
import { MANAGED_BY_TAG, hasOurTag } from './deps';
import type { PlanStep } from './dry-run';
import { type PolicyDocument, READ_POLICY_NAME, policyChanges, trustPolicy } from './policies';

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
export function updateTrustInput(roleName: string, deployment: Deployment = 'serverless') {
  return { RoleName: roleName, PolicyDocument: JSON.stringify(trustPolicy(deployment)) };
}

function putPolicyInput(roleName: string, policy: PolicyDocument) {
  return { RoleName: roleName, PolicyName: READ_POLICY_NAME, PolicyDocument: JSON.stringify(policy) };
}

/** The dry run's steps that bring the role's read policy to `policy`, for both create verbs. */
export function readPolicySteps(roleName: string, policy: PolicyDocument): PlanStep[] {
  return [
    {
      service: 'iam',
      action: 'GetRolePolicy',
      input: { RoleName: roleName, PolicyName: READ_POLICY_NAME },
      when: 'if the role exists and is ours',
    },
    {
      service: 'iam',
      action: 'PutRolePolicy',
      input: putPolicyInput(roleName, policy),
      when: 'if the role is new, or its read policy differs: the change is printed',
    },
  ];
}

export async function findRole(iam: IAMClient, roleName: string): Promise<Role | undefined> {
  try {
    return (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role;
  } catch (error) {
    if (errorCode(error) === 'NoSuchEntity') return undefined;
    throw error;
  }
}

/** Creates the role or reuses ours (refusing anyone else's), brought to the settings; returns its ARN. */
export async function ensureRole(
  iam: IAMClient,
  roleName: string,
  policy: PolicyDocument,
  out: (line: string) => void,
  deployment: Deployment = 'provisioned',
): Promise<string> {
  const synced = await syncRole(iam, roleName, policy, out, deployment);
  if (synced.ours) return synced.arn;
  throw new CloudError(
    `IAM role "${roleName}" exists but was not created by this tool (no ${MANAGED_BY_TAG.Key}=${MANAGED_BY_TAG.Value} tag), ` +
      'so it is left alone. Set REDSHIFT_IAM_ROLE_NAME to a new name and run create again.',
  );
}

export type SyncedRole = { ours: true; arn: string } | { ours: false; arn?: string };

/**
 * Makes the role what the settings say: creates it when missing; on a role of ours, rewrites
 * the read policy and the trust only where they differ, printing each change (the drift
 * report). A role without our tag is read, never changed.
 */
export async function syncRole(
  iam: IAMClient,
  roleName: string,
  policy: PolicyDocument,
  out: (line: string) => void,
  deployment: Deployment = 'provisioned',
): Promise<SyncedRole> {
  const role = await findRole(iam, roleName);
  if (role && !hasOurTag(role.Tags)) return { ours: false, arn: role.Arn };
  if (!role) {
    const created = (await iam.send(new CreateRoleCommand(createRoleInput(roleName, deployment)))).Role;
    out(`Created IAM role ${roleName}.`);
    await iam.send(new PutRolePolicyCommand(putPolicyInput(roleName, policy)));
    return { ours: true, arn: requireArn(roleName, created?.Arn) };
  }
  const current = await findReadPolicy(iam, roleName);
  const policyDrift = policyChanges(current, policy);
  if (policyDrift.length > 0) {
    await iam.send(new PutRolePolicyCommand(putPolicyInput(roleName, policy)));
    out(`Changed: IAM role ${roleName}, read policy ${READ_POLICY_NAME}: ${policyDrift.join('; ')}.`);
  }
  const trust = trustUpdate(parseDocument(role.AssumeRolePolicyDocument), deployment);
  if (trust) {
    await iam.send(new UpdateAssumeRolePolicyCommand(updateTrustInput(roleName, trust.deployment)));
    out(`Changed: IAM role ${roleName}, trust: ${trust.change}.`);
  }
  if (policyDrift.length === 0 && !trust) out(`IAM role ${roleName} exists and matches the settings; unchanged.`);
  return { ours: true, arn: requireArn(roleName, role.Arn) };
}

/** The role's read policy as IAM holds it, or undefined when it has none. */
async function findReadPolicy(iam: IAMClient, roleName: string): Promise<PolicyDocument | undefined> {
  try {
    const answer = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: READ_POLICY_NAME }));
    return parseDocument(answer?.PolicyDocument);
  } catch (error) {
    if (errorCode(error) === 'NoSuchEntity') return undefined;
    throw error;
  }
}

// GetRole and GetRolePolicy return their documents URL-encoded (RFC 3986), as the IAM API
// reference says of AssumeRolePolicyDocument (https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html)
// and PolicyDocument (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html).
function parseDocument(text: string | undefined): PolicyDocument | undefined {
  if (!text) return undefined;
  const decoded = text.trim().startsWith('{') ? text : decodeURIComponent(text);
  return JSON.parse(decoded) as PolicyDocument;
}

function requireArn(roleName: string, arn: string | undefined): string {
  if (!arn) throw new CloudError(`IAM did not return the ARN of role "${roleName}". Run create again.`);
  return arn;
}

/**
 * The trust to put, or undefined when the role already trusts every service the deployment
 * needs. A cluster's create never narrows a trust that a namespace needs (a role may serve both).
 */
function trustUpdate(
  current: PolicyDocument | undefined,
  deployment: Deployment,
): { deployment: Deployment; change: string } | undefined {
  const has = trustedServices(current);
  const needed = trustedServices(trustPolicy(deployment));
  if ([...needed].every((service) => has.has(service))) return undefined;
  const wanted = has.has('redshift-serverless.amazonaws.com') ? 'serverless' : deployment;
  const policy = trustPolicy(wanted);
  return {
    deployment: wanted,
    change: `now trusts ${[...trustedServices(policy)].join(' and ')} (was: ${has.size > 0 ? [...has].join(' and ') : 'none of them'})`,
  };
}

function trustedServices(document: PolicyDocument | undefined): Set<string> {
  const services = (document?.Statement ?? [])
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) => [(s.Principal as { Service?: string | string[] } | undefined)?.Service ?? []].flat());
  return new Set(services);
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
      throw new CloudError(
        `IAM role "${roleName}" still has other policies or instance profiles attached. Detach them in the IAM console and run delete again, or pass --keep-role.`,
      );
    }
    throw error;
  }
  out(`Removed IAM role ${roleName}.`);
}
