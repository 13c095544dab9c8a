// npm run bench: see src/commands/bench.ts.
import { runCommand } from '../src/cli/command';
import { command } from '../src/commands/bench';

runCommand(command);
