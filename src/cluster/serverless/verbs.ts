// status, pause, resume, wait and endpoint for a Serverless workgroup.
import {
  ListUsageLimitsCommand,
  type Namespace,
  type UsageLimit,
  type Workgroup,
} from '@aws-sdk/client-redshift-serverless';
import { CloudError } from '../../errors';
import { type ClusterDeps } from '../deps';
import { printPlan } from '../dry-run';
import { formatUsd } from '../node-types';
import { rolesLine } from '../status';
import { findNamespace, findWorkgroup, pollWorkgroup, workgroupEndpoint } from './lookups';
import { type ServerlessSettings } from './settings';
import { periodStart } from './usage';

// On-demand compute, US dollars per RPU-hour in us-east-1 (N. Virginia), recorded 2025-11
// from https://aws.amazon.com/redshift/pricing/. Billed per second while queries run, with a
// 60-second minimum; nothing while idle apart from storage. Other regions differ.
export const USD_PER_RPU_HOUR = 0.375;
export const RPU_PRICE_RECORDED = '2025-11 (us-east-1, on-demand)';

export async function serverlessStatus(
  settings: ServerlessSettings,
  options: { dryRun: boolean },
  deps: ClusterDeps,
): Promise<void> {
  if (options.dryRun) {
    printPlan(
      'status --serverless',
      [
        { service: 'redshift-serverless', action: 'GetWorkgroup', input: { workgroupName: settings.workgroup } },
        {
          service: 'redshift-serverless',
          action: 'ListUsageLimits',
          input: { resourceArn: '<workgroup ARN>', usageType: 'serverless-compute' },
        },
        {
          service: 'redshift-serverless',
          action: 'GetNamespace',
          input: { namespaceName: settings.namespace },
          when: "the workgroup's namespace: its roles",
        },
      ],
      deps.out,
      settings.secrets,
    );
    return;
  }
  const workgroup = await findWorkgroup(deps.serverless, settings.workgroup);
  if (!workgroup) {
    deps.out(
      `No workgroup ${settings.workgroup} in ${settings.region}. Create one with npm run cluster -- create --serverless.`,
    );
    return;
  }
  const limits = workgroup.workgroupArn
    ? ((
        await deps.serverless.send(
          new ListUsageLimitsCommand({ resourceArn: workgroup.workgroupArn, usageType: 'serverless-compute' }),
        )
      ).usageLimits ?? [])
    : [];
  const namespace = await findNamespace(deps.serverless, workgroup.namespaceName ?? settings.namespace);
  for (const line of serverlessStatusLines(workgroup, limits, namespace)) deps.out(line);
  deps.out(await usageLine(settings, deps));
}

/** RPU-hours used in the usage limit's period and their cost, when a connection is possible. */
async function usageLine(settings: ServerlessSettings, deps: ClusterDeps): Promise<string> {
  const since = periodStart(settings.usageLimit.period, deps.now());
  const label = 'used'.padEnd(12);
  if (!deps.serverlessUsage)
    return `${label}unknown: no database connection configured (REDSHIFT_HOST); see the AWS console`;
  try {
    const usage = await deps.serverlessUsage(since);
    // AWS "SYS_SERVERLESS_USAGE" (https://docs.aws.amazon.com/redshift/latest/dg/SYS_SERVERLESS_USAGE.html):
    // visible to superusers only; anyone else would read no rows, which is not zero used.
    if (usage === 'needs-superuser') {
      return `${label}unknown (needs a superuser): sys_serverless_usage shows its rows to superusers only, and your database user is not one; see the AWS console`;
    }
    const { rpuHours } = usage;
    const note =
      settings.usageLimit.period === 'monthly' ? ' (sys_serverless_usage keeps 7 days, so at most the last week)' : '';
    return `${label}${rpuHours.toFixed(2)} RPU-hours since ${since.toISOString()} ≈ ${formatUsd(rpuHours * USD_PER_RPU_HOUR)}${note}`;
  } catch (error) {
    return `${label}unknown: could not read sys_serverless_usage (${String((error as Error).message).split('\n')[0]})`;
  }
}

function serverlessStatusLines(workgroup: Workgroup, limits: UsageLimit[], namespace?: Namespace): string[] {
  const endpoint = workgroupEndpoint(workgroup);
  const base = workgroup.baseCapacity ?? 0;
  const rows: Array<[string, string]> = [
    ['workgroup', `${workgroup.workgroupName} (namespace ${workgroup.namespaceName})`],
    ['state', workgroup.status ?? 'unknown'],
    ['endpoint', endpoint ? `${endpoint.host}:${endpoint.port}` : '(none yet)'],
    ['capacity', `base ${base} RPU${workgroup.maxCapacity ? `, max ${workgroup.maxCapacity} RPU` : ', no max set'}`],
    ['public', workgroup.publiclyAccessible ? 'yes' : 'no'],
    ['roles', namespace ? namespaceRoles(namespace) : `unknown: no namespace ${workgroup.namespaceName}`],
    [
      'usage limit',
      limits.length === 0
        ? 'none: nothing caps the bill (create --serverless adds one)'
        : limits.map((l) => `${l.amount} RPU-hours ${l.period}, then ${l.breachAction}`).join('; '),
    ],
    [
      'cost',
      `${formatUsd(USD_PER_RPU_HOUR, 3)} per RPU-hour at ${RPU_PRICE_RECORDED} prices: at least ${formatUsd(base * USD_PER_RPU_HOUR)} per hour of work at base capacity, ` +
        'billed per second (60 s minimum); nothing while idle apart from storage',
    ],
  ];
  return rows.map(([label, value]) => `${label.padEnd(12)}${value}`);
}

/**
 * The namespace's default role first, then the others. iamRoles are strings, sometimes
 * "IamRole(applyStatus=…, iamRoleArn=<arn>)" rather than the bare ARN (see ../role-users.ts).
 */
function namespaceRoles(namespace: Namespace): string {
  const arns = (namespace.iamRoles ?? []).map((text) => /iamRoleArn=([^,)\s]+)/.exec(text)?.[1] ?? text);
  const others = arns.filter((arn) => arn !== namespace.defaultIamRoleArn);
  return rolesLine([...(namespace.defaultIamRoleArn ? [`${namespace.defaultIamRoleArn} (default)`] : []), ...others]);
}

/** Serverless has nothing to pause: it scales to zero by itself. */
export function explainPause(verb: 'pause' | 'resume', settings: ServerlessSettings, deps: ClusterDeps): void {
  deps.out(
    `Nothing to ${verb}: Redshift Serverless workgroup ${settings.workgroup} scales to zero by itself and bills no compute while idle ` +
      '(storage is still billed). It starts again at the next query.',
  );
}

export async function waitForWorkgroup(
  settings: ServerlessSettings,
  options: { dryRun: boolean; maxWaitSeconds: number },
  deps: ClusterDeps,
): Promise<void> {
  if (options.dryRun) {
    const when = `repeated until AVAILABLE, for up to ${Math.round(options.maxWaitSeconds / 60)} min`;
    printPlan(
      'wait --serverless',
      [{ service: 'redshift-serverless', action: 'GetWorkgroup', input: { workgroupName: settings.workgroup }, when }],
      deps.out,
      settings.secrets,
    );
    return;
  }
  if (!(await findWorkgroup(deps.serverless, settings.workgroup))) {
    throw new CloudError(
      `There is no workgroup "${settings.workgroup}" in ${settings.region}. Create it with npm run cluster -- create --serverless.`,
    );
  }
  await pollWorkgroup(deps, settings.workgroup, 'AVAILABLE', options.maxWaitSeconds);
  deps.out(`Workgroup ${settings.workgroup} is available.`);
}

export async function printWorkgroupEndpoint(
  settings: ServerlessSettings,
  options: { dryRun: boolean },
  deps: ClusterDeps,
): Promise<void> {
  if (options.dryRun) {
    printPlan(
      'endpoint --serverless',
      [{ service: 'redshift-serverless', action: 'GetWorkgroup', input: { workgroupName: settings.workgroup } }],
      deps.out,
      settings.secrets,
    );
    return;
  }
  const workgroup = await findWorkgroup(deps.serverless, settings.workgroup);
  if (!workgroup)
    throw new CloudError(
      `There is no workgroup "${settings.workgroup}" in ${settings.region}. Create it with npm run cluster -- create --serverless.`,
    );
  const endpoint = workgroupEndpoint(workgroup);
  if (!endpoint)
    throw new CloudError(
      `Workgroup "${settings.workgroup}" has no endpoint yet (it is ${workgroup.status}). Run npm run cluster -- wait --serverless, then ask again.`,
    );
  deps.out(`${endpoint.host}:${endpoint.port}`);
}
