// A loader worker's reading loop (the worker's body is format-worker.ts): it opens its
// share of the files itself, in order, feeds each file's bytes to the record formatter,
// and sends the rows back in batches (worker-protocol.ts). A file goes through the same
// steps as on the in-thread path (stream-file.ts): the same bytes in chunks of the same
// size (gzip and S3 through the same open(); a plain local file read straight into one
// buffer), the same reader, the same whole-file rejects (classify.ts finishFile), so the
// rows, rejects and counts match.
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { MessagePort } from 'node:worker_threads';
import { finishFile, type FileTally, type RecordCounts } from './classify';
import type { Reject } from './ledger';
import { isS3Uri, readingAhead, sourceFileOf, type SourceFile } from './source-files';
import { BATCH_BYTES, IN_FLIGHT_BYTES, type Batch, type Grant, type WorkerSetup } from './worker-protocol';

/** The per-record part (format-worker.ts): one file's records in, rows and rejects out. */
export interface RecordFormatter {
  /** Starts a file: each record is counted in `counts`, then becomes a row or a reject. */
  open(path: string, counts: RecordCounts): FileRecords;
  reject(reject: Reject): void;
  /** The rows and rejects made since the last call, to send. */
  take(): Pick<Batch, 'bytes' | 'used' | 'lines' | 'rows' | 'rejects'>;
}

export interface FileRecords {
  push(chunk: Buffer): void;
  /** The file ended: its last line, and an object left open. */
  end(): void;
}

/** Bytes a read of a local file asks for, as SourceFile.open() reads them. */
const READ_BYTES = 256 * 1024;

/** Reads and formats the worker's files in order, sending batches within the credit the main thread grants. */
export async function readFiles(port: MessagePort, setup: WorkerSetup, formatter: RecordFormatter): Promise<void> {
  const credit = new Credit(port);
  const opened = setup.files.map((fields) => sourceFileOf(fields, setup.s3));
  // Small objects on S3 (one song each) are fetched several at a time, as on the in-thread path: each costs a round trip.
  const files = opened.some((f) => isS3Uri(f.path)) ? readingAhead(opened) : opened;
  const buffer = Buffer.allocUnsafe(READ_BYTES);
  for (const [i, file] of files.entries()) {
    const chunks = isS3Uri(file.path) || file.gzip ? () => file.open() : () => localChunks(file.path, buffer);
    await readFile(
      file,
      setup.files[i].index,
      chunks,
      formatter,
      (batch) => {
        credit.spend(batch.readBytes);
        port.postMessage(batch, [batch.bytes, batch.lines.buffer]);
      },
      credit,
    );
  }
  // The worker stays up (the grants keep its port open) until the main thread ends it.
}

/**
 * A local file's bytes, read into one buffer again and again: fresh memory for each read
 * costs a page fault every 4 kB, which was more than the read itself. Safe because each
 * chunk is handled whole before the next read, and the reader copies what it keeps of a
 * chunk (the start of a line cut off). Fails as open() does: at the open, naming the path.
 */
function* localChunks(path: string, buffer: Buffer): Generator<Buffer> {
  const fd = fs.openSync(path, 'r');
  try {
    for (let read = fs.readSync(fd, buffer); read > 0; read = fs.readSync(fd, buffer)) yield buffer.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

/** One file, as streamFile() reads it on the main thread. */
async function readFile(file: SourceFile, index: number, chunks: () => Promise<Readable> | Iterable<Buffer>, formatter: RecordFormatter, send: (batch: Batch) => void, credit: Credit): Promise<void> {
  const tally: FileTally = { read: 0, loaded: 0, lastLine: 0, bytes: 0 };
  const records = formatter.open(file.path, tally);
  let unsent = 0;
  let failure: string | undefined;
  try {
    for await (const chunk of await chunks()) {
      tally.bytes += (chunk as Buffer).length;
      unsent += (chunk as Buffer).length;
      records.push(chunk as Buffer);
      if (unsent < BATCH_BYTES) continue;
      send({ file: index, readBytes: unsent, ...formatter.take() });
      unsent = 0;
      await credit.room();
    }
    records.end();
  } catch (error) {
    // Unreadable, or a record's processing threw: the file ends here, with what came before.
    failure = (error as Error).message;
  }
  const result = finishFile(file, tally, failure, (r) => formatter.reject(r));
  send({ file: index, readBytes: unsent, ...formatter.take(), result });
}

/** The bytes read whose batches the main thread has not yet written and granted back. */
class Credit {
  private outstanding = 0;
  private waiter: (() => void) | undefined;

  constructor(port: MessagePort) {
    port.on('message', (grant: Grant) => {
      this.outstanding -= grant.bytes;
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter?.();
    });
  }

  spend(bytes: number): void {
    this.outstanding += bytes;
  }

  /** Resolves once there is room to read on. */
  async room(): Promise<void> {
    while (this.outstanding >= IN_FLIGHT_BYTES) await new Promise<void>((resolve) => (this.waiter = resolve));
  }
}
