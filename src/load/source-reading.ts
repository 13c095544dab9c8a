// How a listed file's bytes are read: small files ahead of their turn (readingAhead), a
// plain local file into one buffer again and again (fileChunks).
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { isS3Uri, type SourceFile } from './source-files';

/** Files up to this size are read whole, ahead of their turn, by readingAhead(). */
const SMALL_FILE_BYTES = 1024 * 1024;
/** How many files readingAhead() reads ahead: keeps the disk or S3 busy; memory ≤ this × SMALL_FILE_BYTES. */
const READ_AHEAD = 16;

/**
 * The same files, in the same order, but opening one starts reading the next few small
 * ones whole, concurrently: thousands of one-song files cost their latency one after
 * another otherwise. A file's stream is the same as open()'s (gunzipped as it is read),
 * so errors surface the same way; a read that fails surfaces when its file is opened.
 * The loaders read plain local files through fileChunks(), not open(): for them this
 * matters on S3 and for .gz files.
 */
export function readingAhead(files: SourceFile[], ahead = READ_AHEAD, smallBytes = SMALL_FILE_BYTES): SourceFile[] {
  const reads = new Map<number, Promise<Buffer>>();
  const startRead = (index: number) => {
    const file = files[index];
    if (!file || file.size > smallBytes || reads.has(index)) return;
    const read = file.readStored();
    read.catch(() => undefined); // observed when the file's turn comes, if it comes
    reads.set(index, read);
  };
  return files.map((file, index) => ({
    ...file,
    open: async () => {
      for (let next = index; next <= index + ahead; next++) startRead(next);
      const read = reads.get(index);
      if (!read) return file.open();
      reads.delete(index);
      const bytes = await read;
      const stored = Readable.from(bytes.length > 0 ? [bytes] : []);
      return file.gzip ? stored.pipe(createGunzip()) : stored;
    },
  }));
}

/**
 * The file's bytes, decompressed, chunk by chunk, as open() gives them, except that a
 * plain local file is read straight into `buffer`, again and again: a fresh buffer for each
 * read cost a page fault every 4 kB, more than the read itself. So a chunk is good only
 * until the next is asked for; the reader copies what it keeps of one (records.ts: the
 * start of a line cut off). Fails as open() does, at the open, naming the path.
 */
export async function fileChunks(file: SourceFile, buffer: Buffer): Promise<AsyncIterable<Buffer> | Iterable<Buffer>> {
  if (isS3Uri(file.path) || file.gzip) return (await file.open()) as AsyncIterable<Buffer>;
  return localChunks(file.path, buffer);
}

function* localChunks(file: string, buffer: Buffer): Generator<Buffer> {
  const fd = fs.openSync(file, 'r');
  try {
    for (let read = fs.readSync(fd, buffer); read > 0; read = fs.readSync(fd, buffer)) yield buffer.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}
