// Typed errors. Each message says what went wrong and what to do about it, so the
// commands can print `error.message` as it is and exit non-zero.
import { maskConnectionStrings } from './secrets';

export class WarehouseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A setting is missing or malformed. Names the variable and what to put there. */
export class ConfigError extends WarehouseError {}

/** The command line itself is wrong (an unknown verb, a stray argument): exit code 2, nothing started. */
export class UsageError extends ConfigError {}

/** A source file could not be loaded: names the file, the line and the fix. */
export class LoadError extends WarehouseError {}

/** A data-quality check found offending rows. */
export class QualityError extends WarehouseError {}

/** An ad hoc statement (npm run query) failed on the server: the SQL is wrong, not the settings. */
export class QueryError extends WarehouseError {}

/** Another run holds the migration lock. */
export class MigrationLockError extends WarehouseError {}

/** Replaces every secret we know of in a text with `***`, for messages and logs. */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  // Connection strings first, while they still parse: their password may be in the
  // userinfo or the query, percent-encoded, and shorter than the floor below.
  let out = maskConnectionStrings(text);
  for (const secret of secrets) {
    if (secret && secret.length >= 3) out = out.split(secret).join('***');
  }
  return out;
}

/** AWS refused or failed a call: says which, and what to do (credentials, quota, state). */
export class CloudError extends WarehouseError {}

/** Another transform (or a migrate) holds the run lock and the user asked not to wait. */
export class RunLockError extends WarehouseError {}

/** The run lock's connection died mid-run (a terminated backend, a dropped network): the run stops. */
export class RunLockLostError extends RunLockError {}
