// Shapes of Redshift Serverless answers for the --serverless tests.
import { type Workgroup } from '@aws-sdk/client-redshift-serverless';

export const WORKGROUP_ARN = 'arn:aws:redshift-serverless:us-west-2:123456789012:workgroup/abc';
export const SERVERLESS_TAGS = [{ key: 'managed-by', value: 'sparkify-warehouse' }];
export const HOST = 'sparkify.123456789012.us-west-2.redshift-serverless.amazonaws.com';

export function workgroupIn(status: Workgroup['status'], extra: Partial<Workgroup> = {}): Workgroup {
  return {
    workgroupName: 'sparkify',
    namespaceName: 'sparkify',
    workgroupArn: WORKGROUP_ARN,
    status,
    baseCapacity: 8,
    publiclyAccessible: false,
    endpoint: { address: HOST, port: 5439 },
    ...extra,
  };
}
