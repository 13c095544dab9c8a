// The region COPY's REGION names: the region of the bucket the data is in, not the
// cluster's (AWS "COPY from Amazon S3": "If the Amazon S3 buckets that hold the data files
// don't reside in the same AWS Region as your cluster, you must use the REGION parameter").
import type { WarehouseConfig } from '../../config';
import { bucketRegion, parseS3Uri, type S3Options } from '../s3';

/** Buckets whose region is a known fact: the public Sparkify sample lives in us-west-2. */
export const KNOWN_BUCKET_REGIONS: Readonly<Record<string, string>> = { 'udacity-dend': 'us-west-2' };

export const PLACEHOLDER_REGION = '<SOURCE_REGION>';

export interface RegionChoice {
  region: string;
  /** Said to the user when the region is a guess or a placeholder. */
  note?: string;
}

export interface RegionLookup {
  /** Ask S3 (GetBucketLocation); false in a dry run, which calls no AWS API. */
  lookUp: boolean;
  s3: S3Options;
}

/**
 * In order: a bucket whose region is known, SOURCE_REGION, GetBucketLocation when it may
 * be called and answers, and last AWS_REGION (the cluster's) with a note.
 */
export async function sourceRegion(uri: string, config: WarehouseConfig, lookup: RegionLookup): Promise<RegionChoice> {
  const { bucket } = parseS3Uri(uri);
  const known = KNOWN_BUCKET_REGIONS[bucket];
  if (known) return { region: known };
  if (config.redshiftLoad.sourceRegion) return { region: config.redshiftLoad.sourceRegion };
  let failure = '';
  if (lookup.lookUp) {
    try {
      return { region: await bucketRegion(bucket, lookup.s3) };
    } catch (error) {
      failure = ` (GetBucketLocation failed: ${(error as Error).message.split('. Fix:')[0]})`;
    }
  }
  const how = lookup.lookUp ? `could not be looked up${failure}` : 'is looked up with GetBucketLocation on a real run';
  if (config.aws.region) {
    return {
      region: config.aws.region,
      note: `The region of bucket ${bucket} ${how}; COPY names AWS_REGION (${config.aws.region}). If the bucket is elsewhere, set SOURCE_REGION.`,
    };
  }
  return { region: PLACEHOLDER_REGION, note: `The region of bucket ${bucket} ${how}; set SOURCE_REGION.` };
}
