// The in-thread load path: one file read, parsed and formatted on this thread, its rows
// appended to the COPY as they come. The worker threads (parallel-load.ts) do the same
// work through the same rules (classify.ts), for inputs large enough to pay for them.
import type { ByteRowEncoder } from '../json/byte-row-encoder';
import { byteRowEncoder } from '../json/byte-rows';
import {
  fileLineTaker,
  fileRecordSink,
  finishFile,
  numberKeysOf,
  recordClassifier,
  type FileResult,
  type FileTally,
  type RecordClassifier,
} from './classify';
import type { RecordRules } from '../json/row-formatter';
import { CopyFailed, type CopyWriter } from './copy-writer';
import type { NumberKeys } from '../json/exact-numbers';
import type { Reject } from '../ledger';
import { ReadHasher, type Tail } from '../read-hash';
import { JsonRecordReader } from '../json/records';
import { READ_BYTES, type SourceFile } from '../source-files';
import { fileChunks } from '../source-reading';

export type { FileResult } from './classify';

/** How a line becomes a row: the short path when it applies (byte-rows.ts), else the records' classifier. */
export interface LineRules {
  classify: RecordClassifier;
  encode?: ByteRowEncoder;
  numberKeys: NumberKeys;
}

export function lineRules(rules: RecordRules): LineRules {
  return { classify: recordClassifier(rules), encode: byteRowEncoder(rules), numberKeys: numberKeysOf(rules) };
}

/** `tail`: the file was appended to since it was loaded; only the bytes from tail.from load (changed-files.ts). */
export async function streamFile(
  file: SourceFile,
  fileIndex: number,
  { classify, encode, numberKeys }: LineRules,
  writer: CopyWriter,
  reject: (r: Reject) => void,
  tail?: Tail,
): Promise<FileResult> {
  const tally: FileTally = { read: 0, loaded: 0, lastLine: 0, bytes: 0 };
  const take = fileRecordSink(file.path, classify, tally, (row, line) => writer.append(row, fileIndex, line), reject);
  const takeLine =
    encode &&
    fileLineTaker(tally, (src, start, end, line) => writer.appendLine(encode, src, start, end, fileIndex, line));
  let failure: string | undefined;
  const hasher = new ReadHasher(tail);
  try {
    // A plain local file is read into one buffer (see fileChunks); its chunks are handled one at a time.
    const chunks = await fileChunks(file, Buffer.allocUnsafe(READ_BYTES));
    const reader = new JsonRecordReader(takeLine, tail?.firstLine, numberKeys);
    // Hashed in this same pass: the ledger keeps the hash, and no second read is needed.
    for await (const whole of chunks) {
      const chunk = hasher.take(whole);
      if (chunk.length === 0) continue;
      tally.bytes += chunk.length;
      reader.push(chunk, take);
      if (writer.full) await writer.flush();
    }
    reader.end(take);
  } catch (error) {
    if (error instanceof CopyFailed) throw error;
    failure = (error as Error).message;
  }
  const result = finishFile(file, tally, failure, reject);
  if (failure === undefined) result.digest = hasher.digest();
  return result;
}
