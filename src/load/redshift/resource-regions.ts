// The other files one COPY reads, the manifest and the JSONPaths file, must be in the region
// COPY's REGION names (AWS, "COPY from Amazon S3", REGION:
// https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-source-s3.html: with
// REGION, all resources, the manifest file included, must be in that region). REGION is the
// sources' region (source-region.ts), so a manifest bucket elsewhere fails every COPY, and
// only after the run has written its manifests. Checked here first, before the load writes
// anything, naming the variable to change.
import type { WarehouseConfig } from '../../config';
import { ConfigError } from '../../errors';
import { bucketRegion, parseS3Uri } from '../s3';
import { isS3Uri } from '../source-files';
import { KNOWN_BUCKET_REGIONS, PLACEHOLDER_REGION, type RegionLookup } from './source-region';

interface Resource {
  variable: 'MANIFEST_PREFIX' | 'LOG_JSONPATH';
  what: string;
  bucket: string;
}

export interface RegionCheck {
  /** Said to the user when a bucket's region could not be checked (a dry run, or no GetBucketLocation). */
  note?: string;
}

/**
 * Throws a ConfigError when the manifest bucket or the JSONPaths bucket is known to be in
 * another region than `copyRegion`. The same bucket as the sources' is in their region by
 * definition. Otherwise a known bucket, else GetBucketLocation; not SOURCE_REGION, which
 * names the sources' region, the very one these buckets are checked against.
 */
export async function checkResourceRegions(
  sourceUri: string,
  mapping: string,
  copyRegion: string,
  config: WarehouseConfig,
  lookup: RegionLookup,
): Promise<RegionCheck> {
  if (copyRegion === PLACEHOLDER_REGION) return {};
  const sourceBucket = parseS3Uri(sourceUri).bucket;
  const resources: Resource[] = [];
  const manifestPrefix = config.redshiftLoad.manifestPrefix;
  if (manifestPrefix)
    resources.push({ variable: 'MANIFEST_PREFIX', what: 'the manifests', bucket: parseS3Uri(manifestPrefix).bucket });
  if (isS3Uri(mapping))
    resources.push({ variable: 'LOG_JSONPATH', what: 'the JSONPaths file', bucket: parseS3Uri(mapping).bucket });
  const unchecked: string[] = [];
  let failure = '';
  for (const resource of resources.filter((r) => r.bucket !== sourceBucket)) {
    let region = KNOWN_BUCKET_REGIONS[resource.bucket];
    if (!region && lookup.lookUp) {
      try {
        region = await bucketRegion(resource.bucket, lookup.s3);
      } catch (error) {
        failure = ` (${(error as Error).message.split('. Fix:')[0]})`;
      }
    }
    if (!region) {
      unchecked.push(`${resource.variable} (bucket ${resource.bucket})`);
      continue;
    }
    if (region !== copyRegion) {
      throw new ConfigError(
        `${resource.variable} is in bucket ${resource.bucket}, in ${region}, but COPY names REGION '${copyRegion}' (the region of ${sourceUri}), ` +
          `and with REGION every file COPY reads, ${resource.what} included, must be in that region (AWS, "COPY from Amazon S3"). ` +
          `Set ${resource.variable} to a bucket in ${copyRegion}.`,
      );
    }
  }
  if (unchecked.length === 0) return {};
  const how = lookup.lookUp
    ? `could not be looked up${failure}`
    : 'is checked with GetBucketLocation on a real run, before anything is written';
  return { note: `The region of ${unchecked.join(' and ')} ${how}: it must be ${copyRegion}, COPY's REGION.` };
}
