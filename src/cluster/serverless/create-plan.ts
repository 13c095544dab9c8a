// The dry-run plan of `create --serverless`: each AWS call it would make, in order, with its input.
import { accessGroupName, createGroupInput, ingressInput } from '../access';
import type { PlanStep } from '../dry-run';
import { DEFAULT_VPC_FILTER, subnetsInput } from '../network';
import type { readPolicy } from '../policies';
import { createRoleInput, readPolicySteps, updateTrustInput } from '../role';
import { createNamespaceInput, createUsageLimitInput, createWorkgroupInput } from './create-inputs';
import { DEFAULT_BASE_RPU, type ServerlessSettings, SMALLEST_BASE_RPU } from './settings';

export function planCreate(
  settings: ServerlessSettings,
  policy: ReturnType<typeof readPolicy>,
  options: { public: boolean; maxWaitSeconds: number },
  cidr: string,
  envFile: string,
): PlanStep[] {
  const roleArn = `<ARN of role ${settings.roleName}>`;
  const groupId = `<id of security group ${accessGroupName(settings.workgroup)}>`;
  const steps: PlanStep[] = [
    {
      service: 'redshift-serverless',
      action: 'GetWorkgroup',
      input: { workgroupName: settings.workgroup },
      when: 'if it exists: bring the role and its association to the settings (GetRole, GetRolePolicy, PutRolePolicy, UpdateAssumeRolePolicy, GetNamespace, UpdateNamespace, each only if it differs), wait and write .env',
    },
    {
      service: 'ec2',
      action: 'DescribeVpcs',
      input: DEFAULT_VPC_FILTER,
      when: 'refuses when the region has no default VPC',
    },
    {
      service: 'ec2',
      action: 'DescribeSubnets',
      input: subnetsInput('<default VPC id>'),
      when: 'refuses fewer than 3 subnets in 3 Availability Zones',
    },
    { service: 'iam', action: 'GetRole', input: { RoleName: settings.roleName } },
    {
      service: 'iam',
      action: 'CreateRole',
      input: createRoleInput(settings.roleName, 'serverless'),
      when: 'if the role does not exist',
    },
    {
      service: 'iam',
      action: 'UpdateAssumeRolePolicy',
      input: updateTrustInput(settings.roleName),
      when: 'if the existing role does not trust Redshift Serverless yet',
    },
    ...readPolicySteps(settings.roleName, policy),
    { service: 'redshift-serverless', action: 'GetNamespace', input: { namespaceName: settings.namespace } },
    {
      service: 'redshift-serverless',
      action: 'CreateNamespace',
      input: createNamespaceInput(settings, roleArn),
      when: 'if it does not exist; retried for up to 3 min while IAM propagates a new role',
    },
  ];
  steps.push(
    {
      service: 'ec2',
      action: 'CreateSecurityGroup',
      input: createGroupInput(settings.workgroup, '<default VPC id>'),
      when: 'if the group does not exist',
    },
    options.public
      ? { service: 'ec2', action: 'AuthorizeSecurityGroupIngress', input: ingressInput(groupId, settings.port, cidr) }
      : {
          service: 'ec2',
          action: 'AuthorizeSecurityGroupIngress',
          input: ingressInput(groupId, settings.port, "<the default VPC's CIDR>", 'Redshift from inside its VPC'),
        },
  );
  steps.push(
    ...(settings.baseRpuChosen
      ? ([
          {
            service: 'redshift-serverless',
            action: 'CreateWorkgroup',
            input: createWorkgroupInput(settings, ['<subnet ids of the default VPC>'], {
              public: options.public,
              groupId,
            }),
          },
        ] as PlanStep[])
      : ([
          {
            service: 'redshift-serverless',
            action: 'CreateWorkgroup',
            input: createWorkgroupInput(
              { ...settings, baseRpu: SMALLEST_BASE_RPU },
              ['<subnet ids of the default VPC>'],
              { public: options.public, groupId },
            ),
          },
          {
            service: 'redshift-serverless',
            action: 'CreateWorkgroup',
            input: createWorkgroupInput(
              { ...settings, baseRpu: DEFAULT_BASE_RPU },
              ['<subnet ids of the default VPC>'],
              { public: options.public, groupId },
            ),
            when: `if the region does not offer ${SMALLEST_BASE_RPU} RPU`,
          },
        ] as PlanStep[])),
    {
      service: 'redshift-serverless',
      action: 'ListUsageLimits',
      input: { resourceArn: '<workgroup ARN>', usageType: 'serverless-compute' },
    },
    {
      service: 'redshift-serverless',
      action: 'CreateUsageLimit',
      input: createUsageLimitInput(settings, '<workgroup ARN>'),
      when: 'if the workgroup has none',
    },
    {
      service: 'redshift-serverless',
      action: 'GetWorkgroup',
      input: { workgroupName: settings.workgroup },
      when: `repeated until AVAILABLE, for up to ${Math.round(options.maxWaitSeconds / 60)} min`,
    },
    {
      note: `write REDSHIFT_HOST, REDSHIFT_PORT, REDSHIFT_DEPLOYMENT and REDSHIFT_IAM_ROLE_ARN into ${envFile}, keeping its other lines`,
    },
  );
  return steps;
}
