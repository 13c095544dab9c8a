// Reading JSON's tokens off bytes (byte-rows.ts): where a string, a number or a literal
// ends, by JSON's grammar (RFC 8259), or -1 when the bytes are not that token. Strict:
// whatever JSON.parse would refuse, these refuse too, so a line the short path takes
// is one JSON.parse would have taken.

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const MINUS = 0x2d;
export const DOT = 0x2e;
export const ZERO = 0x30;
export const NINE = 0x39;
export const TAB = 0x09;
const U = 0x75;

/** Bytes a string's content cannot simply be copied past: its end, an escape, a control character. */
export const STRING_STOP = new Uint8Array(256);
for (let byte = 0; byte < 0x20; byte++) STRING_STOP[byte] = 1;
STRING_STOP[QUOTE] = 1;
STRING_STOP[BACKSLASH] = 1;

/** JSON's whitespace, except CR and LF, which do not occur inside a line here. */
export function skipSpace(src: Uint8Array, i: number, end: number): number {
  while (i < end && (src[i] === 0x20 || src[i] === TAB)) i++;
  return i;
}

/** The closing quote of a string with no escape and no control character (a key), or -1. */
export function plainStringEnd(src: Uint8Array, i: number, end: number): number {
  while (i < end && STRING_STOP[src[i]] === 0) i++;
  return i < end && src[i] === QUOTE ? i : -1;
}

/** The closing quote of the string whose content starts at `i`, or -1 when it is not a JSON string. */
export function stringEnd(src: Uint8Array, i: number, end: number): number {
  for (;;) {
    while (i < end && STRING_STOP[src[i]] === 0) i++;
    if (i >= end) return -1;
    if (src[i] === QUOTE) return i;
    if (src[i] !== BACKSLASH) return -1; // a control character
    const length = escapeLength(src, i, end);
    if (length < 0) return -1;
    i += length;
  }
}

/**
 * The bytes of the escape at `i` (a backslash), -1 when it is not one: 2, or 6 for \uXXXX,
 * or 12 for a surrogate pair's two (a lone surrogate is valid JSON too, and counts 6).
 */
export function escapeLength(src: Uint8Array, i: number, end: number): number {
  const letter = i + 1 < end ? src[i + 1] : -1;
  if (letter === U) {
    const unit = i + 6 <= end ? hexAt(src, i + 2) : -1;
    if (unit < 0) return -1;
    const paired =
      unit >= 0xd800 &&
      unit <= 0xdbff &&
      i + 12 <= end &&
      src[i + 6] === BACKSLASH &&
      src[i + 7] === U &&
      hexAt(src, i + 8) >= 0xdc00 &&
      hexAt(src, i + 8) <= 0xdfff;
    return paired ? 12 : 6;
  }
  return letter === QUOTE ||
    letter === BACKSLASH ||
    letter === 0x2f ||
    letter === 0x62 ||
    letter === 0x66 ||
    letter === 0x6e ||
    letter === 0x72 ||
    letter === 0x74
    ? 2
    : -1;
}

/** The four hex digits at `i` as a number, or -1. */
export function hexAt(src: Uint8Array, i: number): number {
  let value = 0;
  for (let k = i; k < i + 4; k++) {
    const byte = src[k];
    const lower = byte | 0x20; // A-F as a-f
    if (byte >= ZERO && byte <= NINE) value = value * 16 + byte - ZERO;
    else if (lower >= 0x61 && lower <= 0x66) value = value * 16 + lower - 0x61 + 10;
    else return -1;
  }
  return value;
}

/** Where a JSON number starting at `i` ends, or -1. */
export function numberEnd(src: Uint8Array, i: number, end: number): number {
  if (src[i] === MINUS) i++;
  if (i >= end) return -1;
  if (src[i] === ZERO) i++;
  else if (src[i] > ZERO && src[i] <= NINE) i = digitsEnd(src, i, end);
  else return -1;
  if (i < end && src[i] === DOT) {
    const digits = i + 1;
    i = digitsEnd(src, digits, end);
    if (i === digits) return -1;
  }
  if (i < end && (src[i] | 0x20) === 0x65) {
    i++;
    if (i < end && (src[i] === 0x2b || src[i] === MINUS)) i++;
    const digits = i;
    i = digitsEnd(src, digits, end);
    if (i === digits) return -1;
  }
  return i;
}

function digitsEnd(src: Uint8Array, i: number, end: number): number {
  while (i < end && src[i] >= ZERO && src[i] <= NINE) i++;
  return i;
}

/** Whether the ASCII `word` (null, true, false) is at `i`. */
export function literalAt(src: Uint8Array, i: number, end: number, word: string): boolean {
  if (i + word.length > end) return false;
  for (let k = 0; k < word.length; k++) if (src[i + k] !== word.charCodeAt(k)) return false;
  return true;
}

export function sameBytes(src: Uint8Array, start: number, end: number, bytes: Uint8Array): boolean {
  if (end - start !== bytes.length) return false;
  for (let k = 0; k < bytes.length; k++) if (src[start + k] !== bytes[k]) return false;
  return true;
}
