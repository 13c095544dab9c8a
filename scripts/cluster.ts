// npm run cluster -- <verb> [flags]: create, status, pause, resume, delete, wait, endpoint.
// Parses the arguments and builds the real AWS clients; the work is in src/cluster/.
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { dropOutputOnClosedPipe } from '../src/cli/closed-pipe';
import { runMain } from '../src/cli/main';
import { PROJECT_ROOT, loadConfig, readEnv } from '../src/config';
import { type ServerlessUsage, readServerlessUsage } from '../src/cluster/serverless/usage';
import { withWarehouse } from '../src/targets/connect';
import { clusterClients } from '../src/cluster/clients';
import { type ClusterFlags, USAGE, runCluster } from '../src/cluster/run';
import { pollingWaiters } from '../src/cluster/waits';

dropOutputOnClosedPipe();

runMain(async (argv) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
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
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    console.error(USAGE);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length > 1) {
    console.error(`error: one verb at a time; got "${positionals.join(' ')}".`);
    return 2;
  }
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
  const clock = { sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)), now: () => new Date(), out: (line: string) => console.log(line) };
  return runCluster(positionals[0], flags, env, {
    ...clusterClients(env),
    ...clock,
    waiters: pollingWaiters(clock),
    delays: { minDelay: 15, maxDelay: 120 },
    err: (line) => console.error(line),
    ask,
    findPublicIp,
    envFile: path.join(PROJECT_ROOT, '.env'),
    // status --serverless reads the RPU-hours used on the workgroup itself, when .env says where it is.
    ...(env.REDSHIFT_HOST ? { serverlessUsage: (since: Date) => readUsage(env, since) } : {}),
  });
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
