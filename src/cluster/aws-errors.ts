// Turns what the AWS SDK throws into one line that says what happened and what to do.
// SDK errors carry their code in `name`; services differ in suffix (AccessDenied vs
// AccessDeniedException, InvalidClusterState vs InvalidClusterStateFault), so the suffix
// is dropped before matching.
import { CloudError, WarehouseError, redact } from '../errors';

export interface ErrorContext {
  clusterId: string;
  region: string;
  secrets: string[];
}

type Explain = (awsMessage: string, context: ErrorContext) => string;

const EXPLAIN: Record<string, Explain> = {
  AccessDenied: (m) =>
    `AWS denied access: ${m}. Grant your IAM identity that permission, or set AWS_PROFILE to a profile that has it.`,
  UnauthorizedOperation: (m) =>
    `AWS denied access: ${m}. Grant your IAM identity that permission, or set AWS_PROFILE to a profile that has it.`,
  ClusterAlreadyExists: (_, c) =>
    `A cluster named "${c.clusterId}" already exists in ${c.region}. See it with npm run cluster -- status, or set REDSHIFT_CLUSTER_ID to another name.`,
  InvalidClusterState: (m, c) =>
    `Cluster "${c.clusterId}" cannot do that in its current state (${m}). Check npm run cluster -- status, let it settle (npm run cluster -- wait) and retry.`,
  ClusterQuotaExceeded: (m) =>
    `Your account's Redshift cluster quota is used up (${m}). Delete a cluster you no longer use, or request a higher quota in Service Quotas.`,
  NumberOfNodesQuotaExceeded: (m) =>
    `Your account's Redshift node quota is used up (${m}). Lower REDSHIFT_NODE_COUNT, delete a cluster, or request a higher quota in Service Quotas.`,
  Throttling: () => 'AWS is throttling requests (the SDK already retried). Wait a minute and run the command again.',
  RequestLimitExceeded: () =>
    'AWS is throttling requests (the SDK already retried). Wait a minute and run the command again.',
  TooManyRequests: () =>
    'AWS is throttling requests (the SDK already retried). Wait a minute and run the command again.',
  ExpiredToken: () =>
    'Your AWS session has expired. Refresh your credentials (e.g. aws sso login, or new temporary keys) and run the command again.',
  RequestExpired: () =>
    'Your AWS session has expired. Refresh your credentials (e.g. aws sso login, or new temporary keys) and run the command again.',
  CredentialsProvider: () =>
    'No AWS credentials found. Set AWS_PROFILE to a configured profile (aws configure / aws sso login), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; --dry-run needs none.',
  InvalidClientTokenId: () =>
    'AWS does not recognise these credentials. Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE.',
  UnrecognizedClient: () =>
    'AWS does not recognise these credentials. Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE.',
  AuthFailure: () =>
    'AWS does not recognise these credentials. Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE.',
  SignatureDoesNotMatch: () =>
    'AWS rejected the request signature: the secret key does not match the key id. Check AWS_SECRET_ACCESS_KEY, or AWS_PROFILE.',
  ClusterNotFound: (_, c) =>
    `There is no cluster "${c.clusterId}" in ${c.region}. Create it with npm run cluster -- create, or check REDSHIFT_CLUSTER_ID and AWS_REGION.`,
  // Redshift Serverless codes (its errors end in Exception, dropped before matching).
  Conflict: (m) =>
    `AWS refused because the resource is busy or already exists in another form (${m}). Check npm run cluster -- status --serverless, wait a minute and run the command again.`,
  ServiceQuotaExceeded: (m) =>
    `Your account's Redshift Serverless quota is used up (${m}). Delete a workgroup or namespace you no longer use, lower REDSHIFT_BASE_RPU, or request a higher quota in Service Quotas.`,
  ResourceNotFound: (m) =>
    `AWS found no such resource (${m}). Check REDSHIFT_WORKGROUP, REDSHIFT_NAMESPACE and AWS_REGION, or create it with npm run cluster -- create --serverless.`,
  Validation: (m) => `AWS rejected a setting: ${m}. Fix the REDSHIFT_* value it names in .env.`,
  InsufficientCapacity: (m) =>
    `AWS has no capacity for this request right now (${m}). Try again later, or another AWS_REGION.`,
  InvalidParameterValue: (m) => `AWS rejected a setting: ${m}. Fix the REDSHIFT_* value it names in .env.`,
  InvalidParameterCombination: (m) =>
    `AWS rejected a combination of settings: ${m}. Fix the REDSHIFT_* values it names in .env.`,
};

const NETWORK_CODES = ['ENOTFOUND', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'ENETUNREACH'];

/** The SDK error's code without its service's suffix: InvalidClusterStateFault → InvalidClusterState. */
export function errorCode(error: unknown): string {
  const e = error as { name?: string; Code?: string; code?: string };
  const raw = (e?.name && e.name !== 'Error' ? e.name : (e?.Code ?? e?.code ?? e?.name)) ?? 'Unknown';
  return String(raw).replace(/(Fault|Exception|Error)$/, '');
}

export function translateAwsError(error: unknown, context: ErrorContext): WarehouseError {
  if (error instanceof WarehouseError) return error;
  const code = errorCode(error);
  const awsMessage = oneLine(String((error as Error)?.message ?? error)).replace(/\.$/, '');
  const explain = EXPLAIN[code];
  let message: string;
  if (explain) message = explain(awsMessage, context);
  else if (NETWORK_CODES.includes(code) || NETWORK_CODES.includes((error as { code?: string })?.code ?? '')) {
    message = `Cannot reach AWS (${awsMessage}). Check the network, a proxy, or AWS_REGION (${context.region}).`;
  } else message = `AWS call failed with ${code}: ${awsMessage}.`;
  return new CloudError(redact(message, context.secrets));
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
