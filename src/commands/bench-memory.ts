// npm run bench:memory -- [--events 200000] [--work-dir DIR]
// The loader's peak RSS on a 1 GB line and a 5 GB file without a newline, each rejected
// as a line, against a normal load's. The work is runMemoryBench (src/bench/memory.ts).
import os from 'node:os';
import path from 'node:path';
import { wholeNumberFlag } from '../cli/args';
import { defineCommand } from '../cli/command';
import { runMemoryBench } from '../bench/memory';

export const command = defineCommand({
  name: 'bench:memory',
  help:
    'Usage: npm run bench:memory -- [--events 200000] [--work-dir DIR]\n' +
    "  the loader's peak RSS on a 1 GB line and a 5 GB file without a newline, each rejected as a line, against a normal load of --events events",
  flags: {
    events: { type: 'string', default: '200000' },
    'work-dir': { type: 'string', default: path.join(os.tmpdir(), 'sparkify-bench-memory') },
  },
  handler: async ({ values }, out) => {
    const events = wholeNumberFlag('events', values.events, 0, 1);
    await runMemoryBench({ workDir: values['work-dir'], events, log: out.print });
  },
});
