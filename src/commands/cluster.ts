// npm run cluster -- <verb> [flags]: create, status, pause, resume, delete, wait, endpoint.
// Builds the real AWS clients, the clock and the prompt; the work is runCluster (src/cluster/run.ts).
import path from 'node:path';
import readline from 'node:readline';
import { dropOutputOnClosedPipe } from '../cli/closed-pipe';
import { defineCommand } from '../cli/command';
import { PROJECT_ROOT, loadConfig, readEnv } from '../config';
import { type ServerlessUsage, readServerlessUsage } from '../cluster/serverless/usage';
import { withWarehouse } from '../targets/connect';
import { clusterClients } from '../cluster/clients';
import { type ClusterFlags, USAGE, runCluster } from '../cluster/run';
import { pollingWaiters } from '../cluster/waits';

export const command = defineCommand({
  name: 'cluster',
  help: USAGE,
  flags: {
    'dry-run': { type: 'boolean' },
    serverless: { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
    force: { type: 'boolean' },
    public: { type: 'boolean' },
    'keep-role': { type: 'boolean' },
    'allow-cidr': { type: 'string' },
    'final-snapshot': { type: 'string' },
    timeout: { type: 'string' },
    'remind-after': { type: 'string' },
  },
  args: { max: 1, what: 'one verb at a time' },
  handler: async ({ values, positionals }, out) => {
    dropOutputOnClosedPipe();
    const flags: ClusterFlags = {
      dryRun: values['dry-run'],
      serverless: values.serverless,
      yes: values.yes,
      force: values.force,
      public: values.public,
      keepRole: values['keep-role'],
      allowCidr: values['allow-cidr'],
      finalSnapshot: values['final-snapshot'],
      timeout: values.timeout,
      remindAfter: values['remind-after'],
    };
    const env = readEnv(PROJECT_ROOT);
    const clock = {
      sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
      now: () => new Date(),
      out: out.print,
    };
    return runCluster(positionals[0], flags, env, {
      ...clusterClients(env),
      ...clock,
      waiters: pollingWaiters(clock),
      delays: { minDelay: 15, maxDelay: 120 },
      err: out.log,
      ask,
      findPublicIp,
      envFile: path.join(PROJECT_ROOT, '.env'),
      // status --serverless reads the RPU-hours used on the workgroup itself, when .env says where it is.
      ...(env.REDSHIFT_HOST ? { serverlessUsage: (since: Date) => readUsage(env, since) } : {}),
    });
  },
});

async function readUsage(env: NodeJS.ProcessEnv, since: Date): Promise<ServerlessUsage> {
  return withWarehouse(loadConfig({ env, target: 'redshift' }), ({ knex }) => readServerlessUsage(knex, since));
}

/** One line from the terminal; '' when stdin closes first (a script without --yes). */
function ask(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
    let answered = false;
    rl.on('close', () => {
      if (!answered) resolve('');
    });
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      resolve(answer);
    });
  });
}

/** AWS's own echo service; any failure means "unknown", and create then asks for --allow-cidr. */
async function findPublicIp(): Promise<string | undefined> {
  try {
    const response = await fetch('https://checkip.amazonaws.com/', { signal: AbortSignal.timeout(5000) });
    const text = (await response.text()).trim();
    return response.ok && /^\d{1,3}(\.\d{1,3}){3}$/.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}
