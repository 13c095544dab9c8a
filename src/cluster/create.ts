// `create`: the read-only role, a subnet group from the default VPC, the cluster
// (encrypted, private unless --public), the wait until it is available, and its endpoint
// written into .env. Running it again on an existing cluster brings what the tool made back
// to the settings (converge.ts), waits for it and rewrites .env.
import type { Cluster } from '@aws-sdk/client-redshift';
import { CloudError, ConfigError, UsageError } from '../errors';
import { checkCidr, ensureAccessGroup } from './access';
import { attachedRoleArn, endpointOf, findCluster } from './describe';
import { checkCreatable } from './create-checks';
import { convergeCluster, convergeRole } from './converge';
import { createClusterInput } from './create-input';
import { planCreate } from './create-plan';
import type { ClusterDeps } from './deps';
import { printPlan } from './dry-run';
import { writeEnvSettings } from './env-file';
import { createClusterWhenRoleIsValid } from './iam-propagation';
import { priceNotice } from './node-types';
import { type PolicyDocument, readPolicy } from './policies';
import { ensureRole } from './role';
import { s3Sources } from './s3-sources';
import { type ClusterSettings, requireCreateSettings } from './settings';
import { ensureSubnetGroup } from './subnet-group';

export interface CreateOptions {
  dryRun: boolean;
  public: boolean;
  allowCidr?: string;
  maxWaitSeconds: number;
}

export async function createCluster(
  settings: ClusterSettings,
  options: CreateOptions,
  deps: ClusterDeps,
): Promise<void> {
  // Everything that can be checked offline is checked before the first call.
  const master = requireCreateSettings(settings, options.dryRun);
  checkCreatable(settings);
  const policy = readPolicy(s3Sources(settings.sources), settings.region);
  if (options.allowCidr && !options.public) {
    throw new UsageError(
      '--allow-cidr only applies with --public; without --public the cluster is not reachable from outside its VPC.',
    );
  }
  const givenCidr = options.public && options.allowCidr ? checkCidr(options.allowCidr) : undefined;

  if (options.dryRun) {
    const steps = planCreate(
      settings,
      master,
      policy,
      options,
      givenCidr ?? '<your public IP>/32 (looked up when run for real)',
      deps.envFile,
    );
    printPlan('create', steps, deps.out, settings.secrets);
    deps.out(priceNotice(settings.nodeType, settings.nodeCount));
    return;
  }

  const existing = await findCluster(deps.redshift, settings.clusterId);
  const cidr = options.public ? (givenCidr ?? (await ownAddress(deps))) : undefined;
  if (existing) {
    await adoptExisting(existing, settings, policy, { ...options, cidr }, deps);
    return;
  }
  deps.out(priceNotice(settings.nodeType, settings.nodeCount));
  const roleArn = await ensureRole(deps.iam, settings.roleName, policy, deps.out);
  const subnets = await ensureSubnetGroup(deps, settings.clusterId, settings.subnetGroup, deps.out);
  const groupId = cidr
    ? await ensureAccessGroup(
        deps.ec2,
        { clusterId: settings.clusterId, vpcId: subnets.vpcId, port: settings.port, cidr },
        deps.out,
      )
    : undefined;
  const input = createClusterInput(settings, master, roleArn, {
    public: options.public,
    subnetGroup: subnets.name,
    groupId,
  });
  await createClusterWhenRoleIsValid(input, settings.roleName, deps);
  deps.out(
    `Creating cluster ${settings.clusterId} (${settings.nodeCount} × ${settings.nodeType}, encrypted, ${options.public ? `public to ${cidr}` : 'private'}). ` +
      'This usually takes 5-15 minutes...',
  );
  await waitAndWriteEnv(settings, options, deps, roleArn);
}

/** A re-run: the cluster is not made again, but what the tool made is brought to the settings. */
async function adoptExisting(
  cluster: Cluster,
  settings: ClusterSettings,
  policy: PolicyDocument,
  options: CreateOptions & { cidr?: string },
  deps: ClusterDeps,
): Promise<void> {
  const status = cluster.ClusterStatus ?? 'unknown';
  deps.out(
    `Cluster ${settings.clusterId} already exists (${status}); not creating it again. Bringing it to the settings:`,
  );
  if (status === 'deleting' || status === 'final-snapshot') {
    throw new CloudError(
      `Cluster "${settings.clusterId}" is being deleted. Wait for that to finish (npm run cluster -- status), then run create again.`,
    );
  }
  const roleArn = await convergeRole(settings, policy, deps);
  if (status === 'paused' || status === 'pausing') {
    deps.out(
      `It is ${status}: resume it with npm run cluster -- resume, then run create again to check its role and access.`,
    );
    writeEndpoint(cluster, settings, deps, roleArn);
    return;
  }
  await deps.waiters.untilAvailable(deps.redshift, {
    clusterId: settings.clusterId,
    maxWaitSeconds: options.maxWaitSeconds,
    ...deps.delays,
  });
  const available = await findCluster(deps.redshift, settings.clusterId);
  if (!available)
    throw new CloudError(
      `Cluster "${settings.clusterId}" vanished while create waited for it. See npm run cluster -- status.`,
    );
  await convergeCluster(available, settings, roleArn, options, deps);
  deps.out(`Cluster ${settings.clusterId} is available.`);
  writeEndpoint(available, settings, deps, roleArn);
}

async function waitAndWriteEnv(
  settings: ClusterSettings,
  options: CreateOptions,
  deps: ClusterDeps,
  roleArn?: string,
): Promise<void> {
  // Right after CreateCluster, DescribeClusters may not list it yet (AWS APIs are eventually consistent).
  await deps.waiters.untilAvailable(deps.redshift, {
    clusterId: settings.clusterId,
    maxWaitSeconds: options.maxWaitSeconds,
    notFoundGraceSeconds: 60,
    ...deps.delays,
  });
  const cluster = await findCluster(deps.redshift, settings.clusterId);
  if (!cluster)
    throw new CloudError(
      `Cluster "${settings.clusterId}" vanished right after becoming available. See npm run cluster -- status.`,
    );
  deps.out(`Cluster ${settings.clusterId} is available.`);
  writeEndpoint(cluster, settings, deps, roleArn);
}

function writeEndpoint(cluster: Cluster, settings: ClusterSettings, deps: ClusterDeps, createdRoleArn?: string): void {
  const endpoint = endpointOf(cluster);
  if (!endpoint) {
    deps.out(`It has no endpoint yet, so ${deps.envFile} is unchanged; run create again once it is available.`);
    return;
  }
  const updates: Record<string, string> = { REDSHIFT_HOST: endpoint.host, REDSHIFT_PORT: String(endpoint.port) };
  const roleArn = attachedRoleArn(cluster, settings.roleName) ?? createdRoleArn;
  if (roleArn) updates.REDSHIFT_IAM_ROLE_ARN = roleArn;
  else
    deps.out(
      `Warning: role ${settings.roleName} is not attached to this cluster, so REDSHIFT_IAM_ROLE_ARN was not written; COPY needs a role the cluster can assume.`,
    );
  writeEnvSettings(deps.envFile, updates, deps.out);
  deps.out(`Endpoint: ${endpoint.host}:${endpoint.port}`);
}

async function ownAddress(deps: ClusterDeps): Promise<string> {
  const ip = await deps.findPublicIp();
  if (!ip) {
    throw new ConfigError(
      '--public needs the address range allowed to connect, and your public address could not be found (offline?). Pass --allow-cidr <your IP>/32.',
    );
  }
  return checkCidr(`${ip}/32`);
}
