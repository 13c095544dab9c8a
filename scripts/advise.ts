// npm run advise: see src/commands/advise.ts.
import { runCommand } from '../src/cli/command';
import { command } from '../src/commands/advise';

runCommand(command);
