// CreateCluster right after CreateRole can be refused while IAM propagates the new role:
// Redshift answers InvalidParameterValue "The IAM role <arn> is not valid. The IAM role
// must delegate access to an Amazon Redshift account." (the shape reported in
// hashicorp/terraform-provider-aws#19113). IAM changes are eventually consistent
// ("Changes that I make are not always immediately visible", IAM troubleshooting guide,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html), so the
// call is retried with a growing pause for a bounded time, then given up with one line.
//
// CreateNamespace (Redshift Serverless) takes the role too. Its API page
// (https://docs.aws.amazon.com/redshift-serverless/latest/APIReference/API_CreateNamespace.html)
// does not say whether the role is checked when the namespace is made, nor with what error;
// so the same bounded retry applies to a ValidationException that names an IAM role, and
// every other refusal is passed on at once.
import { CreateClusterCommand, type CreateClusterCommandInput } from '@aws-sdk/client-redshift';
import { CreateNamespaceCommand, type CreateNamespaceCommandInput } from '@aws-sdk/client-redshift-serverless';
import { CloudError } from '../errors';
import { errorCode } from './aws-errors';
import type { ClusterDeps } from './deps';

/** How long to keep retrying, and the first and largest pause, in seconds. */
const ROLE_PROPAGATION = { maxSeconds: 180, firstDelay: 5, maxDelay: 30 };

function isRoleNotYetValid(error: unknown): boolean {
  return (
    errorCode(error) === 'InvalidParameterValue' && /IAM role\b.*\bnot valid/i.test(String((error as Error)?.message))
  );
}

/** A Serverless refusal that names the IAM role: possibly one IAM has not propagated yet. */
function isNamespaceRoleNotYetValid(error: unknown): boolean {
  return (
    (error as Error)?.name === 'ValidationException' &&
    /IAM role|iamRole|:role\//i.test(String((error as Error)?.message))
  );
}

export async function createClusterWhenRoleIsValid(
  input: CreateClusterCommandInput,
  roleName: string,
  deps: Pick<ClusterDeps, 'redshift' | 'sleep' | 'now' | 'out'>,
  limits = ROLE_PROPAGATION,
): Promise<void> {
  await whenRoleIsValid(
    () => deps.redshift.send(new CreateClusterCommand(input)),
    isRoleNotYetValid,
    roleName,
    deps,
    limits,
  );
}

export async function createNamespaceWhenRoleIsValid(
  input: CreateNamespaceCommandInput,
  roleName: string,
  deps: Pick<ClusterDeps, 'serverless' | 'sleep' | 'now' | 'out'>,
  limits = ROLE_PROPAGATION,
): Promise<void> {
  await whenRoleIsValid(
    () => deps.serverless.send(new CreateNamespaceCommand(input)),
    isNamespaceRoleNotYetValid,
    roleName,
    deps,
    limits,
  );
}

async function whenRoleIsValid(
  send: () => Promise<unknown>,
  notYetValid: (error: unknown) => boolean,
  roleName: string,
  deps: Pick<ClusterDeps, 'sleep' | 'now' | 'out'>,
  limits: typeof ROLE_PROPAGATION,
): Promise<void> {
  const deadline = deps.now().getTime() + limits.maxSeconds * 1000;
  let delay = limits.firstDelay * 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      await send();
      return;
    } catch (error) {
      if (!notYetValid(error)) throw error;
      const remaining = deadline - deps.now().getTime();
      if (remaining <= 0) {
        throw new CloudError(
          `Redshift still calls IAM role ${roleName} not valid after ${Math.round(limits.maxSeconds / 60)} min of retries (IAM changes take a while to reach Redshift). ` +
            'The role is kept: run npm run cluster -- create again in a few minutes.',
        );
      }
      if (attempt === 1)
        deps.out(
          `IAM role ${roleName} is not visible to Redshift yet (IAM propagates new roles within a minute or two); retrying...`,
        );
      await deps.sleep(Math.min(delay, remaining));
      delay = Math.min(delay * 2, limits.maxDelay * 1000);
    }
  }
}
