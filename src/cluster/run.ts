// Runs one verb: reads the settings, checks the flags belong to the verb, and turns any
// failure into one line and an exit code. src/commands/cluster.ts is only argument parsing
// and the real clients around this, so the whole command is testable with mocked clients.
import { exitCodeOf } from '../cli/exit-codes';
import { UsageError, redact } from '../errors';
import { secretsIn } from '../secrets';
import { translateAwsError } from './aws-errors';
import { createCluster } from './create';
import { deleteCluster, type DeleteOptions } from './delete';
import { type ClusterDeps } from './deps';
import { printEndpoint } from './endpoint';
import { pauseCluster, resumeCluster } from './pause-resume';
import { type ClusterSettings, DEFAULT_CLUSTER_ID, readClusterSettings } from './settings';
import { clusterStatus } from './status';
import { waitForCluster } from './wait';
import { createServerless } from './serverless/create';
import { deleteServerless } from './serverless/delete';
import { type ServerlessSettings, isServerless, readServerlessSettings } from './serverless/settings';
import { explainPause, printWorkgroupEndpoint, serverlessStatus, waitForWorkgroup } from './serverless/verbs';

export interface ClusterFlags {
  dryRun?: boolean;
  /** Redshift Serverless instead of a provisioned cluster (or REDSHIFT_DEPLOYMENT=serverless). */
  serverless?: boolean;
  yes?: boolean;
  force?: boolean;
  public?: boolean;
  keepRole?: boolean;
  allowCidr?: string;
  finalSnapshot?: string;
  /** Minutes to wait before giving up. */
  timeout?: string;
  /** Hours after which status reminds to pause an available cluster. */
  remindAfter?: string;
}

type Verb = 'create' | 'status' | 'pause' | 'resume' | 'delete' | 'wait' | 'endpoint';

// Flags each verb accepts besides --dry-run, and its default wait in minutes.
const VERBS: Record<Verb, { flags: Array<keyof ClusterFlags>; waitMinutes: number }> = {
  create: { flags: ['public', 'allowCidr', 'timeout'], waitMinutes: 45 },
  status: { flags: ['remindAfter'], waitMinutes: 0 },
  pause: { flags: ['timeout'], waitMinutes: 30 },
  resume: { flags: ['timeout'], waitMinutes: 30 },
  delete: { flags: ['yes', 'force', 'keepRole', 'finalSnapshot', 'timeout'], waitMinutes: 45 },
  wait: { flags: ['timeout'], waitMinutes: 45 },
  endpoint: { flags: [], waitMinutes: 0 },
};

export const USAGE = [
  'usage: npm run cluster -- <verb> [flags]',
  '  create    [--public --allow-cidr <cidr>] [--timeout <min>]   role + encrypted cluster, then writes .env',
  '  status    [--remind-after <hours>]                           state, endpoint, age and cost',
  '  pause     [--timeout <min>]                                  pause and wait until paused',
  '  resume    [--timeout <min>]                                  resume and wait until available',
  '  delete    [--yes] [--final-snapshot <id>] [--keep-role] [--force] [--timeout <min>]',
  '  wait      [--timeout <min>]                                  wait until available',
  '  endpoint                                                     print host:port',
  '  every verb takes --dry-run: print the AWS calls without making them (no credentials needed)',
  '  every verb takes --serverless (or REDSHIFT_DEPLOYMENT=serverless): a Redshift Serverless namespace and workgroup instead',
].join('\n');

const DEFAULT_REMIND_AFTER_HOURS = 2;

export type RunDeps = ClusterDeps & { err(line: string): void };

export async function runCluster(
  verbName: string | undefined,
  flags: ClusterFlags,
  env: NodeJS.ProcessEnv,
  deps: RunDeps,
): Promise<number> {
  if (!verbName || !(verbName in VERBS)) {
    deps.err(verbName ? `error: "${verbName}" is not a cluster verb.` : 'error: name a verb.');
    deps.err(USAGE);
    return 2;
  }
  const verb = verbName as Verb;
  let settings: ClusterSettings | undefined;
  try {
    checkFlags(verb, flags);
    const serverless = isServerless(env, flags.serverless);
    settings = serverless ? readServerlessSettings(env) : readClusterSettings(env);
    const secrets = settings.secrets;
    const safe: ClusterDeps = { ...deps, out: (line) => deps.out(redact(line, secrets)) };
    if (serverless) await runServerlessVerb(verb, settings as ServerlessSettings, flags, safe);
    else await runVerb(verb, settings, flags, safe);
    return 0;
  } catch (error) {
    const context = {
      clusterId: settings?.clusterId ?? env.REDSHIFT_CLUSTER_ID ?? DEFAULT_CLUSTER_ID,
      region: settings?.region ?? env.AWS_REGION ?? '(no AWS_REGION)',
      secrets: settings?.secrets ?? secretsIn(env),
    };
    deps.err(redact(`error: ${translateAwsError(error, context).message}`, context.secrets));
    return exitCodeOf(error);
  }
}

async function runVerb(verb: Verb, settings: ClusterSettings, flags: ClusterFlags, deps: ClusterDeps): Promise<void> {
  const dryRun = Boolean(flags.dryRun);
  const maxWaitSeconds = minutes(flags.timeout, VERBS[verb].waitMinutes) * 60;
  switch (verb) {
    case 'create':
      return createCluster(
        settings,
        { dryRun, public: Boolean(flags.public), allowCidr: flags.allowCidr, maxWaitSeconds },
        deps,
      );
    case 'status':
      return clusterStatus(settings, { dryRun, remindAfterHours: hours(flags.remindAfter) }, deps);
    case 'pause':
      return pauseCluster(settings, { dryRun, maxWaitSeconds }, deps);
    case 'resume':
      return resumeCluster(settings, { dryRun, maxWaitSeconds }, deps);
    case 'delete':
      return deleteCluster(settings, deleteOptions(flags, dryRun, maxWaitSeconds), deps);
    case 'wait':
      return waitForCluster(settings, { dryRun, maxWaitSeconds }, deps);
    case 'endpoint':
      return printEndpoint(settings, { dryRun }, deps);
  }
}

async function runServerlessVerb(
  verb: Verb,
  settings: ServerlessSettings,
  flags: ClusterFlags,
  deps: ClusterDeps,
): Promise<void> {
  const dryRun = Boolean(flags.dryRun);
  const maxWaitSeconds = minutes(flags.timeout, VERBS[verb].waitMinutes) * 60;
  switch (verb) {
    case 'create':
      return createServerless(
        settings,
        { dryRun, public: Boolean(flags.public), allowCidr: flags.allowCidr, maxWaitSeconds },
        deps,
      );
    case 'status':
      return serverlessStatus(settings, { dryRun }, deps);
    case 'pause':
    case 'resume':
      return explainPause(verb, settings, deps);
    case 'delete':
      return deleteServerless(settings, deleteOptions(flags, dryRun, maxWaitSeconds), deps);
    case 'wait':
      return waitForWorkgroup(settings, { dryRun, maxWaitSeconds }, deps);
    case 'endpoint':
      return printWorkgroupEndpoint(settings, { dryRun }, deps);
  }
}

function checkFlags(verb: Verb, flags: ClusterFlags): void {
  for (const [name, value] of Object.entries(flags) as Array<[keyof ClusterFlags, unknown]>) {
    if (value === undefined || value === false || name === 'dryRun' || name === 'serverless') continue;
    if (!VERBS[verb].flags.includes(name))
      throw new UsageError(`--${kebab(name)} does not apply to "${verb}". See npm run cluster -- --help.`);
  }
}

function minutes(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > 24 * 60)
    throw new UsageError(`--timeout is in minutes, from 1 to 1440; got "${text}".`);
  return value;
}

function hours(text: string | undefined): number {
  if (text === undefined) return DEFAULT_REMIND_AFTER_HOURS;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0)
    throw new UsageError(`--remind-after is in hours, 0 or more; got "${text}".`);
  return value;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** delete's choices, the same for a cluster and a Serverless workgroup. */
function deleteOptions(flags: ClusterFlags, dryRun: boolean, maxWaitSeconds: number): DeleteOptions {
  return {
    dryRun,
    yes: Boolean(flags.yes),
    force: Boolean(flags.force),
    keepRole: Boolean(flags.keepRole),
    finalSnapshot: flags.finalSnapshot,
    maxWaitSeconds,
  };
}
