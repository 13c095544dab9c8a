// The one way a command ends: its result sets the exit code; an error prints one clear,
// redacted message (with the stack only when DEBUG is set) and exits with the code
// src/cli/exit-codes.ts gives it.
import { readEnv } from '../config';
import { secretsIn } from '../secrets';
import { WarehouseError, redact } from '../errors';
import { exitCodeOf } from './exit-codes';

// The AWS SDK warns on every client that Node 20 support ends in 2027; the README says
// which Node to run, so keep the commands' output to what the user asked for.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export function runMain(command: (argv: string[]) => Promise<number | void>): void {
  command(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (error: unknown) => {
      const secrets = secretsIn(readEnv());
      const err = error instanceof Error ? error : new Error(String(error));
      const text =
        err instanceof WarehouseError || !process.env.DEBUG
          ? `${err.name === 'Error' ? 'error' : err.name}: ${err.message}`
          : String(err.stack);
      process.stderr.write(`${redact(text, secrets)}\n`);
      if (!(err instanceof WarehouseError) && !process.env.DEBUG)
        process.stderr.write('(set DEBUG=1 for the stack trace)\n');
      process.exitCode = exitCodeOf(err);
    },
  );
}
