// Flag parsing shared by every command (node's own parseArgs; no dependency needed).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../errors';

export const commonOptions = {
  target: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

export function parseCommand<O extends NonNullable<ParseArgsConfig['options']>>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options: { ...commonOptions, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ConfigError(`${(error as Error).message.split('\n')[0]}. See \`npm run ${command} -- --help\`.`);
  }
}
