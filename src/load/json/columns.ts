// Turns one JSON value into one field of COPY's text format, checking that it fits the
// column the way Redshift would: numbers in numeric columns, text no longer (in bytes)
// than the column, no objects where a scalar belongs. A value that does not fit gives a
// reason; the caller rejects the whole line with it.
import { NumberText } from './exact-numbers';
import { LONE_SURROGATE, replaceInvalidChars } from './invalid-chars';
import { MISSING } from './jsonpaths';
import { INVALID_BYTE } from './utf8';

type ColumnKind = 'text' | 'smallint' | 'integer' | 'bigint' | 'float' | 'timestamp';

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

/**
 * The whole range of each integer column, exactly (INTEGER_RANGE stops bigint at what a
 * double holds, for the short paths; a number past it comes here).
 */
const EXACT_RANGE: Record<'smallint' | 'integer' | 'bigint', [bigint, bigint]> = {
  smallint: [-32768n, 32767n],
  integer: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
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
  if (value === MISSING)
    return new FieldError(`field for column ${column.name} is missing (write it as null when it is unknown)`);
  if (value === null) return NULL_FIELD;
  if (typeof value === 'number' && !Number.isFinite(value)) return new NumberOutOfRange(column.name, options.key);
  if (column.kind !== 'text' && typeof value === 'string' && INVALID_BYTE.test(value)) {
    // Only reachable with ACCEPTINVCHARS (otherwise the line is rejected first), which "is valid only for VARCHAR columns".
    return new FieldError(
      `${column.name} holds bytes that are not UTF-8, which ACCEPTINVCHARS replaces in text columns only`,
    );
  }
  switch (column.kind) {
    case 'text':
      return textField(value, column, options.acceptInvalidChars);
    case 'float':
      return floatField(value, column);
    case 'timestamp':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value))
        ? escapeText(value)
        : new FieldError(`${column.name} must be a timestamp string, got ${describe(value)}`);
    default:
      return integerField(value, column as ColumnSpec & { kind: 'smallint' | 'integer' | 'bigint' });
  }
}

function textField(value: unknown, column: ColumnSpec, replacement: string | undefined): string | FieldError {
  if (value instanceof NumberText) value = value.text; // as written: Redshift keeps a number's text
  if (typeof value === 'object')
    return new FieldError(`${column.name} must be text, got ${Array.isArray(value) ? 'an array' : 'an object'}`);
  let text = String(value); // numbers and booleans where text belongs are kept as their text
  // Replaced before the length check: the replacement has the same length in bytes.
  if (replacement !== undefined) text = replaceInvalidChars(text, replacement);
  else if (LONE_SURROGATE.test(text)) return new FieldError(loneSurrogate(column.name, text));
  if (text.includes('\u0000'))
    return new FieldError(`${column.name} contains a NUL character, which neither engine stores`);
  if (column.maxBytes !== undefined && text.length * 3 > column.maxBytes) {
    const bytes = Buffer.byteLength(text);
    if (bytes > column.maxBytes)
      return new FieldError(
        `${column.name} is ${bytes} bytes, longer than the column's ${column.maxBytes}; widen the column in a new migration`,
      );
  }
  return escapeText(text);
}

/**
 * A JSON escape of half a surrogate pair (\ud800 alone) decodes to no character: UTF-8
 * cannot write it, so it counts as an invalid character (written out, it would load as
 * U+FFFD, silently).
 */
function loneSurrogate(column: string, text: string): string {
  const unit = text.charCodeAt(text.search(LONE_SURROGATE)).toString(16);
  return `${column} holds \\u${unit}, half of a UTF-16 surrogate pair with no other half, which is no character and has no UTF-8 form; fix the text at its source, or load with --accept-invalid-chars to replace it`;
}

function floatField(value: unknown, column: ColumnSpec): string | FieldError {
  if (value instanceof NumberText) {
    const nearest = Number(value.text); // the nearest double, as the server parses it
    return Number.isFinite(nearest)
      ? String(nearest)
      : new FieldError(`${column.name} is out of range: ${describe(value)}`);
  }
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number === 'number' && /\d/.test(String(value)) && !Number.isFinite(number))
    return new FieldError(`${column.name} is out of range: ${describe(value)}`);
  if (typeof number !== 'number' || !Number.isFinite(number))
    return new FieldError(`${column.name} must be a number, got ${describe(value)}`);
  return String(number);
}

/** A whole number, written out: digits, or digits and a fraction of zeros. */
const WHOLE_TEXT = /^\s*(-?)0*(\d+)(?:\.0*)?\s*$/;

/** A JSON number's exact value when it is whole (`12`, `1.0`, `1.5e1`), else undefined. */
function wholeNumber(text: string): bigint | undefined {
  const parts = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!parts) return undefined;
  const [, sign, int, fraction = '', exponent = '0'] = parts;
  let digits = int + fraction;
  const scale = Number(exponent) - fraction.length;
  if (scale < 0) {
    // Whole only when the digits past the point are zeros.
    if (!/^0*$/.test(digits.slice(scale))) return undefined;
    digits = digits.slice(0, scale) || '0';
  } else if (scale > 0) {
    if (scale > 20 && BigInt(digits) !== 0n) return 10n ** 20n; // past any integer column: refused by the range check
    digits += '0'.repeat(scale);
  }
  return BigInt(sign + digits);
}

/** Exact at any size: the number's text is read as a bigint, never through a double. */
function integerField(
  value: unknown,
  column: ColumnSpec & { kind: 'smallint' | 'integer' | 'bigint' },
): string | FieldError {
  let whole: bigint | undefined;
  const digits = typeof value === 'string' ? WHOLE_TEXT.exec(value) : null;
  if (digits) whole = BigInt(digits[1] + digits[2]);
  else if (value instanceof NumberText) whole = wholeNumber(value.text);
  else if (typeof value === 'number' && Number.isInteger(value)) whole = BigInt(value);
  if (whole === undefined) return new FieldError(`${column.name} must be a whole number, got ${describe(value)}`);
  const [min, max] = EXACT_RANGE[column.kind];
  if (whole < min || whole > max)
    return new FieldError(`${column.name} is ${whole}, outside the column's range ${min}..${max}`);
  return String(whole);
}

/** Backslash, tab, newline and carriage return are COPY text format's specials. */
export function escapeText(text: string): string {
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]) : text;
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function describe(value: unknown): string {
  if (value instanceof NumberText) return value.text.length > 40 ? `${value.text.slice(0, 40)}…` : value.text;
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
