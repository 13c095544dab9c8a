// One record to one line of COPY text (without its newline), or the first column's reason
// not to load it: toCopyField (columns.ts) for each column in order, joined by tabs. The
// usual values (a string without specials that fits, a number in range, null) take a
// short path; every other value goes through toCopyField, so the checks and messages are
// the same.
//
// The short path is compiled once per load into one function that reads each field by
// name (`r["artist"]`). V8 then keeps an inline cache per field; one shared closure
// reading `record[key]` for 18 keys went megamorphic, and a Sparkify row formats much
// faster this way (docs/loader.md). Only JSON string literals of the mapping's keys and
// numbers from the catalogue go into the source.
import { INTEGER_RANGE, NULL_FIELD, toCopyField, type ColumnSpec, type FieldError, type FieldOptions } from './columns';
import { MAY_NEED_REPLACING } from './invalid-chars';
import { MISSING, pick, type FieldPath } from './jsonpaths';

/**
 * `plain`: the caller has seen that no string in the record can hold a COPY special
 * (see mayHoldSpecials), so text skips that test.
 */
export type RowFormatter = (record: object, plain?: boolean) => string | FieldError;

/** How a load's lines become rows (both paths: byte-rows.ts and the records' classifier). */
export interface RecordRules {
  paths: FieldPath[];
  columns: ColumnSpec[];
  /** ACCEPTINVCHARS: replace invalid UTF-8 with this character instead of rejecting the line. */
  acceptInvalidChars?: string;
}

/** What text may not hold as is: COPY's specials, NUL (refused), and a surrogate (a lone one is refused; a pair is let through by the slow path). */
const TEXT_SPECIALS = /[\\\t\n\r\u0000\uD800-\uDFFF]/;
/** With ACCEPTINVCHARS, also what it replaces. */
const TEXT_SPECIALS_OR_INVALID = new RegExp(`${TEXT_SPECIALS.source}|${MAY_NEED_REPLACING.source}`);
/**
 * The JSON escapes that can put a special into a string: \\ \t \n \r, \u0000-\u001f,
 * \u005c, and a surrogate's \ud800-\udfff (raw UTF-8 never decodes to a lone one). A JSON
 * string cannot hold a control character or a backslash unescaped, so a record's text
 * without any of these has no special in any of its strings.
 */
const SPECIAL_ESCAPES = /\\(?:[\\tnr]|u00(?:[01]|5[cC])|u[dD][89a-fA-F])/;

/** False when no string parsed from the JSON `text` can hold a COPY special. */
export function mayHoldSpecials(text: string): boolean {
  return SPECIAL_ESCAPES.test(text);
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * The text of a whole number, as String() gives it. V8 turns a double past the small
 * integers (an epoch-ms `ts`, a `registration`) into text about twice as slowly as it
 * does two small integers, so such a number is written as its high digits and its low
 * eight, zero-padded, which is faster.
 */
export function wholeNumberText(v: number): string {
  if (v >= 1e9 && v <= Number.MAX_SAFE_INTEGER) {
    let high = Math.floor(v / 1e8);
    let low = v - high * 1e8;
    // v / 1e8 may round up to the next whole number just below a multiple of 1e8.
    if (low < 0) {
      high--;
      low += 1e8;
    }
    return low >= 1e7 ? `${high}${low}` : `${high}${String(low).padStart(8, '0')}`;
  }
  return String(v);
}

export function rowFormatter(paths: FieldPath[], columns: ColumnSpec[], acceptInvalidChars?: string): RowFormatter {
  const slow = columns.map((column, i) => slowField(paths[i], column, acceptInvalidChars));
  const picks = paths.map((path) => (record: object) => pick(record, path));
  // With ACCEPTINVCHARS text is always searched: the replacements are not escapes.
  const specials = acceptInvalidChars === undefined ? TEXT_SPECIALS : TEXT_SPECIALS_OR_INVALID;
  const mayBePlain = acceptInvalidChars === undefined;
  const fields = columns.map((column, i) => fieldSource(i, paths[i], column, mayBePlain));
  const parts = columns.map((_, i) => `p${i}`);
  const source = [
    `let ${['v', 'f', ...parts].join(', ')};`,
    ...fields,
    // One concatenation: the row is flattened once, when it is encoded.
    `return ${parts.length > 0 ? parts.join(" + '\\t' + ") : "''"};`,
  ].join('\n');
  const compile = new Function(
    'slow',
    'picks',
    'specials',
    'NULL',
    'whole',
    `return function formatRow(r, plain) {\n${source}\n};`,
  ) as (...args: unknown[]) => RowFormatter;
  return compile(slow, picks, specials, NULL_FIELD, wholeNumberText);
}

/**
 * The source for column `i`: its value into `v`, then the short path into `p<i>`, or
 * toCopyField's answer, returned when it is a reason. An inherited name (`constructor`)
 * never reads as a string, number or null, so it falls to the slow path, which reads own
 * fields only.
 */
function fieldSource(i: number, path: FieldPath, column: ColumnSpec, mayBePlain: boolean): string {
  const key = path.steps.length === 1 && typeof path.steps[0] === 'string' ? path.steps[0] : undefined;
  const read = key === undefined ? `picks[${i}](r)` : `r[${JSON.stringify(key)}]`;
  let fast: string;
  let text = 'whole(v)';
  switch (column.kind) {
    case 'text': {
      const maxChars = column.maxBytes === undefined ? Infinity : column.maxBytes / 3;
      fast = `typeof v === 'string' && v.length <= ${maxChars} && (${mayBePlain ? 'plain || ' : ''}!specials.test(v))`;
      text = 'v';
      break;
    }
    case 'float':
      fast = "typeof v === 'number' && v - v === 0"; // finite
      text = "Number.isInteger(v) ? whole(v) : '' + v";
      break;
    case 'timestamp':
      fast = 'false';
      break;
    default: {
      const [min, max] = INTEGER_RANGE[column.kind];
      fast = `typeof v === 'number' && Number.isInteger(v) && v >= ${min} && v <= ${max}`;
    }
  }
  return `v = ${read};
if (${fast}) p${i} = ${text};
else if (v === null) p${i} = NULL;
else { f = slow[${i}](r); if (typeof f !== 'string') return f; p${i} = f; }`;
}

/** The whole check of one column, own fields only. */
function slowField(
  path: FieldPath,
  column: ColumnSpec,
  acceptInvalidChars: string | undefined,
): (record: object) => string | FieldError {
  const key = path.steps.length === 1 && typeof path.steps[0] === 'string' ? path.steps[0] : undefined;
  const valueOf =
    key === undefined
      ? (record: object) => pick(record, path)
      : (record: object) => (hasOwn.call(record, key) ? (record as Record<string, unknown>)[key] : MISSING);
  const lastKey = path.steps.filter((step): step is string => typeof step === 'string').pop();
  const options: FieldOptions = { key: lastKey, acceptInvalidChars };
  return (record) => toCopyField(valueOf(record), column, options);
}
