// The short path of the loader: the usual line turned into its line of COPY text byte by
// byte, with no string made and no JSON.parse. The usual line is one flat JSON object
// whose mapped fields are null, a string (escapes undone, no NUL, no lone surrogate), or
// a number of at most 15 significant digits. For such a line the bytes
// written are exactly those the general path (JSON.parse, then row-formatter.ts) writes;
// any other line, or any doubt, is declined (the encoder returns -1 and writes nothing
// that counts), and the caller sends it down the general path, which decides. So the
// short path can only ever be faster, never different; test/unit/byte-rows.test.ts holds
// the two paths to the same bytes over the real Sparkify logs and over messy lines.
//
// The caller has checked that the bytes are UTF-8 (records.ts checks a chunk's complete
// lines at once), so a string's bytes are copied as they are. Lengths are checked in
// bytes, which is what varchar(n) counts on Redshift and what the general path checks.
import type { ColumnSpec } from './columns';
import { INTEGER_RANGE } from './columns';
import type { FieldPath } from './jsonpaths';
import type { RecordRules } from './classify';

/**
 * Writes the COPY line (with its newline) for the JSON line src[start, end) into `out`
 * from `at`, and returns where it ends; -1 when the line is not one it can do. `out` must
 * have room for end - start + 1 bytes from `at`: a line's COPY text is never longer than
 * the line (each column's value is no longer than its JSON, and its key and colon pay
 * for the tab).
 */
export type ByteRowEncoder = (src: Uint8Array, start: number, end: number, out: Uint8Array, at: number) => number;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SLASH = 0x2f;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const TAB = 0x09;
const NEWLINE = 0x0a;

/** What a key's last value was: where its bytes are, and what kind of token. */
const NULL = 1;
const STRING = 2;
/** A string with \" \/ or \\ in it: copied escape by escape. */
const ESCAPED_STRING = 3;
const NUMBER = 4;

/** Beyond 15 significant digits a decimal may not come back from a double as written. */
const MAX_DIGITS = 15;

/**
 * The encoder for these rules, or undefined when the short path does not apply to them:
 * a path that is not one field name, or ACCEPTINVCHARS (which also replaces valid
 * noncharacters, a search the general path does).
 */
export function byteRowEncoder(rules: RecordRules): ByteRowEncoder | undefined {
  if (rules.acceptInvalidChars !== undefined) return undefined;
  const names = rules.paths.map(fieldName);
  if (names.some((name) => name === undefined)) return undefined;
  return new LineEncoder(names as string[], rules.columns).encode;
}

function fieldName(path: FieldPath): string | undefined {
  return path.steps.length === 1 && typeof path.steps[0] === 'string' ? path.steps[0] : undefined;
}

class LineEncoder {
  /** Each distinct field name as UTF-8 bytes; a column reads the value of its key. */
  private readonly keys: Uint8Array[];
  private readonly keyOfColumn: Int32Array;
  private readonly byKey = new Map<string, number>();
  /** The key that came i-th in the last line: the next line most likely has the same order. */
  private readonly lastOrder: Int32Array;
  /** Per key, the last value's token: kind, start, end, and the line it was seen on. */
  private readonly kinds: Uint8Array;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly seenOn: Int32Array;
  private line = 0;
  /** Whether the last string stringEnd() read held an escape. */
  private escaped = false;

  constructor(
    names: string[],
    private readonly columns: ColumnSpec[],
  ) {
    const distinct = [...new Set(names)];
    this.keys = distinct.map((name) => Buffer.from(name, 'utf8'));
    distinct.forEach((name, i) => this.byKey.set(Buffer.from(name, 'utf8').toString('latin1'), i));
    this.keyOfColumn = Int32Array.from(names, (name) => distinct.indexOf(name));
    this.lastOrder = new Int32Array(64).fill(-1);
    this.kinds = new Uint8Array(distinct.length);
    this.starts = new Int32Array(distinct.length);
    this.ends = new Int32Array(distinct.length);
    this.seenOn = new Int32Array(distinct.length);
  }

  readonly encode: ByteRowEncoder = (src, start, end, out, at) => {
    if (!this.scan(src, start, end)) return -1;
    const { columns, keyOfColumn, kinds, starts, ends } = this;
    let to = at;
    for (let c = 0; c < columns.length; c++) {
      if (c > 0) out[to++] = TAB;
      const key = keyOfColumn[c];
      to = writeField(columns[c], kinds[key], src, starts[key], ends[key], out, to);
      if (to < 0) return -1;
    }
    out[to++] = NEWLINE;
    return to;
  };

  /** Reads the line's tokens into the per-key slots; false unless it is a flat object with every mapped field. */
  private scan(src: Uint8Array, start: number, end: number): boolean {
    if (this.line === 0x3fffffff) this.line = this.seenOn.fill(0)[0];
    const line = ++this.line;
    let i = start;
    if (i >= end || src[i] !== OPEN) return false;
    i = skipSpace(src, i + 1, end);
    if (i < end && src[i] === CLOSE) return this.closes(src, i, end, line);
    for (let position = 0; ; position++) {
      if (i >= end || src[i] !== QUOTE) return false;
      const keyStart = i + 1;
      const keyEnd = plainStringEnd(src, keyStart, end);
      if (keyEnd < 0) return false;
      const key = this.keyAt(src, keyStart, keyEnd, position);
      i = skipSpace(src, keyEnd + 1, end);
      if (i >= end || src[i] !== COLON) return false;
      i = skipSpace(src, i + 1, end);
      const valueStart = i;
      let kind: number;
      const first = src[i];
      if (first === QUOTE) {
        const close = this.stringEnd(src, i + 1, end);
        if (close < 0) return false;
        kind = this.escaped ? ESCAPED_STRING : STRING;
        i = close + 1;
      } else if (first === MINUS || (first >= ZERO && first <= NINE)) {
        i = numberEnd(src, i, end);
        if (i < 0) return false;
        kind = NUMBER;
      } else if (first === 0x6e && matches(src, i, end, 'null')) {
        i += 4;
        kind = NULL;
      } else if (key < 0 && ((first === 0x74 && matches(src, i, end, 'true')) || (first === 0x66 && matches(src, i, end, 'false')))) {
        i += first === 0x74 ? 4 : 5;
        kind = 0;
      } else {
        return false; // an object, an array, a boolean in a mapped field, or not JSON
      }
      if (key >= 0) {
        // A field given twice: the last one counts, as with JSON.parse.
        this.kinds[key] = kind;
        this.starts[key] = kind === STRING || kind === ESCAPED_STRING ? valueStart + 1 : valueStart;
        this.ends[key] = kind === STRING || kind === ESCAPED_STRING ? i - 1 : i;
        this.seenOn[key] = line;
      }
      i = skipSpace(src, i, end);
      if (i >= end) return false;
      if (src[i] === CLOSE) return this.closes(src, i, end, line);
      if (src[i] !== COMMA) return false;
      i = skipSpace(src, i + 1, end);
    }
  }

  /**
   * The closing quote of the string starting at `i`, or -1 when it is not a JSON string;
   * `escaped` says whether it holds an escape.
   */
  private stringEnd(src: Uint8Array, i: number, end: number): number {
    this.escaped = false;
    for (; i < end; i++) {
      const byte = src[i];
      if (byte === QUOTE) return i;
      if (byte < 0x20) return -1;
      if (byte !== BACKSLASH) continue;
      this.escaped = true;
      const next = src[++i];
      if (next === QUOTE || next === SLASH || next === BACKSLASH) continue;
      if (next === 0x75) {
        for (let k = 1; k <= 4; k++) if (!isHex(src[i + k])) return -1;
        i += 4;
      } else if (next !== 0x62 && next !== 0x66 && next !== 0x6e && next !== 0x72 && next !== 0x74) {
        return -1;
      }
    }
    return -1;
  }

  /** The object closes at `i`: the line must end there, with every mapped field seen. */
  private closes(src: Uint8Array, i: number, end: number, line: number): boolean {
    if (i + 1 !== end) return false;
    for (let key = 0; key < this.seenOn.length; key++) if (this.seenOn[key] !== line) return false;
    return true;
  }

  /** Which mapped key src[start, end) is, or -1: first the one in this position last time. */
  private keyAt(src: Uint8Array, start: number, end: number, position: number): number {
    const guess = position < this.lastOrder.length ? this.lastOrder[position] : -1;
    if (guess >= 0 && sameBytes(src, start, end, this.keys[guess])) return guess;
    const key = this.byKey.get(Buffer.from(src.buffer, src.byteOffset + start, end - start).toString('latin1')) ?? -1;
    if (position < this.lastOrder.length) this.lastOrder[position] = key;
    return key;
  }
}

/** One column's COPY field from its token, or -1 where the general path must decide. */
function writeField(column: ColumnSpec, kind: number, src: Uint8Array, start: number, end: number, out: Uint8Array, to: number): number {
  if (kind === NULL) {
    out[to] = BACKSLASH;
    out[to + 1] = 0x4e; // \N
    return to + 2;
  }
  switch (column.kind) {
    case 'text':
      if (kind === NUMBER) {
        const after = writeNumber(src, start, end, out, to);
        return column.maxBytes !== undefined && after - to > column.maxBytes ? -1 : after;
      }
      if (kind === STRING) {
        if (column.maxBytes !== undefined && end - start > column.maxBytes) return -1;
        // A loop: fields are short, and subarray() + set() cost more than copying them.
        for (let i = start; i < end; i++) out[to++] = src[i];
        return to;
      }
      return kind === ESCAPED_STRING ? copyEscaped(src, start, end, out, to, column.maxBytes) : -1;
    case 'float':
      return kind === NUMBER ? writeNumber(src, start, end, out, to) : -1;
    case 'smallint':
    case 'integer':
    case 'bigint':
      return kind === NUMBER ? writeNumber(src, start, end, out, to, INTEGER_RANGE[column.kind]) : -1;
    default:
      return -1; // timestamps: parsed and checked by the general path
  }
}

/**
 * A string's value as COPY text: JSON's escapes undone, and COPY's own written for a
 * backslash, tab, newline or carriage return (\n in JSON is \n in COPY). A NUL or a lone
 * surrogate is the general path's to refuse or replace.
 */
function copyEscaped(src: Uint8Array, start: number, end: number, out: Uint8Array, to: number, maxBytes: number | undefined): number {
  let length = 0; // the value's bytes, which is what varchar(n) counts
  for (let i = start; i < end; i++) {
    const byte = src[i];
    if (byte !== BACKSLASH) {
      out[to++] = byte;
      length++;
      continue;
    }
    const next = src[++i];
    if (next === 0x75) {
      let unit = hexAt(src, i + 1);
      i += 4;
      if (unit >= 0xd800 && unit <= 0xdbff) {
        const low = src[i + 1] === BACKSLASH && src[i + 2] === 0x75 ? hexAt(src, i + 3) : -1;
        if (low < 0xdc00 || low > 0xdfff) return -1;
        unit = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
        i += 6;
      } else if (unit >= 0xdc00 && unit <= 0xdfff) {
        return -1;
      }
      if (unit === 0) return -1;
      const special = COPY_ESCAPE[unit];
      if (unit < 0x80 && special !== undefined) {
        out[to++] = BACKSLASH;
        out[to++] = special;
        length++;
      } else {
        const written = writeUtf8(unit, out, to);
        length += written;
        to += written;
      }
    } else if (next === 0x62 || next === 0x66) {
      out[to++] = next === 0x62 ? 0x08 : 0x0c; // \b and \f: not COPY specials, written raw
      length++;
    } else {
      if (next === BACKSLASH || next === 0x6e || next === 0x74 || next === 0x72) out[to++] = BACKSLASH; // COPY's escape is JSON's
      out[to++] = next;
      length++;
    }
  }
  return maxBytes !== undefined && length > maxBytes ? -1 : to;
}

/** The COPY escape letter of the characters COPY text format treats specially. */
const COPY_ESCAPE: Array<number | undefined> = [];
COPY_ESCAPE[0x09] = 0x74;
COPY_ESCAPE[0x0a] = 0x6e;
COPY_ESCAPE[0x0d] = 0x72;
COPY_ESCAPE[0x5c] = BACKSLASH;

function hexAt(src: Uint8Array, i: number): number {
  let value = 0;
  for (let k = i; k < i + 4; k++) {
    const byte = src[k];
    value = value * 16 + (byte <= NINE ? byte - ZERO : (byte | 0x20) - 0x61 + 10);
  }
  return value;
}

function writeUtf8(code: number, out: Uint8Array, to: number): number {
  if (code < 0x80) {
    out[to] = code;
    return 1;
  }
  if (code < 0x800) {
    out[to] = 0xc0 | (code >> 6);
    out[to + 1] = 0x80 | (code & 0x3f);
    return 2;
  }
  if (code < 0x10000) {
    out[to] = 0xe0 | (code >> 12);
    out[to + 1] = 0x80 | ((code >> 6) & 0x3f);
    out[to + 2] = 0x80 | (code & 0x3f);
    return 3;
  }
  out[to] = 0xf0 | (code >> 18);
  out[to + 1] = 0x80 | ((code >> 12) & 0x3f);
  out[to + 2] = 0x80 | ((code >> 6) & 0x3f);
  out[to + 3] = 0x80 | (code & 0x3f);
  return 4;
}

/**
 * A JSON number as String(JSON.parse(token)) writes it, which is what the general path
 * loads into text, float and integer columns: plain digits, no exponent, no trailing
 * zeros. Written here when the value has at most 15 significant digits (any decimal that
 * short comes back from a double as written), lies in JavaScript's plain range (1e-6 up to
 * 1e21), and the text is no longer than the token; for an integer column, when it is
 * whole and in `range`. Otherwise -1.
 */
function writeNumber(src: Uint8Array, start: number, end: number, out: Uint8Array, to: number, range?: [number, number]): number {
  let i = start;
  const negative = src[i] === MINUS;
  if (negative) i++;
  const intStart = i;
  while (i < end && src[i] >= ZERO && src[i] <= NINE) i++;
  const intLength = i - intStart;
  let fracStart = i;
  if (i < end && src[i] === DOT) {
    fracStart = ++i;
    while (i < end && src[i] >= ZERO && src[i] <= NINE) i++;
  }
  const digitCount = intLength + (i - fracStart);
  let exponent = 0;
  if (i < end) {
    i++; // e or E: the grammar was checked when the token was read
    const sign = src[i] === MINUS ? -1 : 1;
    if (src[i] === MINUS || src[i] === 0x2b) i++;
    if (end - i > 3) return -1;
    for (; i < end; i++) exponent = exponent * 10 + src[i] - ZERO;
    exponent *= sign;
  }
  let first = 0;
  while (first < digitCount && digitAt(src, intStart, intLength, fracStart, first) === 0) first++;
  if (first === digitCount) {
    out[to] = ZERO; // zero, -0 included, is written 0
    return to + 1;
  }
  let last = digitCount;
  while (digitAt(src, intStart, intLength, fracStart, last - 1) === 0) last--;
  const significant = last - first;
  /** Digits before the decimal point, counted from the first significant one. */
  const point = intLength + exponent - first;
  if (significant > MAX_DIGITS || point > 21 || point < -5) return -1;
  if (range !== undefined && !isWholeInRange(negative, point, significant, wholeValue(src, intStart, intLength, fracStart, first, significant), range)) return -1;
  const length = (negative ? 1 : 0) + (point <= 0 ? 2 - point + significant : point < significant ? significant + 1 : point);
  if (length > end - start) return -1;
  if (negative) out[to++] = MINUS;
  if (point <= 0) {
    out[to++] = ZERO;
    out[to++] = DOT;
    for (let k = 0; k < -point; k++) out[to++] = ZERO;
  }
  for (let k = 0; k < significant; k++) {
    if (k === point && point > 0) out[to++] = DOT;
    out[to++] = digitAt(src, intStart, intLength, fracStart, first + k) + ZERO;
  }
  for (let k = significant; k < point; k++) out[to++] = ZERO;
  return to;
}

/** The j-th digit of a number's int part and fraction taken as one run. */
function digitAt(src: Uint8Array, intStart: number, intLength: number, fracStart: number, j: number): number {
  return (j < intLength ? src[intStart + j] : src[fracStart + j - intLength]) - ZERO;
}

/** The significant digits from `first` as a whole number (at most 15 of them: exact). */
function wholeValue(src: Uint8Array, intStart: number, intLength: number, fracStart: number, first: number, significant: number): number {
  let value = 0;
  for (let k = 0; k < significant; k++) value = value * 10 + digitAt(src, intStart, intLength, fracStart, first + k);
  return value;
}

function isWholeInRange(negative: boolean, point: number, significant: number, digits: number, [min, max]: [number, number]): boolean {
  if (point < significant || point > 16) return false; // a fraction, or past 2^53 (bigint's range here)
  const value = digits * 10 ** (point - significant);
  const signed = negative ? -value : value;
  return signed >= min && signed <= max;
}

function skipSpace(src: Uint8Array, i: number, end: number): number {
  while (i < end && (src[i] === 0x20 || src[i] === TAB)) i++;
  return i;
}

/** The closing quote of a string with no escape and no control character, or -1. */
function plainStringEnd(src: Uint8Array, i: number, end: number): number {
  for (; i < end; i++) {
    const byte = src[i];
    if (byte === QUOTE) return i;
    if (byte === BACKSLASH || byte < 0x20) return -1;
  }
  return -1;
}

function isHex(byte: number): boolean {
  return (byte >= ZERO && byte <= NINE) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
}

/** Where a JSON number starting at `i` ends, by JSON's grammar, or -1. */
function numberEnd(src: Uint8Array, i: number, end: number): number {
  if (src[i] === MINUS) i++;
  if (i >= end) return -1;
  if (src[i] === ZERO) i++;
  else if (src[i] > ZERO && src[i] <= NINE) while (i < end && src[i] >= ZERO && src[i] <= NINE) i++;
  else return -1;
  if (i < end && src[i] === DOT) {
    const digits = ++i;
    while (i < end && src[i] >= ZERO && src[i] <= NINE) i++;
    if (i === digits) return -1;
  }
  if (i < end && (src[i] === 0x65 || src[i] === 0x45)) {
    i++;
    if (i < end && (src[i] === 0x2b || src[i] === MINUS)) i++;
    const digits = i;
    while (i < end && src[i] >= ZERO && src[i] <= NINE) i++;
    if (i === digits) return -1;
  }
  return i;
}

function matches(src: Uint8Array, i: number, end: number, word: string): boolean {
  if (i + word.length > end) return false;
  for (let k = 0; k < word.length; k++) if (src[i + k] !== word.charCodeAt(k)) return false;
  return true;
}

function sameBytes(src: Uint8Array, start: number, end: number, key: Uint8Array): boolean {
  if (end - start !== key.length) return false;
  for (let k = 0; k < key.length; k++) if (src[start + k] !== key[k]) return false;
  return true;
}
