// npm run bench:memory: see src/commands/bench-memory.ts.
import { runCommand } from '../src/cli/command';
import { command } from '../src/commands/bench-memory';

runCommand(command);
