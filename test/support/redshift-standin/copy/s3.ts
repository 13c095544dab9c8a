// Which S3 objects one COPY reads, and their bytes (gunzipped with GZIP).
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { RedshiftError } from './errors';

export interface S3Reader {
  list(bucket: string, prefix: string): Promise<Array<{ key: string; size: number }>>;
  get(bucket: string, key: string): Promise<Buffer | undefined>;
}

export interface SourceFile {
  url: string;
  size: number;
  body: Buffer;
}

export function s3Reader(client: S3Client): S3Reader {
  return {
    async list(bucket, prefix) {
      const objects: Array<{ key: string; size: number }> = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const o of page.Contents ?? []) if (o.Key !== undefined) objects.push({ key: o.Key, size: o.Size ?? 0 });
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return objects;
    },
    async get(bucket, key) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return object.Body ? Buffer.from(await object.Body.transformToByteArray()) : Buffer.alloc(0);
      } catch (error) {
        const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
        if (e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404) return undefined;
        throw error;
      }
    },
  };
}

export function splitS3Url(url: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/s.exec(url);
  if (!m) throw new RedshiftError(`Invalid S3 URL '${url}'`, '22023');
  return { bucket: m[1], key: m[2] };
}

// Redshift's S3 client wording for a missing key, as it appears in "Problem reading manifest file - …" errors
// (the AWS docs do not print it; this is the wording Redshift users report).
const noSuchKey = 'S3ServiceException:The specified key does not exist.,Status 404,Error NoSuchKey';

export async function readObject(s3: S3Reader, url: string, what: string): Promise<Buffer> {
  const { bucket, key } = splitS3Url(url);
  const body = await s3.get(bucket, key);
  if (body === undefined) throw new RedshiftError(`Problem reading ${what} - ${noSuchKey}`, 'XX000', `url: ${url}`);
  return body;
}

export async function sourceFiles(s3: S3Reader, from: string, manifest: boolean): Promise<SourceFile[]> {
  return manifest ? manifestFiles(s3, from) : prefixFiles(s3, from);
}

// AWS "COPY from Amazon S3", https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-source-s3.html#copy-s3-objectpath:
// the object path "can reference a single file or a set of objects or folders that have the same key prefix"
// (`custdata.txt` also loads `custdata.txt.1`, `custdata.txt.bak`): a key prefix, not a folder.
async function prefixFiles(s3: S3Reader, from: string): Promise<SourceFile[]> {
  const { bucket, key: prefix } = splitS3Url(from);
  const objects = (await s3.list(bucket, prefix))
    .filter((o) => o.key.startsWith(prefix))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  // The docs do not print the error for a prefix that matches nothing; this is the wording Redshift users report.
  if (objects.length === 0)
    throw new RedshiftError(`The specified S3 prefix '${prefix}' does not exist`, 'XX000', `url: ${from}`);
  const files: SourceFile[] = [];
  for (const o of objects) {
    const url = `s3://${bucket}/${o.key}`;
    const body = await s3.get(bucket, o.key);
    if (body) files.push({ url, size: body.length, body }); // a key deleted since the listing is skipped
  }
  return files;
}

// AWS "COPY from Amazon S3" (#copy-manifest-file): `{"entries": [{"url": …, "mandatory": true}]}`; "If mandatory is set to true,
// COPY terminates if it doesn't find the file for that entry … The default value for mandatory is false"; "If a file is listed
// twice, the file is loaded twice"; "COPY returns an error if the specified manifest file isn't found or the manifest file isn't
// properly formed". AWS "Using a manifest to specify data files", https://docs.aws.amazon.com/redshift/latest/dg/loading-data-files-using-manifest.html:
// "Regardless of any mandatory settings, COPY will terminate if no files are found."
async function manifestFiles(s3: S3Reader, from: string): Promise<SourceFile[]> {
  const text = (await readObject(s3, from, 'manifest file')).toString('utf8');
  let entries: unknown;
  try {
    entries = (JSON.parse(text) as { entries?: unknown }).entries;
  } catch {
    entries = undefined;
  }
  if (!Array.isArray(entries))
    throw new RedshiftError('Manifest file is not in correct json format', 'XX000', `url: ${from}`);
  const files: SourceFile[] = [];
  for (const entry of entries as Array<{ url?: unknown; mandatory?: unknown }>) {
    if (typeof entry?.url !== 'string' || !entry.url.startsWith('s3://'))
      throw new RedshiftError(
        "Manifest file is not in expected format - 'url' field missing or not an s3:// URL",
        'XX000',
        `url: ${from}`,
      );
    const { bucket, key } = splitS3Url(entry.url);
    const body = await s3.get(bucket, key);
    if (body) files.push({ url: entry.url, size: body.length, body });
    else if (entry.mandatory === true)
      throw new RedshiftError(
        `Manifest entry '${entry.url}' is mandatory but the file was not found - ${noSuchKey}`,
        'XX000',
        `manifest: ${from}`,
      );
  }
  if (files.length === 0) throw new RedshiftError(`No files found to load from manifest '${from}'`, 'XX000');
  return files;
}

// AWS "File compression parameters", https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-file-compression.html#copy-gzip:
// with GZIP "the input file or files are in compressed gzip format … The COPY operation reads each compressed file and
// uncompresses the data". The docs are silent on a file that is not gzip; the COPY fails here, naming the file.
// An empty object loads as zero rows (as an empty text file does).
export function inflate(file: SourceFile, gzip: boolean): Buffer {
  if (!gzip || file.body.length === 0) return file.body;
  try {
    return gunzipSync(file.body);
  } catch (error) {
    throw new RedshiftError(`gzip: failed to decompress '${file.url}': ${(error as Error).message}`, 'XX000');
  }
}
