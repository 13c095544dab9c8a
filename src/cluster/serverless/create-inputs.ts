// The inputs of CreateNamespace, CreateWorkgroup and CreateUsageLimit, shared by create --serverless and its dry-run plan.
import type {
  CreateNamespaceCommandInput,
  CreateUsageLimitCommandInput,
  CreateWorkgroupCommandInput,
} from '@aws-sdk/client-redshift-serverless';
import { MANAGED_BY_TAG } from '../deps';
import type { ServerlessSettings } from './settings';

const TAGS = [{ key: MANAGED_BY_TAG.Key, value: MANAGED_BY_TAG.Value }];

export function createNamespaceInput(settings: ServerlessSettings, roleArn: string): CreateNamespaceCommandInput {
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

export function createWorkgroupInput(
  settings: ServerlessSettings,
  subnetIds: string[],
  access: { public: boolean; groupId?: string },
): CreateWorkgroupCommandInput {
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

export function createUsageLimitInput(
  settings: ServerlessSettings,
  workgroupArn: string,
): CreateUsageLimitCommandInput {
  return {
    resourceArn: workgroupArn,
    usageType: 'serverless-compute',
    amount: settings.usageLimit.rpuHours,
    period: settings.usageLimit.period,
    breachAction: settings.usageLimit.breachAction,
  };
}
