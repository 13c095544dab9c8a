// The exit codes of every command, so a script or a scheduler can tell the cases apart:
//   0    it did what was asked
//   1    the work failed: the database, AWS, the data, or a setting in .env or the environment
//   2    the command line is wrong: an unknown verb or flag, a flag's bad value, a missing or
//        extra argument, a flag the verb does not take (UsageError); nothing was started
//   129, 130, 143  stopped by SIGHUP, SIGINT, SIGTERM (128 + the signal's number: src/signals.ts)
import { UsageError } from '../errors';

export function exitCodeOf(error: unknown): 1 | 2 {
  return error instanceof UsageError ? 2 : 1;
}
