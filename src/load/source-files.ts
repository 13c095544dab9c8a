// Lists and opens source files, local or on S3, as one kind of thing: a SourceFile.
// Gzipped files (.gz) are decompressed while they stream; nothing is read whole.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { LoadError } from '../errors';
import { getObjectStream, listObjects, parseS3Uri, type S3Options } from './s3';

export interface SourceFile {
  /** What people see and the ledger keys on: an absolute path or s3://bucket/key. */
  path: string;
  size: number;
  /** Changes when the content may have changed: the S3 ETag, or the mtime in ms. */
  version: string;
  gzip: boolean;
  /** The file's bytes, decompressed. */
  open(): Promise<Readable>;
}

const DATA_FILE = /\.(json|jsonl|ndjson)(\.gz)?$/i;

export function isS3Uri(uri: string): boolean {
  return uri.startsWith('s3://');
}

/** Every data file under `uri`, sorted by path so loads run in a stable order. */
export async function listSourceFiles(uri: string, s3: S3Options = {}): Promise<SourceFile[]> {
  return isS3Uri(uri) ? listS3(uri, s3) : listLocal(uri);
}

function listLocal(root: string): SourceFile[] {
  const absolute = path.resolve(root);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolute);
  } catch {
    throw new LoadError(`Source ${absolute} does not exist. Point LOG_DATA / SONG_DATA at a folder or file of JSON, or run \`npm run generate\` to make a sample.`);
  }
  const files: string[] = [];
  if (stat.isFile()) files.push(absolute);
  else walk(absolute, files);
  return files.sort().map((file) => localFile(file));
}

function walk(dir: string, into: string[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue; // editors' and OS's hidden files are not data
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, into);
    else if (DATA_FILE.test(entry.name)) into.push(full);
  }
}

function localFile(file: string): SourceFile {
  const stat = fs.statSync(file);
  const gzip = file.endsWith('.gz');
  return {
    path: file,
    size: stat.size,
    version: String(Math.trunc(stat.mtimeMs)),
    gzip,
    open: async () => {
      const stream = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
      // Surface "permission denied" here, with the path, rather than mid-stream.
      await new Promise<void>((resolve, reject) => {
        stream.once('open', () => resolve());
        stream.once('error', reject);
      });
      return gzip ? stream.pipe(createGunzip()) : stream;
    },
  };
}

async function listS3(uri: string, s3: S3Options): Promise<SourceFile[]> {
  const { bucket, prefix } = parseS3Uri(uri);
  const objects = await listObjects(bucket, prefix, s3);
  return objects
    .filter((o) => DATA_FILE.test(o.key))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((o) => {
      const gzip = o.key.endsWith('.gz');
      return {
        path: `s3://${bucket}/${o.key}`,
        size: o.size,
        version: o.etag,
        gzip,
        open: async () => {
          const body: Readable = await getObjectStream(bucket, o.key, s3);
          return gzip ? body.pipe(createGunzip()) : body;
        },
      };
    });
}

/** Reads a small file (the JSONPaths file) from a local path or S3. */
export async function readSmallFile(uri: string, s3: S3Options = {}, limitBytes = 1024 * 1024): Promise<string> {
  if (!isS3Uri(uri)) {
    try {
      return fs.readFileSync(path.resolve(uri), 'utf8');
    } catch (error) {
      throw new LoadError(`Cannot read ${path.resolve(uri)}: ${(error as Error).message}. Check LOG_JSONPATH.`);
    }
  }
  const { bucket, prefix } = parseS3Uri(uri);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of await getObjectStream(bucket, prefix, s3)) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new LoadError(`${uri} is larger than ${limitBytes} bytes; is LOG_JSONPATH really a JSONPaths file?`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export { Readable };
