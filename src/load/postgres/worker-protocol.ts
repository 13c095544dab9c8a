// What the main thread and a loader worker thread say to each other (parallel-load.ts
// runs the workers). A worker is given its share of the load's files when it starts and
// reads them itself, in order; it sends back batches of COPY text, each saying how many
// bytes of the files it read for it. The main thread writes the batches to COPY in file
// order and then grants those bytes back: a worker reads on only while the bytes it has
// read and not had granted back stay under IN_FLIGHT_BYTES, so memory stays bounded
// however far the server falls behind.
import type { RecordRules } from '../json/row-formatter';
import type { Reject } from '../ledger';
import type { Tail } from '../read-hash';
import type { S3Options } from '../s3';
import type { SourceFileFields } from '../source-files';
import type { FileResult } from './stream-file';

/**
 * Bytes of files a worker may have read whose batches are not yet written to COPY: a
 * usual file whole (a day of events at 1M events a month is ~15 MB), so a worker keeps
 * busy on its next file while the main thread writes another worker's.
 */
export const IN_FLIGHT_BYTES = 16 * 1024 * 1024;
/** A worker sends a batch once it has read about this many bytes for it, and at each file's end. */
export const BATCH_BYTES = 256 * 1024;

/** One of the load's files, and its place in the load's order. */
interface WorkerFile extends SourceFileFields {
  index: number;
  /** Set for a file appended to since it was loaded: only its new bytes load. */
  tail?: Tail;
}

/** A worker's workerData. */
export interface WorkerSetup {
  /** The paths, columns and options the records are classified with. */
  rules: RecordRules;
  /** This worker's files, in load order. */
  files: WorkerFile[];
  /** How to reach S3, for s3:// files: plain settings only (a client object cannot cross threads). */
  s3: Pick<S3Options, 'region' | 'endpoint'>;
}

/** The worker's first message: it runs, with the formatter built. */
export const READY = 'ready';

/** Main thread to worker: `bytes` of what the worker read are written to COPY. */
export interface Grant {
  bytes: number;
}

/** Worker to main thread: rows and rejects of one file, in order. */
export interface Batch {
  /** The file's index in the load. */
  file: number;
  /** COPY text (rows with their newlines): bytes 0..used of this buffer. */
  bytes: ArrayBuffer;
  used: number;
  /** The source line of each row in `bytes`. */
  lines: Uint32Array<ArrayBuffer>;
  rows: number;
  rejects: Reject[];
  /** Bytes of the file read for this batch: what the main thread grants back once it is written. */
  readBytes: number;
  /** Set on the file's last batch: its totals (its whole-file reject, if any, is in `rejects`). */
  result?: FileResult;
}
