// npm start: migrate + transform + checks on the configured target (embedded by default).
// The work is startMainJob (src/start.ts).
import { targetFlag } from '../cli/args';
import { defineCommand } from '../cli/command';
import { loadConfig } from '../config';
import { startMainJob } from '../start';

export const command = defineCommand({
  name: 'start',
  help: 'Usage: npm start [-- --target local|postgres|redshift]: migrate, transform and check, then summarise.',
  flags: targetFlag,
  handler: async ({ values }, out) => ((await startMainJob(loadConfig({ target: values.target }), out.print)) ? 0 : 1),
});
