// npm run history: see src/commands/history.ts.
import { runCommand } from '../src/cli/command';
import { command } from '../src/commands/history';

runCommand(command);
