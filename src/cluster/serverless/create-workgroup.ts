// CreateWorkgroup at the smallest base capacity the region allows, and the usage limit that caps the bill.
import {
  CreateUsageLimitCommand,
  CreateWorkgroupCommand,
  ListUsageLimitsCommand,
} from '@aws-sdk/client-redshift-serverless';
import { ConfigError } from '../../errors';
import type { ClusterDeps } from '../deps';
import { createUsageLimitInput, createWorkgroupInput } from './create-inputs';
import { DEFAULT_BASE_RPU, type ServerlessSettings, SMALLEST_BASE_RPU } from './settings';

/**
 * CreateWorkgroup at the smallest base capacity the region allows: with REDSHIFT_BASE_RPU
 * unset, 4 RPU first, and 8 (offered everywhere) when AWS refuses 4 as a base capacity.
 */
export async function createWorkgroup(
  settings: ServerlessSettings,
  subnetIds: string[],
  access: { public: boolean; groupId?: string },
  deps: ClusterDeps,
) {
  const send = (baseRpu: number) =>
    deps.serverless.send(new CreateWorkgroupCommand(createWorkgroupInput({ ...settings, baseRpu }, subnetIds, access)));
  if (settings.baseRpuChosen) return { created: await send(settings.baseRpu), baseRpu: settings.baseRpu };
  try {
    return { created: await send(SMALLEST_BASE_RPU), baseRpu: SMALLEST_BASE_RPU };
  } catch (error) {
    if ((error as Error).name !== 'ValidationException' || !/capacity|rpu/i.test((error as Error).message)) throw error;
    deps.out(
      `This region does not offer a base capacity of ${SMALLEST_BASE_RPU} RPU (${(error as Error).message}); using ${DEFAULT_BASE_RPU}.`,
    );
    return { created: await send(DEFAULT_BASE_RPU), baseRpu: DEFAULT_BASE_RPU };
  }
}

export async function ensureUsageLimit(
  settings: ServerlessSettings,
  workgroupArn: string | undefined,
  deps: ClusterDeps,
): Promise<void> {
  if (!workgroupArn)
    throw new ConfigError(
      `AWS did not return the ARN of workgroup ${settings.workgroup}. Run create --serverless again.`,
    );
  const limits = await deps.serverless.send(
    new ListUsageLimitsCommand({ resourceArn: workgroupArn, usageType: 'serverless-compute' }),
  );
  if ((limits.usageLimits ?? []).length > 0) return;
  await deps.serverless.send(new CreateUsageLimitCommand(createUsageLimitInput(settings, workgroupArn)));
  const { rpuHours, period, breachAction } = settings.usageLimit;
  deps.out(`Usage limit: ${rpuHours} RPU-hours ${period}, then ${breachAction}.`);
}
