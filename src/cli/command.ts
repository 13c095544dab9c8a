// A command as every script runs it: src/commands/<verb>.ts exports a plain function that
// does the work and a definition (name, help, flags, and a handler from the parsed flags to
// that function); scripts/<verb>.ts is `runCommand(command)`. The runner parses the flags
// strictly, prints --help, refuses stray arguments, and ends with the exit code of
// src/cli/exit-codes.ts (through runMain).
import { type Flags, parseCommand } from './args';
import { runMain } from './main';
import { UsageError } from '../errors';

/** Where a command prints: what it was asked for (stdout), and progress and notes (stderr). */
export interface Output {
  print(text: string): void;
  log(text: string): void;
}

export const STANDARD_OUTPUT: Output = { print: (text) => console.log(text), log: (text) => console.error(text) };

type Parsed<F extends Flags> = ReturnType<typeof parseCommand<F>>;

export interface CommandDefinition<F extends Flags> {
  /** As typed after `npm run`: history, bench:memory. */
  name: string;
  /** What --help prints. */
  help: string;
  /** Every flag it takes besides --help. */
  flags: F;
  /** The arguments besides flags it takes, at most `max` (default none), as the error names them ("one verb"). */
  args?: { max: number; what: string };
  /** The command line before parsing, for a flag whose value is optional (transform's --accept-invalid-chars). */
  rewrite?: (argv: string[]) => string[];
  handler(parsed: Parsed<F>, out: Output): Promise<number | void>;
}

export function defineCommand<F extends Flags>(definition: CommandDefinition<F>): CommandDefinition<F> {
  return definition;
}

/** The command without the process: its exit code, or the error that sets it (a UsageError: 2). */
export async function runCommandLine<F extends Flags>(
  definition: CommandDefinition<F>,
  argv: string[],
  out: Output = STANDARD_OUTPUT,
): Promise<number> {
  try {
    const parsed = parseCommand(
      definition.name,
      definition.rewrite ? definition.rewrite(argv) : argv,
      definition.flags,
    );
    if ((parsed.values as { help?: boolean }).help) {
      out.print(definition.help);
      return 0;
    }
    const { max, what } = definition.args ?? { max: 0, what: 'no arguments' };
    if (parsed.positionals.length > max) {
      const extra = parsed.positionals
        .slice(max)
        .map((p) => `"${p}"`)
        .join(' ');
      throw new UsageError(`npm run ${definition.name} takes ${what}; got ${extra}.`);
    }
    return (await definition.handler(parsed, out)) ?? 0;
  } catch (error) {
    // Every usage error ends naming where the usage is.
    if (error instanceof UsageError && !error.message.includes('--help'))
      throw new UsageError(`${error.message} See \`npm run ${definition.name} -- --help\`.`);
    throw error;
  }
}

export function runCommand<F extends Flags>(definition: CommandDefinition<F>): void {
  runMain((argv) => runCommandLine(definition, argv));
}
