// Turns one JSON value into one field of COPY's text format, checking that it fits the
// column the way Redshift would: numbers in numeric columns, text no longer (in bytes)
// than the column, no objects where a scalar belongs. A value that does not fit gives a
// reason; the caller rejects the whole line with it.
import { replaceInvalidChars } from './invalid-chars';
import { MISSING } from './jsonpaths';
import { INVALID_BYTE } from './utf8';

export type ColumnKind = 'text' | 'smallint' | 'integer' | 'bigint' | 'float' | 'timestamp';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
  /** For text: the most bytes the column holds. */
  maxBytes?: number;
}

/** COPY text format's NULL. */
export const NULL_FIELD = '\\N';

export const INTEGER_RANGE: Record<'smallint' | 'integer' | 'bigint', [number, number]> = {
  smallint: [-32768, 32767],
  integer: [-2147483648, 2147483647],
  bigint: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

export class FieldError {
  constructor(readonly reason: string) {}
}

/**
 * A JSON number beyond what a double holds: the parser made it Infinity, so the number as
 * written is looked up in the line (explain) to say what came in.
 */
export class NumberOutOfRange extends FieldError {
  constructor(
    readonly column: string,
    /** The field's name in the record, to find the number in the line. */
    readonly key: string | undefined,
  ) {
    super(`${column} is out of range`);
  }

  explain(line: string): string {
    return `${this.reason}: ${numberAsWritten(line, this.key) ?? 'a number beyond ±1.8e308'}`;
  }
}

export interface FieldOptions {
  /** The field's name in the record (the path's last step), for messages. */
  key?: string;
  /** ACCEPTINVCHARS: the character that replaces invalid UTF-8 in text columns. */
  acceptInvalidChars?: string;
}

export function toCopyField(value: unknown, column: ColumnSpec, options: FieldOptions = {}): string | FieldError {
  if (value === MISSING) return new FieldError(`field for column ${column.name} is missing (write it as null when it is unknown)`);
  if (value === null) return NULL_FIELD;
  if (typeof value === 'number' && !Number.isFinite(value)) return new NumberOutOfRange(column.name, options.key);
  if (column.kind !== 'text' && typeof value === 'string' && INVALID_BYTE.test(value)) {
    // Only reachable with ACCEPTINVCHARS (otherwise the line is rejected first), which "is valid only for VARCHAR columns".
    return new FieldError(`${column.name} holds bytes that are not UTF-8, which ACCEPTINVCHARS replaces in text columns only`);
  }
  switch (column.kind) {
    case 'text':
      return textField(value, column, options.acceptInvalidChars);
    case 'float':
      return floatField(value, column);
    case 'timestamp':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? escapeText(value) : new FieldError(`${column.name} must be a timestamp string, got ${describe(value)}`);
    default:
      return integerField(value, column, INTEGER_RANGE[column.kind]);
  }
}

function textField(value: unknown, column: ColumnSpec, replacement: string | undefined): string | FieldError {
  if (typeof value === 'object') return new FieldError(`${column.name} must be text, got ${Array.isArray(value) ? 'an array' : 'an object'}`);
  let text = String(value); // numbers and booleans where text belongs are kept as their text
  // Replaced before the length check: the replacement has the same length in bytes.
  if (replacement !== undefined) text = replaceInvalidChars(text, replacement);
  if (text.includes('\u0000')) return new FieldError(`${column.name} contains a NUL character, which neither engine stores`);
  if (column.maxBytes !== undefined && text.length * 3 > column.maxBytes) {
    const bytes = Buffer.byteLength(text);
    if (bytes > column.maxBytes) return new FieldError(`${column.name} is ${bytes} bytes, longer than the column's ${column.maxBytes}; widen the column in a new migration`);
  }
  return escapeText(text);
}

function floatField(value: unknown, column: ColumnSpec): string | FieldError {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number === 'number' && /\d/.test(String(value)) && !Number.isFinite(number)) return new FieldError(`${column.name} is out of range: ${describe(value)}`);
  if (typeof number !== 'number' || !Number.isFinite(number)) return new FieldError(`${column.name} must be a number, got ${describe(value)}`);
  return String(number);
}

function integerField(value: unknown, column: ColumnSpec, [min, max]: [number, number]): string | FieldError {
  const number = typeof value === 'string' && /^\s*-?\d+(\.0*)?\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number)) return new FieldError(`${column.name} must be a whole number, got ${describe(value)}`);
  if (number < min || number > max) return new FieldError(`${column.name} is ${number}, outside the column's range ${min}..${max}`);
  return String(number);
}

/** Backslash, tab, newline and carriage return are COPY text format's specials. */
export function escapeText(text: string): string {
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]) : text;
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function describe(value: unknown): string {
  const text = jsonPreview(value, 41);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * JSON.stringify's text for a parsed JSON value, up to where it is longer than `room`
 * characters. Never walks deeper than that: JSON.stringify recurses, so a value nested a
 * few thousand levels (which JSON.parse reads) overflowed the stack, at a depth that
 * differs from thread to thread.
 */
function jsonPreview(value: unknown, room: number): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? String(value);
  const array = Array.isArray(value);
  const entries = array ? value : Object.entries(value as Record<string, unknown>);
  let text = array ? '[' : '{';
  for (let i = 0; i < entries.length; i++) {
    if (text.length > room) return text;
    if (i > 0) text += ',';
    if (array) text += jsonPreview(entries[i], room - text.length);
    else {
      const [key, item] = entries[i] as [string, unknown];
      text += `${JSON.stringify(key)}:`;
      text += jsonPreview(item, room - text.length);
    }
  }
  return text + (array ? ']' : '}');
}

/** Maps information_schema's data_type to the checks above. */
export function columnSpecFromCatalog(name: string, dataType: string, maxLength: number | null): ColumnSpec {
  const type = dataType.toLowerCase();
  if (type.includes('char') || type === 'text') return { name, kind: 'text', maxBytes: maxLength ?? undefined };
  if (type === 'smallint') return { name, kind: 'smallint' };
  if (type === 'integer') return { name, kind: 'integer' };
  if (type === 'bigint') return { name, kind: 'bigint' };
  if (type.startsWith('double') || type === 'real' || type === 'numeric') return { name, kind: 'float' };
  if (type.startsWith('timestamp')) return { name, kind: 'timestamp' };
  return { name, kind: 'text' };
}

/**
 * The first number in the JSON `text` that a double cannot hold (1e400 parses as
 * Infinity), as written, preferring the one under `key`: for messages that say what came in.
 */
export function numberAsWritten(text: string, key?: string): string | undefined {
  const tokens = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
  const keyToken = key === undefined ? undefined : JSON.stringify(key);
  let lastString: string | undefined;
  let first: string | undefined;
  for (const [token] of text.matchAll(tokens)) {
    if (token.startsWith('"')) {
      lastString = token;
      continue;
    }
    if (Number.isFinite(Number(token))) continue;
    if (keyToken !== undefined && lastString === keyToken) return token;
    first ??= token;
  }
  return first;
}
