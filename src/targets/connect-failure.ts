// A Redshift endpoint that cannot be reached: give up after REDSHIFT_CONNECT_TIMEOUT, and
// say why that usually is. `npm run cluster -- create` makes a private cluster (and a
// workgroup private) by default, so from a laptop the first connection meets a port that
// never answers; without a time limit node-pg waits for the operating system's TCP timeout
// (minutes) and then reports only "read ECONNRESET". node-pg's connectionTimeoutMillis
// covers the whole start-up, TLS included, and fails with "timeout expired".
import type { Knex } from 'knex';
import type { RedshiftConnection } from '../config-redshift';
import { CloudError } from '../errors';

export function connectTimeoutMs(r: Pick<RedshiftConnection, 'connectTimeoutSeconds'>): number {
  return Math.round(r.connectTimeoutSeconds * 1000);
}

/** Failures before the server said anything: the name does not resolve, or nothing (or nothing useful) answers. */
const UNRESOLVED = /\b(ENOTFOUND|EAI_AGAIN)\b/;
const NO_ANSWER =
  /timeout expired|\b(ETIMEDOUT|ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH)\b|Connection terminated unexpectedly/;

const PRIVATE_BY_DEFAULT =
  'A cluster or workgroup that npm run cluster -- create made is private unless --public: from outside its VPC, connect through a bastion host or an ' +
  'SSM port-forwarding tunnel (then point REDSHIFT_HOST and REDSHIFT_PORT at the tunnel), run the tool inside the VPC, or make it reachable from your address ' +
  'with npm run cluster -- create --public --allow-cidr <your IP>/32. Check too that it is available (npm run cluster -- status).';

/** The connect error said in terms of the fix, or undefined when it is not one of these. */
export function explainConnectFailure(
  error: unknown,
  r: Pick<RedshiftConnection, 'host' | 'port' | 'connectTimeoutSeconds'>,
): CloudError | undefined {
  const message = String((error as Error)?.message ?? error);
  const code = String((error as { code?: unknown })?.code ?? '');
  const where = `Could not connect to Redshift at ${r.host}:${r.port}`;
  if (UNRESOLVED.test(`${code} ${message}`)) {
    return new CloudError(
      `${where}: the host name does not resolve (${message}). Check REDSHIFT_HOST: npm run cluster -- endpoint prints the current one (a deleted cluster's name stops resolving).`,
    );
  }
  if (NO_ANSWER.test(`${code} ${message}`)) {
    const what = /timeout expired/.test(message)
      ? `no answer within ${r.connectTimeoutSeconds} s (REDSHIFT_CONNECT_TIMEOUT)`
      : `the connection failed (${message})`;
    return new CloudError(`${where}: ${what}. ${PRIVATE_BY_DEFAULT}`);
  }
  return undefined;
}

/**
 * Every connection the warehouse opens (the pool's and the run lock's own) reports a
 * connect failure with the explanation above; errors after connecting pass unchanged.
 */
export function explainConnectFailures(
  knex: Knex,
  r: Pick<RedshiftConnection, 'host' | 'port' | 'connectTimeoutSeconds'>,
): void {
  const client = knex.client as Knex.Client & {
    acquireConnection(): Promise<unknown>;
    acquireRawConnection(): Promise<unknown>;
  };
  for (const method of ['acquireConnection', 'acquireRawConnection'] as const) {
    const original = client[method].bind(client);
    client[method] = async () => {
      try {
        return await original();
      } catch (error) {
        // The pool makes its connections with acquireRawConnection: explained once already.
        throw error instanceof CloudError ? error : (explainConnectFailure(error, r) ?? error);
      }
    };
  }
}
