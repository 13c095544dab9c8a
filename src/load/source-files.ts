// Lists and opens source files, local or on S3, as one kind of thing: a SourceFile.
// Gzipped files (.gz) are decompressed while they stream; nothing is read whole.
// A loader worker thread opens its own files: it gets each file's plain fields
// (SourceFileFields, which cross threads) and rebuilds the SourceFile with sourceFileOf().
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { LoadError } from '../errors';
import { loadModule } from '../load-module';
import type * as S3Calls from './s3';
import type { S3Object, S3Options } from './s3';

/** A source file's description, without the functions: what a worker thread is sent. */
export interface SourceFileFields {
  /** What people see and the ledger keys on: an absolute path or s3://bucket/key. */
  path: string;
  size: number;
  /** Changes when the content may have changed: the S3 ETag, or the mtime in ms. */
  version: string;
  gzip: boolean;
}

export interface SourceFile extends SourceFileFields {
  /** The file's bytes, decompressed. */
  open(): Promise<Readable>;
  /** The file's bytes as stored (still gzipped), whole: for small files only. */
  readStored(): Promise<Buffer>;
}

/** Bytes a read of a local file asks for. */
export const READ_BYTES = 256 * 1024;

/**
 * What a file or S3 key's name says it holds: JSON text, gzipped JSON text, or no data.
 * The one check of extensions, for local files and S3 keys alike, and without regard to
 * case: `x.JSON.GZ` is data, and gzipped, as `x.json.gz` is. The Redshift loader's GZIP
 * (one COPY a kind, src/load/redshift/manifest.ts) follows the same answer, per file.
 */
function dataFileKind(name: string): 'plain' | 'gzip' | undefined {
  const match = /\.(?:json|jsonl|ndjson)(\.gz)?$/i.exec(name);
  if (!match) return undefined;
  return match[1] ? 'gzip' : 'plain';
}

/**
 * The S3 calls (s3.ts), loaded on first use: loading the AWS SDK costs CPU that a worker
 * thread reading local files should not pay.
 */
function s3Calls(): typeof S3Calls {
  return loadModule('./load/s3') as typeof S3Calls;
}

export function isS3Uri(uri: string): boolean {
  return uri.startsWith('s3://');
}

/**
 * Every data file under `uri`, sorted by path so loads run in a stable order. `note` hears
 * of what a local folder holds but the load leaves alone (a FIFO named *.json, a folder
 * reached twice through links).
 */
export async function listSourceFiles(
  uri: string,
  s3: S3Options = {},
  note: (message: string) => void = () => {},
): Promise<SourceFile[]> {
  return isS3Uri(uri) ? listS3(uri, s3) : listLocal(uri, note);
}

function listLocal(root: string, note: (message: string) => void): SourceFile[] {
  const absolute = path.resolve(root);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolute);
  } catch {
    throw new LoadError(
      `Source ${absolute} does not exist. Point LOG_DATA / SONG_DATA at a folder or file of JSON, or run \`npm run generate\` to make a sample.`,
    );
  }
  const files = new Map<string, Listed>();
  if (stat.isFile()) files.set(absolute, listed(stat));
  else if (stat.isDirectory()) walk(absolute, files, new Set([folderId(stat)]), note);
  else
    throw new LoadError(
      `Source ${absolute} is neither a folder nor a regular file. Point LOG_DATA / SONG_DATA at a folder or file of JSON.`,
    );
  return [...files.keys()].sort().map((file) => {
    const { size, mtimeMs } = files.get(file)!;
    return localFile({ path: file, size, version: String(Math.trunc(mtimeMs)), gzip: dataFileKind(file) === 'gzip' });
  });
}

/**
 * What the listing keeps of a file's stat: a folder of thousands of song files made
 * thousands of fs.Stats (each with four Dates) live until the listing ended, and the
 * collector's work was a good part of the listing (docs/performance.md, "Figures behind comments").
 */
interface Listed {
  size: number;
  mtimeMs: number;
}

const listed = (stat: fs.Stats): Listed => ({ size: stat.size, mtimeMs: stat.mtimeMs });

/** The SourceFile a listing gave, from its plain fields: how a worker thread opens its files. */
export function sourceFileOf(fields: SourceFileFields, s3: S3Options = {}): SourceFile {
  if (!isS3Uri(fields.path)) return localFile(fields);
  const { bucket, prefix } = s3Calls().parseS3Uri(fields.path);
  return s3File(fields, bucket, prefix, s3);
}

/** Just the plain fields of a SourceFile: they cross to a worker thread, its functions would not. */
export function fieldsOf(file: SourceFile): SourceFileFields {
  return { path: file.path, size: file.size, version: file.version, gzip: file.gzip };
}

/** A folder's identity whatever the path it is reached by: a link back up the tree leads to one already walked. */
function folderId(stat: fs.Stats): string {
  return `${stat.dev}:${stat.ino}`;
}

/**
 * The data files under `dir`, each with its stat, following symbolic links (to folders as
 * to files) and walking each folder once. A link that leads nowhere or to itself is kept
 * with the link's own stat: opening it fails, and the load rejects it as a file that
 * cannot be read (line 0, counted) instead of the listing failing the whole step. What is
 * not a regular file (a FIFO, a socket, a device) is never opened: reading a FIFO waits
 * for a writer for ever.
 */
function walk(dir: string, into: Map<string, Listed>, walked: Set<string>, note: (message: string) => void): void {
  const entries = fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // `dir` is absolute and normalized already: path.join's normalizing, once an entry, was a
  // good part of a listing. Only the root itself ends with the separator.
  const prefix = dir.endsWith(path.sep) ? dir : `${dir}${path.sep}`;
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue; // editors' and OS's hidden files are not data
    const isData = dataFileKind(entry.name) !== undefined;
    if (!isData && entry.isFile()) continue; // a plain file not named as data: nothing to stat
    const full = `${prefix}${entry.name}`;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch {
      // A dangling or looping link, or an entry gone since readdir: unreadable if it is named as data.
      const link = isData ? fs.lstatSync(full, { throwIfNoEntry: false }) : undefined;
      if (link) into.set(full, listed(link));
      continue;
    }
    if (stat.isDirectory()) {
      if (walked.has(folderId(stat))) {
        note(
          `${full}: leads to a folder already read (a link back up the tree, or a second link to it); not read twice.`,
        );
        continue;
      }
      walked.add(folderId(stat));
      walk(full, into, walked, note);
    } else if (isData && stat.isFile()) {
      into.set(full, listed(stat));
    } else if (isData) {
      note(`${full} is not a regular file (a FIFO, socket or device), so it is not read; skipped.`);
    }
  }
}

function localFile(fields: SourceFileFields): SourceFile {
  const file = fields.path;
  return {
    path: fields.path,
    size: fields.size,
    version: fields.version,
    gzip: fields.gzip,
    open: async () => {
      const stream = fs.createReadStream(file, { highWaterMark: READ_BYTES });
      // Surface "permission denied" here, with the path, rather than mid-stream.
      await new Promise<void>((resolve, reject) => {
        stream.once('open', () => resolve());
        stream.once('error', reject);
      });
      return fields.gzip ? stream.pipe(createGunzip()) : stream;
    },
    readStored: () => fs.promises.readFile(file),
  };
}

async function listS3(uri: string, s3: S3Options): Promise<SourceFile[]> {
  const { parseS3Uri, listObjects } = s3Calls();
  const { bucket, prefix } = parseS3Uri(uri);
  return s3SourceFiles(bucket, await listObjects(bucket, prefix, s3), s3);
}

/** The data files (.json, .json.gz) among a listing of a bucket, sorted by key. */
export function s3SourceFiles(bucket: string, objects: S3Object[], s3: S3Options): SourceFile[] {
  return objects
    .filter((o) => dataFileKind(o.key) !== undefined)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((o) =>
      s3File(
        { path: `s3://${bucket}/${o.key}`, size: o.size, version: o.etag, gzip: dataFileKind(o.key) === 'gzip' },
        bucket,
        o.key,
        s3,
      ),
    );
}

function s3File(fields: SourceFileFields, bucket: string, key: string, s3: S3Options): SourceFile {
  const { getObjectStream } = s3Calls();
  return {
    ...fields,
    open: async () => {
      const body: Readable = await getObjectStream(bucket, key, s3);
      return fields.gzip ? body.pipe(createGunzip()) : body;
    },
    readStored: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of await getObjectStream(bucket, key, s3)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
  };
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
  const { parseS3Uri, getObjectStream } = s3Calls();
  const { bucket, prefix } = parseS3Uri(uri);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of await getObjectStream(bucket, prefix, s3)) {
    size += (chunk as Buffer).length;
    if (size > limitBytes)
      throw new LoadError(`${uri} is larger than ${limitBytes} bytes; is LOG_JSONPATH really a JSONPaths file?`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
