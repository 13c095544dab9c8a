// The dry-run plan of `create`: each AWS call it would make, in order, with its input.
import { accessGroupName, createGroupInput, ingressInput } from './access';
import { associateRoleInput, makePublicInput } from './converge';
import { type Master, createClusterInput } from './create-input';
import { describeInput } from './describe';
import type { PlanStep } from './dry-run';
import { DEFAULT_VPC_FILTER, subnetsInput } from './network';
import type { readPolicy } from './policies';
import { createRoleInput, readPolicySteps, updateTrustInput } from './role';
import type { ClusterSettings } from './settings';
import { createSubnetGroupInput, subnetGroupName } from './subnet-group';

export function planCreate(
  settings: ClusterSettings,
  master: Master,
  policy: ReturnType<typeof readPolicy>,
  options: { public: boolean; maxWaitSeconds: number },
  cidr: string,
  envFile: string,
): PlanStep[] {
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
    {
      service: 'iam',
      action: 'CreateRole',
      input: createRoleInput(settings.roleName),
      when: 'if the role does not exist',
    },
    ...readPolicySteps(settings.roleName, policy),
    {
      service: 'iam',
      action: 'UpdateAssumeRolePolicy',
      input: updateTrustInput(settings.roleName, 'provisioned'),
      when: 'if the existing role does not trust Redshift',
    },
  ];
  steps.push(
    {
      service: 'redshift',
      action: 'ModifyClusterIamRoles',
      input: associateRoleInput(settings.clusterId, roleArn),
      when: 'existing cluster: if the role is ours and not associated',
    },
    ...(options.public
      ? ([
          {
            service: 'ec2',
            action: 'RevokeSecurityGroupIngress',
            input: { GroupId: groupId, IpPermissions: ['<ranges other than the one allowed now>'] },
            when: 'existing cluster: ranges our group opened before',
          },
          {
            service: 'redshift',
            action: 'ModifyCluster',
            input: makePublicInput(settings.clusterId, ['<its security groups>', groupId as string]),
            when: 'existing cluster: if it is private',
          },
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
      {
        service: 'ec2',
        action: 'DescribeVpcs',
        input: DEFAULT_VPC_FILTER,
        when: 'refuses when the region has no default VPC',
      },
      { service: 'ec2', action: 'DescribeSubnets', input: subnetsInput('<default VPC id>') },
      {
        service: 'redshift',
        action: 'CreateClusterSubnetGroup',
        input: createSubnetGroupInput(settings.clusterId, ['<subnet ids of the default VPC>']),
        when: 'if it does not exist',
      },
    );
  }
  if (options.public) {
    steps.push(
      {
        service: 'ec2',
        action: 'DescribeSecurityGroups',
        input: { Filters: [{ Name: 'group-name', Values: [accessGroupName(settings.clusterId)] }] },
      },
      {
        service: 'ec2',
        action: 'CreateSecurityGroup',
        input: createGroupInput(settings.clusterId, '<VPC id of the subnet group>'),
        when: 'if the group does not exist',
      },
      {
        service: 'ec2',
        action: 'AuthorizeSecurityGroupIngress',
        input: ingressInput(groupId as string, settings.port, cidr),
      },
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
