// The body of a loader worker thread (see parallel-load.ts): it reads its share of the
// load's files itself (worker-reading.ts, which also holds the protocol's worker side)
// and turns their records into encoded COPY text, with the same reader and record rules
// (classify.ts) the in-thread path uses, so the rows, the rejects and their line numbers
// are the same. This file is the per-record part: each file has its own reader (a record
// may span chunks), and every file's rows and rejects gather here until they are sent.
import { parentPort, workerData } from 'node:worker_threads';
import { byteRowEncoder } from '../json/byte-rows';
import { fileLineTaker, fileRecordSink, numberKeysOf, recordClassifier } from './classify';
import type { Reject } from '../ledger';
import { JsonRecordReader } from '../json/records';
import { readFiles, type RecordFormatter } from './worker-reading';
import { BATCH_BYTES, READY, type WorkerSetup } from './worker-protocol';

const port = parentPort;
if (port) {
  const setup = workerData as WorkerSetup;
  const classify = recordClassifier(setup.rules);
  const encode = byteRowEncoder(setup.rules);
  const keys = numberKeysOf(setup.rules);

  // Reused from batch to batch; each batch gets a copy of the part filled.
  let out: Buffer = Buffer.allocUnsafeSlow(BATCH_BYTES);
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

  const formatter: RecordFormatter = {
    open(path, counts, firstLine) {
      const takeLine = encode && fileLineTaker(counts, addEncoded);
      const reader = new JsonRecordReader(takeLine, firstLine, keys);
      const take = fileRecordSink(path, classify, counts, addRow, addReject);
      return { push: (chunk) => reader.push(chunk, take), end: () => reader.end(take) };
    },
    reject: addReject,
    take() {
      // Just the bytes used, and just the lines: batches may wait a while to be written.
      const bytes = Buffer.allocUnsafeSlow(used); // its own memory, filled whole
      out.copy(bytes, 0, 0, used);
      const batch = { bytes: bytes.buffer, used, lines: lines.slice(0, rows), rows, rejects };
      used = 0;
      rows = 0;
      rejects = [];
      return batch;
    },
  };
  port.postMessage(READY);
  // A throw out of the loop is a bug: it ends the worker with an error the main thread reports.
  void readFiles(port, setup, formatter);
}

function grown(buffer: Buffer, used: number, atLeast: number): Buffer {
  const bigger = Buffer.allocUnsafeSlow(Math.max(buffer.length * 2, atLeast));
  buffer.copy(bigger, 0, 0, used);
  return bigger;
}
