// Flag parsing shared by every command (node's own parseArgs; no dependency needed).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors';

export const commonOptions = {
  target: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

/** Only --help: for commands that never connect or write SQL (bench, compact, generate). */
export const helpOnly = { help: commonOptions.help } as const satisfies ParseArgsConfig['options'];

export function parseCommand<O extends NonNullable<ParseArgsConfig['options']>, C extends NonNullable<ParseArgsConfig['options']> = typeof commonOptions>(
  command: string,
  argv: string[],
  options: O,
  common: C = commonOptions as unknown as C,
) {
  try {
    return parseArgs({ args: argv, options: { ...common, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]}. See \`npm run ${command} -- --help\`.`);
  }
}

/**
 * The whole-number flag parser of every command: `--flag N`, at least `min`, or `fallback`
 * when the flag is absent. A wrong value is a usage error (exit 2) that names the flag.
 */
export function wholeNumberFlag(flag: string, text: string | undefined, fallback: number, min = 0): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text.trim()) || Number(text) < min) throw new UsageError(`--${flag} takes a whole number${min > 0 ? ` of at least ${min}` : ''}; got "${text}".`);
  return Number(text);
}
