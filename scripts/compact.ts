// npm run compact: see src/commands/compact.ts.
import { runCommand } from '../src/cli/command';
import { command } from '../src/commands/compact';

runCommand(command);
