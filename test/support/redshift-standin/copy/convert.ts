// One JSON value → PostgreSQL text input for the target column, or Redshift's load error for it.
// AWS "Data conversion parameters", https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-conversion.html:
// "COPY attempts to implicitly convert the strings in the source data to the data type of the target column" — so JSON numbers
// convert from their text as written (a fractional number into an integer column fails as "Invalid digit" would for text; the
// docs are silent on JSON numbers specifically).
import { notEmulated } from './errors';
import { serialize, type JsonValue } from './json';

export type ColumnType =
  | { t: 'varchar' | 'char'; length: number }
  | { t: 'int'; stl: string; label: string; min: bigint; max: bigint }
  | { t: 'float'; stl: string; label: string; max: number }
  | { t: 'numeric'; precision: number; scale: number }
  | { t: 'bool' }
  | { t: 'timestamp'; tz: boolean }
  | { t: 'date' };

export interface ConvertOptions {
  acceptInvChars?: string;
  timeFormat?: string;
  truncateColumns: boolean;
  blanksAsNull: boolean;
  emptyAsNull: boolean;
}

export type Converted = { value: string | null } | { code: number; reason: string; position: number };

const ints: Record<string, ColumnType> = {
  smallint: { t: 'int', stl: 'int2', label: 'Short', min: -32768n, max: 32767n },
  integer: { t: 'int', stl: 'int4', label: 'Integer', min: -2147483648n, max: 2147483647n },
  bigint: { t: 'int', stl: 'int8', label: 'Long', min: -9223372036854775808n, max: 9223372036854775807n },
};

// pgType is PostgreSQL's format_type(). An unbounded varchar is taken as VARCHAR(MAX), 65535 bytes (AWS "Character types",
// https://docs.aws.amazon.com/redshift/latest/dg/r_Character_types.html); NUMERIC without precision is Redshift's default
// NUMERIC(18,0) (AWS "Numeric types", https://docs.aws.amazon.com/redshift/latest/dg/r_Numeric_types201.html).
export function columnType(pgType: string): ColumnType {
  const m = /^(character varying|character|numeric)(?:\((\d+)(?:,(\d+))?\))?$/.exec(pgType);
  if (m?.[1] === 'character varying') return { t: 'varchar', length: m[2] ? Number(m[2]) : 65535 };
  if (m?.[1] === 'character') return { t: 'char', length: m[2] ? Number(m[2]) : 1 };
  if (m?.[1] === 'numeric')
    return { t: 'numeric', precision: m[2] ? Number(m[2]) : 18, scale: m[3] ? Number(m[3]) : 0 };
  if (pgType === 'text') return { t: 'varchar', length: 65535 };
  if (ints[pgType]) return ints[pgType];
  if (pgType === 'double precision') return { t: 'float', stl: 'float8', label: 'Double', max: Number.MAX_VALUE };
  if (pgType === 'real') return { t: 'float', stl: 'float4', label: 'Float', max: 3.4028234663852886e38 };
  if (pgType === 'boolean') return { t: 'bool' };
  if (pgType === 'date') return { t: 'date' };
  if (pgType === 'timestamp without time zone' || pgType === 'timestamp with time zone')
    return { t: 'timestamp', tz: pgType.endsWith('with time zone') };
  throw notEmulated(`COPY into a column of type ${pgType}`);
}

// STL_LOAD_ERRORS "type" and "col_length" (AWS "STL_LOAD_ERRORS", https://docs.aws.amazon.com/redshift/latest/dg/r_STL_LOAD_ERRORS.html:
// col_length is "populated when the data type has a limit length", e.g. "3" for character(3)).
export function stlType(type: ColumnType): { type: string; length: string } {
  switch (type.t) {
    case 'varchar':
    case 'char':
      return { type: type.t, length: String(type.length) };
    case 'numeric':
      return { type: 'numeric', length: `${type.precision},${type.scale}` };
    case 'int':
    case 'float':
      return { type: type.stl, length: '' };
    case 'timestamp':
      return { type: type.tz ? 'timestamptz' : 'timestamp', length: '' };
    default:
      return { type: type.t, length: '' };
  }
}

// The value as written, for conversion and for STL_LOAD_ERRORS.raw_field_value.
export function rawText(v: JsonValue): string {
  return v.kind === 'string' ? v.text : v.kind === 'null' ? '' : serialize(v);
}

const fail = (code: number, reason: string, position = -1): Converted => ({ code, reason, position });
// "Invalid digit, Value 'c', Pos 0, Type: Integer", err_code 1207 (AWS "Step 5: Run the COPY commands",
// https://docs.aws.amazon.com/redshift/latest/dg/tutorial-loading-run-copy.html; error codes from "Load error reference",
// https://docs.aws.amazon.com/redshift/latest/dg/r_Load_Error_Reference.html: 1204 range, 1205 date, 1206 timestamp, 1207 digit,
// 1208 float, 1209 decimal, 1210 boolean, 1220 UTF-8).
const badDigit = (code: number, text: string, pattern: RegExp, label: string): Converted => {
  let pos = 0;
  while (pos < text.length && pattern.test(text.slice(0, pos + 1))) pos++;
  return fail(code, `Invalid digit, Value '${text[pos] ?? text}', Pos ${pos}, Type: ${label}`);
};

export function convert(v: JsonValue | undefined, type: ColumnType, o: ConvertOptions): Converted {
  if (v === undefined || v.kind === 'null') return { value: null };
  if (type.t === 'varchar' || type.t === 'char') return toCharacter(v, type.t, type.length, o);
  const text = rawText(v).trim();
  // "Empty strings for other data types, such as INT, are always loaded with NULL" (copy-parameters-data-format.html#copy-json-data-file);
  // "Blank fields for other data types, such as INT, are always loaded with NULL" (#copy-blanksasnull).
  if (text === '') return { value: null };
  switch (type.t) {
    case 'int': {
      if (!/^[+-]?\d+$/.test(text)) return badDigit(1207, text, /^[+-]?\d*$/, type.label);
      const n = BigInt(text);
      return n < type.min || n > type.max
        ? fail(1204, `Overflow (${type.label} valid range ${type.min} to ${type.max})`)
        : { value: n.toString() };
    }
    case 'float': {
      const n = Number(text);
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text))
        return /^[+-]?(nan|inf|infinity)$/i.test(text)
          ? { value: text.replace(/^([+-]?)inf$/i, '$1Infinity') }
          : badDigit(1208, text, /^[+-]?\d*\.?\d*$/, type.label);
      return Math.abs(n) > type.max
        ? fail(1204, `Overflow (${type.label} valid range ${-type.max} to ${type.max})`)
        : { value: text };
    }
    case 'numeric':
      return toNumeric(text, type.precision, type.scale);
    case 'bool': {
      // AWS "Boolean type", https://docs.aws.amazon.com/redshift/latest/dg/r_Boolean_type.html: TRUE 't' 'true' 'y' 'yes' '1' / FALSE 'f' 'false' 'n' 'no' '0'.
      const lower = text.toLowerCase();
      if (['t', 'true', 'y', 'yes', '1'].includes(lower)) return { value: 't' };
      if (['f', 'false', 'n', 'no', '0'].includes(lower)) return { value: 'f' };
      return fail(1210, `Invalid boolean value '${text}'`);
    }
    case 'timestamp':
      return toTimestamp(text, type.tz, o.timeFormat);
    case 'date': {
      // Default DATEFORMAT 'YYYY-MM-DD'; "The date format can include time information … but this information is ignored" (#copy-dateformat).
      const m = /^(\d{4})-(\d{2})-(\d{2})(?=$|[ T])/.exec(text);
      return m && validDate(m[1], m[2], m[3])
        ? { value: m[0] }
        : fail(1205, `Invalid Date Format - value '${text}', expected YYYY-MM-DD`);
    }
  }
}

function toCharacter(v: JsonValue, t: 'varchar' | 'char', length: number, o: ConvertOptions): Converted {
  let text = rawText(v);
  if (v.kind === 'string' && v.bad)
    return fail(
      1220,
      `String contains invalid or unsupported UTF8 codepoints. Bad UTF8 hex sequence: ${v.bad.hex} (error ${v.bad.error})`,
    );
  // AWS "Multibyte character load errors": "Columns with a CHAR data type only accept single-byte UTF-8 characters".
  const multibyte = /[^\x00-\x7f]/.exec(text);
  if (t === 'char' && multibyte)
    return fail(
      1220,
      `Multibyte character not supported for CHAR (Hint: Try using VARCHAR). Invalid char: ${Buffer.from(multibyte[0]).toString('hex')}`,
      multibyte.index,
    );
  // EMPTYASNULL / BLANKSASNULL apply to CHAR and VARCHAR only (#copy-emptyasnull, #copy-blanksasnull); without them "" loads as "".
  if ((o.emptyAsNull && text === '') || (o.blanksAsNull && /^\s+$/.test(text))) return { value: null };
  // Lengths are bytes (AWS "Character types"). Without TRUNCATECOLUMNS: err_code 1204 "Input data exceeded the acceptable range for the
  // data type", reason "Char length exceeds DDL length" for CHAR (STL_LOAD_ERRORS sample) and "String length exceeds DDL length"
  // for VARCHAR (the wording Redshift users report). TRUNCATECOLUMNS "Truncates data in columns to the appropriate number of
  // characters so that it fits the column specification" (#copy-truncatecolumns): cut at the byte limit, never inside a character.
  if (Buffer.byteLength(text) > length) {
    if (!o.truncateColumns) return fail(1204, `${t === 'char' ? 'Char' : 'String'} length exceeds DDL length`);
    let bytes = 0;
    text = [...text].filter((ch) => (bytes += Buffer.byteLength(ch)) <= length).join('');
  }
  return { value: text };
}

// ROUNDEC is not emulated: "By default, COPY truncates values when necessary to fit the scale of the column" (#copy-roundec).
function toNumeric(text: string, precision: number, scale: number): Converted {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (m[2] === '' && !m[3])) return badDigit(1209, text, /^[+-]?\d*\.?\d*$/, 'Decimal');
  let digits = m[2] + (m[3] ?? '');
  let point = m[2].length + Number(m[4] ?? 0);
  if (point < 0) ((digits = '0'.repeat(-point) + digits), (point = 0));
  digits = digits.padEnd(point + scale, '0');
  const whole = digits.slice(0, point).replace(/^0+/, '');
  if (whole.length > precision - scale)
    return fail(1204, `Numeric data overflow (precision ${precision}, scale ${scale})`);
  const fraction = digits.slice(point, point + scale);
  return { value: `${m[1] === '-' ? '-' : ''}${whole || '0'}${scale > 0 ? `.${fraction}` : ''}` };
}

const validDate = (y: string, mo: string, d: string): boolean => {
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  return date.getUTCMonth() === Number(mo) - 1 && date.getUTCDate() === Number(d) && Number(y) >= 1;
};

// TIMEFORMAT (#copy-timeformat): the default is 'YYYY-MM-DD HH:MI:SS' for TIMESTAMP and 'YYYY-MM-DD HH:MI:SSOF' for TIMESTAMPTZ;
// 'epochsecs' / 'epochmillisecs' read "the number of seconds or milliseconds since January 1, 1970, 00:00:00 UTC". 'auto'
// (AWS "Using automatic recognition with DATEFORMAT and TIMEFORMAT", https://docs.aws.amazon.com/redshift/latest/dg/automatic-recognition.html)
// is emulated for ISO 8601 forms only. The 1206 reason is the wording Redshift users report.
function toTimestamp(text: string, tz: boolean, timeFormat: string | undefined): Converted {
  const bad = fail(
    1206,
    `Invalid timestamp format or value [${timeFormat?.startsWith('epoch') ? timeFormat : 'YYYY-MM-DD HH24:MI:SS'}]`,
  );
  if (timeFormat === 'epochsecs' || timeFormat === 'epochmillisecs') {
    if (!/^[+-]?\d+(\.\d+)?$/.test(text)) return bad;
    const ms = Number(text) * (timeFormat === 'epochsecs' ? 1000 : 1);
    if (!(Math.abs(ms) <= 253402300799999)) return bad; // beyond 9999-12-31
    const iso = new Date(Math.round(ms)).toISOString();
    return { value: `${iso.slice(0, 10)} ${iso.slice(11, 23)}${tz ? '+00' : ''}` };
  }
  const separator = timeFormat === 'auto' ? '[ T]' : ' ';
  const m = new RegExp(
    `^(\\d{4})-(\\d{2})-(\\d{2})(?:${separator}(\\d{2}):(\\d{2})(?::(\\d{2})(\\.\\d{1,6})?)?)?\\s*(Z|[+-]\\d{2}(?::?\\d{2})?)?$`,
  ).exec(text);
  if (!m || !validDate(m[1], m[2], m[3]) || Number(m[4] ?? 0) > 23 || Number(m[5] ?? 0) > 59 || Number(m[6] ?? 0) > 59)
    return bad;
  const time = `${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${m[7] ?? ''}`;
  const offset = tz ? (m[8] === undefined || m[8] === 'Z' ? '+00' : m[8]) : '';
  return { value: `${m[1]}-${m[2]}-${m[3]} ${time}${offset}` };
}
