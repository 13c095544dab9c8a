// The two IAM documents of the role COPY assumes: who may assume it (Redshift; Redshift
// Serverless too for a namespace) and what it may do (read the configured sources, nothing
// more; not AmazonS3ReadOnlyAccess).
import { type S3Sources } from './s3-sources';

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Array<Record<string, unknown>>;
}

export const READ_POLICY_NAME = 'sparkify-source-read';

/**
 * A cluster assumes the role as redshift.amazonaws.com. A Serverless namespace needs
 * redshift-serverless.amazonaws.com trusted as well (AWS, "Identity and access management in
 * Amazon Redshift Serverless", https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-iam.html:
 * a role for access to other AWS services trusts both); with redshift.amazonaws.com alone,
 * COPY on Serverless cannot assume it.
 */
export function trustPolicy(deployment: 'provisioned' | 'serverless' = 'provisioned'): PolicyDocument {
  const service =
    deployment === 'serverless'
      ? ['redshift.amazonaws.com', 'redshift-serverless.amazonaws.com']
      : 'redshift.amazonaws.com';
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  };
}

// What COPY needs, from "IAM permissions for COPY, UNLOAD, and CREATE LIBRARY"
// (https://docs.aws.amazon.com/redshift/latest/dg/copy-usage_notes-access-permissions.html):
// GET on the data objects, LIST on the bucket to find them under a prefix, and both GET
// and LIST on the JSONPaths file (and on a manifest) too. Without LIST on the JSONPaths
// key, COPY fails with Access Denied even though GetObject would succeed.
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
  // One ListBucket statement per bucket, the JSONPaths file's bucket included when it is
  // another one; the condition keeps the listing to the prefixes and the single key.
  const listed = [
    ...sources.prefixes.map((p) => ({ bucket: p.bucket, key: p.key, pattern: `${p.key}*` })),
    ...sources.objects.map((o) => ({ bucket: o.bucket, key: o.key, pattern: o.key })),
  ];
  unique(listed.map((l) => l.bucket)).forEach((bucket, index) => {
    const inBucket = listed.filter((l) => l.bucket === bucket);
    const statement: Record<string, unknown> = {
      Sid: `ListSourcePrefixes${index + 1}`,
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: `${arn}${bucket}`,
    };
    // An empty prefix means the whole bucket was configured, so there is nothing to narrow.
    if (!inBucket.some((l) => l.key === ''))
      statement.Condition = { StringLike: { 's3:prefix': unique(inBucket.map((l) => l.pattern)) } };
    statements.push(statement);
  });
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * What changes from the role's read policy to the wanted one, as readable grants
 * ("adds s3:GetObject on arn:…"); empty when they grant the same. A missing policy is all adds.
 */
export function policyChanges(current: PolicyDocument | undefined, wanted: PolicyDocument): string[] {
  if (!current) return ['none yet: writes it'];
  const had = grants(current);
  const want = grants(wanted);
  const added = [...want].filter((g) => !had.has(g)).map((g) => `adds ${g}`);
  const removed = [...had].filter((g) => !want.has(g)).map((g) => `removes ${g}`);
  return [...added, ...removed];
}

/** Each (action, resource, listed prefix) an Allow statement grants, as one line. */
function grants(document: PolicyDocument): Set<string> {
  const lines = document.Statement.flatMap((statement) => {
    const actions = [statement.Action ?? []].flat() as string[];
    const resources = [statement.Resource ?? []].flat() as string[];
    const like = (statement.Condition as { StringLike?: Record<string, string | string[]> } | undefined)?.StringLike?.[
      's3:prefix'
    ];
    const prefixes = like === undefined ? [undefined] : [like].flat();
    return actions.flatMap((action) =>
      resources.flatMap((resource) =>
        prefixes.map(
          (p) =>
            `${statement.Effect === 'Deny' ? 'deny ' : ''}${action} on ${resource}${p === undefined ? '' : ` (prefix ${p})`}`,
        ),
      ),
    );
  });
  return new Set(lines);
}

/** ARNs differ in China and GovCloud; everything else is plain `aws`. */
function partition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
