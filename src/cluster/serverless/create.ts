// `create --serverless`: the read-only role, the namespace (database, admin user whose
// password AWS keeps in Secrets Manager, our role as default), the workgroup (private
// unless --public, subnets of the default VPC), the usage limit that caps the bill, the
// wait until available, and the endpoint written into .env. Running it again brings the
// role and its association to the settings (converge.ts), waits and rewrites .env.
// APIs: CreateNamespace, CreateWorkgroup, CreateUsageLimit in the Redshift Serverless API
// reference (https://docs.aws.amazon.com/redshift-serverless/latest/APIReference/).
import {
  type CreateNamespaceCommandInput,
  CreateUsageLimitCommand,
  type CreateUsageLimitCommandInput,
  CreateWorkgroupCommand,
  type CreateWorkgroupCommandInput,
  ListUsageLimitsCommand,
  type Workgroup,
} from '@aws-sdk/client-redshift-serverless';
import { ConfigError, UsageError } from '../../errors';
import { accessGroupName, checkCidr, createGroupInput, ensureAccessGroup, ingressInput } from '../access';
import { RA3_PORT_RANGES, checkMasterUser } from '../create-checks';
import { type ClusterDeps, MANAGED_BY_TAG } from '../deps';
import { type PlanStep, printPlan } from '../dry-run';
import { writeEnvSettings } from '../env-file';
import { createNamespaceWhenRoleIsValid } from '../iam-propagation';
import { DEFAULT_VPC_FILTER, defaultSubnets, defaultVpc, subnetsInput } from '../network';
import { formatUsd } from '../node-types';
import { READ_POLICY_NAME, readPolicy } from '../policies';
import { createRoleInput, ensureRole, putPolicyInput, updateTrustInput } from '../role';
import { s3Sources } from '../s3-sources';
import { convergeServerless } from './converge';
import { findNamespace, findWorkgroup, pollWorkgroup, workgroupEndpoint } from './lookups';
import { DEFAULT_BASE_RPU, type ServerlessSettings, SMALLEST_BASE_RPU } from './settings';
import { checkWorkgroupSubnets } from './subnets';
import { RPU_PRICE_RECORDED, USD_PER_RPU_HOUR } from './verbs';

export interface ServerlessCreateOptions {
  dryRun: boolean;
  public: boolean;
  allowCidr?: string;
  maxWaitSeconds: number;
}

const TAGS = [{ key: MANAGED_BY_TAG.Key, value: MANAGED_BY_TAG.Value }];
const SET_INSTEAD = 'create the workgroup yourself in a VPC of your choice';

function createNamespaceInput(settings: ServerlessSettings, roleArn: string): CreateNamespaceCommandInput {
  return {
    namespaceName: settings.namespace,
    dbName: settings.database,
    adminUsername: settings.user,
    // AWS generates the admin password and keeps it in Secrets Manager: none is chosen or printed.
    manageAdminPassword: true,
    defaultIamRoleArn: roleArn,
    iamRoles: [roleArn],
    tags: TAGS,
  };
}

function createWorkgroupInput(settings: ServerlessSettings, subnetIds: string[], access: { public: boolean; groupId?: string }): CreateWorkgroupCommandInput {
  return {
    workgroupName: settings.workgroup,
    namespaceName: settings.namespace,
    baseCapacity: settings.baseRpu,
    ...(settings.maxRpu ? { maxCapacity: settings.maxRpu } : {}),
    port: settings.port,
    publiclyAccessible: access.public,
    subnetIds,
    ...(access.groupId ? { securityGroupIds: [access.groupId] } : {}),
    tags: TAGS,
  };
}

function createUsageLimitInput(settings: ServerlessSettings, workgroupArn: string): CreateUsageLimitCommandInput {
  return {
    resourceArn: workgroupArn,
    usageType: 'serverless-compute',
    amount: settings.usageLimit.rpuHours,
    period: settings.usageLimit.period,
    breachAction: settings.usageLimit.breachAction,
  };
}

export async function createServerless(settings: ServerlessSettings, options: ServerlessCreateOptions, deps: ClusterDeps): Promise<void> {
  if (!settings.database) throw new ConfigError('REDSHIFT_DB is not set. Put the database to create, e.g. sparkify, in .env (see .env.example).');
  if (!settings.user) throw new ConfigError('REDSHIFT_USER is not set. Put the admin user to create, e.g. awsuser, in .env (see .env.example).');
  checkMasterUser(settings.user);
  // Workgroup ports follow the RA3 rule: 5431-5455 or 8191-8215.
  if (!RA3_PORT_RANGES.some(([low, high]) => settings.port >= low && settings.port <= high)) {
    throw new ConfigError(`REDSHIFT_PORT ${settings.port} cannot be used for a Serverless workgroup: AWS allows only 5431-5455 or 8191-8215. Use 5439 (the default).`);
  }
  const policy = readPolicy(s3Sources(settings.sources), settings.region);
  if (options.allowCidr && !options.public) throw new UsageError('--allow-cidr only applies with --public; without --public the workgroup is not reachable from outside its VPC.');
  const givenCidr = options.public && options.allowCidr ? checkCidr(options.allowCidr) : undefined;
  if (options.dryRun) {
    printPlan('create --serverless', planCreate(settings, policy, options, givenCidr ?? '<your public IP>/32 (looked up when run for real)', deps.envFile), deps.out, settings.secrets);
    deps.out(priceNotice(settings));
    return;
  }

  const existing = await findWorkgroup(deps.serverless, settings.workgroup);
  if (existing) {
    deps.out(`Workgroup ${settings.workgroup} already exists (${existing.status}); not creating it again. Bringing it to the settings:`);
    const roleArn = await convergeServerless(existing, settings, policy, options, deps);
    const ready = await pollWorkgroup(deps, settings.workgroup, 'AVAILABLE', options.maxWaitSeconds);
    writeEndpoint(ready as Workgroup, settings, deps, roleArn);
    return;
  }
  let cidr = givenCidr;
  if (options.public && !cidr) {
    const ip = await deps.findPublicIp();
    if (!ip) throw new ConfigError('--public needs the address range allowed to connect, and your public address could not be found (offline?). Pass --allow-cidr <your IP>/32.');
    cidr = checkCidr(`${ip}/32`);
  }
  // Placement first: a VPC that cannot hold a workgroup is refused before the role and the namespace exist.
  const vpc = await defaultVpc(deps.ec2, SET_INSTEAD);
  const subnets = await defaultSubnets(deps.ec2, vpc.id, SET_INSTEAD);
  checkWorkgroupSubnets(subnets, settings.region, vpc.id, SET_INSTEAD);
  const subnetIds = subnets.map((s) => s.id);
  deps.out(priceNotice(settings));
  const roleArn = await ensureRole(deps.iam, settings.roleName, policy, deps.out, 'serverless');
  if (!(await findNamespace(deps.serverless, settings.namespace))) {
    await createNamespaceWhenRoleIsValid(createNamespaceInput(settings, roleArn), settings.roleName, deps);
    deps.out(`Created namespace ${settings.namespace} (database ${settings.database}, admin ${settings.user}; AWS keeps the password in Secrets Manager).`);
  } else deps.out(`Namespace ${settings.namespace} exists; using it.`);
  // Our own tagged group either way: public, the port opens to --allow-cidr only; private,
  // to the VPC's own range only (the VPC's default group would let its other rules apply).
  const reach = cidr ? { cidr } : vpc.cidr ? { cidr: vpc.cidr, why: 'Redshift from inside its VPC' } : undefined;
  const groupId = reach ? await ensureAccessGroup(deps.ec2, { clusterId: settings.workgroup, vpcId: vpc.id, port: settings.port, ...reach }, deps.out) : undefined;
  const access = { public: options.public, groupId };
  const { created, baseRpu } = await createWorkgroup(settings, subnetIds, access, deps);
  deps.out(`Creating workgroup ${settings.workgroup} (base ${baseRpu} RPU, ${options.public ? `public to ${cidr}` : 'private'})...`);
  await ensureUsageLimit(settings, created.workgroup?.workgroupArn, deps);
  const ready = await pollWorkgroup(deps, settings.workgroup, 'AVAILABLE', options.maxWaitSeconds);
  writeEndpoint(ready as Workgroup, settings, deps, roleArn);
}

/** What the workgroup will cost, said before create makes it (and in its dry run). */
function priceNotice(settings: ServerlessSettings): string {
  const base = settings.baseRpuChosen ? settings.baseRpu : SMALLEST_BASE_RPU;
  const { rpuHours, period } = settings.usageLimit;
  return (
    `Price: ${formatUsd(USD_PER_RPU_HOUR, 3)} per RPU-hour (${RPU_PRICE_RECORDED} prices), at least ${formatUsd(base * USD_PER_RPU_HOUR)} per hour of work at base ${base} RPU, ` +
    `billed per second while queries run; nothing while idle apart from storage. The usage limit stops at ${rpuHours} RPU-hours ${period} (about ${formatUsd(rpuHours * USD_PER_RPU_HOUR)}).`
  );
}

/**
 * CreateWorkgroup at the smallest base capacity the region allows: with REDSHIFT_BASE_RPU
 * unset, 4 RPU first, and 8 (offered everywhere) when AWS refuses 4 as a base capacity.
 */
async function createWorkgroup(settings: ServerlessSettings, subnetIds: string[], access: { public: boolean; groupId?: string }, deps: ClusterDeps) {
  const send = (baseRpu: number) => deps.serverless.send(new CreateWorkgroupCommand(createWorkgroupInput({ ...settings, baseRpu }, subnetIds, access)));
  if (settings.baseRpuChosen) return { created: await send(settings.baseRpu), baseRpu: settings.baseRpu };
  try {
    return { created: await send(SMALLEST_BASE_RPU), baseRpu: SMALLEST_BASE_RPU };
  } catch (error) {
    if ((error as Error).name !== 'ValidationException' || !/capacity|rpu/i.test((error as Error).message)) throw error;
    deps.out(`This region does not offer a base capacity of ${SMALLEST_BASE_RPU} RPU (${(error as Error).message}); using ${DEFAULT_BASE_RPU}.`);
    return { created: await send(DEFAULT_BASE_RPU), baseRpu: DEFAULT_BASE_RPU };
  }
}

async function ensureUsageLimit(settings: ServerlessSettings, workgroupArn: string | undefined, deps: ClusterDeps): Promise<void> {
  if (!workgroupArn) throw new ConfigError(`AWS did not return the ARN of workgroup ${settings.workgroup}. Run create --serverless again.`);
  const limits = await deps.serverless.send(new ListUsageLimitsCommand({ resourceArn: workgroupArn, usageType: 'serverless-compute' }));
  if ((limits.usageLimits ?? []).length > 0) return;
  await deps.serverless.send(new CreateUsageLimitCommand(createUsageLimitInput(settings, workgroupArn)));
  const { rpuHours, period, breachAction } = settings.usageLimit;
  deps.out(`Usage limit: ${rpuHours} RPU-hours ${period}, then ${breachAction}.`);
}

function writeEndpoint(workgroup: Workgroup, settings: ServerlessSettings, deps: ClusterDeps, createdRoleArn?: string): void {
  const endpoint = workgroupEndpoint(workgroup);
  if (!endpoint) {
    deps.out(`Workgroup ${settings.workgroup} has no endpoint yet, so ${deps.envFile} is unchanged; run create --serverless again.`);
    return;
  }
  const updates: Record<string, string> = { REDSHIFT_HOST: endpoint.host, REDSHIFT_PORT: String(endpoint.port), REDSHIFT_DEPLOYMENT: 'serverless' };
  if (createdRoleArn) updates.REDSHIFT_IAM_ROLE_ARN = createdRoleArn;
  writeEnvSettings(deps.envFile, updates, deps.out);
  deps.out(`Endpoint: ${endpoint.host}:${endpoint.port}`);
}

function planCreate(settings: ServerlessSettings, policy: ReturnType<typeof readPolicy>, options: ServerlessCreateOptions, cidr: string, envFile: string): PlanStep[] {
  const roleArn = `<ARN of role ${settings.roleName}>`;
  const groupId = `<id of security group ${accessGroupName(settings.workgroup)}>`;
  const steps: PlanStep[] = [
    {
      service: 'redshift-serverless',
      action: 'GetWorkgroup',
      input: { workgroupName: settings.workgroup },
      when: 'if it exists: bring the role and its association to the settings (GetRole, GetRolePolicy, PutRolePolicy, UpdateAssumeRolePolicy, GetNamespace, UpdateNamespace, each only if it differs), wait and write .env',
    },
    { service: 'ec2', action: 'DescribeVpcs', input: DEFAULT_VPC_FILTER, when: 'refuses when the region has no default VPC' },
    { service: 'ec2', action: 'DescribeSubnets', input: subnetsInput('<default VPC id>'), when: 'refuses fewer than 3 subnets in 3 Availability Zones' },
    { service: 'iam', action: 'GetRole', input: { RoleName: settings.roleName } },
    { service: 'iam', action: 'CreateRole', input: createRoleInput(settings.roleName, 'serverless'), when: 'if the role does not exist' },
    { service: 'iam', action: 'UpdateAssumeRolePolicy', input: updateTrustInput(settings.roleName), when: 'if the existing role does not trust Redshift Serverless yet' },
    { service: 'iam', action: 'GetRolePolicy', input: { RoleName: settings.roleName, PolicyName: READ_POLICY_NAME }, when: 'if the role exists and is ours' },
    { service: 'iam', action: 'PutRolePolicy', input: putPolicyInput(settings.roleName, policy), when: 'if the role is new, or its read policy differs: the change is printed' },
    { service: 'redshift-serverless', action: 'GetNamespace', input: { namespaceName: settings.namespace } },
    {
      service: 'redshift-serverless',
      action: 'CreateNamespace',
      input: createNamespaceInput(settings, roleArn),
      when: 'if it does not exist; retried for up to 3 min while IAM propagates a new role',
    },
  ];
  steps.push(
    { service: 'ec2', action: 'CreateSecurityGroup', input: createGroupInput(settings.workgroup, '<default VPC id>'), when: 'if the group does not exist' },
    options.public
      ? { service: 'ec2', action: 'AuthorizeSecurityGroupIngress', input: ingressInput(groupId, settings.port, cidr) }
      : { service: 'ec2', action: 'AuthorizeSecurityGroupIngress', input: ingressInput(groupId, settings.port, "<the default VPC's CIDR>", 'Redshift from inside its VPC') },
  );
  steps.push(
    ...(settings.baseRpuChosen
      ? ([{ service: 'redshift-serverless', action: 'CreateWorkgroup', input: createWorkgroupInput(settings, ['<subnet ids of the default VPC>'], { public: options.public, groupId }) }] as PlanStep[])
      : ([
          {
            service: 'redshift-serverless',
            action: 'CreateWorkgroup',
            input: createWorkgroupInput({ ...settings, baseRpu: SMALLEST_BASE_RPU }, ['<subnet ids of the default VPC>'], { public: options.public, groupId }),
          },
          {
            service: 'redshift-serverless',
            action: 'CreateWorkgroup',
            input: createWorkgroupInput({ ...settings, baseRpu: DEFAULT_BASE_RPU }, ['<subnet ids of the default VPC>'], { public: options.public, groupId }),
            when: `if the region does not offer ${SMALLEST_BASE_RPU} RPU`,
          },
        ] as PlanStep[])),
    { service: 'redshift-serverless', action: 'ListUsageLimits', input: { resourceArn: '<workgroup ARN>', usageType: 'serverless-compute' } },
    { service: 'redshift-serverless', action: 'CreateUsageLimit', input: createUsageLimitInput(settings, '<workgroup ARN>'), when: 'if the workgroup has none' },
    {
      service: 'redshift-serverless',
      action: 'GetWorkgroup',
      input: { workgroupName: settings.workgroup },
      when: `repeated until AVAILABLE, for up to ${Math.round(options.maxWaitSeconds / 60)} min`,
    },
    { note: `write REDSHIFT_HOST, REDSHIFT_PORT, REDSHIFT_DEPLOYMENT and REDSHIFT_IAM_ROLE_ARN into ${envFile}, keeping its other lines` },
  );
  return steps;
}
