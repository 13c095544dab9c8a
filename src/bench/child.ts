// One measurement in a process of its own, so its peak RSS is its own. The parent passes
// the request in BENCH_REQUEST (JSON; it holds the local server's password, so not argv)
// and reads the result from the last line of stdout.
import { measure, type MeasureRequest } from './measurements';

export const RESULT_PREFIX = 'BENCH_RESULT ';

async function main(): Promise<void> {
  const request = JSON.parse(process.env.BENCH_REQUEST ?? 'null') as MeasureRequest | null;
  if (!request) throw new Error('BENCH_REQUEST is not set; this file is started by src/bench/run.ts');
  const result = await measure(request);
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: Error) => {
      process.stderr.write(`${error.stack ?? error.message}\n`);
      process.exit(1);
    },
  );
}
