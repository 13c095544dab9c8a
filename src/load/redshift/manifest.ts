// COPY manifests: the exact list of files one COPY loads, written under MANIFEST_PREFIX.
// Format: AWS "Using a manifest to specify data files" and "COPY from Amazon S3"
// (MANIFEST): {"entries":[{"url":"s3://bucket/key","mandatory":true,"meta":{"content_length":n}}]}.
// "mandatory": true makes COPY fail when a listed file has gone, rather than load less.
import { parseS3Uri, putObject, type S3Options } from '../s3';
import type { SourceFile } from '../source-files';

export type CompressionKind = 'plain' | 'gzip';

interface ManifestEntry {
  url: string;
  mandatory: true;
  meta: { content_length: number };
}

function manifestBody(files: SourceFile[]): string {
  const entries: ManifestEntry[] = files.map((f) => ({
    url: f.path,
    mandatory: true,
    meta: { content_length: f.size },
  }));
  return `${JSON.stringify({ entries })}\n`;
}

/**
 * Where a run's manifest goes: <prefix><source>/<run stamp>-<kind>.manifest. The stamp
 * (UTC, to the millisecond) keeps each run's manifests apart, so a manifest names one
 * load and SYS_LOAD_HISTORY.data_source can be read back against it.
 */
export function manifestUri(prefix: string, source: string, kind: CompressionKind, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('.', '');
  return `${prefix}${source}/${stamp}-${kind}.manifest`;
}

export async function writeManifest(uri: string, files: SourceFile[], s3: S3Options): Promise<void> {
  const { bucket, prefix: key } = parseS3Uri(uri);
  await putObject(bucket, key, manifestBody(files), 'application/json', s3);
}

/** Files by compression: GZIP covers every file of one COPY, so each kind gets its own. */
export function byCompression(files: SourceFile[]): Array<{ kind: CompressionKind; files: SourceFile[] }> {
  const groups: Array<{ kind: CompressionKind; files: SourceFile[] }> = [
    { kind: 'plain', files: files.filter((f) => !f.gzip) },
    { kind: 'gzip', files: files.filter((f) => f.gzip) },
  ];
  return groups.filter((g) => g.files.length > 0);
}
