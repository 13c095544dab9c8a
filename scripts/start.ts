// npm start: migrate + transform + checks on the configured target (embedded by default).
import { parseCommand } from '../src/cli/args';
import { runMain } from '../src/cli/main';
import { loadConfig } from '../src/config';
import { startMainJob } from '../src/start';

runMain(async (argv) => {
  const { values } = parseCommand('start', argv, {});
  if (values.help) {
    console.log('Usage: npm start [-- --target local|postgres|redshift]: migrate, transform and check, then summarise.');
    return 0;
  }
  const ok = await startMainJob(loadConfig({ target: values.target }));
  return ok ? 0 : 1;
});
