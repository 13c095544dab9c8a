// JSON data files as COPY reads them: root-level objects/arrays one after another, parsed from bytes so that
// number texts and invalid UTF-8 survive to the type conversion.
// AWS "Data format parameters", https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-format.html#copy-json-data-file:
// "COPY loads each JSON object or array into one row"; "the objects or arrays can't be separated by commas or any other
// characters except white space"; "If COPY encounters any non–white-space characters before locating a usable JSON structure,
// or between valid JSON objects or arrays, COPY returns an error for each instance. These errors count toward the MAXERROR".

export type JsonValue =
  | { kind: 'null' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'number'; text: string }
  | { kind: 'string'; text: string; bad?: BadChar }
  | { kind: 'array'; items: JsonValue[] }
  | { kind: 'object'; entries: Map<string, JsonValue> };

// An invalid UTF-8 sequence: its bytes in hex and Redshift's error number for it (see decodeUtf8).
export interface BadChar {
  hex: string;
  error: number;
}

export interface RawRecord {
  start: number;
  end: number;
  lastLine: number;
  garbage: boolean;
}

const isSpace = (b: number) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

// Splits a file into root-level structures by bracket depth (quote-aware); anything else up to the line's end is one
// error instance. Also counts the file's lines (STL_FILE_SCAN's "lines").
export function splitRecords(bytes: Buffer): { records: RawRecord[]; lines: number } {
  const records: RawRecord[] = [];
  let line = 1;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (isSpace(b)) {
      if (b === 0x0a) line++;
      i++;
      continue;
    }
    const start = i;
    if (b === 0x7b || b === 0x5b) {
      let depth = 0;
      let inString = false;
      for (; i < bytes.length; i++) {
        const c = bytes[i];
        if (c === 0x0a) line++;
        if (inString) {
          if (c === 0x5c) i++;
          else if (c === 0x22) inString = false;
        } else if (c === 0x22) inString = true;
        else if (c === 0x7b || c === 0x5b) depth++;
        else if ((c === 0x7d || c === 0x5d) && --depth === 0) break;
      }
      i = Math.min(i + 1, bytes.length);
      records.push({ start, end: i, lastLine: line, garbage: false });
    } else {
      while (i < bytes.length && bytes[i] !== 0x0a) i++;
      records.push({ start, end: i, lastLine: line, garbage: true });
    }
  }
  const lines = bytes.length === 0 ? 0 : line - (bytes[bytes.length - 1] === 0x0a ? 1 : 0);
  return { records, lines };
}

export class JsonSyntaxError extends Error {}

// AWS "Multibyte character load errors", https://docs.aws.amazon.com/redshift/latest/dg/multi-byte-character-load-errors.html,
// VARCHAR error numbers: 1 more than four bytes; 2 incomplete sequence; 3 lead byte out of range (128–191, 254, 255);
// 4 continuation byte out of range; 5 surrogate (U+D800–U+DFFF); 8 beyond U+10FFFF; 9 no matching code point (overlong).
// ACCEPTINVCHARS (copy-parameters-data-conversion.html#copy-acceptinvchars) "replaces each invalid UTF-8 character with a
// string of equal length consisting of the character specified"; the same page's list of noncharacters (U+FDD0–U+FDEF,
// U+xFFFE/U+xFFFF) are accepted as valid without it and replaced with it.
// Stand-in choice (the docs are silent for JSON): a NUL (raw 0x00 or \u0000) is treated as invalid, since PostgreSQL cannot
// store it; ACCEPTINVCHARS replaces it, otherwise the field fails with err_code 1220.
// Records the first invalid sequence (only without ACCEPTINVCHARS, which replaces it instead) and appends its stand-in text.
function invalidChar(
  out: { text: string; bad?: BadChar },
  sequence: Uint8Array,
  error: number,
  replacement: string | undefined,
): void {
  if (replacement === undefined)
    out.bad ??= {
      hex: Buffer.from(sequence)
        .toString('hex')
        .replace(/(..)(?!$)/g, '$1 '),
      error,
    };
  out.text += replacement === undefined ? '\ufffd' : replacement.repeat(sequence.length);
}

function decodeUtf8(
  bytes: Buffer,
  from: number,
  to: number,
  replacement: string | undefined,
  out: { text: string; bad?: BadChar },
): void {
  let i = from;
  const invalid = (length: number, error: number) => {
    invalidChar(out, bytes.subarray(i, i + length), error, replacement);
    i += length;
  };
  while (i < to) {
    const b = bytes[i];
    if (b === 0) invalid(1, 3);
    else if (b < 0x80) ((out.text += String.fromCharCode(b)), i++);
    else if (b < 0xc0 || b >= 0xfe) invalid(1, 3);
    else if (b >= 0xf8) invalid(Math.min(b >= 0xfc ? 6 : 5, to - i), 1);
    else {
      const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      let cp = b & (0x7f >> length);
      let n = 1;
      for (; n < length && i + n < to && (bytes[i + n] & 0xc0) === 0x80; n++) cp = (cp << 6) | (bytes[i + n] & 0x3f);
      if (n < length) invalid(n, i + n >= to ? 2 : 4);
      else if (cp < [0, 0, 0x80, 0x800, 0x10000][length]) invalid(length, 9);
      else if (cp >= 0xd800 && cp <= 0xdfff) invalid(length, 5);
      else if (cp > 0x10ffff) invalid(length, 8);
      else if (replacement !== undefined && ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe))
        ((out.text += replacement.repeat(length)), (i += length));
      else ((out.text += String.fromCodePoint(cp)), (i += length));
    }
  }
}

const escapes: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

// A strict JSON parser over one record's bytes. Raw control characters other than NUL inside strings are accepted
// (the docs are silent; COPY is lenient with raw data elsewhere).
export function parseRecord(bytes: Buffer, start: number, end: number, replacement: string | undefined): JsonValue {
  let i = start;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at position ${i - start}`);
  };
  const skip = () => {
    while (i < end && isSpace(bytes[i])) i++;
  };
  const literal = (word: string, value: JsonValue): JsonValue =>
    bytes.toString('latin1', i, i + word.length) === word ? ((i += word.length), value) : fail('Invalid literal');
  const string = (): { text: string; bad?: BadChar } => {
    const out: { text: string; bad?: BadChar } = { text: '' };
    i++;
    for (let run = i; ;) {
      if (i >= end) fail('Unterminated string');
      const b = bytes[i];
      if (b !== 0x22 && b !== 0x5c) {
        i++;
        continue;
      }
      decodeUtf8(bytes, run, i, replacement, out);
      if (b === 0x22) return (i++, out);
      const e = String.fromCharCode(bytes[i + 1]);
      if (escapes[e] !== undefined) ((out.text += escapes[e]), (i += 2));
      else if (e === 'u') {
        const unit = (at: number) =>
          /^[0-9a-fA-F]{4}$/.test(bytes.toString('latin1', at, at + 4))
            ? parseInt(bytes.toString('latin1', at, at + 4), 16)
            : fail('Invalid \\u escape');
        let cp = unit(i + 2);
        i += 6;
        if (cp >= 0xd800 && cp < 0xdc00 && bytes[i] === 0x5c && bytes[i + 1] === 0x75) {
          const low = unit(i + 2);
          if (low >= 0xdc00 && low <= 0xdfff) ((cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00)), (i += 6));
        }
        const lone = cp >= 0xd800 && cp <= 0xdfff; // a \uD800 with no low half: no UTF-8 form
        if (cp === 0) invalidChar(out, Buffer.from([0]), 3, replacement);
        else if (lone)
          invalidChar(
            out,
            Buffer.from([0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)]),
            5,
            replacement,
          );
        else out.text += String.fromCodePoint(cp);
      } else fail('Invalid escape');
      run = i;
    }
  };
  const value = (): JsonValue => {
    skip();
    const b = bytes[i];
    if (b === 0x7b) {
      const entries = new Map<string, JsonValue>();
      i++;
      skip();
      if (bytes[i] === 0x7d) return (i++, { kind: 'object', entries });
      for (;;) {
        skip();
        if (bytes[i] !== 0x22) fail('Expected a member name');
        const name = string().text;
        skip();
        if (bytes[i++] !== 0x3a) fail('Expected :');
        entries.set(name, value());
        skip();
        if (bytes[i] === 0x7d) return (i++, { kind: 'object', entries });
        if (bytes[i++] !== 0x2c) fail('Expected , or }');
      }
    }
    if (b === 0x5b) {
      const items: JsonValue[] = [];
      i++;
      skip();
      if (bytes[i] === 0x5d) return (i++, { kind: 'array', items });
      for (;;) {
        items.push(value());
        skip();
        if (bytes[i] === 0x5d) return (i++, { kind: 'array', items });
        if (bytes[i++] !== 0x2c) fail('Expected , or ]');
      }
    }
    if (b === 0x22) return { kind: 'string', ...string() };
    if (b === 0x74) return literal('true', { kind: 'bool', value: true });
    if (b === 0x66) return literal('false', { kind: 'bool', value: false });
    if (b === 0x6e) return literal('null', { kind: 'null' });
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(bytes.toString('latin1', i, Math.min(end, i + 400)));
    if (!m) fail('Invalid value');
    i += m![0].length;
    return { kind: 'number', text: m![0] };
  };
  const root = value();
  skip();
  if (i < end) fail('Unexpected character');
  return root;
}

// Nested objects and arrays load "as a string, including the braces or brackets" (copy-usage_notes-copy-from-json.html);
// the docs' examples show compact JSON, so it is re-serialized compactly, numbers as written.
export function serialize(v: JsonValue): string {
  switch (v.kind) {
    case 'null':
      return 'null';
    case 'bool':
      return String(v.value);
    case 'number':
      return v.text;
    case 'string':
      return JSON.stringify(v.text);
    case 'array':
      return `[${v.items.map(serialize).join(',')}]`;
    case 'object':
      return `{${[...v.entries].map(([k, x]) => `${JSON.stringify(k)}:${serialize(x)}`).join(',')}}`;
  }
}
