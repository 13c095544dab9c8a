// The default VPC, which both the cluster subnet group and the --public security group
// live in. A region without one gets a refusal that names what to create or set.
import { DescribeSubnetsCommand, DescribeVpcsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { CloudError } from '../errors';

export const DEFAULT_VPC_FILTER = { Filters: [{ Name: 'is-default', Values: ['true'] }] };

export function subnetsInput(vpcId: string) {
  return { Filters: [{ Name: 'vpc-id', Values: [vpcId] }] };
}

/** The default VPC's id; `instead` names what the user can set instead of creating one. */
export async function defaultVpcId(ec2: EC2Client, instead: string): Promise<string> {
  return (await defaultVpc(ec2, instead)).id;
}

/** The default VPC's id and its IPv4 range (what "inside the VPC" means for a security group). */
export async function defaultVpc(ec2: EC2Client, instead: string): Promise<{ id: string; cidr?: string }> {
  const vpcs = await ec2.send(new DescribeVpcsCommand(DEFAULT_VPC_FILTER));
  const vpc = vpcs.Vpcs?.[0];
  if (!vpc?.VpcId) throw noDefaultVpc(instead);
  return { id: vpc.VpcId, cidr: vpc.CidrBlock };
}

/** The ids of the default VPC's subnets (at most 20: the API's limit per request). */
export async function defaultSubnetIds(ec2: EC2Client, vpcId: string, instead: string): Promise<string[]> {
  return (await defaultSubnets(ec2, vpcId, instead)).map((s) => s.id);
}

/** The default VPC's subnets with their Availability Zones, by id (at most 20). */
export async function defaultSubnets(
  ec2: EC2Client,
  vpcId: string,
  instead: string,
): Promise<Array<{ id: string; zone?: string }>> {
  const answer = await ec2.send(new DescribeSubnetsCommand(subnetsInput(vpcId)));
  const subnets = (answer.Subnets ?? [])
    .filter((s): s is typeof s & { SubnetId: string } => Boolean(s.SubnetId))
    .map((s) => ({ id: s.SubnetId, zone: s.AvailabilityZone }))
    .sort((a, b) => a.id.localeCompare(b.id));
  if (subnets.length === 0) {
    throw new CloudError(
      `The default VPC ${vpcId} has no subnets. Create one (aws ec2 create-default-subnet --availability-zone <zone>), or ${instead}.`,
    );
  }
  return subnets.slice(0, 20);
}

function noDefaultVpc(instead: string): CloudError {
  return new CloudError(`This region has no default VPC. Create one (aws ec2 create-default-vpc), or ${instead}.`);
}
