// npm run generate: see src/commands/generate.ts.
import { runCommand } from '../src/cli/command';
import { command } from '../src/commands/generate';

runCommand(command);
