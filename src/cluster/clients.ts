// The SDK clients of the cluster commands, built from the same identity as every other AWS
// client (src/aws-access.ts), with time limits: without them a request to an endpoint that
// accepts and never answers waits forever. Building a client needs no credentials: the SDK
// looks them up at the first call, which a dry run never makes.
import { RedshiftClient } from '@aws-sdk/client-redshift';
import { IAMClient } from '@aws-sdk/client-iam';
import { EC2Client } from '@aws-sdk/client-ec2';
import { RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import { awsIdentityFrom, identityConfig } from '../aws-access';
import type { ClusterClients } from './deps';

/** Milliseconds to open a connection to AWS, and to wait for an answer on it; each attempt is retried by the SDK. */
const AWS_TIMEOUTS = { connectionTimeout: 5_000, requestTimeout: 30_000 };

export function clusterClients(env: NodeJS.ProcessEnv, timeouts = AWS_TIMEOUTS, endpoint?: string): ClusterClients {
  const config = {
    region: env.AWS_REGION,
    ...identityConfig(awsIdentityFrom(env)),
    ...(endpoint ? { endpoint } : {}),
    // @smithy/node-http-handler: requestTimeout only warns unless throwOnRequestTimeout is set.
    requestHandler: { ...timeouts, throwOnRequestTimeout: true },
  };
  return {
    redshift: new RedshiftClient(config),
    iam: new IAMClient(config),
    ec2: new EC2Client(config),
    serverless: new RedshiftServerlessClient(config),
  };
}
