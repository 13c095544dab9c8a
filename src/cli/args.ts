// Flag parsing shared by every command (node's own parseArgs; no dependency needed).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors';

export type Flags = NonNullable<ParseArgsConfig['options']>;

/** --target: the commands that connect to a warehouse. */
export const targetFlag = { target: { type: 'string' } } as const satisfies Flags;

/** --target and --dry-run: the commands that connect to a warehouse and can show their SQL instead. */
export const warehouseFlags = {
  ...targetFlag,
  'dry-run': { type: 'boolean', default: false },
} as const satisfies Flags;

const helpFlag = { help: { type: 'boolean', short: 'h', default: false } } as const satisfies Flags;

/** Strict: a flag the command does not declare is a usage error (exit 2) that names it. */
export function parseCommand<F extends Flags>(command: string, argv: string[], flags: F) {
  try {
    return parseArgs({ args: argv, options: { ...helpFlag, ...flags }, allowPositionals: true, strict: true });
  } catch (error) {
    // node's own advice about positionals that start with '-' is not about this mistake.
    const message = (error as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '');
    throw new UsageError(`${message}. See \`npm run ${command} -- --help\`.`);
  }
}

/**
 * The whole-number flag parser of every command: `--flag N`, at least `min`, or `fallback`
 * when the flag is absent. A wrong value is a usage error (exit 2) that names the flag.
 */
export function wholeNumberFlag(flag: string, text: string | undefined, fallback: number, min = 0): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text.trim()) || Number(text) < min)
    throw new UsageError(`--${flag} takes a whole number${min > 0 ? ` of at least ${min}` : ''}; got "${text}".`);
  return Number(text);
}
