// REDSHIFT_AUTH=iam: temporary database credentials from IAM, fetched when knex opens a
// connection and fetched again before they expire, so no password sits in .env.
// - Serverless: GetCredentials on the workgroup
//   (https://docs.aws.amazon.com/redshift-serverless/latest/APIReference/API_GetCredentials.html).
// - Provisioned: GetClusterCredentialsWithIAM
//   (https://docs.aws.amazon.com/redshift/latest/APIReference/API_GetClusterCredentialsWithIAM.html).
// Both map the caller's IAM identity to a database user and accept 900-3600 seconds.
import { identityConfig } from '../aws-access';
import type { AwsAccess, IamDatabaseAuth } from '../config-redshift';
import { CloudError } from '../errors';
import { connectTimeoutMs } from './connect-failure';

const CREDENTIAL_SECONDS = 3600;
/** Fetch new credentials this long before the old ones expire. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export interface DatabaseCredentials {
  user: string;
  password: string;
  expiresAt: Date;
}

export async function fetchDatabaseCredentials(
  auth: IamDatabaseAuth,
  database: string,
  now: () => Date = () => new Date(),
): Promise<DatabaseCredentials> {
  const fallbackExpiry = new Date(now().getTime() + CREDENTIAL_SECONDS * 1000);
  try {
    // The AWS SDK is loaded here, not at the top: every command imports this file through
    // knex-config.ts, and only REDSHIFT_AUTH=iam needs the SDK (loading it costs each start).
    if (auth.deployment === 'serverless') {
      const { GetCredentialsCommand, RedshiftServerlessClient } = await import('@aws-sdk/client-redshift-serverless');
      const answer = await new RedshiftServerlessClient(clientConfig(auth)).send(
        new GetCredentialsCommand({
          workgroupName: auth.workgroup,
          dbName: database,
          durationSeconds: CREDENTIAL_SECONDS,
        }),
      );
      return complete(answer.dbUser, answer.dbPassword, answer.expiration ?? fallbackExpiry, auth);
    }
    const { GetClusterCredentialsWithIAMCommand, RedshiftClient } = await import('@aws-sdk/client-redshift');
    const answer = await new RedshiftClient(clientConfig(auth)).send(
      new GetClusterCredentialsWithIAMCommand({
        ClusterIdentifier: auth.clusterId,
        DbName: database,
        DurationSeconds: CREDENTIAL_SECONDS,
      }),
    );
    return complete(answer.DbUser, answer.DbPassword, answer.Expiration ?? fallbackExpiry, auth);
  } catch (error) {
    if (error instanceof CloudError) throw error;
    throw new CloudError(
      `${cannotGet(auth)}: ${(error as Error).name}: ${String((error as Error).message).split('\n')[0]}. ${fixFor(auth)}`,
    );
  }
}

/** The knex connection provider: fresh credentials now, and again when they near expiry. */
export function iamConnectionProvider(
  r: { host: string; port: number; connectTimeoutSeconds: number; database: string; iam: IamDatabaseAuth },
  now: () => Date = () => new Date(),
) {
  return async () => {
    const credentials = await fetchDatabaseCredentials(r.iam, r.database, now);
    return {
      host: r.host,
      port: r.port,
      database: r.database,
      user: credentials.user,
      password: credentials.password,
      ssl: { rejectUnauthorized: true },
      connectionTimeoutMillis: connectTimeoutMs(r),
      expirationChecker: () => now().getTime() >= credentials.expiresAt.getTime() - REFRESH_MARGIN_MS,
    };
  };
}

function complete(
  user: string | undefined,
  password: string | undefined,
  expiresAt: Date,
  auth: IamDatabaseAuth,
): DatabaseCredentials {
  if (!user || !password)
    throw new CloudError(`${cannotGet(auth)}: AWS answered without a user or password. ${fixFor(auth)}`);
  return { user, password, expiresAt };
}

function clientConfig(access: AwsAccess) {
  return { region: access.region, ...identityConfig(access) };
}

function cannotGet(auth: IamDatabaseAuth): string {
  return `Could not get temporary database credentials (REDSHIFT_AUTH=iam) for ${auth.deployment === 'serverless' ? `workgroup ${auth.workgroup}` : `cluster ${auth.clusterId}`} in ${auth.region}`;
}

function fixFor(auth: IamDatabaseAuth): string {
  const action =
    auth.deployment === 'serverless' ? 'redshift-serverless:GetCredentials' : 'redshift:GetClusterCredentialsWithIAM';
  return `Check your AWS credentials (AWS_PROFILE or keys), that your identity may call ${action}, and ${auth.deployment === 'serverless' ? 'REDSHIFT_WORKGROUP' : 'REDSHIFT_CLUSTER_ID'}; or set REDSHIFT_AUTH=password.`;
}
