// Looking up the namespace and workgroup (missing is an answer, not an error) and
// waiting for a state. Redshift Serverless has no SDK waiters, so we poll with a
// growing pause on the injected clock, as for a paused cluster.
import {
  GetNamespaceCommand,
  GetWorkgroupCommand,
  ListTagsForResourceCommand,
  type Namespace,
  type RedshiftServerlessClient,
  type Workgroup,
} from '@aws-sdk/client-redshift-serverless';
import { CloudError } from '../../errors';
import { errorCode } from '../aws-errors';
import type { ClusterDeps } from '../deps';
import { hasOurTag } from '../deps';
import { formatElapsed } from '../waits';

export async function findWorkgroup(
  client: RedshiftServerlessClient,
  workgroupName: string,
): Promise<Workgroup | undefined> {
  try {
    return (await client.send(new GetWorkgroupCommand({ workgroupName }))).workgroup;
  } catch (error) {
    if (errorCode(error) === 'ResourceNotFound') return undefined;
    throw error;
  }
}

export async function findNamespace(
  client: RedshiftServerlessClient,
  namespaceName: string,
): Promise<Namespace | undefined> {
  try {
    return (await client.send(new GetNamespaceCommand({ namespaceName }))).namespace;
  } catch (error) {
    if (errorCode(error) === 'ResourceNotFound') return undefined;
    throw error;
  }
}

export async function isOurs(client: RedshiftServerlessClient, resourceArn: string | undefined): Promise<boolean> {
  if (!resourceArn) return false;
  // Serverless spells tags { key, value }, not { Key, Value }.
  const tags = (await client.send(new ListTagsForResourceCommand({ resourceArn }))).tags ?? [];
  return hasOurTag(tags.map((t) => ({ Key: t.key, Value: t.value })));
}

export function workgroupEndpoint(workgroup: Workgroup): { host: string; port: number } | undefined {
  const host = workgroup.endpoint?.address;
  const port = workgroup.endpoint?.port;
  return host && port ? { host, port } : undefined;
}

type Poll = Pick<ClusterDeps, 'serverless' | 'sleep' | 'now' | 'out' | 'delays'>;

/** Polls until the workgroup is AVAILABLE (returns it) or, with 'gone', until it no longer exists. */
export async function pollWorkgroup(
  deps: Poll,
  workgroupName: string,
  wanted: 'AVAILABLE' | 'gone',
  maxWaitSeconds: number,
): Promise<Workgroup | undefined> {
  return poll(deps, `workgroup "${workgroupName}"`, wanted, maxWaitSeconds, () =>
    findWorkgroup(deps.serverless, workgroupName),
  );
}

export async function pollNamespaceGone(deps: Poll, namespaceName: string, maxWaitSeconds: number): Promise<void> {
  await poll(deps, `namespace "${namespaceName}"`, 'gone', maxWaitSeconds, () =>
    findNamespace(deps.serverless, namespaceName),
  );
}

async function poll<T extends { status?: string }>(
  deps: Poll,
  what: string,
  wanted: 'AVAILABLE' | 'gone',
  maxWaitSeconds: number,
  look: () => Promise<T | undefined>,
): Promise<T | undefined> {
  const started = deps.now().getTime();
  const deadline = started + maxWaitSeconds * 1000;
  let delay = deps.delays.minDelay * 1000;
  for (;;) {
    // An error (credentials, access, network) propagates at once: waiting cannot fix it.
    const found = await look();
    if (wanted === 'gone' && !found) return undefined;
    if (wanted === 'AVAILABLE') {
      if (!found)
        throw new CloudError(
          `The ${what} disappeared while we waited for it to be available. See npm run cluster -- status --serverless.`,
        );
      if (found.status === 'AVAILABLE') return found;
      if (found.status === 'DELETING')
        throw new CloudError(`The ${what} is being deleted, so it will not become available.`);
    }
    const status = found?.status ?? 'unknown';
    const elapsed = formatElapsed(deps.now().getTime() - started);
    deps.out(
      `  ${what} is ${status} (${elapsed} so far); waiting for it to be ${wanted === 'gone' ? 'deleted' : 'available'}...`,
    );
    const remaining = deadline - deps.now().getTime();
    if (remaining <= 0) {
      throw new CloudError(
        `The ${what} is still ${status} after ${Math.round(maxWaitSeconds / 60)} min. AWS keeps working on it: check npm run cluster -- status --serverless and wait again, or pass --timeout <minutes>.`,
      );
    }
    await deps.sleep(Math.min(delay, remaining));
    delay = Math.min(delay * 2, deps.delays.maxDelay * 1000);
  }
}
