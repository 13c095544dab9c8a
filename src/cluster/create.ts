// `create`: the read-only role, a subnet group from the default VPC, the cluster
// (encrypted, private unless --public), the wait until it is available, and its endpoint
// written into .env. Running it again on an existing cluster brings what the tool made back
// to the settings (converge.ts), waits for it and rewrites .env.
import { type Cluster, type CreateClusterCommandInput } from '@aws-sdk/client-redshift';
import { CloudError, ConfigError, UsageError } from '../errors';
import { accessGroupName, checkCidr, createGroupInput, ensureAccessGroup, ingressInput } from './access';
import { attachedRoleArn, describeInput, endpointOf, findCluster } from './describe';
import { checkCreatable } from './create-checks';
import { associateRoleInput, convergeCluster, convergeRole, makePublicInput } from './converge';
import { type ClusterDeps, MANAGED_BY_TAG } from './deps';
import { type PlanStep, printPlan } from './dry-run';
import { writeEnvSettings } from './env-file';
import { createClusterWhenRoleIsValid } from './iam-propagation';
import { DEFAULT_VPC_FILTER, subnetsInput } from './network';
import { priceNotice } from './node-types';
import { type PolicyDocument, READ_POLICY_NAME, readPolicy } from './policies';
import { createRoleInput, ensureRole, putPolicyInput, updateTrustInput } from './role';
import { s3Sources } from './s3-sources';
import { type ClusterSettings, requireCreateSettings } from './settings';
import { createSubnetGroupInput, ensureSubnetGroup, subnetGroupName } from './subnet-group';

export interface CreateOptions {
  dryRun: boolean;
  public: boolean;
  allowCidr?: string;
  maxWaitSeconds: number;
}

interface Master {
  database: string;
  user: string;
  password: string;
}

interface Placement {
  public: boolean;
  subnetGroup: string;
  groupId?: string;
}

function createClusterInput(settings: ClusterSettings, master: Master, roleArn: string, access: Placement): CreateClusterCommandInput {
  const multiNode = settings.nodeCount > 1;
  return {
    ClusterIdentifier: settings.clusterId,
    NodeType: settings.nodeType,
    ClusterType: multiNode ? 'multi-node' : 'single-node',
    ...(multiNode ? { NumberOfNodes: settings.nodeCount } : {}),
    DBName: master.database,
    MasterUsername: master.user,
    MasterUserPassword: master.password,
    Port: settings.port,
    IamRoles: [roleArn],
    Encrypted: true,
    PubliclyAccessible: access.public,
    ClusterSubnetGroupName: access.subnetGroup,
    ...(access.groupId ? { VpcSecurityGroupIds: [access.groupId] } : {}),
    Tags: [{ ...MANAGED_BY_TAG }],
  };
}

export async function createCluster(settings: ClusterSettings, options: CreateOptions, deps: ClusterDeps): Promise<void> {
  // Everything that can be checked offline is checked before the first call.
  const master = requireCreateSettings(settings, options.dryRun);
  checkCreatable(settings);
  const policy = readPolicy(s3Sources(settings.sources), settings.region);
  if (options.allowCidr && !options.public) {
    throw new UsageError('--allow-cidr only applies with --public; without --public the cluster is not reachable from outside its VPC.');
  }
  const givenCidr = options.public && options.allowCidr ? checkCidr(options.allowCidr) : undefined;

  if (options.dryRun) {
    const steps = planCreate(settings, master, policy, options, givenCidr ?? '<your public IP>/32 (looked up when run for real)', deps.envFile);
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
  const groupId = cidr ? await ensureAccessGroup(deps.ec2, { clusterId: settings.clusterId, vpcId: subnets.vpcId, port: settings.port, cidr }, deps.out) : undefined;
  const input = createClusterInput(settings, master, roleArn, { public: options.public, subnetGroup: subnets.name, groupId });
  await createClusterWhenRoleIsValid(input, settings.roleName, deps);
  deps.out(
    `Creating cluster ${settings.clusterId} (${settings.nodeCount} × ${settings.nodeType}, encrypted, ${options.public ? `public to ${cidr}` : 'private'}). ` + 'This usually takes 5-15 minutes...',
  );
  await waitAndWriteEnv(settings, options, deps, roleArn);
}

/** A re-run: the cluster is not made again, but what the tool made is brought to the settings. */
async function adoptExisting(cluster: Cluster, settings: ClusterSettings, policy: PolicyDocument, options: CreateOptions & { cidr?: string }, deps: ClusterDeps): Promise<void> {
  const status = cluster.ClusterStatus ?? 'unknown';
  deps.out(`Cluster ${settings.clusterId} already exists (${status}); not creating it again. Bringing it to the settings:`);
  if (status === 'deleting' || status === 'final-snapshot') {
    throw new CloudError(`Cluster "${settings.clusterId}" is being deleted. Wait for that to finish (npm run cluster -- status), then run create again.`);
  }
  const roleArn = await convergeRole(settings, policy, deps);
  if (status === 'paused' || status === 'pausing') {
    deps.out(`It is ${status}: resume it with npm run cluster -- resume, then run create again to check its role and access.`);
    writeEndpoint(cluster, settings, deps, roleArn);
    return;
  }
  await deps.waiters.untilAvailable(deps.redshift, { clusterId: settings.clusterId, maxWaitSeconds: options.maxWaitSeconds, ...deps.delays });
  const available = await findCluster(deps.redshift, settings.clusterId);
  if (!available) throw new CloudError(`Cluster "${settings.clusterId}" vanished while create waited for it. See npm run cluster -- status.`);
  await convergeCluster(available, settings, roleArn, options, deps);
  deps.out(`Cluster ${settings.clusterId} is available.`);
  writeEndpoint(available, settings, deps, roleArn);
}

async function waitAndWriteEnv(settings: ClusterSettings, options: CreateOptions, deps: ClusterDeps, roleArn?: string): Promise<void> {
  // Right after CreateCluster, DescribeClusters may not list it yet (AWS APIs are eventually consistent).
  await deps.waiters.untilAvailable(deps.redshift, { clusterId: settings.clusterId, maxWaitSeconds: options.maxWaitSeconds, notFoundGraceSeconds: 60, ...deps.delays });
  const cluster = await findCluster(deps.redshift, settings.clusterId);
  if (!cluster) throw new CloudError(`Cluster "${settings.clusterId}" vanished right after becoming available. See npm run cluster -- status.`);
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
  else deps.out(`Warning: role ${settings.roleName} is not attached to this cluster, so REDSHIFT_IAM_ROLE_ARN was not written; COPY needs a role the cluster can assume.`);
  writeEnvSettings(deps.envFile, updates, deps.out);
  deps.out(`Endpoint: ${endpoint.host}:${endpoint.port}`);
}

async function ownAddress(deps: ClusterDeps): Promise<string> {
  const ip = await deps.findPublicIp();
  if (!ip) {
    throw new ConfigError('--public needs the address range allowed to connect, and your public address could not be found (offline?). Pass --allow-cidr <your IP>/32.');
  }
  return checkCidr(`${ip}/32`);
}

function planCreate(settings: ClusterSettings, master: Master, policy: ReturnType<typeof readPolicy>, options: CreateOptions, cidr: string, envFile: string): PlanStep[] {
  const roleArn = `<ARN of role ${settings.roleName}>`;
  const groupId = options.public ? `<id of security group ${accessGroupName(settings.clusterId)}>` : undefined;
  const steps: PlanStep[] = [
    {
      service: 'redshift',
      action: 'DescribeClusters',
      input: describeInput(settings.clusterId),
      when: 'if the cluster exists: bring role and access to the settings (below), wait for it and write .env',
    },
    { service: 'iam', action: 'GetRole', input: { RoleName: settings.roleName } },
    { service: 'iam', action: 'CreateRole', input: createRoleInput(settings.roleName), when: 'if the role does not exist' },
    { service: 'iam', action: 'GetRolePolicy', input: { RoleName: settings.roleName, PolicyName: READ_POLICY_NAME }, when: 'if the role exists and is ours' },
    { service: 'iam', action: 'PutRolePolicy', input: putPolicyInput(settings.roleName, policy), when: 'if the role is new, or its read policy differs: the change is printed' },
    { service: 'iam', action: 'UpdateAssumeRolePolicy', input: updateTrustInput(settings.roleName, 'provisioned'), when: 'if the existing role does not trust Redshift' },
  ];
  steps.push(
    { service: 'redshift', action: 'ModifyClusterIamRoles', input: associateRoleInput(settings.clusterId, roleArn), when: 'existing cluster: if the role is ours and not associated' },
    ...(options.public
      ? ([
          {
            service: 'ec2',
            action: 'RevokeSecurityGroupIngress',
            input: { GroupId: groupId, IpPermissions: ['<ranges other than the one allowed now>'] },
            when: 'existing cluster: ranges our group opened before',
          },
          { service: 'redshift', action: 'ModifyCluster', input: makePublicInput(settings.clusterId, ['<its security groups>', groupId as string]), when: 'existing cluster: if it is private' },
        ] as PlanStep[])
      : []),
    { note: 'on an existing cluster, everything below that creates is skipped' },
  );
  const subnetGroup = settings.subnetGroup ?? subnetGroupName(settings.clusterId);
  steps.push({
    service: 'redshift',
    action: 'DescribeClusterSubnetGroups',
    input: { ClusterSubnetGroupName: subnetGroup },
    when: settings.subnetGroup ? 'REDSHIFT_SUBNET_GROUP: must exist; its VPC is used' : 'if it exists: use it',
  });
  if (!settings.subnetGroup) {
    steps.push(
      { service: 'ec2', action: 'DescribeVpcs', input: DEFAULT_VPC_FILTER, when: 'refuses when the region has no default VPC' },
      { service: 'ec2', action: 'DescribeSubnets', input: subnetsInput('<default VPC id>') },
      { service: 'redshift', action: 'CreateClusterSubnetGroup', input: createSubnetGroupInput(settings.clusterId, ['<subnet ids of the default VPC>']), when: 'if it does not exist' },
    );
  }
  if (options.public) {
    steps.push(
      { service: 'ec2', action: 'DescribeSecurityGroups', input: { Filters: [{ Name: 'group-name', Values: [accessGroupName(settings.clusterId)] }] } },
      { service: 'ec2', action: 'CreateSecurityGroup', input: createGroupInput(settings.clusterId, '<VPC id of the subnet group>'), when: 'if the group does not exist' },
      { service: 'ec2', action: 'AuthorizeSecurityGroupIngress', input: ingressInput(groupId as string, settings.port, cidr) },
    );
  }
  steps.push(
    {
      service: 'redshift',
      action: 'CreateCluster',
      input: createClusterInput(settings, master, roleArn, { public: options.public, subnetGroup, groupId }),
      when: 'retried for up to 3 min while IAM propagates a new role',
    },
    {
      service: 'redshift',
      action: 'DescribeClusters',
      input: describeInput(settings.clusterId),
      when: `polls DescribeClusters for up to ${Math.round(options.maxWaitSeconds / 60)} min`,
    },
    { note: `write REDSHIFT_HOST, REDSHIFT_PORT and REDSHIFT_IAM_ROLE_ARN into ${envFile}, keeping its other lines` },
  );
  return steps;
}
