// npm run transform [-- --only <step> | --from <step> --to <step>] [--full-refresh] [--full] [--max-errors N] [--accept-invalid-chars [C]] [--no-wait] [--json] [--dry-run] [--target T]
// npm run check is `transform --only check_quality`. The work is runTransformCommand (src/transform/command.ts).
import { warehouseFlags, wholeNumberFlag } from '../cli/args';
import { defineCommand } from '../cli/command';
import { loadConfig } from '../config';
import { UsageError } from '../errors';
import { checkReplacementChar, withAcceptInvalidCharsDefault } from '../load/json/invalid-chars';
import { runTransformCommand } from '../transform/command';

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

export const command = defineCommand({
  name: 'transform',
  help: HELP,
  flags: {
    ...warehouseFlags,
    only: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    'full-refresh': { type: 'boolean', default: false },
    full: { type: 'boolean', default: false },
    'max-errors': { type: 'string', default: '0' },
    'accept-invalid-chars': { type: 'string' },
    'no-wait': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
  rewrite: withAcceptInvalidCharsDefault,
  handler: async ({ values }, out) => {
    const maxErrors = wholeNumberFlag('max-errors', values['max-errors'], 0);
    const invalidChars = values['accept-invalid-chars'];
    const acceptInvalidChars = invalidChars === undefined ? undefined : checkReplacementChar(invalidChars);
    if (values.json && values['dry-run'])
      throw new UsageError('--json summarises a run; a --dry-run prints SQL instead. Use one of them.');
    const config = loadConfig({ target: values.target, dryRun: values['dry-run'] });
    // With --json, stdout carries the summary alone, for orchestrators: the rest goes to stderr.
    const { failed, summary } = await runTransformCommand(config, {
      selection: { only: values.only, from: values.from, to: values.to },
      options: {
        fullRefresh: values['full-refresh'],
        maxErrors,
        dryRun: values['dry-run'],
        acceptInvalidChars,
        fullChecks: values.full,
      },
      noWait: values['no-wait'],
      print: values.json ? out.log : out.print,
    });
    if (values.json) out.print(JSON.stringify(summary, null, 2));
    return failed ? 1 : 0;
  },
});
