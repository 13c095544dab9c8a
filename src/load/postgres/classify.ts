// What becomes of each record and each file: one set of rules for both load paths (the
// in-thread streamFile in stream-file.ts and the worker threads of format-worker.ts), so
// the rows, the rejects and their reasons cannot drift apart.
import { NumberOutOfRange } from '../json/columns';
import { numberKeys, type NumberKeys } from '../json/exact-numbers';
import { DEFAULT_REPLACEMENT_CHAR } from '../json/invalid-chars';
import type { Reject } from '../ledger';
import type { ReadDigest } from '../read-hash';
import type { JsonRecord, LineTaker, RecordSink } from '../json/json-record';
import { mayHoldSpecials, rowFormatter, type RecordRules } from '../json/row-formatter';
import { showInvalidBytes } from '../json/utf8';

/** One line of COPY text (without its newline), or why the record is rejected. */
type RecordOutcome = string | { reason: string; raw: string };
export type RecordClassifier = (record: JsonRecord) => RecordOutcome;

/** Under which keys the parser keeps a number as written for these columns (exact-numbers.ts). */
export function numberKeysOf(rules: RecordRules): NumberKeys {
  return numberKeys(
    rules.paths,
    rules.columns.map((column) => column.kind),
  );
}

export function recordClassifier(rules: RecordRules): RecordClassifier {
  const format = rowFormatter(rules.paths, rules.columns, rules.acceptInvalidChars);
  const accepting = rules.acceptInvalidChars !== undefined;
  return (record) => {
    const invalid = record.invalidUtf8;
    // Redshift checks the encoding before anything else, and without ACCEPTINVCHARS rejects the line.
    if (invalid && !accepting) {
      const where = invalid.line === record.line ? 'of the line' : `of line ${invalid.line}`;
      return rejected(
        record,
        `invalid UTF-8 at byte offset ${invalid.offset} ${where} (bytes ${invalid.hex}), which Redshift's COPY rejects too; ` +
          `fix the file's encoding, or pass --accept-invalid-chars to replace each invalid byte with '${DEFAULT_REPLACEMENT_CHAR}' (Redshift's ACCEPTINVCHARS)`,
      );
    }
    if (record.error !== undefined) return rejected(record, record.error);
    const value = record.value;
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return rejected(record, 'a line must hold one JSON object');
    // One search of the line instead of one a text field (ACCEPTINVCHARS searches each field anyway).
    const row = format(value, !accepting && !mayHoldSpecials(record.text));
    if (typeof row === 'string') return row;
    return rejected(record, row instanceof NumberOutOfRange ? row.explain(record.text) : row.reason);
  };
}

function rejected(record: JsonRecord, reason: string): RecordOutcome {
  return { reason, raw: record.invalidUtf8 ? showInvalidBytes(record.text) : record.text };
}

/** A file's record counts as it is read. */
export interface RecordCounts {
  /** Records read (good or bad). */
  read: number;
  loaded: number;
  /** The line of the last record read; 0 before the first. */
  lastLine: number;
}

/** A file's counts as it is read, with its bytes. */
export interface FileTally extends RecordCounts {
  /** Bytes of data read (after gunzip). */
  bytes: number;
}

/**
 * Where the reader puts a file's records, on both load paths: each is counted in
 * `counts`, then goes on to `row` as a line of COPY text (from source line `line`) or to
 * `reject`. Synchronous: no promise a row.
 */
export function fileRecordSink(
  path: string,
  classify: RecordClassifier,
  counts: RecordCounts,
  row: (text: string, line: number) => void,
  reject: (r: Reject) => void,
): RecordSink {
  return (record) => {
    counts.read++;
    counts.lastLine = record.line;
    let outcome: RecordOutcome;
    try {
      outcome = classify(record);
    } catch (error) {
      // Whatever a record's checks throw is that record's fault: left to the file's reader, it would end the file there.
      outcome = rejected(record, `the line could not be checked: ${(error as Error).message}`);
    }
    if (typeof outcome !== 'string')
      return reject({ path, line: record.line, reason: outcome.reason, raw: outcome.raw });
    row(outcome, record.line);
    counts.loaded++;
  };
}

/**
 * The short path's side of the same sink: `write` puts the line's COPY text out (or
 * declines, and the line goes to the records), and it is counted as a loaded record.
 */
export function fileLineTaker(counts: RecordCounts, write: LineTaker): LineTaker {
  return (src, start, end, line) => {
    if (!write(src, start, end, line)) return false;
    counts.read++;
    counts.loaded++;
    counts.lastLine = line;
    return true;
  };
}

/** What became of a file's lines. */
export interface FileResult {
  read: number;
  loaded: number;
  /**
   * Set when reading failed after some of its lines were read (a torn .gz, a read error):
   * the rest were neither loaded nor rejected, so the load must not go on as if the
   * file were done (stream-load.ts stops the step). Says where and why.
   */
  unreadableAfter?: { line: number; reason: string };
  /** The bytes read and their hash, when the file was read to its end (read-hash.ts). */
  digest?: ReadDigest;
}

/**
 * A file's totals once it is read to its end, or fails with `failure`, with its
 * whole-file reject if it has one (counted as one line read, so rows read = loaded +
 * rejected still holds). A zero-byte file is zero rows and no reject, as Redshift's COPY
 * reads it; a zero-byte .gz is no gzip stream, and COPY rejects it. A failure after
 * lines were read is no reject: its lines after that are unaccounted for (unreadableAfter).
 */
export function finishFile(
  file: { path: string; size: number; gzip: boolean },
  tally: FileTally,
  failure: string | undefined,
  reject: (r: Reject) => void,
): FileResult {
  let reason: string | undefined;
  if (failure !== undefined && file.gzip && file.size === 0) {
    reason =
      "a zero-byte .gz file is not a gzip stream, and Redshift's COPY rejects it too; remove it, or gzip the data into it";
  } else if (failure !== undefined && tally.lastLine > 0) {
    return { read: tally.read, loaded: tally.loaded, unreadableAfter: { line: tally.lastLine, reason: failure } };
  } else if (failure !== undefined) {
    reason = `unreadable before its first line: ${failure}; check the file's permissions and, for .gz, that it is complete gzip`;
  } else if (tally.read === 0 && tally.bytes > 0) {
    reason = 'the file holds only blank lines, no JSON object; remove it or fill it';
  }
  if (reason === undefined) return { read: tally.read, loaded: tally.loaded };
  reject({ path: file.path, line: 0, reason, raw: '' });
  return { read: tally.read + 1, loaded: tally.loaded };
}
