// `compact`: rewrites many small source files (14,896 one-song files) into a few gzipped
// JSON-lines files, so Redshift's COPY, which loads in parallel only across files, gets
// one file per slice at a time instead of thousands of tiny ones. The part count is a
// multiple of the slice count; parts aim at --target-mb each after compression (AWS: 1 MB
// to 1 GB). Records keep their text (a multi-line object goes onto one line, its line
// breaks being whitespace between tokens); lines that are not JSON pass through for the
// load's MAXERROR to judge. Input streams, one part is open at a time: memory is bounded.
import path from 'node:path';
import { LoadError, UsageError } from '../errors';
import { compactOutput } from './output';
import { PartWriter, type CompactedPart } from './parts';
import type { JsonRecord } from '../load/json/json-record';
import { JsonRecordReader } from '../load/json/records';
import { isS3Uri, listSourceFiles, type SourceFile } from '../load/source-files';
import { readingAhead } from '../load/source-reading';
import { parseS3Uri, type S3Options } from '../load/s3';

export interface CompactOptions {
  from: string;
  to: string;
  /** The cluster's slice count: the number of parts is a multiple of it. */
  slices: number;
  /** The size to aim at for each part, compressed, in MB (1–1024). */
  targetMb: number;
  s3?: S3Options;
  /** Bytes of one S3 upload buffer; a larger part becomes a multipart upload (AWS: ≥ 5 MB). */
  uploadPartBytes?: number;
  log?: (message: string) => void;
}

export interface CompactResult {
  inputFiles: number;
  inputBytes: number;
  records: number;
  /** Lines that are not JSON, passed through (COPY rejects them, or MAXERROR allows them). */
  malformed: number;
  firstMalformed?: { path: string; line: number; reason: string };
  /** Empty input files, skipped (the loaders reject an empty file). */
  emptyFiles: string[];
  /** Parts removed from the destination before writing (an earlier run's). */
  oldPartsRemoved: number;
  parts: CompactedPart[];
}

export const COMPACT_DEFAULTS = { slices: 4, targetMb: 128, uploadPartBytes: 16 * 1024 * 1024 } as const;
/** JSON text shrinks about this much under gzip; used only to choose the part count. */
const GZIP_RATIO = 6;

/** The number of parts: a multiple of `slices`, each near `targetBytes` compressed, never fewer than `slices`. */
export function partCount(estimatedCompressedBytes: number, slices: number, targetBytes: number): number {
  const perSlice = Math.max(1, Math.ceil(estimatedCompressedBytes / (targetBytes * slices)));
  return slices * perSlice;
}

function estimateCompressedBytes(files: Array<Pick<SourceFile, 'size' | 'gzip'>>): number {
  return files.reduce((sum, f) => sum + (f.gzip ? f.size : f.size / GZIP_RATIO), 0);
}

export async function compact(options: CompactOptions): Promise<CompactResult> {
  validate(options);
  const log = options.log ?? (() => {});
  const s3 = options.s3 ?? {};
  const files = await listSourceFiles(options.from, s3, log);
  if (files.length === 0)
    throw new LoadError(
      `No .json, .jsonl or .ndjson files (optionally .gz) under ${options.from}; nothing to compact.`,
    );
  const totalBytes = files.reduce((sum, f) => sum + f.size, 0);
  const planned = partCount(estimateCompressedBytes(files), options.slices, options.targetMb * 1024 * 1024);
  const output = compactOutput(options.to, s3, options.uploadPartBytes ?? COMPACT_DEFAULTS.uploadPartBytes);
  log(
    `Compacting ${files.length} files (${(totalBytes / 1048576).toFixed(1)} MB) from ${options.from} into ${planned} parts in ${options.to}`,
  );

  const writer = new PartWriter(output, planned, totalBytes);
  const result: CompactResult = {
    inputFiles: files.length,
    inputBytes: totalBytes,
    records: 0,
    malformed: 0,
    emptyFiles: [],
    oldPartsRemoved: 0,
    parts: writer.parts,
  };
  try {
    result.oldPartsRemoved = await output.clearOldParts();
    let bytesDone = 0;
    for (const file of readingAhead(files)) {
      await compactFile(file, bytesDone, writer, result);
      bytesDone += file.size;
    }
    await writer.close();
    await output.publish(writer.names);
  } catch (error) {
    writer.abort(error as Error);
    await output.discard(writer.names);
    throw error;
  }
  if (result.parts.length < planned)
    log(`The input is small: ${result.parts.length} non-empty parts instead of ${planned}.`);
  return result;
}

/**
 * One input file's records into the parts, a chunk at a time. A chunk's records go to the
 * part that was current at the chunk's start; whether the next chunk starts a new part is
 * judged by how much of the input (`bytesDone` before this file) has been read.
 */
async function compactFile(
  file: SourceFile,
  bytesDone: number,
  writer: PartWriter,
  result: CompactResult,
): Promise<void> {
  let fileRead = 0;
  let records = 0;
  let lines: string[] = [];
  let newPart = false;
  const take = (record: JsonRecord) => {
    records++;
    const progress = bytesDone + Math.min(file.size, file.gzip ? fileRead / GZIP_RATIO : fileRead);
    if (writer.wantsNewPart(progress)) newPart = true;
    if (record.error !== undefined) {
      result.malformed++;
      result.firstMalformed ??= { path: file.path, line: record.line, reason: record.error };
    }
    // A multi-line object goes onto one line: its line breaks are whitespace between tokens.
    lines.push(record.text.includes('\n') ? record.text.replace(/\r?\n/g, ' ') : record.text);
  };
  const flush = async () => {
    if (lines.length === 0) return;
    await writer.write(lines, newPart);
    result.records += lines.length;
    newPart = false;
    lines = [];
  };
  const reader = new JsonRecordReader();
  for await (const chunk of chunksOf(file, () => records)) {
    fileRead += chunk.length;
    reader.push(chunk, take);
    await flush();
  }
  reader.end(take);
  await flush();
  if (records === 0) result.emptyFiles.push(file.path);
}

/** The file's chunks; a failure to open or read it becomes a LoadError that says how far it got. */
async function* chunksOf(file: SourceFile, recordsSoFar: () => number): AsyncGenerator<Buffer> {
  let stream: AsyncIterable<Buffer>;
  try {
    stream = await file.open();
  } catch (error) {
    throw unreadable(file, 0, error);
  }
  const chunks = stream[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Buffer>;
    try {
      next = await chunks.next();
    } catch (error) {
      throw unreadable(file, recordsSoFar(), error);
    }
    if (next.done) return;
    yield next.value;
  }
}

function unreadable(file: SourceFile, records: number, error: unknown): LoadError {
  const where = records > 0 ? `after ${records} records` : 'before its first record';
  return new LoadError(
    `Could not read ${file.path} ${where}: ${(error as Error).message}. Fix or remove the file; no part was published.`,
  );
}

function validate(options: CompactOptions): void {
  if (!Number.isInteger(options.slices) || options.slices < 1 || options.slices > 12800) {
    throw new UsageError(
      `--slices must be the cluster's slice count, a whole number from 1; got ${options.slices}. (SELECT COUNT(*) FROM stv_slices tells.)`,
    );
  }
  if (!(options.targetMb >= 1 && options.targetMb <= 1024)) {
    throw new UsageError(
      `--target-mb must be from 1 to 1024 (AWS advises 1 MB to 1 GB per file after compression); got ${options.targetMb}.`,
    );
  }
  if (inside(options.to, options.from)) {
    throw new UsageError(
      `--to ${options.to} is inside --from ${options.from}: the next run would read its own output. Write the parts elsewhere, e.g. a compacted/ prefix beside the data.`,
    );
  }
}

/** Whether `child` is `parent` or under it (S3 prefixes or local folders). */
function inside(child: string, parent: string): boolean {
  if (isS3Uri(child) !== isS3Uri(parent)) return false;
  if (isS3Uri(child)) {
    const c = parseS3Uri(child);
    const p = parseS3Uri(parent);
    const dir = (prefix: string) => (prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`);
    return c.bucket === p.bucket && dir(c.prefix).startsWith(dir(p.prefix));
  }
  const c = path.resolve(child);
  const p = path.resolve(parent);
  return c === p || c.startsWith(p + path.sep);
}
