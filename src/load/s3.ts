// The S3 calls the loaders need: list a prefix, stream an object, write a COPY manifest,
// find a bucket's region. The endpoint can point at any S3-compatible server
// (S3_ENDPOINT), which is how tests use s3rver.
import {
  GetBucketLocationCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { type AwsIdentity, identityConfig } from '../aws-access';
import type { WarehouseConfig } from '../config';
import { ConfigError, LoadError } from '../errors';

export interface S3Options extends AwsIdentity {
  region?: string;
  endpoint?: string;
  client?: S3Client;
}

/** The S3 settings of a run: the same identity as every other AWS client (src/aws-access.ts), in `region` (AWS_REGION by default). */
export function s3Options(
  config: Pick<WarehouseConfig, 'aws' | 's3Endpoint'>,
  region: string | undefined = config.aws.region,
): S3Options {
  return { region, endpoint: config.s3Endpoint, ...identityConfig(config.aws) };
}

export interface S3Object {
  key: string;
  size: number;
  etag: string;
}

export function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri);
  if (!match) throw new ConfigError(`"${uri}" is not an S3 URI; use s3://bucket/prefix.`);
  return { bucket: match[1], prefix: match[2] ?? '' };
}

const clients = new Map<string, S3Client>();

/** One client per region, endpoint and identity, or the one passed in. */
export function clientFor(options: S3Options): S3Client {
  if (options.client) return options.client;
  const { accessKeyId, secretAccessKey, sessionToken } = options.credentials ?? {};
  // Held in memory only: the key tells clients with other credentials apart.
  const key = JSON.stringify([
    options.region,
    options.endpoint,
    options.profile,
    accessKeyId,
    secretAccessKey,
    sessionToken,
  ]);
  let client = clients.get(key);
  if (!client) {
    client = new S3Client({
      region: options.region ?? 'us-east-1',
      ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
      ...identityConfig(options),
    });
    clients.set(key, client);
  }
  return client;
}

export async function listObjects(bucket: string, prefix: string, options: S3Options): Promise<S3Object[]> {
  const objects: S3Object[] = [];
  let token: string | undefined;
  do {
    const page = await s3Call(`list s3://${bucket}/${prefix}`, () =>
      clientFor(options).send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token })),
    );
    for (const o of page.Contents ?? []) {
      if (o.Key && !o.Key.endsWith('/'))
        objects.push({ key: o.Key, size: o.Size ?? 0, etag: (o.ETag ?? '').replace(/"/g, '') });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}

export async function getObjectStream(bucket: string, key: string, options: S3Options): Promise<Readable> {
  const response = await s3Call(`read s3://${bucket}/${key}`, () =>
    clientFor(options).send(new GetObjectCommand({ Bucket: bucket, Key: key })),
  );
  return response.Body as Readable;
}

export async function putObject(
  bucket: string,
  key: string,
  body: string,
  contentType: string,
  options: S3Options,
): Promise<void> {
  await s3Call(`write s3://${bucket}/${key}`, () =>
    clientFor(options).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType })),
  );
}

/**
 * The region a bucket lives in, from GetBucketLocation (S3 API reference,
 * "GetBucketLocation": "Buckets in Region us-east-1 have a LocationConstraint of null.
 * Buckets with a LocationConstraint of EU reside in eu-west-1."). The SDK gives undefined
 * or '' for null.
 */
export async function bucketRegion(bucket: string, options: S3Options): Promise<string> {
  const answer = await s3Call(`find the region of bucket ${bucket}`, () =>
    clientFor(options).send(new GetBucketLocationCommand({ Bucket: bucket })),
  );
  return regionOfLocationConstraint(answer.LocationConstraint);
}

export function regionOfLocationConstraint(constraint: string | null | undefined): string {
  if (!constraint) return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}

export async function s3Call<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const name = (error as Error).name;
    const hint =
      name === 'NoSuchBucket'
        ? 'check the bucket name in LOG_DATA / SONG_DATA'
        : name === 'NoSuchKey'
          ? 'check the key; for a folder give the prefix'
          : /Credential|AccessDenied|Forbidden/i.test(name + (error as Error).message)
            ? 'set AWS credentials (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) that may read it'
            : 'check the URI, the region (AWS_REGION) and, for an S3-compatible server, S3_ENDPOINT';
    throw new LoadError(`Could not ${what}: ${name}: ${(error as Error).message}. Fix: ${hint}.`);
  }
}
