// npm run bench:memory -- [--events 200000] [--work-dir DIR]
// The loader's peak RSS on a 1 GB line and a 5 GB file without a newline, each rejected
// as a line, against a normal load's (see src/bench/memory.ts).
import os from 'node:os';
import path from 'node:path';
import { parseCommand, wholeNumberFlag } from '../src/cli/args';
import { runMain } from '../src/cli/main';
import { runMemoryBench } from '../src/bench/memory';

runMain(async (argv) => {
  const { values } = parseCommand('bench:memory', argv, {
    events: { type: 'string', default: '200000' },
    'work-dir': { type: 'string', default: path.join(os.tmpdir(), 'sparkify-bench-memory') },
  });
  const events = wholeNumberFlag('events', values.events, 0, 1);
  await runMemoryBench({ workDir: values['work-dir'], events, log: (m) => console.log(m) });
});
