// The body of a loader worker thread (see parallel-load.ts): it turns raw chunks of
// source files into encoded COPY text, with the same reader and record rules
// (classify.ts) the in-thread path uses, so the rows, the rejects and their line numbers are the same. Each file
// has its own reader (a record may span chunks); replies go back in the order the
// chunks came, one reply a chunk.
import { parentPort, workerData } from 'node:worker_threads';
import { byteRowEncoder } from './byte-rows';
import { fileLineTaker, fileRecordSink, recordClassifier, type RecordCounts, type RecordRules } from './classify';
import type { Reject } from './ledger';
import { JsonRecordReader, type RecordSink } from './records';

/** Main thread to worker. */
export type ToWorker =
  | { kind: 'chunk'; job: number; path: string; data: ArrayBuffer }
  /** The file ended: flush the reader (last line, an object left open). */
  | { kind: 'end'; job: number; path: string }
  /** Reading the file failed: report the counts so far, without ending the reader. */
  | { kind: 'fail'; job: number; path: string };

/** Worker to main thread, one a message received. */
export interface FromWorker {
  job: number;
  /** COPY text (rows with their newlines): bytes 0..used of this buffer. */
  bytes: ArrayBuffer;
  used: number;
  /** The source line of each row in `bytes`. */
  lines: Uint32Array;
  rows: number;
  rejects: Reject[];
  /** Totals for the file so far. */
  read: number;
  loaded: number;
  lastLine: number;
  /** Set when processing threw; the file is abandoned, as the in-thread path does. */
  error?: string;
}

/** The paths, columns and options the records are classified with. */
export type WorkerSetup = RecordRules;

/** About the size of the chunks the main thread sends. */
const SEND_HINT = 256 * 1024;

/** The worker's first message: it runs, with the formatter built. */
export const READY = 'ready';

interface FileState {
  counts: RecordCounts;
  reader: JsonRecordReader;
  take: RecordSink;
  failed: boolean;
}

const port = parentPort;
if (port) {
  const classify = recordClassifier(workerData as WorkerSetup);
  const encode = byteRowEncoder(workerData as WorkerSetup);
  const files = new Map<number, FileState>();

  // Reused from message to message; each reply gets a copy of the part filled.
  let out: Buffer = Buffer.allocUnsafeSlow(SEND_HINT);
  let used = 0;
  let lines = new Uint32Array(4096);
  let rows = 0;
  let rejects: Reject[] = [];

  const addRow = (row: string, line: number) => {
    // At most 3 bytes a UTF-16 unit, and the newline.
    const room = row.length * 3 + 1;
    if (used + room > out.length) out = grown(out, used, used + room);
    used += out.write(row, used, 'utf8');
    out[used++] = 10;
    addLine(line);
  };
  const addLine = (line: number) => {
    if (rows === lines.length) {
      const more = new Uint32Array(lines.length * 2);
      more.set(lines);
      lines = more;
    }
    lines[rows++] = line;
  };
  // The short path (byte-rows.ts): the line's COPY text written straight into `out`.
  const addEncoded = (src: Uint8Array, start: number, end: number, line: number) => {
    if (used + end - start + 1 > out.length) out = grown(out, used, used + end - start + 1);
    const to = encode!(src, start, end, out, used);
    if (to < 0) return false;
    used = to;
    addLine(line);
    return true;
  };
  const addReject = (reject: Reject) => void rejects.push(reject);

  port.on('message', (message: ToWorker) => {
    let file = files.get(message.job);
    if (!file) {
      const counts = { read: 0, loaded: 0, lastLine: 0 };
      const takeLine = encode && fileLineTaker(counts, addEncoded);
      file = { counts, reader: new JsonRecordReader(takeLine), take: fileRecordSink(message.path, classify, counts, addRow, addReject), failed: false };
      files.set(message.job, file);
    }
    const input = message.kind === 'chunk' ? Buffer.from(message.data) : undefined;
    if (input && out.length < input.length) out = Buffer.allocUnsafeSlow(input.length);
    used = 0;
    rows = 0;
    rejects = [];
    let error: string | undefined;
    if (!file.failed) {
      try {
        if (input) file.reader.push(input, file.take);
        else if (message.kind === 'end') file.reader.end(file.take);
      } catch (thrown) {
        file.failed = true;
        error = (thrown as Error).message;
      }
    }
    if (message.kind !== 'chunk') files.delete(message.job);
    // Just the bytes used, and just the lines: replies may wait a while to be written.
    const bytes = Buffer.allocUnsafeSlow(used); // its own memory, filled whole
    out.copy(bytes, 0, 0, used);
    const rowLines = lines.slice(0, rows);
    const reply: FromWorker = { job: message.job, bytes: bytes.buffer, used, lines: rowLines, rows, rejects, ...file.counts, error };
    port.postMessage(reply, [bytes.buffer, rowLines.buffer]);
  });
  port.postMessage(READY);
}

function grown(buffer: Buffer, used: number, atLeast: number): Buffer {
  const bigger = Buffer.allocUnsafeSlow(Math.max(buffer.length * 2, atLeast));
  buffer.copy(bigger, 0, 0, used);
  return bigger;
}
