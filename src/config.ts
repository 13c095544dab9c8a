// Reads and validates the configuration once, up front, from the environment and
// .env (dotenv). Commands receive a typed WarehouseConfig and never read process.env.
import path from 'node:path';
import dotenv from 'dotenv';
import { type AwsIdentity, awsIdentityFrom } from './aws-access';
import { ConfigError, UsageError } from './errors';
import {
  checkDatabaseUrl,
  definedOnly,
  missing,
  optionalArn,
  optionalManifestPrefix,
  optionalRegion,
} from './config-values';
import { redshiftConnection, type RedshiftConnection } from './config-redshift';
import { secretsIn } from './secrets';

const TARGET_NAMES = ['local', 'postgres', 'redshift'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

/** Settings of every AWS client the tool makes: the cluster's, S3's, IAM database auth's. */
interface AwsSettings extends AwsIdentity {
  /** AWS_REGION: the cluster's region, the S3 clients' region, and the fallback for the sources' bucket region. */
  region?: string;
}

interface RedshiftLoadSettings {
  /** The role COPY assumes to read S3; undefined only in a dry run without it. */
  iamRoleArn?: string;
  /** SOURCE_REGION: the region of the source buckets, named in COPY's REGION (else looked up). */
  sourceRegion?: string;
  /** MANIFEST_PREFIX: an s3:// prefix the tool may write; with it Redshift loads only new files. */
  manifestPrefix?: string;
}

export interface SourceSettings {
  /** Event logs: a local file or folder, or s3://bucket/prefix. */
  logData: string;
  /** Song files: a local file or folder, or s3://bucket/prefix. */
  songData: string;
  /** The JSONPaths file that maps event-log fields to staging_events columns. */
  logJsonPath: string;
}

export interface WarehouseConfig {
  target: TargetName;
  /** Folder of the embedded server's data; undefined means the default (see embedded.ts). */
  embeddedDataDir?: string;
  databaseUrl?: string;
  redshift?: RedshiftConnection;
  aws: AwsSettings;
  redshiftLoad: RedshiftLoadSettings;
  sources: SourceSettings;
  /** An S3-compatible endpoint for the local loader's S3 reads (tests use s3rver). */
  s3Endpoint?: string;
  /** Parse event logs on worker threads: 'auto' when the input is large (SPARKIFY_LOAD_WORKERS). */
  loadWorkers?: LoadWorkers;
  /** Every secret, so that output can be redacted. */
  secrets: string[];
}

export type LoadWorkers = 'auto' | 'off' | 'on';

/** SPARKIFY_LOAD_WORKERS: unset = auto, 0 = off, 1 = on. */
export function parseLoadWorkers(value: string | undefined): LoadWorkers {
  if (!value) return 'auto';
  if (value === '0') return 'off';
  if (value === '1') return 'on';
  throw new ConfigError(
    `SPARKIFY_LOAD_WORKERS is "${value}"; use 0 (never), 1 (always) or leave it unset (when the input is large).`,
  );
}

export interface LoadConfigOptions {
  /** From --target; wins over WAREHOUSE_TARGET. */
  target?: string;
  /** A dry run needs no credentials: connection settings are not required then. */
  dryRun?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Folder whose .env is read; the project root by default. */
  cwd?: string;
}

export const PROJECT_ROOT = path.resolve(__dirname, '..');

/** The sample the project generates for itself when no source is configured. */
export const DEFAULT_SAMPLE_DIR = path.join(PROJECT_ROOT, 'sample');

/** Without LOG_DATA etc., local targets load the sample the project generates... */
export const LOCAL_SAMPLE_SOURCES: SourceSettings = {
  logData: path.join(DEFAULT_SAMPLE_DIR, 'log_data'),
  songData: path.join(DEFAULT_SAMPLE_DIR, 'song_data'),
  logJsonPath: path.join(DEFAULT_SAMPLE_DIR, 'log_json_path.json'),
};

/** ...and Redshift reads the public Sparkify sample, where the exercise's data lives (us-west-2). */
export const PUBLIC_SPARKIFY_SOURCES: SourceSettings = {
  logData: 's3://udacity-dend/log_data',
  songData: 's3://udacity-dend/song_data',
  logJsonPath: 's3://udacity-dend/log_json_path.json',
};

export function loadConfig(options: LoadConfigOptions = {}): WarehouseConfig {
  const env = options.env ?? readEnv(options.cwd ?? PROJECT_ROOT);
  const target = chooseTarget(options.target, env);
  const needConnection = !options.dryRun;
  const secrets = secretsIn(env);

  const defaults = target === 'redshift' ? PUBLIC_SPARKIFY_SOURCES : LOCAL_SAMPLE_SOURCES;
  const region = optionalRegion(env.AWS_REGION);
  const config: WarehouseConfig = {
    target,
    embeddedDataDir: env.EMBEDDED_PG_DATA_DIR || undefined,
    aws: { region, ...awsIdentityFrom(env) },
    redshiftLoad: {
      iamRoleArn: optionalArn(env.REDSHIFT_IAM_ROLE_ARN),
      ...definedOnly({
        sourceRegion: optionalRegion(env.SOURCE_REGION, 'SOURCE_REGION'),
        manifestPrefix: optionalManifestPrefix(env.MANIFEST_PREFIX),
      }),
    },
    sources: {
      logData: env.LOG_DATA || defaults.logData,
      songData: env.SONG_DATA || defaults.songData,
      logJsonPath: env.LOG_JSONPATH || defaults.logJsonPath,
    },
    s3Endpoint: env.S3_ENDPOINT || undefined,
    loadWorkers: parseLoadWorkers(env.SPARKIFY_LOAD_WORKERS),
    secrets,
  };

  if (target === 'postgres') {
    if (env.DATABASE_URL) config.databaseUrl = checkDatabaseUrl(env.DATABASE_URL);
    else if (needConnection) {
      throw new ConfigError(
        'DATABASE_URL is not set, but the target is "postgres". Set DATABASE_URL=postgres://user:password@host:5432/dbname ' +
          'in .env or the environment, or choose another target (--target local).',
      );
    }
  }
  if (target === 'redshift') {
    if (needConnection) config.redshift = redshiftConnection(env, region);
    if (!options.dryRun) {
      if (!config.redshiftLoad.iamRoleArn)
        throw missing(
          'REDSHIFT_IAM_ROLE_ARN',
          'the ARN of the role COPY assumes, e.g. arn:aws:iam::123456789012:role/sparkify-redshift-s3-read (npm run cluster -- create writes it)',
        );
      if (!config.aws.region)
        throw missing(
          'AWS_REGION',
          "the region of the cluster, e.g. us-west-2 (the sources' bucket region comes from SOURCE_REGION or is looked up)",
        );
    }
  }
  return config;
}

/** The environment over .env: what the environment sets wins. */
export function readEnv(cwd: string = PROJECT_ROOT): NodeJS.ProcessEnv {
  // .env fills in what the environment does not set; the environment wins.
  const fromFile = dotenv.config({ path: path.join(cwd, '.env'), processEnv: {}, quiet: true }).parsed ?? {};
  return { ...fromFile, ...process.env };
}

function chooseTarget(flag: string | undefined, env: NodeJS.ProcessEnv): TargetName {
  const chosen = flag || env.WAREHOUSE_TARGET || (env.DATABASE_URL ? 'postgres' : 'local');
  if ((TARGET_NAMES as readonly string[]).includes(chosen)) return chosen as TargetName;
  // A wrong --target is the command line's (exit 2); a wrong WAREHOUSE_TARGET, the settings'.
  const Wrong = flag ? UsageError : ConfigError;
  throw new Wrong(
    `${flag ? '--target' : 'WAREHOUSE_TARGET'} is "${chosen}", which is not a target. Use one of: ${TARGET_NAMES.join(', ')}.`,
  );
}
