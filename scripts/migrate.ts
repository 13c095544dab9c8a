// npm run migrate: see src/commands/migrate.ts.
import { runCommand } from '../src/cli/command';
import { command } from '../src/commands/migrate';

runCommand(command);
