// Reads and checks the cluster's settings from the environment (and .env, through
// readEnv). Every check runs before the first AWS call, so a typo costs nothing.
import { missing, optionalRegion } from '../config-values';
import { ConfigError } from '../errors';
import { secretsIn } from '../secrets';
import { NODE_TYPES } from './node-types';
import type { RawSources } from './s3-sources';

export const DEFAULT_CLUSTER_ID = 'sparkify-warehouse';
// dc2.large, the node of the original exercise, is being retired: AWS treats DC2 as
// previous generation and steers new clusters to RA3. ra3.large (2024) is its successor,
// the smallest RA3 node, sized for small clusters like ours, with managed storage in S3.
export const DEFAULT_NODE_TYPE = 'ra3.large';
export const DEFAULT_NODE_COUNT = 4;
const DEFAULT_PORT = 5439;
const DEFAULT_ROLE_NAME = 'sparkify-redshift-s3-read';

export interface ClusterSettings {
  clusterId: string;
  nodeType: string;
  nodeCount: number;
  port: number;
  region: string;
  roleName: string;
  /** REDSHIFT_SUBNET_GROUP: the user's own cluster subnet group; unset, create makes one in the default VPC. */
  subnetGroup?: string;
  /** Needed by create only; checked when present. */
  database?: string;
  user?: string;
  password?: string;
  /** Raw LOG_DATA, SONG_DATA, LOG_JSONPATH and MANIFEST_PREFIX; create checks they are s3:// URIs. */
  sources: RawSources;
  /** Values that must never be printed. */
  secrets: string[];
}

export function readClusterSettings(env: NodeJS.ProcessEnv): ClusterSettings {
  const nodeType = env.REDSHIFT_NODE_TYPE || DEFAULT_NODE_TYPE;
  const settings: ClusterSettings = {
    clusterId: clusterId(env.REDSHIFT_CLUSTER_ID || DEFAULT_CLUSTER_ID),
    nodeType: knownNodeType(nodeType),
    nodeCount: nodeCount(env.REDSHIFT_NODE_COUNT, nodeType),
    port: port(env.REDSHIFT_PORT),
    region: region(env.AWS_REGION),
    roleName: roleName(env.REDSHIFT_IAM_ROLE_NAME || DEFAULT_ROLE_NAME),
    subnetGroup: env.REDSHIFT_SUBNET_GROUP ? subnetGroup(env.REDSHIFT_SUBNET_GROUP) : undefined,
    database: env.REDSHIFT_DB ? database(env.REDSHIFT_DB) : undefined,
    user: env.REDSHIFT_USER ? user(env.REDSHIFT_USER) : undefined,
    password: env.REDSHIFT_PASSWORD ? password(env.REDSHIFT_PASSWORD) : undefined,
    sources: {
      logData: env.LOG_DATA || undefined,
      songData: env.SONG_DATA || undefined,
      logJsonPath: env.LOG_JSONPATH || undefined,
      manifestPrefix: env.MANIFEST_PREFIX || undefined,
    },
    secrets: secretsIn(env),
  };
  return settings;
}

/** The settings only `create` needs; a dry run shows the plan without the password. */
export function requireCreateSettings(
  settings: ClusterSettings,
  dryRun: boolean,
): { database: string; user: string; password: string } {
  if (!settings.database) throw missing('REDSHIFT_DB', 'the database to create, e.g. sparkify');
  if (!settings.user) throw missing('REDSHIFT_USER', 'the master user to create, e.g. awsuser');
  if (!settings.password && !dryRun)
    throw missing(
      'REDSHIFT_PASSWORD',
      "the master user's password (8-64 characters with an upper-case letter, a lower-case letter and a digit)",
    );
  return { database: settings.database, user: settings.user, password: settings.password ?? '' };
}

function clusterId(value: string): string {
  // AWS's rule: lowercase letters, digits and single hyphens, starting with a letter.
  if (!/^[a-z](?!.*--)[a-z0-9-]{0,62}$/.test(value) || value.endsWith('-')) {
    throw new ConfigError(
      `REDSHIFT_CLUSTER_ID must be 1-63 lowercase letters, digits or single hyphens, start with a letter and not end with a hyphen; got "${value}".`,
    );
  }
  return value;
}

function knownNodeType(value: string): string {
  if (!NODE_TYPES[value]) {
    throw new ConfigError(
      `REDSHIFT_NODE_TYPE "${value}" is not a node type we know. Use one of: ${Object.keys(NODE_TYPES).join(', ')}.`,
    );
  }
  return value;
}

function nodeCount(text: string | undefined, nodeType: string): number {
  const count = text ? Number(text) : DEFAULT_NODE_COUNT;
  const { minNodes, maxNodes } = NODE_TYPES[nodeType] ?? { minNodes: 1, maxNodes: 128 };
  if (!Number.isInteger(count) || count < minNodes || count > maxNodes) {
    throw new ConfigError(
      `REDSHIFT_NODE_COUNT must be a whole number from ${minNodes} to ${maxNodes} for ${nodeType}; got "${text}".`,
    );
  }
  return count;
}

function port(text: string | undefined): number {
  if (!text) return DEFAULT_PORT;
  const value = Number(text);
  // Redshift accepts ports 1150-65535 only.
  if (!Number.isInteger(value) || value < 1150 || value > 65535) {
    throw new ConfigError(
      `REDSHIFT_PORT must be a port from 1150 to 65535 (Redshift's default is 5439); got "${text}".`,
    );
  }
  return value;
}

function region(value: string | undefined): string {
  const code = optionalRegion(value);
  if (!code) throw missing('AWS_REGION', 'the region of the cluster and the source buckets, e.g. us-west-2');
  return code;
}

function roleName(value: string): string {
  if (!/^[\w+=,.@-]{1,64}$/.test(value)) {
    throw new ConfigError(`REDSHIFT_IAM_ROLE_NAME must be 1-64 letters, digits or + = , . @ _ -; got "${value}".`);
  }
  return value;
}

function database(value: string): string {
  if (!/^[a-z_][a-z0-9_$]{0,63}$/.test(value)) {
    throw new ConfigError(
      `REDSHIFT_DB must be 1-64 lowercase letters, digits, _ or $, starting with a letter or _; got "${value}".`,
    );
  }
  return value;
}

// MasterUsername on the CreateCluster page: 1-128 characters, only lower-case letters,
// digits, _ + . @ -, starting with a letter, and not PUBLIC.
function user(value: string): string {
  if (/[A-Z]/.test(value) && /^[A-Za-z]/.test(value)) {
    throw new ConfigError(
      `REDSHIFT_USER must be lower case (Redshift refuses an upper-case master user name); use "${value.toLowerCase()}".`,
    );
  }
  if (!/^[a-z][a-z0-9_+.@-]{0,127}$/.test(value) || value === 'public') {
    throw new ConfigError(
      `REDSHIFT_USER must start with a letter and hold only lower-case letters, digits, _ + . @ or - (at most 128), and not be "public"; got "${value}".`,
    );
  }
  return value;
}

// ClusterSubnetGroupName: at most 255 letters, digits or hyphens, not "Default"; Redshift stores it in lower case.
function subnetGroup(value: string): string {
  const name = value.toLowerCase();
  if (!/^[a-z0-9-]{1,255}$/.test(name) || name === 'default') {
    throw new ConfigError(
      `REDSHIFT_SUBNET_GROUP must be the name of a cluster subnet group (letters, digits and hyphens, not "default"); got "${value}".`,
    );
  }
  return name;
}

function password(value: string): string {
  // The message states the rules and never echoes the value.
  const printable = /^[\x21-\x7e]+$/.test(value) && !/['"\\/@]/.test(value);
  const mixed = /[A-Z]/.test(value) && /[a-z]/.test(value) && /\d/.test(value);
  if (value.length < 8 || value.length > 64 || !printable || !mixed) {
    throw new ConfigError(
      "REDSHIFT_PASSWORD does not meet Redshift's rules: 8-64 printable ASCII characters with at least one upper-case letter, " +
        'one lower-case letter and one digit, and no spaces, quotes (\' "), \\, / or @. Change it in .env.',
    );
  }
  return value;
}
