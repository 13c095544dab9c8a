// Decodes source bytes as UTF-8 without losing track of the bytes that are not UTF-8.
// Node's own decoders turn each such byte into U+FFFD, which is indistinguishable from a
// real U+FFFD in the data and would load silently changed. Here each invalid byte b
// becomes the lone surrogate U+DC00+b instead (b is always 0x80..0xFF, so U+DC80..U+DCFF):
// valid UTF-8 never decodes to a lone surrogate, so the mark is unambiguous, and it keeps
// its place in the line, so the byte offset can be told and the byte replaced later.
//
// Which sequences are valid follows the Unicode Standard's table of well-formed UTF-8
// (no overlong forms, no surrogates, nothing past U+10FFFF), which is also what Redshift's
// COPY rejects as "invalid or unsupported UTF-8 codepoints" (AWS, "Multibyte character
// load errors": error codes 2-5, 8, 9).
import { isUtf8 } from 'node:buffer';

/**
 * Matches the mark of an invalid byte. The u flag matters: without it the class also
 * matches the low half of a valid surrogate pair (U+1F480-U+1F4FF, 💀 to 📿, and one in
 * eight of every supplementary character), which would then be taken for a bad byte.
 */
export const INVALID_BYTE = /[\uDC80-\uDCFF]/u;
const INVALID_BYTES = /[\uDC80-\uDCFF]/gu;

/** Feed it chunks in order; each call returns the text of the complete characters so far. */
export class Utf8Decoder {
  /** The start of a character cut off by the end of the last chunk (at most 3 bytes). */
  private carry: Buffer | undefined;
  /** Some input so far was not UTF-8: the text returned holds marks. */
  sawInvalid = false;

  write(chunk: Buffer): string {
    const bytes = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    const complete = completeLength(bytes);
    this.carry = complete < bytes.length ? Buffer.from(bytes.subarray(complete)) : undefined;
    return this.decode(complete === bytes.length ? bytes : bytes.subarray(0, complete));
  }

  /** The input ended: a character left incomplete is invalid. */
  end(): string {
    const carry = this.carry;
    this.carry = undefined;
    return carry ? this.decode(carry) : '';
  }

  private decode(bytes: Buffer): string {
    // The usual case, checked at memory speed; the byte-by-byte walk only for a bad chunk.
    if (isUtf8(bytes)) return bytes.toString('utf8');
    this.sawInvalid = true;
    return decodeMarkingInvalid(bytes);
  }
}

/** Bytes up to the last complete character: a multibyte character cut at the end is left out. */
function completeLength(bytes: Buffer): number {
  const n = bytes.length;
  for (let i = n - 1; i >= 0 && i >= n - 3; i--) {
    const byte = bytes[i];
    if (byte < 0x80) return n;
    if (byte >= 0xc0) return n - i < sequenceLength(byte) ? i : n;
  }
  return n;
}

function sequenceLength(lead: number): number {
  return lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
}

export function decodeMarkingInvalid(bytes: Buffer): string {
  let text = '';
  let validFrom = 0;
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i] < 0x80) {
      i++;
      continue;
    }
    const length = validSequenceAt(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    if (i > validFrom) text += bytes.toString('utf8', validFrom, i);
    text += String.fromCharCode(0xdc00 + bytes[i]);
    validFrom = ++i;
  }
  return validFrom < bytes.length ? text + bytes.toString('utf8', validFrom) : text;
}

/** The length of the well-formed multibyte sequence starting at `i`, or 0. */
function validSequenceAt(bytes: Buffer, i: number): number {
  const lead = bytes[i];
  const inRange = (offset: number, low = 0x80, high = 0xbf) =>
    i + offset < bytes.length && bytes[i + offset] >= low && bytes[i + offset] <= high;
  if (lead >= 0xc2 && lead <= 0xdf) return inRange(1) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    const [low, high] = lead === 0xe0 ? [0xa0, 0xbf] : lead === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return inRange(1, low, high) && inRange(2) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    const [low, high] = lead === 0xf0 ? [0x90, 0xbf] : lead === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return inRange(1, low, high) && inRange(2) && inRange(3) ? 4 : 0;
  }
  return 0;
}

/** Where the first invalid byte of `line` is, and the run of invalid bytes there, in hex. */
export function firstInvalidByte(line: string): { offset: number; hex: string } | undefined {
  const at = line.search(INVALID_BYTE);
  if (at < 0) return undefined;
  let end = at;
  while (end < line.length && INVALID_BYTE.test(line[end])) end++;
  const hex = Array.from(line.slice(at, end), (c) => (c.charCodeAt(0) - 0xdc00).toString(16)).join(' ');
  return { offset: Buffer.byteLength(line.slice(0, at)), hex };
}

/** The bytes `text` was decoded from: its UTF-8, each invalid byte's mark back to the byte it stood for. */
export function encodeKeepingInvalidBytes(text: string): Buffer {
  if (!INVALID_BYTE.test(text)) return Buffer.from(text, 'utf8');
  const pieces: Buffer[] = [];
  let from = 0;
  for (const mark of text.matchAll(INVALID_BYTES)) {
    pieces.push(Buffer.from(text.slice(from, mark.index), 'utf8'), Buffer.of(mark[0].charCodeAt(0) - 0xdc00));
    from = mark.index + 1;
  }
  pieces.push(Buffer.from(text.slice(from), 'utf8'));
  return Buffer.concat(pieces);
}

/** The text for people to read (kept in load_errors): each invalid byte as \xHH. */
export function showInvalidBytes(text: string): string {
  return text.replace(INVALID_BYTES, (c) => `\\x${(c.charCodeAt(0) - 0xdc00).toString(16)}`);
}
