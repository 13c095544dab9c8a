// Starts the Redshift stand-in: a TLS PostgreSQL-wire listener on loopback in front of a real
// PostgreSQL database, with, for IAM auth, a fake AWS endpoint that issues the temporary
// credentials it then accepts. See README.md beside this file for what it does and does not prove.
import crypto from 'node:crypto';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { installCatalog, reserveIdBlock } from './catalog';
import { s3Reader } from './copy';
import type { Deployment, LoggedStatement, StandinContext } from './context';
import { startFakeAws, type FakeAws } from './fake-aws';
import { Session } from './session';
import { makeCertificates } from './tls';

export type { Deployment, LoggedStatement } from './context';

export interface StandinOptions {
  deployment: Deployment;
  auth: 'password' | 'iam';
  /** The real PostgreSQL database behind it. */
  backing: pg.ClientConfig;
  /** The S3 endpoint COPY reads (s3rver), path-style. */
  s3Endpoint: string;
  /** The database name clients connect to (default "dev", Redshift's first database). */
  database?: string;
  /** The cluster id (provisioned) or workgroup (Serverless) IAM credentials are issued for. */
  resource?: string;
  /** Password auth: the master user, a superuser as on Redshift (default "awsuser"). */
  user?: string;
  /** IAM auth: the caller's IAM name; its database user "IAM:<name>" is not a superuser. */
  iamCaller?: string;
  /** Serverless lookups the fake AWS endpoint answers (see fake-aws.ts). */
  serverless?: Parameters<typeof startFakeAws>[0]['serverless'];
}

export interface RedshiftStandin {
  host: string;
  port: number;
  database: string;
  /** Password auth: the user and the password it accepts. */
  user?: string;
  password?: string;
  /** The CA to trust (NODE_EXTRA_CA_CERTS). */
  caFile: string;
  aws?: FakeAws;
  /** Every statement clients sent, in order. */
  statements: LoggedStatement[];
  /** The environment that points the tool at this stand-in. */
  env: Record<string, string>;
  /** The admin connection to the backing database (for planting rows in the system logs). */
  admin: pg.Client;
  stop(): Promise<void>;
}

export async function startRedshiftStandin(options: StandinOptions): Promise<RedshiftStandin> {
  const certificates = makeCertificates();
  const database = options.database ?? 'dev';
  const resource = options.resource ?? 'sparkify-standin';
  const user = options.user ?? 'awsuser';
  const password = `Pw1-${crypto.randomBytes(12).toString('base64url')}`;
  const admin = new pg.Client(options.backing);
  await admin.connect();
  await installCatalog(admin);
  const iam = options.auth === 'iam';
  // The fake AWS endpoint issues IAM credentials, and answers Serverless lookups (cluster status).
  const aws =
    iam || options.serverless
      ? await startFakeAws({ resource, callerName: options.iamCaller ?? 'tester', serverless: options.serverless })
      : undefined;
  const s3 = new S3Client({
    region: 'us-east-1',
    endpoint: options.s3Endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  // Ids no other stand-in on this backing database uses, as on one Redshift cluster.
  const idBlock = await reserveIdBlock(admin);
  let sessionCounter = idBlock;
  let queryCounter = idBlock;
  const userIds = new Map<string, number>();
  const context: StandinContext = {
    deployment: options.deployment,
    database,
    auth: {
      candidates: (name, db) => {
        if (db !== database) return [];
        if (!iam || !aws) return name === user ? [password] : [];
        const now = Date.now();
        return aws.issued
          .filter((c) => c.user === name && c.database === db && c.expiresAt.getTime() > now)
          .map((c) => c.password);
      },
    },
    backing: options.backing,
    admin,
    tls: { key: certificates.key, cert: certificates.cert },
    s3: s3Reader(s3),
    superusers: new Set(iam ? [] : [user]),
    log: [],
    sessions: new Set(),
    nextSessionId: () => ++sessionCounter,
    nextQueryId: () => ++queryCounter,
    userId: (name) => userIds.get(name) ?? userIds.set(name, 100 + userIds.size).get(name)!,
  };
  const server = net.createServer((socket) => new Session(socket, context));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const env: Record<string, string> = {
    WAREHOUSE_TARGET: 'redshift',
    REDSHIFT_HOST: '127.0.0.1',
    REDSHIFT_PORT: String(port),
    REDSHIFT_DB: database,
    REDSHIFT_DEPLOYMENT: options.deployment,
    REDSHIFT_AUTH: options.auth,
    NODE_EXTRA_CA_CERTS: certificates.caFile,
    AWS_REGION: 'us-west-2',
  };
  if (aws) {
    Object.assign(env, {
      AWS_ENDPOINT_URL_REDSHIFT: aws.endpoint,
      AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS: aws.endpoint,
      AWS_ACCESS_KEY_ID: 'AKIASTANDINTESTKEY00',
      AWS_SECRET_ACCESS_KEY: 'standin-secret-not-real',
      ...(options.deployment === 'serverless' ? { REDSHIFT_WORKGROUP: resource } : { REDSHIFT_CLUSTER_ID: resource }),
    });
  }
  if (!iam) Object.assign(env, { REDSHIFT_USER: user, REDSHIFT_PASSWORD: password });
  return {
    host: '127.0.0.1',
    port,
    database,
    ...(iam ? {} : { user, password }),
    caFile: certificates.caFile,
    aws,
    statements: context.log,
    env,
    admin,
    async stop() {
      for (const session of [...context.sessions]) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await aws?.stop();
      s3.destroy();
      await admin.end();
      certificates.remove();
    },
  };
}
