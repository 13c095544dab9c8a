// The input of CreateCluster, shared by create and its dry-run plan.
import type { CreateClusterCommandInput } from '@aws-sdk/client-redshift';
import { MANAGED_BY_TAG } from './deps';
import type { ClusterSettings } from './settings';

export interface Master {
  database: string;
  user: string;
  password: string;
}

interface Placement {
  public: boolean;
  subnetGroup: string;
  groupId?: string;
}

export function createClusterInput(
  settings: ClusterSettings,
  master: Master,
  roleArn: string,
  access: Placement,
): CreateClusterCommandInput {
  const multiNode = settings.nodeCount > 1;
  return {
    ClusterIdentifier: settings.clusterId,
    NodeType: settings.nodeType,
    ClusterType: multiNode ? 'multi-node' : 'single-node',
    ...(multiNode ? { NumberOfNodes: settings.nodeCount } : {}),
    DBName: master.database,
    MasterUsername: master.user,
    MasterUserPassword: master.password,
    Port: settings.port,
    IamRoles: [roleArn],
    Encrypted: true,
    PubliclyAccessible: access.public,
    ClusterSubnetGroupName: access.subnetGroup,
    ...(access.groupId ? { VpcSecurityGroupIds: [access.groupId] } : {}),
    Tags: [{ ...MANAGED_BY_TAG }],
  };
}
