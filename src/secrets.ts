// The one list of settings whose values must never be printed, and the one way to show a
// connection string. Every command's output and error messages are redacted with
// secretsIn(env) (see redact in errors.ts), and every place that names a target shows its
// URL through maskConnectionString.

/** Variables that hold a secret as they are; DATABASE_URL's secrets are added by secretsIn. */
const SECRET_SETTINGS = [
  'REDSHIFT_PASSWORD',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_ACCESS_KEY_ID',
] as const;

/**
 * Query parameters that carry a secret. node-pg (pg-connection-string) and libpq take any
 * connection parameter from the query string, `password` (which wins over the userinfo's),
 * `sslpassword`, `sslkey` among them; any name that says password, secret, token or key is
 * masked, so a parameter we have not heard of is hidden rather than printed.
 */
const SECRET_PARAMETER = /pass|pwd|secret|token|key|credential/i;

const MASK = '***';

/** The secret values set in `env`, for redact(). */
export function secretsIn(env: NodeJS.ProcessEnv): string[] {
  return [...SECRET_SETTINGS.map((name) => env[name]), ...urlSecrets(env.DATABASE_URL)].filter((s): s is string =>
    Boolean(s),
  );
}

/**
 * A connection string as people may see it: the userinfo's password, every secret query
 * parameter and the fragment (a `#` in an unencoded password starts one) replaced with
 * `***`. Parsed as node-pg parses it (WHATWG URL), so the secrets are found where the
 * driver finds them; a string that does not parse is masked whole after its scheme.
 * Without a secret the text comes back as written.
 */
export function maskConnectionString(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0] ?? '';
  const parsed = parseUrl(url);
  if (!parsed) return `${scheme}${MASK}`;
  const query = parsed.search.slice(1).split('&');
  const maskedQuery = query.map((pair) => (isSecretPair(pair) ? `${pair.slice(0, pair.indexOf('='))}=${MASK}` : pair));
  const secretHash = SECRET_PARAMETER.test(parsed.hash);
  if (!parsed.password && !secretHash && maskedQuery.every((pair, i) => pair === query[i])) return url;
  const userinfo = parsed.username || parsed.password ? `${parsed.username}${parsed.password ? `:${MASK}` : ''}@` : '';
  const search = parsed.search ? `?${maskedQuery.join('&')}` : '';
  return `${parsed.protocol}//${userinfo}${parsed.host}${parsed.pathname}${search}${parsed.hash ? `#${MASK}` : ''}`;
}

/** Every URL inside a text (a message, an error) through maskConnectionString. */
export function maskConnectionStrings(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi, (url) => maskConnectionString(url));
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

function isSecretPair(pair: string): boolean {
  const equals = pair.indexOf('=');
  if (equals < 0 || equals === pair.length - 1) return false;
  // The name as the driver reads it: percent-decoded, + as a space (URLSearchParams).
  const [name] = [...new URLSearchParams(pair).keys()];
  return name !== undefined && SECRET_PARAMETER.test(name);
}

/** The password and secret parameters of a connection string, decoded as the driver decodes them. */
function urlSecrets(url: string | undefined): string[] {
  const parsed = url ? parseUrl(url) : undefined;
  if (!parsed) return [];
  const secrets = [...parsed.searchParams].filter(([name]) => SECRET_PARAMETER.test(name)).map(([, value]) => value);
  if (parsed.password) secrets.push(decoded(parsed.password));
  return secrets;
}

function decoded(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw; // a bare % that is not an escape: the password is the text as written
  }
}
