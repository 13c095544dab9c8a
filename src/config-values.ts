// One setting's text read and checked: the format each environment variable must have,
// and, when it is wrong or missing, a message that names the variable and the fix.
import { ConfigError } from './errors';

export function checkDatabaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('DATABASE_URL is not a URL. Use the form postgres://user:password@host:5432/dbname.');
  }
  if (!['postgres:', 'postgresql:'].includes(parsed.protocol)) {
    throw new ConfigError(
      `DATABASE_URL must start with postgres:// or postgresql://; it starts with ${parsed.protocol}//.`,
    );
  }
  return url;
}

export function optionalArn(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(value)) {
    throw new ConfigError(
      `REDSHIFT_IAM_ROLE_ARN is not an IAM role ARN; expected arn:aws:iam::<12-digit account>:role/<name>, got "${value}".`,
    );
  }
  return value;
}

export function optionalRegion(value: string | undefined, variable = 'AWS_REGION'): string | undefined {
  if (!value) return undefined;
  // Partitions' codes: us-west-2, us-gov-west-1, us-iso-east-1, us-isob-east-1.
  if (!/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(value)) {
    throw new ConfigError(`${variable} must be a region code such as us-west-2; got "${value}".`);
  }
  return value;
}

/** An s3://bucket/prefix/ the tool writes COPY manifests under; always ends with a slash. */
export function optionalManifestPrefix(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (!/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(value) || /[\\\u0000-\u001f']/.test(value)) {
    throw new ConfigError(
      `MANIFEST_PREFIX must be an s3://bucket/prefix/ URI the tool may write (PutObject) and the COPY role may read; got "${value}".`,
    );
  }
  const withBucketSlash = /^s3:\/\/[^/]+$/.test(value) ? `${value}/` : value;
  return withBucketSlash.endsWith('/') ? withBucketSlash : `${withBucketSlash}/`;
}

/** Leaves out unset settings, so a config compares equal whether or not they exist. */
export function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function missing(variable: string, what: string): ConfigError {
  return new ConfigError(`${variable} is not set. Put ${what} in .env or the environment (see .env.example).`);
}
