// The one list of settings whose values must never be printed. Every command's output
// and error messages are redacted with secretsIn(env) (see redact in errors.ts).

/** Variables that hold a secret as they are; DATABASE_URL's password is added by secretsIn. */
export const SECRET_SETTINGS = ['REDSHIFT_PASSWORD', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ACCESS_KEY_ID'] as const;

/** The secret values set in `env`, for redact(). */
export function secretsIn(env: NodeJS.ProcessEnv): string[] {
  return [...SECRET_SETTINGS.map((name) => env[name]), passwordOf(env.DATABASE_URL)].filter((s): s is string => Boolean(s));
}

function passwordOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let raw: string;
  try {
    raw = new URL(url).password;
  } catch {
    return undefined;
  }
  if (!raw) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw; // a bare % that is not an escape: the password is the text as written
  }
}
