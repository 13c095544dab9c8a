// What the two ways of a Redshift load share: the plan redshiftLoad makes (the COPY text,
// the S3 options, the dry run's region comments), the listing's error, and the counts a
// COPY adds to the step's.
import type { Knex } from 'knex';
import { LoadError } from '../../errors';
import type { StepContext, StepStats } from '../../step/contract';
import type { S3Options } from '../s3';
import type { SourceFile } from '../source-files';
import type { StageSpec } from '../stage-spec';
import type { CopyOutcome } from './copy-run';

export const NO_LISTING = 'a dry run does not list S3: the file list needs credentials (s3:ListBucket)';

export interface Plan {
  context: StepContext;
  spec: StageSpec;
  outside: Knex;
  uri: string;
  s3: S3Options;
  /** A dry run's comments about regions: COPY's when it is a guess, the other buckets' when unchecked. */
  regionComment: string;
  /** maxErrors: what is left of --max-errors for this COPY (MAXERROR counts per COPY). */
  copy(from: string, manifest: boolean, gzip: boolean, maxErrors?: number): string;
}

/** A listing of plan.uri; a failure says which credentials the load needs. */
export async function listing<T>(plan: Plan, list: () => Promise<T>): Promise<T> {
  try {
    return await list();
  } catch (error) {
    throw new LoadError(
      `${(error as Error).message}\nThe Redshift load lists ${plan.uri} itself, to choose GZIP per file and to load only new files: ` +
        'it needs credentials that may s3:ListBucket the source bucket (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).',
    );
  }
}

export function addOutcome(
  stats: Required<Pick<StepStats, 'bytes' | 'rowsRead' | 'rowsLoaded' | 'rowsRejected'>>,
  outcome: CopyOutcome,
  files: SourceFile[],
): void {
  stats.bytes += files.reduce((sum, f) => sum + f.size, 0);
  stats.rowsLoaded += outcome.rowsLoaded;
  stats.rowsRejected += outcome.rejects.length;
  stats.rowsRead += outcome.rowsLoaded + outcome.rejects.length;
}
