// The S3 locations the cluster reads, parsed from LOG_DATA, SONG_DATA, LOG_JSONPATH and,
// when set, MANIFEST_PREFIX (where the transform writes COPY manifests). The role's
// policy is built from these and nothing else.
import { ConfigError } from '../errors';

interface S3Location {
  bucket: string;
  /** The key prefix as written, without the leading slash; '' for the whole bucket. */
  key: string;
}

export interface S3Sources {
  /** Prefixes COPY lists and reads (event logs, song files). */
  prefixes: S3Location[];
  /** Single objects COPY reads (the JSONPaths file). */
  objects: S3Location[];
}

export interface RawSources {
  logData?: string;
  songData?: string;
  logJsonPath?: string;
  /** Optional: the s3:// prefix the transform writes its COPY manifests under. */
  manifestPrefix?: string;
}

export function s3Sources(raw: RawSources): S3Sources {
  const logData = parseS3Uri('LOG_DATA', raw.logData);
  const songData = parseS3Uri('SONG_DATA', raw.songData);
  const logJsonPath = parseS3Uri('LOG_JSONPATH', raw.logJsonPath);
  if (!logJsonPath.key || logJsonPath.key.endsWith('/')) {
    throw new ConfigError(
      `LOG_JSONPATH must name one object, e.g. s3://udacity-dend/log_json_path.json; got "${raw.logJsonPath}".`,
    );
  }
  const prefixes = [logData, songData];
  if (raw.manifestPrefix)
    prefixes.push(parseS3Uri('MANIFEST_PREFIX', raw.manifestPrefix, 'e.g. s3://my-bucket/sparkify/manifests/'));
  return { prefixes, objects: [logJsonPath] };
}

function parseS3Uri(
  variable: string,
  uri: string | undefined,
  example = 'e.g. s3://udacity-dend/log_data',
): S3Location {
  if (!uri)
    throw new ConfigError(
      `${variable} is not set. On Redshift it must be an s3://bucket/prefix URI (${example}); put it in .env.`,
    );
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri);
  if (!match) {
    throw new ConfigError(
      `${variable} must be an s3://bucket/prefix URI on Redshift (${example}), because the cluster reads S3, not this machine; got "${uri}".`,
    );
  }
  const key = match[2] ?? '';
  // * and ? are wildcards in IAM resources: a key holding them would widen the policy.
  if (/[*?]/.test(key))
    throw new ConfigError(`${variable} must not contain * or ?; name the prefix itself (${example}).`);
  return { bucket: match[1], key };
}
