// Splits a stream of JSON text into records with their line numbers: one object per
// line (event logs, compacted song files), or one object spread over several lines
// (a pretty-printed song file). A line that is not JSON becomes a record with a reason,
// never an exception: the caller decides whether to reject it or fail.
//
// Bytes that are not UTF-8 are kept as marks (see utf8.ts), never replaced silently: a
// record holding one says where (invalidUtf8), and the caller decides.
//
// A line longer than Redshift's 4 MB for one JSON object becomes a record with that
// reason; its bytes are read past, not kept (cut-line.ts), so memory stays flat.
//
// The work is synchronous per chunk (JsonRecordReader.push): the loader handles a whole
// chunk of records between two awaits instead of paying a promise per record.
import { isUtf8 } from 'node:buffer';
import { CutLine, MAX_LINE_BYTES } from './cut-line';
import type { NumberKeys } from './exact-numbers';
import {
  invalidIn,
  type InvalidUtf8,
  type JsonRecord,
  type LineTaker,
  type RecordSink,
  withInvalid,
} from './json-record';

import { innermostOpenBracket, isTrimmed, parseError, tryParse } from './json-parse';
import { Utf8Decoder } from './utf8';

/** An object whose first line has come and whose last has not yet. */
type Pending = { line: number; text: string; invalidUtf8?: InvalidUtf8 };

/** A record spread over more lines than this is treated as malformed rather than buffered on. */
const MAX_RECORD_BYTES = 4 * 1024 * 1024;
/**
 * Bytes decoded into one string at a time. V8 puts a string over ~128 kB in its large-object
 * space, one allocation of its own each, so a chunk decoded in pieces below that size goes
 * many times faster than one decoded whole (docs/loader.md), and the lines sliced from it
 * are cheaper too.
 */
const DECODE_BYTES = 64 * 1024;
const BOM = '\uFEFF';

/** Feed it chunks in order; it hands each complete record to the sink, synchronously. */
export class JsonRecordReader {
  private readonly decoder = new Utf8Decoder();
  private rest = '';
  /** The start of a line the last chunk cut off. */
  private cut: CutLine | undefined;
  private lineNumber = 0;
  private pending: Pending | undefined;

  /**
   * `takeLine`, when given, is offered each line first (a file's lines in order, before any
   * of its records). `firstLine`: the number of the first line fed, past 1 when only an
   * appended file's tail is read.
   */
  constructor(
    private readonly takeLine?: LineTaker,
    firstLine = 1,
    /**
     * Under which keys a number is kept as written (exact-numbers.ts): the loader's text and
     * integer columns. None by default, for readers that use no values' text (compact) or want doubles (the bench's CSV).
     */
    private readonly numberKeys: NumberKeys = new Set(),
  ) {
    this.lineNumber = firstLine - 1;
  }

  push(chunk: Buffer | string, sink: RecordSink): void {
    if (typeof chunk === 'string') return this.pushText(chunk, sink);
    // A line longer than the limit then always spans pieces, and the cut line catches it.
    if (chunk.length <= MAX_LINE_BYTES) return this.pushBytes(chunk, sink);
    for (let at = 0; at < chunk.length; at += MAX_LINE_BYTES)
      this.pushBytes(chunk.subarray(at, at + MAX_LINE_BYTES), sink);
  }

  /** Whole lines on, and the line the chunk cuts off kept (cut-line.ts) until its newline comes; only the cut line is joined up. */
  private pushBytes(chunk: Buffer, sink: RecordSink): void {
    let from = 0;
    const cut = this.cut;
    if (cut) {
      const newline = chunk.indexOf(10);
      cut.add(newline < 0 ? chunk : chunk.subarray(0, newline));
      if (newline < 0) return;
      this.cut = undefined;
      if (cut.tooLong) this.rejectLong(cut, sink);
      else this.pushComplete(cut.joined(true), sink);
      from = newline + 1;
    }
    const last = chunk.lastIndexOf(10);
    if (last >= from) this.pushComplete(chunk.subarray(from, last + 1), sink);
    const rest = Math.max(from, last + 1);
    if (rest < chunk.length) {
      this.cut = new CutLine();
      this.cut.add(chunk.subarray(rest));
    }
  }

  /** Lines that end with a newline: to the line taker, or decoded. */
  private pushComplete(lines: Buffer, sink: RecordSink): void {
    if (this.takeLine) return this.pushLines(lines, sink);
    for (let at = 0; at < lines.length; at += DECODE_BYTES)
      this.pushText(this.decoder.write(lines.subarray(at, at + DECODE_BYTES)), sink);
  }

  /** A line over the limit: rejected as one line, with its length, and what came before it settled first. */
  private rejectLong(cut: CutLine, sink: RecordSink): void {
    const pending = this.pending;
    if (pending) {
      this.pending = undefined;
      sink(unclosed(pending));
    }
    sink({ line: ++this.lineNumber, text: cut.shown, error: cut.reason });
  }

  /** `lines` ends with a newline. UTF-8 is checked for all of them at once: a chunk with a bad byte is read as records. */
  private pushLines(lines: Buffer, sink: RecordSink): void {
    if (!isUtf8(lines)) return this.pushText(this.decoder.write(lines), sink);
    const takeLine = this.takeLine!;
    for (let start = 0; start < lines.length;) {
      const newline = lines.indexOf(10, start);
      const end = newline > start && lines[newline - 1] === 13 ? newline - 1 : newline;
      // Inside an object spread over lines, every line belongs to it.
      if (this.pending === undefined && end > start && takeLine(lines, start, end, this.lineNumber + 1))
        this.lineNumber++;
      else this.pushText(lines.toString('utf8', start, newline + 1), sink);
      start = newline + 1;
    }
  }

  private pushText(chunk: string, sink: RecordSink): void {
    const text = this.rest + chunk;
    let start = 0;
    let end = text.indexOf('\n');
    while (end !== -1) {
      this.take(text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end), sink);
      start = end + 1;
      end = text.indexOf('\n', start);
    }
    this.rest = start === 0 ? text : text.slice(start);
  }

  /** The stream ended: the last line (without a newline) and any object left open. */
  end(sink: RecordSink): void {
    const cut = this.cut;
    this.cut = undefined;
    if (cut?.tooLong) this.rejectLong(cut, sink);
    else if (cut) this.pushText(this.decoder.write(cut.joined(false)), sink);
    const rest = this.rest + this.decoder.end();
    this.rest = '';
    if (rest !== '') this.take(rest.endsWith('\r') ? rest.slice(0, -1) : rest, sink);
    const pending = this.pending;
    if (pending) {
      this.pending = undefined;
      sink(
        withInvalid(
          {
            line: pending.line,
            text: pending.text.slice(0, 2000),
            error: `malformed JSON (the file ends inside this object): ${parseError(pending.text)}`,
          },
          pending.invalidUtf8,
        ),
      );
    }
  }

  private take(line: string, sink: RecordSink): void {
    const lineNumber = ++this.lineNumber;
    // Only a file that had invalid bytes is searched for their marks, line by line.
    const invalid = this.decoder.sawInvalid ? invalidIn(line, lineNumber) : undefined;
    if (lineNumber === 1 && line.startsWith(BOM)) {
      sink(
        withInvalid(
          {
            line: 1,
            text: line,
            error:
              'the file starts with a UTF-8 byte-order mark (BOM), which Redshift COPY rejects; save the file as UTF-8 without BOM',
          },
          invalid,
        ),
      );
      return;
    }
    let pending = this.pending;
    if (pending && line.trimStart().startsWith('{') && innermostOpenBracket(pending.text) === '{') {
      // A new object begins: the pending one was a broken line, not a multi-line object.
      sink(
        withInvalid(
          { line: pending.line, text: pending.text, error: `malformed JSON: ${parseError(pending.text)}` },
          pending.invalidUtf8,
        ),
      );
      pending = this.pending = undefined;
    }
    if (pending) {
      pending.text += `\n${line}`;
      pending.invalidUtf8 ??= invalid;
      const value = tryParse(pending.text, this.numberKeys);
      if (value !== undefined) {
        this.pending = undefined;
        sink(withInvalid({ line: pending.line, text: pending.text, value }, pending.invalidUtf8));
      } else if (pending.text.length > MAX_RECORD_BYTES) {
        this.pending = undefined;
        sink(unclosed(pending));
      }
      return;
    }
    const trimmed = isTrimmed(line) ? line : line.trim();
    if (trimmed === '') return;
    const value = tryParse(trimmed, this.numberKeys);
    if (value !== undefined) {
      sink(withInvalid({ line: lineNumber, text: trimmed, value }, invalid));
    } else if (trimmed.startsWith('{') && !trimmed.endsWith('}')) {
      this.pending = { line: lineNumber, text: trimmed, invalidUtf8: invalid }; // an object continued on the next lines
    } else {
      sink(withInvalid({ line: lineNumber, text: trimmed, error: `malformed JSON: ${parseError(trimmed)}` }, invalid));
    }
  }
}

/** The record of an object that opened on `pending.line` and did not close within the limit. */
function unclosed(pending: Pending): JsonRecord {
  return withInvalid(
    {
      line: pending.line,
      text: pending.text.slice(0, 2000),
      error: `a JSON object starting here never closes within ${MAX_RECORD_BYTES} bytes`,
    },
    pending.invalidUtf8,
  );
}
