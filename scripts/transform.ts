// npm run transform: see src/commands/transform.ts.
import { runCommand } from '../src/cli/command';
import { command } from '../src/commands/transform';

runCommand(command);
