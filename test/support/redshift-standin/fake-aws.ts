// The AWS API calls that hand out temporary database credentials, over HTTP on loopback, so
// the tool's SDK clients reach them through AWS_ENDPOINT_URL_REDSHIFT and
// AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS exactly as they reach AWS. Signatures are not checked
// (no real IAM here); the credentials issued are the only ones the stand-in's IAM mode accepts.
// - Provisioned: GetClusterCredentialsWithIAM, the awsQuery protocol (form body, XML answer)
//   (https://docs.aws.amazon.com/redshift/latest/APIReference/API_GetClusterCredentialsWithIAM.html):
//   DbUser is "IAM:" + the caller's name, DurationSeconds 900-3600 (default 900).
// - Serverless: GetCredentials, the awsJson1_1 protocol (X-Amz-Target: RedshiftServerless.GetCredentials)
//   (https://docs.aws.amazon.com/redshift-serverless/latest/APIReference/API_GetCredentials.html):
//   durationSeconds 900-3600 (default 900); expiration is a timestamp.
// Other Serverless calls answer from `serverless` (GetWorkgroup, GetNamespace, ListUsageLimits,
// ListTagsForResource), so `cluster -- status --serverless` can run against the stand-in.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface IssuedCredential {
  user: string;
  password: string;
  expiresAt: Date;
  /** The cluster or workgroup it was issued for. */
  resource: string;
  database: string;
}

export interface FakeAwsOptions {
  /** The only cluster id (provisioned) or workgroup name (Serverless) that exists. */
  resource: string;
  /** The caller's IAM name, which becomes the database user. */
  callerName: string;
  /** Answers for Serverless lookups; absent: ResourceNotFoundException. */
  serverless?: {
    workgroup?: Record<string, unknown>;
    namespace?: Record<string, unknown>;
    usageLimits?: Array<Record<string, unknown>>;
  };
}

export interface FakeAws {
  endpoint: string;
  issued: IssuedCredential[];
  /** Every call, by action name, in order. */
  calls: string[];
  stop(): Promise<void>;
}

export async function startFakeAws(options: FakeAwsOptions): Promise<FakeAws> {
  const issued: IssuedCredential[] = [];
  const calls: string[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const target = request.headers['x-amz-target'];
      const answer =
        typeof target === 'string'
          ? serverlessCall(target.split('.').pop()!, JSON.parse(body || '{}') as Record<string, unknown>)
          : queryCall(new URLSearchParams(body));
      response.writeHead(answer.status, { 'content-type': answer.type, 'x-amzn-requestid': crypto.randomUUID() });
      response.end(answer.body);
    });
  });

  function issue(resource: string, database: string, seconds: number, prefix: string): IssuedCredential {
    const credential = {
      user: `${prefix}${options.callerName}`,
      password: crypto.randomBytes(24).toString('base64url'),
      expiresAt: new Date(Date.now() + seconds * 1000),
      resource,
      database,
    };
    issued.push(credential);
    return credential;
  }

  function queryCall(form: URLSearchParams): Answer {
    const action = form.get('Action') ?? '';
    calls.push(action);
    if (action !== 'GetClusterCredentialsWithIAM')
      return xmlError(400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
    const cluster = form.get('ClusterIdentifier') ?? '';
    if (cluster !== options.resource) return xmlError(404, 'ClusterNotFound', `Cluster ${cluster} not found.`);
    const seconds = Number(form.get('DurationSeconds') ?? 900);
    if (!(seconds >= 900 && seconds <= 3600))
      return xmlError(400, 'InvalidParameterValue', 'DurationSeconds must be between 900 and 3600.');
    const c = issue(cluster, form.get('DbName') ?? '', seconds, 'IAM:');
    const xml =
      `<GetClusterCredentialsWithIAMResponse xmlns="http://redshift.amazonaws.com/doc/2012-12-01/"><GetClusterCredentialsWithIAMResult>` +
      `<DbUser>${c.user}</DbUser><DbPassword>${c.password}</DbPassword><Expiration>${c.expiresAt.toISOString()}</Expiration>` +
      `<NextRefreshTime>${c.expiresAt.toISOString()}</NextRefreshTime></GetClusterCredentialsWithIAMResult>` +
      `<ResponseMetadata><RequestId>${crypto.randomUUID()}</RequestId></ResponseMetadata></GetClusterCredentialsWithIAMResponse>`;
    return { status: 200, type: 'text/xml', body: xml };
  }

  function serverlessCall(action: string, input: Record<string, unknown>): Answer {
    calls.push(action);
    const notFound = (what: string) => jsonError(400, 'ResourceNotFoundException', `${what} not found`);
    switch (action) {
      case 'GetCredentials': {
        if (input.workgroupName !== options.resource) return notFound(`Workgroup ${String(input.workgroupName)}`);
        const seconds = Number(input.durationSeconds ?? 900);
        if (!(seconds >= 900 && seconds <= 3600))
          return jsonError(400, 'ValidationException', 'durationSeconds must be between 900 and 3600');
        const c = issue(options.resource, String(input.dbName ?? ''), seconds, 'IAM:');
        return json({
          dbUser: c.user,
          dbPassword: c.password,
          expiration: c.expiresAt.getTime() / 1000,
          nextRefreshTime: c.expiresAt.getTime() / 1000,
        });
      }
      case 'GetWorkgroup':
        return options.serverless?.workgroup && input.workgroupName === options.resource
          ? json({ workgroup: options.serverless.workgroup })
          : notFound('Workgroup');
      case 'GetNamespace':
        return options.serverless?.namespace
          ? json({ namespace: options.serverless.namespace })
          : notFound('Namespace');
      case 'ListUsageLimits':
        return json({ usageLimits: options.serverless?.usageLimits ?? [] });
      case 'ListTagsForResource':
        return json({ tags: [] });
      default:
        return jsonError(400, 'UnknownOperationException', `${action} is not emulated by the stand-in`);
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    issued,
    calls,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface Answer {
  status: number;
  type: string;
  body: string;
}

function json(value: unknown): Answer {
  return { status: 200, type: 'application/x-amz-json-1.1', body: JSON.stringify(value) };
}

function jsonError(status: number, code: string, message: string): Answer {
  return { status, type: 'application/x-amz-json-1.1', body: JSON.stringify({ __type: code, message }) };
}

function xmlError(status: number, code: string, message: string): Answer {
  return {
    status,
    type: 'text/xml',
    body: `<ErrorResponse xmlns="http://redshift.amazonaws.com/doc/2012-12-01/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${crypto.randomUUID()}</RequestId></ErrorResponse>`,
  };
}
