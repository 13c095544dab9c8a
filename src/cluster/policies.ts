// The two IAM documents of the role COPY assumes: who may assume it (Redshift) and what
// it may do (read the configured sources, nothing more; not AmazonS3ReadOnlyAccess).
import { S3Sources } from './s3-sources';

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Array<Record<string, unknown>>;
}

export const READ_POLICY_NAME = 'sparkify-source-read';

export function trustPolicy(): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'redshift.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  };
}

export function readPolicy(sources: S3Sources, region: string): PolicyDocument {
  const arn = `arn:${partition(region)}:s3:::`;
  // COPY's FROM is a key prefix, not a folder: 's3://b/log_data' also loads 'log_data_x/...'.
  // `prefix*` grants exactly what COPY reads, and a trailing slash in the URI narrows it.
  const objectArns = [
    ...sources.prefixes.map((p) => `${arn}${p.bucket}/${p.key}*`),
    ...sources.objects.map((o) => `${arn}${o.bucket}/${o.key}`),
  ];
  const statements: Array<Record<string, unknown>> = [
    { Sid: 'ReadSourceObjects', Effect: 'Allow', Action: 's3:GetObject', Resource: unique(objectArns) },
  ];
  // Listing is needed to find the files under a prefix; the condition keeps it to those prefixes.
  const buckets = unique(sources.prefixes.map((p) => p.bucket));
  buckets.forEach((bucket, index) => {
    const keys = unique(sources.prefixes.filter((p) => p.bucket === bucket).map((p) => p.key));
    const statement: Record<string, unknown> = { Sid: `ListSourcePrefixes${index + 1}`, Effect: 'Allow', Action: 's3:ListBucket', Resource: `${arn}${bucket}` };
    // An empty prefix means the whole bucket was configured, so there is nothing to narrow.
    if (!keys.includes('')) statement.Condition = { StringLike: { 's3:prefix': keys.map((k) => `${k}*`) } };
    statements.push(statement);
  });
  return { Version: '2012-10-17', Statement: statements };
}

/** ARNs differ in China and GovCloud; everything else is plain `aws`. */
export function partition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
