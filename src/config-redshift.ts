// The Redshift connection as the environment sets it: REDSHIFT_HOST, _PORT, _DB and the
// database user, by password or IAM (REDSHIFT_AUTH), each checked with a message that
// says what to set.
import { type AwsIdentity, awsIdentityFrom } from './aws-access';
import { ConfigError } from './errors';
import { missing } from './config-values';

export interface RedshiftConnection {
  host: string;
  port: number;
  /** REDSHIFT_CONNECT_TIMEOUT: seconds to wait for the server's first answer before giving up with a hint. */
  connectTimeoutSeconds: number;
  database: string;
  /** The database user of REDSHIFT_AUTH=password; with iam, AWS names the user. */
  user: string;
  /** Set with REDSHIFT_AUTH=password only. */
  password?: string;
  /** REDSHIFT_AUTH=iam: temporary credentials are fetched at connect time instead. */
  iam?: IamDatabaseAuth;
}

/** Where temporary database credentials come from (GetCredentials / GetClusterCredentialsWithIAM). */
export type IamDatabaseAuth = AwsAccess &
  ({ deployment: 'serverless'; workgroup: string } | { deployment: 'provisioned'; clusterId: string });

/** What an AWS SDK client needs: the region, and a profile or keys when .env names them. */
export interface AwsAccess extends AwsIdentity {
  region: string;
}

export function redshiftConnection(env: NodeJS.ProcessEnv, region: string | undefined): RedshiftConnection {
  const host = env.REDSHIFT_HOST;
  if (!host)
    throw missing(
      'REDSHIFT_HOST',
      'the cluster endpoint, e.g. sparkify.abc123.us-west-2.redshift.amazonaws.com (npm run cluster -- create writes it)',
    );
  if (/[\s/:]/.test(host))
    throw new ConfigError(`REDSHIFT_HOST must be a bare host name, without scheme, port or path; got "${host}".`);
  const portText = env.REDSHIFT_PORT || '5439';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(
      `REDSHIFT_PORT must be a port number from 1 to 65535 (Redshift's default is 5439); got "${portText}".`,
    );
  }
  const database = env.REDSHIFT_DB;
  if (!database) throw missing('REDSHIFT_DB', 'the database name, e.g. sparkify');
  const connectTimeoutSeconds = connectTimeout(env.REDSHIFT_CONNECT_TIMEOUT);
  if (redshiftAuth(env) === 'iam')
    return {
      host,
      port,
      connectTimeoutSeconds,
      database,
      user: env.REDSHIFT_USER || '(from IAM)',
      iam: iamDatabaseAuth(env, region),
    };
  const user = env.REDSHIFT_USER;
  if (!user) throw missing('REDSHIFT_USER', 'the database user, e.g. awsuser');
  const password = env.REDSHIFT_PASSWORD;
  if (!password) throw missing('REDSHIFT_PASSWORD', "the database user's password");
  return { host, port, connectTimeoutSeconds, database, user, password };
}

/** Seconds; the default is long enough for a resumed cluster's first TLS handshake, short enough to beat the OS's minutes-long TCP timeout. */
const DEFAULT_CONNECT_TIMEOUT_SECONDS = 20;

function connectTimeout(text: string | undefined): number {
  if (!text) return DEFAULT_CONNECT_TIMEOUT_SECONDS;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > 600)
    throw new ConfigError(`REDSHIFT_CONNECT_TIMEOUT is in seconds, more than 0 and up to 600; got "${text}".`);
  return value;
}

/** REDSHIFT_AUTH: iam is the default on Serverless (REDSHIFT_DEPLOYMENT=serverless), password elsewhere. */
function redshiftAuth(env: NodeJS.ProcessEnv): 'iam' | 'password' {
  const fallback = (env.REDSHIFT_DEPLOYMENT || '').toLowerCase() === 'serverless' ? 'iam' : 'password';
  const auth = (env.REDSHIFT_AUTH || fallback).toLowerCase();
  if (auth !== 'iam' && auth !== 'password')
    throw new ConfigError(`REDSHIFT_AUTH must be iam or password; got "${env.REDSHIFT_AUTH}".`);
  return auth;
}

function iamDatabaseAuth(env: NodeJS.ProcessEnv, region: string | undefined): IamDatabaseAuth {
  if (!region)
    throw missing(
      'AWS_REGION',
      'the region of the Redshift endpoint, e.g. us-west-2 (REDSHIFT_AUTH=iam asks AWS there for database credentials)',
    );
  const access: AwsAccess = { region, ...awsIdentityFrom(env) };
  if ((env.REDSHIFT_DEPLOYMENT || '').toLowerCase() === 'serverless')
    return { ...access, deployment: 'serverless', workgroup: env.REDSHIFT_WORKGROUP || 'sparkify' };
  return { ...access, deployment: 'provisioned', clusterId: env.REDSHIFT_CLUSTER_ID || 'sparkify-warehouse' };
}
