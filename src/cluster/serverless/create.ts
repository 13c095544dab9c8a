// `create --serverless`: the read-only role, the namespace (database, admin user whose
// password AWS keeps in Secrets Manager, our role as default), the workgroup (private
// unless --public, subnets of the default VPC), the usage limit that caps the bill, the
// wait until available, and the endpoint written into .env. Running it again brings the
// role and its association to the settings (converge.ts), waits and rewrites .env.
// APIs: CreateNamespace, CreateWorkgroup, CreateUsageLimit in the Redshift Serverless API
// reference (https://docs.aws.amazon.com/redshift-serverless/latest/APIReference/).
import type { Workgroup } from '@aws-sdk/client-redshift-serverless';
import { ConfigError, UsageError } from '../../errors';
import { checkCidr, ensureAccessGroup } from '../access';
import { RA3_PORT_RANGES, checkMasterUser } from '../create-checks';
import type { ClusterDeps } from '../deps';
import { printPlan } from '../dry-run';
import { writeEnvSettings } from '../env-file';
import { createNamespaceWhenRoleIsValid } from '../iam-propagation';
import { defaultSubnets, defaultVpc } from '../network';
import { formatUsd } from '../node-types';
import { readPolicy } from '../policies';
import { ensureRole } from '../role';
import { s3Sources } from '../s3-sources';
import { convergeServerless } from './converge';
import { createNamespaceInput } from './create-inputs';
import { planCreate } from './create-plan';
import { createWorkgroup, ensureUsageLimit } from './create-workgroup';
import { findNamespace, findWorkgroup, pollWorkgroup, workgroupEndpoint } from './lookups';
import { type ServerlessSettings, SMALLEST_BASE_RPU } from './settings';
import { checkWorkgroupSubnets } from './subnets';
import { RPU_PRICE_RECORDED, USD_PER_RPU_HOUR } from './verbs';

export interface ServerlessCreateOptions {
  dryRun: boolean;
  public: boolean;
  allowCidr?: string;
  maxWaitSeconds: number;
}

const SET_INSTEAD = 'create the workgroup yourself in a VPC of your choice';

export async function createServerless(
  settings: ServerlessSettings,
  options: ServerlessCreateOptions,
  deps: ClusterDeps,
): Promise<void> {
  if (!settings.database)
    throw new ConfigError(
      'REDSHIFT_DB is not set. Put the database to create, e.g. sparkify, in .env (see .env.example).',
    );
  if (!settings.user)
    throw new ConfigError(
      'REDSHIFT_USER is not set. Put the admin user to create, e.g. awsuser, in .env (see .env.example).',
    );
  checkMasterUser(settings.user);
  // Workgroup ports follow the RA3 rule: 5431-5455 or 8191-8215.
  if (!RA3_PORT_RANGES.some(([low, high]) => settings.port >= low && settings.port <= high)) {
    throw new ConfigError(
      `REDSHIFT_PORT ${settings.port} cannot be used for a Serverless workgroup: AWS allows only 5431-5455 or 8191-8215. Use 5439 (the default).`,
    );
  }
  const policy = readPolicy(s3Sources(settings.sources), settings.region);
  if (options.allowCidr && !options.public)
    throw new UsageError(
      '--allow-cidr only applies with --public; without --public the workgroup is not reachable from outside its VPC.',
    );
  const givenCidr = options.public && options.allowCidr ? checkCidr(options.allowCidr) : undefined;
  if (options.dryRun) {
    printPlan(
      'create --serverless',
      planCreate(
        settings,
        policy,
        options,
        givenCidr ?? '<your public IP>/32 (looked up when run for real)',
        deps.envFile,
      ),
      deps.out,
      settings.secrets,
    );
    deps.out(priceNotice(settings));
    return;
  }

  const existing = await findWorkgroup(deps.serverless, settings.workgroup);
  if (existing) {
    deps.out(
      `Workgroup ${settings.workgroup} already exists (${existing.status}); not creating it again. Bringing it to the settings:`,
    );
    const roleArn = await convergeServerless(existing, settings, policy, options, deps);
    const ready = await pollWorkgroup(deps, settings.workgroup, 'AVAILABLE', options.maxWaitSeconds);
    writeEndpoint(ready as Workgroup, settings, deps, roleArn);
    return;
  }
  let cidr = givenCidr;
  if (options.public && !cidr) {
    const ip = await deps.findPublicIp();
    if (!ip)
      throw new ConfigError(
        '--public needs the address range allowed to connect, and your public address could not be found (offline?). Pass --allow-cidr <your IP>/32.',
      );
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
    deps.out(
      `Created namespace ${settings.namespace} (database ${settings.database}, admin ${settings.user}; AWS keeps the password in Secrets Manager).`,
    );
  } else deps.out(`Namespace ${settings.namespace} exists; using it.`);
  // Our own tagged group either way: public, the port opens to --allow-cidr only; private,
  // to the VPC's own range only (the VPC's default group would let its other rules apply).
  const reach = cidr ? { cidr } : vpc.cidr ? { cidr: vpc.cidr, why: 'Redshift from inside its VPC' } : undefined;
  const groupId = reach
    ? await ensureAccessGroup(
        deps.ec2,
        { clusterId: settings.workgroup, vpcId: vpc.id, port: settings.port, ...reach },
        deps.out,
      )
    : undefined;
  const access = { public: options.public, groupId };
  const { created, baseRpu } = await createWorkgroup(settings, subnetIds, access, deps);
  deps.out(
    `Creating workgroup ${settings.workgroup} (base ${baseRpu} RPU, ${options.public ? `public to ${cidr}` : 'private'})...`,
  );
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

function writeEndpoint(
  workgroup: Workgroup,
  settings: ServerlessSettings,
  deps: ClusterDeps,
  createdRoleArn?: string,
): void {
  const endpoint = workgroupEndpoint(workgroup);
  if (!endpoint) {
    deps.out(
      `Workgroup ${settings.workgroup} has no endpoint yet, so ${deps.envFile} is unchanged; run create --serverless again.`,
    );
    return;
  }
  const updates: Record<string, string> = {
    REDSHIFT_HOST: endpoint.host,
    REDSHIFT_PORT: String(endpoint.port),
    REDSHIFT_DEPLOYMENT: 'serverless',
  };
  if (createdRoleArn) updates.REDSHIFT_IAM_ROLE_ARN = createdRoleArn;
  writeEnvSettings(deps.envFile, updates, deps.out);
  deps.out(`Endpoint: ${endpoint.host}:${endpoint.port}`);
}
