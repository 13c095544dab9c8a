// The short path's encoder: one JSON line to its line of COPY text, byte by byte, in one
// of two ways (byte-rows.ts says which, and when the short path applies).
import type { ColumnSpec } from './columns';
import * as copyText from './copy-text-bytes';
import * as json from './json-bytes';

// Bound once: each use of an import reads it from the other module's exports, a getter
// call under tsx (mocha) and a property load in the compiled build the commands run; in
// these loops local constants are measurably faster under both (docs/loader.md).
const { valueBytes, writeEscape, writeNull, writeNumberField } = copyText;
const {
  BACKSLASH,
  escapeLength,
  literalAt,
  MINUS,
  NINE,
  numberEnd,
  plainStringEnd,
  QUOTE,
  sameBytes,
  skipSpace,
  STRING_STOP,
  stringEnd,
  TAB,
  ZERO,
} = json;

/**
 * Writes the COPY line (with its newline) for the JSON line src[start, end) into `out`
 * from `at`, and returns where it ends; -1 when the line is not one it can do. `out` must
 * have room for end - start + 1 bytes from `at`: a line's COPY text is never longer than
 * the line (each value is no longer than its JSON, and its key and colon pay for the tab).
 */
export type ByteRowEncoder = (src: Uint8Array, start: number, end: number, out: Uint8Array, at: number) => number;

const OPEN = 0x7b;
const CLOSE = 0x7d;
const COMMA = 0x2c;
const COLON = 0x3a;
/** direct(): the fields are not in the columns' order; read the line into slots. */
const OUT_OF_ORDER = -2;

/** What a field's last value was. */
const NULL = 1;
const STRING = 2;
const NUMBER = 3;

export class LineEncoder {
  /** Each distinct field name as UTF-8 bytes; column c reads the value of keys[keyOfColumn[c]]. */
  private readonly keys: Uint8Array[];
  private readonly keyOfColumn: Int32Array;
  private readonly byKey = new Map<string, number>();
  /** Two columns read one field: never in order, always through the slots. */
  private readonly sharedKeys: boolean;
  /** Per key, the last value read: kind, where it starts, and the line it was read on. */
  private readonly kinds: Uint8Array;
  private readonly starts: Int32Array;
  private readonly seenOn: Int32Array;
  private line = 0;
  /** Where reading stopped: after the string copyString() wrote. */
  private pos = 0;

  constructor(
    names: string[],
    private readonly columns: ColumnSpec[],
  ) {
    const distinct = [...new Set(names)];
    this.keys = distinct.map((name) => Buffer.from(name, 'utf8'));
    distinct.forEach((name, i) => this.byKey.set(Buffer.from(name, 'utf8').toString('latin1'), i));
    this.keyOfColumn = Int32Array.from(names, (name) => distinct.indexOf(name));
    this.sharedKeys = distinct.length < names.length;
    this.kinds = new Uint8Array(distinct.length);
    this.starts = new Int32Array(distinct.length);
    this.seenOn = new Int32Array(distinct.length);
  }

  readonly encode: ByteRowEncoder = (src, start, end, out, at) => {
    const written = this.sharedKeys ? OUT_OF_ORDER : this.direct(src, start, end, out, at);
    return written !== OUT_OF_ORDER ? written : this.viaSlots(src, start, end, out, at);
  };

  /** One pass, each value written as it is read; OUT_OF_ORDER when a field is not the next column's. */
  private direct(src: Uint8Array, start: number, end: number, out: Uint8Array, at: number): number {
    const { columns, keyOfColumn, keys } = this;
    if (src[start] !== OPEN) return -1;
    let i = skipSpace(src, start + 1, end);
    let to = at;
    for (let c = 0; c < columns.length; c++) {
      if (c > 0) {
        if (src[i] !== COMMA) return src[i] === CLOSE ? -1 : OUT_OF_ORDER; // a column's field missing: the general path says so
        i = skipSpace(src, i + 1, end);
        out[to++] = TAB;
      }
      if (i >= end || src[i] !== QUOTE) return -1;
      const keyEnd = plainStringEnd(src, i + 1, end);
      if (keyEnd < 0 || !sameBytes(src, i + 1, keyEnd, keys[keyOfColumn[c]])) return OUT_OF_ORDER;
      i = skipSpace(src, keyEnd + 1, end);
      if (src[i] !== COLON) return -1;
      i = skipSpace(src, i + 1, end);
      const column = columns[c];
      const first = src[i];
      if (first === QUOTE && column.kind === 'text') {
        to = this.copyString(src, i + 1, end, out, to, column.maxBytes);
        i = this.pos;
      } else if (first === MINUS || (first >= ZERO && first <= NINE)) {
        const numberStop = numberEnd(src, i, end);
        if (numberStop < 0) return -1;
        to = writeNumberField(column, src, i, numberStop, out, to);
        i = numberStop;
      } else if (first === 0x6e && literalAt(src, i, end, 'null')) {
        to = writeNull(out, to);
        i += 4;
      } else {
        return -1; // a string where a number belongs, a boolean, an object or an array: the general path's
      }
      if (to < 0) return -1;
      i = skipSpace(src, i, end);
    }
    if (src[i] !== CLOSE) return i < end && src[i] === COMMA ? OUT_OF_ORDER : -1; // more fields than columns
    if (i + 1 !== end) return -1;
    out[to++] = 0x0a;
    return to;
  }

  /**
   * Copies the string whose content starts at `i` as a COPY field, escapes undone and
   * COPY's written; sets `pos` after its closing quote. -1 when it is not a JSON string,
   * holds what the general path refuses or changes, or is longer than `maxBytes`.
   */
  private copyString(
    src: Uint8Array,
    i: number,
    end: number,
    out: Uint8Array,
    to: number,
    maxBytes: number | undefined,
  ): number {
    const from = to;
    for (;;) {
      let byte = src[i];
      while (STRING_STOP[byte] === 0 && i < end) {
        out[to++] = byte;
        byte = src[++i];
      }
      if (i >= end) return -1;
      if (byte === QUOTE) break;
      if (byte !== BACKSLASH) return -1; // a control character: not JSON
      const length = escapeLength(src, i, end);
      if (length < 0) return -1;
      to = writeEscape(src, i, out, to);
      if (to < 0) return -1;
      i += length;
    }
    this.pos = i + 1;
    return maxBytes !== undefined && to - from > maxBytes && valueBytes(out, from, to) > maxBytes ? -1 : to;
  }

  /** The second way: every field into its slot, then the columns written from the slots. */
  private viaSlots(src: Uint8Array, start: number, end: number, out: Uint8Array, at: number): number {
    if (!this.readSlots(src, start, end)) return -1;
    const { columns, keyOfColumn, kinds, starts } = this;
    let to = at;
    for (let c = 0; c < columns.length; c++) {
      if (c > 0) out[to++] = TAB;
      const key = keyOfColumn[c];
      const column = columns[c];
      const kind = kinds[key];
      if (kind === NULL) to = writeNull(out, to);
      else if (kind === STRING)
        to = column.kind === 'text' ? this.copyString(src, starts[key], end, out, to, column.maxBytes) : -1;
      else to = writeNumberField(column, src, starts[key], numberEnd(src, starts[key], end), out, to);
      if (to < 0) return -1;
    }
    out[to++] = 0x0a;
    return to;
  }

  /** Reads the line's values into the per-key slots; false unless it is a flat object holding every mapped field. */
  private readSlots(src: Uint8Array, start: number, end: number): boolean {
    if (this.line === 0x3fffffff) {
      // Before the counter outgrows the Int32Array: no slot then says it was seen on this line.
      this.seenOn.fill(0);
      this.line = 0;
    }
    const line = ++this.line;
    if (src[start] !== OPEN) return false;
    let i = skipSpace(src, start + 1, end);
    if (src[i] === CLOSE) return this.closes(i, end, line);
    for (;;) {
      if (i >= end || src[i] !== QUOTE) return false;
      const keyEnd = plainStringEnd(src, i + 1, end);
      if (keyEnd < 0) return false;
      const key =
        this.byKey.get(Buffer.from(src.buffer, src.byteOffset + i + 1, keyEnd - i - 1).toString('latin1')) ?? -1;
      i = skipSpace(src, keyEnd + 1, end);
      if (src[i] !== COLON) return false;
      i = skipSpace(src, i + 1, end);
      const valueStart = i;
      let kind: number;
      const first = src[i];
      if (first === QUOTE) {
        i = stringEnd(src, i + 1, end) + 1;
        kind = STRING;
      } else if (first === MINUS || (first >= ZERO && first <= NINE)) {
        i = numberEnd(src, i, end);
        kind = NUMBER;
      } else if (first === 0x6e && literalAt(src, i, end, 'null')) {
        i += 4;
        kind = NULL;
      } else if (key < 0 && (literalAt(src, i, end, 'true') || literalAt(src, i, end, 'false'))) {
        i += first === 0x74 ? 4 : 5;
        kind = 0;
      } else {
        return false; // an object, an array, a boolean in a mapped field, or not JSON
      }
      if (i <= 0) return false;
      if (key >= 0) {
        this.kinds[key] = kind;
        this.starts[key] = kind === STRING ? valueStart + 1 : valueStart;
        this.seenOn[key] = line;
      }
      i = skipSpace(src, i, end);
      if (src[i] === CLOSE) return this.closes(i, end, line);
      if (i >= end || src[i] !== COMMA) return false;
      i = skipSpace(src, i + 1, end);
    }
  }

  /** The object closes at `i`: the line must end there, with every mapped field read. */
  private closes(i: number, end: number, line: number): boolean {
    if (i + 1 !== end) return false;
    for (let key = 0; key < this.seenOn.length; key++) if (this.seenOn[key] !== line) return false;
    return true;
  }
}
