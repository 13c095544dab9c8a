// npm run start: see src/commands/start.ts.
import { runCommand } from '../src/cli/command';
import { command } from '../src/commands/start';

runCommand(command);
