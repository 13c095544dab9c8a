// npm run cluster: see src/commands/cluster.ts.
import { runCommand } from '../src/cli/command';
import { command } from '../src/commands/cluster';

runCommand(command);
