// A JSON record as the reader hands it on: its text, its value or why it has none, and where
// it holds bytes that are not UTF-8.
import { firstInvalidByte } from './utf8';

export interface JsonRecord {
  /** 1-based line where the record starts. */
  line: number;
  text: string;
  value?: unknown;
  /** Why the record is not usable; set when value is not. */
  error?: string;
  /** The first bytes in the record that are not UTF-8: on which line, at which byte of it. The text holds them as marks. */
  invalidUtf8?: InvalidUtf8;
}

export interface InvalidUtf8 {
  line: number;
  /** 0-based byte offset within that line. */
  offset: number;
  /** The run of invalid bytes there, in hex ("ff fe"). */
  hex: string;
}

export type RecordSink = (record: JsonRecord) => void;

/**
 * The short path (byte-rows.ts): takes the line src[start, end) (no newline, no CR) as
 * source line `line` and returns true, or returns false and leaves it to the records.
 */
export type LineTaker = (src: Buffer, start: number, end: number, line: number) => boolean;

export function invalidIn(line: string, lineNumber: number): InvalidUtf8 | undefined {
  const found = firstInvalidByte(line);
  return found && { line: lineNumber, ...found };
}

/** The record, with invalidUtf8 set only when there is some (records stay the plain shape otherwise). */
export function withInvalid(record: JsonRecord, invalid: InvalidUtf8 | undefined): JsonRecord {
  if (invalid) record.invalidUtf8 = invalid;
  return record;
}
