// Writing JSON tokens as fields of COPY's text format, byte for byte what the general
// path (JSON.parse, then columns.ts / row-formatter.ts) writes for the same value, or -1
// where only the general path may decide (byte-rows.ts then declines the line).
import * as columns from './columns';
import type { ColumnSpec } from './columns';
import * as json from './json-bytes';

// Bound once: each use of an import reads the other module's exports (see byte-rows.ts).
const { BACKSLASH, DOT, hexAt, MINUS, ZERO } = json;
const { INTEGER_RANGE } = columns;

/** COPY's NULL, \N. */
export function writeNull(out: Uint8Array, to: number): number {
  out[to] = BACKSLASH;
  out[to + 1] = 0x4e;
  return to + 2;
}

/** The escape letter COPY writes for the characters its text format treats specially (the same letters as JSON's). */
const COPY_ESCAPE = new Uint8Array(128);
COPY_ESCAPE[0x09] = 0x74; // \t
COPY_ESCAPE[0x0a] = 0x6e; // \n
COPY_ESCAPE[0x0d] = 0x72; // \r
COPY_ESCAPE[BACKSLASH] = BACKSLASH;

/**
 * The escape at `i` (checked: json-bytes.ts escapeLength) written as the value's
 * character: COPY's own escape for a backslash, tab, newline or carriage return, the
 * character's UTF-8 otherwise. -1 for what the general path refuses or changes: a NUL
 * (neither engine stores it) and a lone surrogate (it would be written as U+FFFD).
 */
export function writeEscape(src: Uint8Array, i: number, out: Uint8Array, to: number): number {
  const letter = src[i + 1];
  let code: number;
  if (letter === 0x75) {
    code = hexAt(src, i + 2);
    if (code >= 0xd800 && code <= 0xdbff) {
      const low = src[i + 6] === BACKSLASH && src[i + 7] === 0x75 ? hexAt(src, i + 8) : -1;
      if (low < 0xdc00 || low > 0xdfff) return -1;
      code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
    } else if ((code >= 0xdc00 && code <= 0xdfff) || code === 0) {
      return -1;
    }
  } else {
    code =
      letter === 0x62
        ? 0x08
        : letter === 0x66
          ? 0x0c
          : letter === 0x6e
            ? 0x0a
            : letter === 0x72
              ? 0x0d
              : letter === 0x74
                ? 0x09
                : letter;
  }
  if (code < 0x80 && COPY_ESCAPE[code] !== 0) {
    out[to] = BACKSLASH;
    out[to + 1] = COPY_ESCAPE[code];
    return to + 2;
  }
  return writeUtf8(code, out, to);
}

function writeUtf8(code: number, out: Uint8Array, to: number): number {
  if (code < 0x80) {
    out[to] = code;
    return to + 1;
  }
  if (code < 0x800) {
    out[to] = 0xc0 | (code >> 6);
    out[to + 1] = 0x80 | (code & 0x3f);
    return to + 2;
  }
  if (code < 0x10000) {
    out[to] = 0xe0 | (code >> 12);
    out[to + 1] = 0x80 | ((code >> 6) & 0x3f);
    out[to + 2] = 0x80 | (code & 0x3f);
    return to + 3;
  }
  out[to] = 0xf0 | (code >> 18);
  out[to + 1] = 0x80 | ((code >> 12) & 0x3f);
  out[to + 2] = 0x80 | ((code >> 6) & 0x3f);
  out[to + 3] = 0x80 | (code & 0x3f);
  return to + 4;
}

/**
 * The bytes of the value a COPY text field out[from, to) holds: each of its escapes (a
 * backslash and a letter) stands for one byte. What varchar(n) counts.
 */
export function valueBytes(out: Uint8Array, from: number, to: number): number {
  let escapes = 0;
  for (let k = from; k < to; k++) {
    if (out[k] === BACKSLASH) {
      escapes++;
      k++;
    }
  }
  return to - from - escapes;
}

/** A number into a numeric or text column, as the general path writes it; -1 where it must decide. */
export function writeNumberField(
  column: ColumnSpec,
  src: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  to: number,
): number {
  switch (column.kind) {
    case 'float':
      return writeNumber(src, start, end, out, to);
    case 'text': {
      // As written, as the general path keeps it (exact-numbers.ts): a JSON number has no COPY special.
      if (column.maxBytes !== undefined && end - start > column.maxBytes) return -1;
      out.set(src.subarray(start, end), to);
      return to + end - start;
    }
    case 'timestamp':
      return -1;
    default: {
      const [min, max] = INTEGER_RANGE[column.kind];
      return writeNumber(src, start, end, out, to, min, max);
    }
  }
}

/** Beyond 15 significant digits a decimal may not come back from a double as written. */
const MAX_DIGITS = 15;

/**
 * A JSON number (checked: json-bytes.ts numberEnd) as String(JSON.parse(token)) writes it,
 * which is what the general path loads into text, float and integer columns: plain
 * digits, no exponent, no trailing zeros, -0 as 0. Written when the value has at most 15
 * significant digits (any decimal that short comes back from a double as written), lies
 * in JavaScript's plain range (1e-6 up to 1e21), and the text is no longer than the
 * token; with `min`/`max` (an integer column), when it is whole and in that range.
 */
function writeNumber(
  src: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  to: number,
  min = -Infinity,
  max = Infinity,
): number {
  let i = start;
  const negative = src[i] === MINUS;
  if (negative) i++;
  const intStart = i;
  while (i < end && src[i] >= ZERO && src[i] <= ZERO + 9) i++;
  const intLength = i - intStart;
  let fracStart = i;
  if (i < end && src[i] === DOT) {
    fracStart = ++i;
    while (i < end && src[i] >= ZERO && src[i] <= ZERO + 9) i++;
  }
  const digitCount = intLength + (i - fracStart);
  let exponent = 0;
  if (i < end) {
    i++; // e or E
    const sign = src[i] === MINUS ? -1 : 1;
    if (src[i] === MINUS || src[i] === 0x2b) i++;
    if (end - i > 3) return -1;
    for (; i < end; i++) exponent = exponent * 10 + src[i] - ZERO;
    exponent *= sign;
  }
  let first = 0;
  while (first < digitCount && digitAt(src, intStart, intLength, fracStart, first) === 0) first++;
  if (first === digitCount) {
    if (min > 0 || max < 0) return -1;
    out[to] = ZERO;
    return to + 1;
  }
  let last = digitCount;
  while (digitAt(src, intStart, intLength, fracStart, last - 1) === 0) last--;
  const significant = last - first;
  /** Digits before the decimal point, counted from the first significant one. */
  const point = intLength + exponent - first;
  if (significant > MAX_DIGITS || point > 21 || point < -5) return -1;
  if (
    (min !== -Infinity || max !== Infinity) &&
    !isWholeInRange(src, intStart, intLength, fracStart, first, significant, point, negative, min, max)
  )
    return -1;
  const length =
    (negative ? 1 : 0) + (point <= 0 ? 2 - point + significant : point < significant ? significant + 1 : point);
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

/**
 * Whether the number is whole and within [min, max]. Past 15 digits before the point it
 * is declined (bigint's range here ends at 2^53, 16 digits); a smallint's or integer's
 * value has at most 10 digits, so it is summed as a small number, never boxed.
 */
function isWholeInRange(
  src: Uint8Array,
  intStart: number,
  intLength: number,
  fracStart: number,
  first: number,
  significant: number,
  point: number,
  negative: boolean,
  min: number,
  max: number,
): boolean {
  if (point < significant || point > MAX_DIGITS) return false;
  if (max >= Number.MAX_SAFE_INTEGER && min <= Number.MIN_SAFE_INTEGER) return true;
  if (point > 10) return false;
  let value = 0;
  for (let k = 0; k < point; k++)
    value = value * 10 + (k < significant ? digitAt(src, intStart, intLength, fracStart, first + k) : 0);
  return negative ? -value >= min : value <= max;
}
