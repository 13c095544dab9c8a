// Where a workgroup may be placed. AWS, "Considerations when using Amazon Redshift
// Serverless" (https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-usage-considerations.html):
// at least three subnets spanning three Availability Zones; in US West (N. California),
// which has two zones, three subnets spanning those two. create --serverless checks this
// before it makes the role and the namespace, so a refusal leaves nothing behind.
import { CloudError } from '../../errors';

export function checkWorkgroupSubnets(
  subnets: Array<{ id: string; zone?: string }>,
  region: string,
  vpcId: string,
  instead: string,
): void {
  const zones = new Set(subnets.map((s) => s.zone).filter(Boolean));
  const zonesNeeded = region === 'us-west-1' ? 2 : 3;
  if (subnets.length >= 3 && zones.size >= zonesNeeded) return;
  throw new CloudError(
    `A Redshift Serverless workgroup needs at least 3 subnets in ${zonesNeeded} Availability Zones; the default VPC ${vpcId} has ` +
      `${subnets.length} subnet${subnets.length === 1 ? '' : 's'} in ${zones.size} zone${zones.size === 1 ? '' : 's'} (${[...zones].join(', ') || 'none reported'}). ` +
      `Add default subnets (aws ec2 create-default-subnet --availability-zone <zone>), or ${instead}.`,
  );
}
