// npm run transform [-- --only <step> | --from <step> --to <step>] [--full-refresh] [--full] [--max-errors N] [--accept-invalid-chars [C]] [--no-wait] [--json] [--dry-run] [--target T]
import { parseCommand, wholeNumberFlag } from '../src/cli/args';
import { runMain } from '../src/cli/main';
import { loadConfig } from '../src/config';
import { ConfigError } from '../src/errors';
import { checkReplacementChar, withAcceptInvalidCharsDefault } from '../src/load/json/invalid-chars';
import { runTransformCommand } from '../src/transform/command';

const HELP = `Usage: npm run transform [-- options]
  --only <step>     run one step (070_fact_songplays, 070 or fact_songplays)
  --from <step>     run a step and every step after it
  --to <step>       stop after this step (--to 070: the checks run separately with npm run check)
  --full-refresh    reload every file and rebuild every table, in one transaction
  --full            the quality checks read every row, not only what the runs wrote
                    since the last checks (npm run check -- --full)
  --max-errors N    let a load reject up to N lines (kept in load_errors); default 0
  --accept-invalid-chars [C]
                    load text with invalid UTF-8, each bad byte replaced by C (default ?),
                    as Redshift's ACCEPTINVCHARS; without it such a line is rejected
  --no-wait         stop at once (exit 1) if another transform or a migrate is running
  --json            print the run's summary as JSON on stdout; progress goes to stderr
  --dry-run         print every statement for the target without connecting
  --target T        local (default), postgres or redshift`;

runMain(async (argv) => {
  const { values } = parseCommand('transform', withAcceptInvalidCharsDefault(argv), {
    only: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    'full-refresh': { type: 'boolean', default: false },
    full: { type: 'boolean', default: false },
    'max-errors': { type: 'string', default: '0' },
    'accept-invalid-chars': { type: 'string' },
    'no-wait': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const maxErrors = wholeNumberFlag('max-errors', values['max-errors'], 0);
  const invalidChars = values['accept-invalid-chars'];
  const acceptInvalidChars = invalidChars === undefined ? undefined : checkReplacementChar(invalidChars);
  if (values.json && values['dry-run']) throw new ConfigError('--json summarises a run; a --dry-run prints SQL instead. Use one of them.');
  const config = loadConfig({ target: values.target, dryRun: values['dry-run'] });
  // With --json, stdout carries the summary alone, for orchestrators: the rest goes to stderr.
  const print = values.json ? (text: string) => process.stderr.write(`${text}\n`) : undefined;
  const { failed, summary } = await runTransformCommand(config, {
    selection: { only: values.only, from: values.from, to: values.to },
    options: { fullRefresh: values['full-refresh'], maxErrors, dryRun: values['dry-run'], acceptInvalidChars, fullChecks: values.full },
    noWait: values['no-wait'],
    print,
  });
  if (values.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  return failed ? 1 : 0;
});
