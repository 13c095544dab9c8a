// What every verb is given instead of reaching for globals: the SDK clients, time, the
// terminal and the .env file. The CLI builds the real ones; tests pass fakes and mocks.
import type { RedshiftClient } from '@aws-sdk/client-redshift';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import type { UsageReader } from './serverless/usage';

export interface ClusterClients {
  redshift: RedshiftClient;
  iam: IAMClient;
  ec2: EC2Client;
  serverless: RedshiftServerlessClient;
}

export interface WaitOptions {
  clusterId: string;
  maxWaitSeconds: number;
  minDelay: number;
  maxDelay: number;
  /**
   * Right after CreateCluster, how long ClusterNotFound still means "not visible yet" (AWS
   * APIs are eventually consistent); otherwise a missing cluster ends the wait at once.
   */
  notFoundGraceSeconds?: number;
}

/** Waiting for a cluster's state: the SDK's waiters in the CLI (waits.ts), instant fakes in tests. */
export interface Waiters {
  untilAvailable(client: RedshiftClient, options: WaitOptions): Promise<void>;
  untilDeleted(client: RedshiftClient, options: WaitOptions): Promise<void>;
}

export interface ClusterDeps extends ClusterClients {
  sleep(ms: number): Promise<void>;
  now(): Date;
  /** One line of normal output. */
  out(line: string): void;
  waiters: Waiters;
  /** Polling delays in seconds, for our own polls and the SDK waiters. */
  delays: { minDelay: number; maxDelay: number };
  /** Asks a question on the terminal and returns the answer ('' if there is no terminal). */
  ask(question: string): Promise<string>;
  /** The caller's public IPv4 address, or undefined if it cannot be found (offline). */
  findPublicIp(): Promise<string | undefined>;
  /** The .env file create writes the endpoint into. */
  envFile: string;
  /** RPU-hours charged since a time, read on the Serverless workgroup; absent when no connection is configured. */
  serverlessUsage?: UsageReader;
}

/** The tag that marks what this tool created, so delete never removes anything else. */
export const MANAGED_BY_TAG = { Key: 'managed-by', Value: 'sparkify-warehouse' } as const;

export function hasOurTag(tags: ReadonlyArray<{ Key?: string; Value?: string }> | undefined): boolean {
  return (tags ?? []).some((t) => t.Key === MANAGED_BY_TAG.Key && t.Value === MANAGED_BY_TAG.Value);
}
