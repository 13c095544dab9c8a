// After delete: .env must not keep pointing at what is gone. REDSHIFT_HOST (with its
// REDSHIFT_PORT) is removed when it names the deleted cluster's or workgroup's endpoint, and
// REDSHIFT_IAM_ROLE_ARN when it names the role delete removed; a value pointing elsewhere
// (another cluster, a role of your own) is left as it is.
import { envFileValue, removeEnvSettings } from './env-file';

export interface Deleted {
  /** The endpoint's host when it was known before deleting. */
  host?: string;
  /** The cluster id or workgroup name: AWS endpoints start with it (<id>.<unique id>.<region>.redshift.amazonaws.com). */
  name: string;
  /** redshift.amazonaws.com for a cluster, redshift-serverless.amazonaws.com for a workgroup. */
  domain: string;
  /** The ARN of the role delete removed, if it removed one. */
  roleArn?: string;
}

export function forgetDeleted(envFile: string, deleted: Deleted, out: (line: string) => void): void {
  const host = envFileValue(envFile, 'REDSHIFT_HOST');
  const isDeletedHost =
    host !== undefined &&
    (host === deleted.host || (host.startsWith(`${deleted.name}.`) && host.endsWith(`.${deleted.domain}`)));
  const keys = [
    ...(isDeletedHost ? ['REDSHIFT_HOST', 'REDSHIFT_PORT'] : []),
    ...(deleted.roleArn && envFileValue(envFile, 'REDSHIFT_IAM_ROLE_ARN') === deleted.roleArn
      ? ['REDSHIFT_IAM_ROLE_ARN']
      : []),
  ].filter((key) => envFileValue(envFile, key) !== undefined);
  if (keys.length === 0) return;
  removeEnvSettings(envFile, keys);
  out(
    `Removed ${keys.join(', ')} from ${envFile}: they named what was deleted. npm run cluster -- create writes them again.`,
  );
}
