// What every session of one stand-in shares: its settings, the counters Redshift's ids come
// from, the admin connection that writes the system logs, and the statement log.
import type pg from 'pg';
import type { S3Reader } from './copy';
import type { Session } from './session';

export type Deployment = 'provisioned' | 'serverless';

export interface LoggedStatement {
  session: number;
  user: string;
  text: string;
  /** Set when the statement failed or was refused: the message the client got. */
  error?: string;
}

export interface StandinContext {
  deployment: Deployment;
  /** The database name clients must connect to. */
  database: string;
  auth: {
    /** The passwords that may log `user` in to `database` now. */
    candidates(user: string, database: string): string[];
  };
  /** A real PostgreSQL database: each session opens its own connection to it. */
  backing: pg.ClientConfig;
  /** Autocommit connection for the system logs (not rolled back with a client's transaction). */
  admin: pg.Client;
  tls: { key: Buffer; cert: Buffer };
  s3: S3Reader;
  superusers: Set<string>;
  log: LoggedStatement[];
  sessions: Set<Session>;
  nextSessionId(): number;
  nextQueryId(): number;
  /** A stable numeric id for a user name (Redshift's usesysid). */
  userId(user: string): number;
}
