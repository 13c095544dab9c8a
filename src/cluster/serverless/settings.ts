// The Serverless settings: namespace, workgroup, capacity and the usage limit that caps
// the bill. Checked before the first call, like the cluster's settings.
// Capacity: "Compute capacity for Amazon Redshift Serverless"
// (https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-capacity.html): base 8-512
// RPUs in steps of 8 (AWS's default is 128), 512-1024 in steps of 32 in some regions, and
// 4 RPUs where that smaller size is offered.
// Usage limit: CreateUsageLimit (https://docs.aws.amazon.com/redshift-serverless/latest/APIReference/API_CreateUsageLimit.html):
// serverless-compute, amount in RPU-hours, period daily | weekly | monthly, breach action
// log | emit-metric | deactivate.
import { ConfigError } from '../../errors';
import { type ClusterSettings, readClusterSettings } from '../settings';

const DEFAULT_NAMESPACE = 'sparkify';
const DEFAULT_WORKGROUP = 'sparkify';
/** The smallest base capacity offered in every region. */
export const DEFAULT_BASE_RPU = 8;
/**
 * The smallest base capacity AWS offers at all, in some regions only ("Compute capacity for
 * Amazon Redshift Serverless": "4 RPU … for warehouses with less than 32 TB"). With
 * REDSHIFT_BASE_RPU unset, create asks for this first and falls back to DEFAULT_BASE_RPU.
 */
export const SMALLEST_BASE_RPU = 4;
/** Default cost guard: 8 RPU-hours a day is about an hour of work at the smallest base. */
const DEFAULT_MAX_RPU_HOURS = 8;

export type UsagePeriod = 'daily' | 'weekly' | 'monthly';
type BreachAction = 'log' | 'emit-metric' | 'deactivate';

export interface ServerlessSettings extends ClusterSettings {
  namespace: string;
  workgroup: string;
  baseRpu: number;
  /** REDSHIFT_BASE_RPU was set: no trying the smallest capacity first. */
  baseRpuChosen: boolean;
  maxRpu?: number;
  usageLimit: { rpuHours: number; period: UsagePeriod; breachAction: BreachAction };
}

export function isServerless(env: NodeJS.ProcessEnv, flag: boolean | undefined): boolean {
  const deployment = (env.REDSHIFT_DEPLOYMENT || 'provisioned').toLowerCase();
  if (deployment !== 'provisioned' && deployment !== 'serverless') {
    throw new ConfigError(`REDSHIFT_DEPLOYMENT must be provisioned or serverless; got "${env.REDSHIFT_DEPLOYMENT}".`);
  }
  return Boolean(flag) || deployment === 'serverless';
}

export function readServerlessSettings(env: NodeJS.ProcessEnv): ServerlessSettings {
  const base = readClusterSettings(env);
  const baseRpu = rpu('REDSHIFT_BASE_RPU', env.REDSHIFT_BASE_RPU, DEFAULT_BASE_RPU);
  const maxRpu = env.REDSHIFT_MAX_RPU ? rpu('REDSHIFT_MAX_RPU', env.REDSHIFT_MAX_RPU, 0) : undefined;
  if (maxRpu !== undefined && maxRpu < baseRpu) {
    throw new ConfigError(`REDSHIFT_MAX_RPU (${maxRpu}) must be at least REDSHIFT_BASE_RPU (${baseRpu}).`);
  }
  return {
    ...base,
    namespace: name('REDSHIFT_NAMESPACE', env.REDSHIFT_NAMESPACE || DEFAULT_NAMESPACE),
    workgroup: name('REDSHIFT_WORKGROUP', env.REDSHIFT_WORKGROUP || DEFAULT_WORKGROUP),
    baseRpu,
    baseRpuChosen: Boolean(env.REDSHIFT_BASE_RPU),
    maxRpu,
    usageLimit: {
      rpuHours: rpuHours(env.REDSHIFT_MAX_RPU_HOURS),
      period: oneOf('REDSHIFT_USAGE_PERIOD', env.REDSHIFT_USAGE_PERIOD || 'daily', [
        'daily',
        'weekly',
        'monthly',
      ] as const),
      breachAction: oneOf('REDSHIFT_USAGE_BREACH_ACTION', env.REDSHIFT_USAGE_BREACH_ACTION || 'deactivate', [
        'log',
        'emit-metric',
        'deactivate',
      ] as const),
    },
  };
}

// Namespace and workgroup names: 3-64 lower-case letters, digits or hyphens.
function name(variable: string, value: string): string {
  if (!/^[a-z0-9-]{3,64}$/.test(value))
    throw new ConfigError(`${variable} must be 3-64 lower-case letters, digits or hyphens; got "${value}".`);
  return value;
}

function rpu(variable: string, text: string | undefined, fallback: number): number {
  if (!text) return fallback;
  const value = Number(text);
  const valid =
    value === 4 ||
    (value >= 8 && value <= 512 && value % 8 === 0) ||
    (value > 512 && value <= 1024 && value % 32 === 0);
  if (!Number.isInteger(value) || !valid) {
    throw new ConfigError(
      `${variable} must be 8-512 RPUs in steps of 8 (4 where the region offers it, up to 1024 in steps of 32 in some regions); got "${text}".`,
    );
  }
  return value;
}

function rpuHours(text: string | undefined): number {
  if (!text) return DEFAULT_MAX_RPU_HOURS;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new ConfigError(`REDSHIFT_MAX_RPU_HOURS must be a whole number of RPU-hours, 1 or more; got "${text}".`);
  return value;
}

function oneOf<T extends string>(variable: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new ConfigError(`${variable} must be one of ${allowed.join(', ')}; got "${value}".`);
  return value as T;
}
