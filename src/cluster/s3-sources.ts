// The S3 locations the cluster reads, parsed from LOG_DATA, SONG_DATA and LOG_JSONPATH.
// The role's policy is built from these and nothing else.
import { ConfigError } from '../errors';

export interface S3Location {
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

export function s3Sources(raw: { logData?: string; songData?: string; logJsonPath?: string }): S3Sources {
  const logData = parseS3Uri('LOG_DATA', raw.logData);
  const songData = parseS3Uri('SONG_DATA', raw.songData);
  const logJsonPath = parseS3Uri('LOG_JSONPATH', raw.logJsonPath);
  if (!logJsonPath.key || logJsonPath.key.endsWith('/')) {
    throw new ConfigError(`LOG_JSONPATH must name one object, e.g. s3://udacity-dend/log_json_path.json; got "${raw.logJsonPath}".`);
  }
  return { prefixes: [logData, songData], objects: [logJsonPath] };
}

export function parseS3Uri(variable: string, uri: string | undefined): S3Location {
  const example = 'e.g. s3://udacity-dend/log_data';
  if (!uri) throw new ConfigError(`${variable} is not set. On Redshift it must be an s3://bucket/prefix URI (${example}); put it in .env.`);
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri);
  if (!match) {
    throw new ConfigError(
      `${variable} must be an s3://bucket/prefix URI on Redshift (${example}), because the cluster reads S3, not this machine; got "${uri}".`,
    );
  }
  const key = match[2] ?? '';
  // * and ? are wildcards in IAM resources: a key holding them would widen the policy.
  if (/[*?]/.test(key)) throw new ConfigError(`${variable} must not contain * or ?; name the prefix itself, e.g. s3://bucket/log_data.`);
  return { bucket: match[1], key };
}
