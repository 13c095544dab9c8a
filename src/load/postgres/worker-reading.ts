// A loader worker's reading loop (the worker's body is format-worker.ts): it opens its
// share of the files itself, in order, feeds each file's bytes to the record formatter,
// and sends the rows back in batches (worker-protocol.ts). A file goes through the same
// steps as on the in-thread path (stream-file.ts): the same bytes in chunks of the same
// size (fileChunks: a plain local file read straight into one buffer, gzip and S3 through
// the same open()), the same reader, the same whole-file rejects (classify.ts finishFile),
// so the rows, rejects and counts match.
import type { MessagePort } from 'node:worker_threads';
import { finishFile, type FileTally, type RecordCounts } from './classify';
import type { Reject } from '../ledger';
import { ReadHasher, type Tail } from '../read-hash';
import { isS3Uri, READ_BYTES, sourceFileOf, type SourceFile } from '../source-files';
import { fileChunks, readingAhead } from '../source-reading';
import { BATCH_BYTES, IN_FLIGHT_BYTES, type Batch, type Grant, type WorkerSetup } from './worker-protocol';

/** The per-record part (format-worker.ts): one file's records in, rows and rejects out. */
export interface RecordFormatter {
  /** Starts a file (at `firstLine` for an appended file's tail): each record is counted in `counts`, then becomes a row or a reject. */
  open(path: string, counts: RecordCounts, firstLine?: number): FileRecords;
  reject(reject: Reject): void;
  /** The rows and rejects made since the last call, to send. */
  take(): Pick<Batch, 'bytes' | 'used' | 'lines' | 'rows' | 'rejects'>;
}

interface FileRecords {
  push(chunk: Buffer): void;
  /** The file ended: its last line, and an object left open. */
  end(): void;
}

/** Reads and formats the worker's files in order, sending batches within the credit the main thread grants. */
export async function readFiles(port: MessagePort, setup: WorkerSetup, formatter: RecordFormatter): Promise<void> {
  const credit = new Credit(port);
  const opened = setup.files.map((fields) => sourceFileOf(fields, setup.s3));
  // Small objects on S3 (one song each) are fetched several at a time, as on the in-thread path: each costs a round trip.
  const files = opened.some((f) => isS3Uri(f.path)) ? readingAhead(opened) : opened;
  const buffer = Buffer.allocUnsafe(READ_BYTES);
  for (const [i, file] of files.entries()) {
    await readFile(
      file,
      setup.files[i].index,
      setup.files[i].tail,
      buffer,
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

/** One file, as streamFile() reads it on the main thread. */
async function readFile(
  file: SourceFile,
  index: number,
  tail: Tail | undefined,
  buffer: Buffer,
  formatter: RecordFormatter,
  send: (batch: Batch) => void,
  credit: Credit,
): Promise<void> {
  const tally: FileTally = { read: 0, loaded: 0, lastLine: 0, bytes: 0 };
  const records = formatter.open(file.path, tally, tail?.firstLine);
  const hasher = new ReadHasher(tail);
  let unsent = 0;
  let failure: string | undefined;
  try {
    for await (const whole of await fileChunks(file, buffer)) {
      const chunk = hasher.take(whole);
      if (chunk.length === 0) continue;
      tally.bytes += chunk.length;
      unsent += chunk.length;
      records.push(chunk);
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
  if (failure === undefined) result.digest = hasher.digest();
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
