// Who may reach a public cluster: one CIDR the user names, opened on the cluster's port
// only, through a security group of its own. Never the whole internet.
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { CloudError, UsageError } from '../errors';
import { errorCode } from './aws-errors';
import { MANAGED_BY_TAG, hasOurTag } from './deps';

/** Validates a CIDR (a bare address becomes /32 or /128) and refuses the whole internet. */
export function checkCidr(text: string): string {
  const value = text.trim();
  const [address, prefixText, extra] = value.split('/');
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  const v6 = !v4 && /^[0-9a-fA-F:]+$/.test(address) && address.includes(':');
  const badOctet = v4 && v4.slice(1).some((o) => Number(o) > 255);
  const maxPrefix = v4 ? 32 : 128;
  const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
  if (
    (!v4 && !v6) ||
    badOctet ||
    extra !== undefined ||
    !/^\d{1,3}$/.test(String(prefixText ?? maxPrefix)) ||
    prefix > maxPrefix
  ) {
    throw new UsageError(
      `--allow-cidr must be an address range such as 203.0.113.7/32 (your own address); got "${text}".`,
    );
  }
  // /0 is every address, whatever the address part says (0.0.0.0/0, ::/0, 10.0.0.0/0).
  if (prefix === 0) {
    throw new UsageError(
      `--allow-cidr ${value} would open the database port to the whole internet, which this tool refuses. Give your own address, e.g. 203.0.113.7/32.`,
    );
  }
  return `${address}/${prefix}`;
}

function isIpv6(cidr: string): boolean {
  return cidr.includes(':');
}

export function accessGroupName(clusterId: string): string {
  return `${clusterId}-access`;
}

export function createGroupInput(clusterId: string, vpcId: string) {
  return {
    GroupName: accessGroupName(clusterId),
    Description: `Inbound access to Redshift cluster ${clusterId} (npm run cluster)`,
    VpcId: vpcId,
    TagSpecifications: [
      {
        ResourceType: 'security-group' as const,
        Tags: [{ ...MANAGED_BY_TAG }, { Key: 'Name', Value: accessGroupName(clusterId) }],
      },
    ],
  };
}

export function ingressInput(
  groupId: string,
  port: number,
  cidr: string,
  why = 'Redshift from the address given to --allow-cidr',
) {
  const range = isIpv6(cidr)
    ? { Ipv6Ranges: [{ CidrIpv6: cidr, Description: why }] }
    : { IpRanges: [{ CidrIp: cidr, Description: why }] };
  return { GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: port, ToPort: port, ...range }] };
}

/** Finds or creates our group in the cluster's VPC, opens the port to `cidr`; returns the group id. */
export async function ensureAccessGroup(
  ec2: EC2Client,
  access: { clusterId: string; vpcId: string; port: number; cidr: string; why?: string },
  out: (line: string) => void,
): Promise<string> {
  const { clusterId, vpcId, port, cidr, why } = access;
  let groupId = (await findAccessGroup(ec2, clusterId, vpcId))?.GroupId;
  if (!groupId) {
    groupId = (await ec2.send(new CreateSecurityGroupCommand(createGroupInput(clusterId, vpcId)))).GroupId;
    if (!groupId)
      throw new CloudError(
        `EC2 did not return the id of security group ${accessGroupName(clusterId)}. Run create again.`,
      );
    out(`Created security group ${accessGroupName(clusterId)} (${groupId}).`);
  }
  try {
    await ec2.send(new AuthorizeSecurityGroupIngressCommand(ingressInput(groupId, port, cidr, why)));
    out(`Opened port ${port} to ${cidr} only.`);
  } catch (error) {
    if (errorCode(error) !== 'InvalidPermission.Duplicate') throw error;
    out(`Port ${port} was already open to ${cidr}.`);
  }
  return groupId;
}

/** Deletes our group after the cluster is gone; someone else's group of that name is kept. */
export async function removeAccessGroup(ec2: EC2Client, clusterId: string, out: (line: string) => void): Promise<void> {
  const group = await findAccessGroup(ec2, clusterId);
  if (!group?.GroupId || !hasOurTag(group.Tags)) return;
  await ec2.send(new DeleteSecurityGroupCommand({ GroupId: group.GroupId }));
  out(`Removed security group ${accessGroupName(clusterId)}.`);
}

export async function findAccessGroup(ec2: EC2Client, clusterId: string, vpcId?: string) {
  const filters = [{ Name: 'group-name', Values: [accessGroupName(clusterId)] }];
  if (vpcId) filters.push({ Name: 'vpc-id', Values: [vpcId] });
  const answer = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: filters }));
  return answer.SecurityGroups?.[0];
}
