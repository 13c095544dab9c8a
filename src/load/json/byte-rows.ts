// The short path of the loader: the usual line turned into its line of COPY text byte by
// byte, with no string made and no JSON.parse. The usual line is one flat JSON object
// whose mapped fields are null, a string (no NUL, no lone surrogate), or a number of at
// most 15 significant digits. For such a line the bytes written are exactly those the
// general path (JSON.parse, then row-formatter.ts) writes; any other line, or any doubt,
// is declined (the encoder returns -1 and what it wrote does not count), and the caller
// sends it down the general path, which decides. So the short path can only ever be
// faster, never different; test/unit/byte-rows.test.ts holds the two paths to the same
// bytes over the real Sparkify logs, generated ones, and lines mutated at random.
//
// Two ways through a line. When its fields come in the columns' order (every Sparkify
// log line and song file does), each value is written as it is read, in one pass. Any
// other order, or a field the columns do not read, and the line is read again into one
// slot per field (the last of a field given twice counts, as with JSON.parse) and
// written from the slots in the columns' order.
//
// The caller has checked that the bytes are UTF-8 (records.ts checks a chunk's complete
// lines at once), so a string's bytes are copied as they are. Lengths are checked in
// bytes, which is what varchar(n) counts on Redshift and what the general path checks.
import { type ByteRowEncoder, LineEncoder } from './byte-row-encoder';
import type { FieldPath } from './jsonpaths';
import type { RecordRules } from './row-formatter';

/**
 * The encoder for these rules, or undefined when the short path does not apply to them:
 * a path that is not one field name, or ACCEPTINVCHARS (which also replaces valid
 * noncharacters, a search the general path does).
 */
export function byteRowEncoder(rules: RecordRules): ByteRowEncoder | undefined {
  return shortPathApplies(rules)
    ? new LineEncoder(rules.paths.map(fieldName) as string[], rules.columns).encode
    : undefined;
}

export function shortPathApplies(rules: RecordRules): boolean {
  return rules.acceptInvalidChars === undefined && rules.paths.every((path) => fieldName(path) !== undefined);
}

function fieldName(path: FieldPath): string | undefined {
  return path.steps.length === 1 && typeof path.steps[0] === 'string' ? path.steps[0] : undefined;
}
