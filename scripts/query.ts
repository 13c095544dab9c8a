// npm run query: see src/commands/query.ts.
import { runCommand } from '../src/cli/command';
import { command } from '../src/commands/query';

runCommand(command);
