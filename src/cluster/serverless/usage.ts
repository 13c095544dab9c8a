// RPU-hours used in the usage limit's current period, read from SYS_SERVERLESS_USAGE
// (https://docs.aws.amazon.com/redshift/latest/dg/SYS_SERVERLESS_USAGE.html): charged_seconds
// are the RPU-seconds billed, "use charged_seconds to calculate the cost". The view keeps
// 7 days and is visible to superusers only, so a monthly figure covers at most a week, and
// for anyone else it holds no rows: their sum would read 0, which is not what was used. So
// the user is asked first, in PG_USER (usesuper; "Creating, altering, and deleting users",
// https://docs.aws.amazon.com/redshift/latest/dg/r_Users-creatingaltering-and-deleting-users.html),
// and the usage is read only for a superuser. Two statements: PG_USER is a leader-node
// catalog, which Redshift does not join with a SYS view in one query.
import type { Knex } from 'knex';
import type { UsagePeriod } from './settings';

const SUPERUSER_SQL = 'select usesuper from pg_user where usename = current_user';

export const USAGE_SQL =
  'select coalesce(sum(charged_seconds), 0) / 3600.0 as rpu_hours from sys_serverless_usage where start_time >= cast(? as timestamp)';

/**
 * The period's start as the text USAGE_SQL binds: UTC, as start_time is (a timestamp without
 * zone). A Date bound as it is would reach the server in the machine's own zone and move the
 * period by that offset.
 */
export function usageSince(since: Date): string {
  return since.toISOString().slice(0, 19).replace('T', ' ');
}

/** Start of the current period in UTC: today, this week (from Monday) or this month. */
export function periodStart(period: UsagePeriod, now: Date): Date {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  if (period === 'daily') return day;
  if (period === 'monthly') return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * 86_400_000);
}

/** The RPU-hours since a time, or 'needs-superuser' when the view would show this user nothing. */
export type ServerlessUsage = { rpuHours: number } | 'needs-superuser';

/** How status reads usage: by queries on the workgroup, given by the CLI (tests pass a fake). */
export type UsageReader = (since: Date) => Promise<ServerlessUsage>;

export async function readServerlessUsage(knex: Knex, since: Date): Promise<ServerlessUsage> {
  const user = await knex.raw(SUPERUSER_SQL);
  if (user.rows[0]?.usesuper !== true) return 'needs-superuser';
  const result = await knex.raw(USAGE_SQL, [usageSince(since)]);
  return { rpuHours: Number(result.rows[0]?.rpu_hours ?? 0) };
}
