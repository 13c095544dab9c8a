// npm run report: see src/commands/report.ts.
import { runCommand } from '../src/cli/command';
import { command } from '../src/commands/report';

runCommand(command);
