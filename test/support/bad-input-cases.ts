// The bad-input cases, with what each target does side by side: the local loader's
// outcome (checked on PostgreSQL by test/integration/bad-input.test.ts) and Redshift's
// behaviour with the COPY options the same run options render (checked as COPY text by
// test/unit/bad-input-redshift.test.ts). Add a case here and both sides test it.
import { gzipSync } from 'node:zlib';
import { formatJsonPaths } from '../../src/generate/sparkify-json';
import type { RunOptions } from '../../src/step/contract';

/** The event log's JSONPaths, one path a staging_events column: the generator's own file. */
export const EVENT_JSONPATHS = formatJsonPaths();

export function event(item: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    artist: "Des'ree",
    auth: 'Logged In',
    firstName: 'Kaylee',
    gender: 'F',
    itemInSession: item,
    lastName: 'Summers',
    length: 246.30812,
    level: 'free',
    location: 'Phoenix-Mesa-Scottsdale, AZ',
    method: 'PUT',
    page: 'NextSong',
    registration: 1540344794796.0,
    sessionId: 139,
    song: 'You Gotta Be',
    status: 200,
    ts: 1541106106796 + item,
    userAgent: '"Mozilla/5.0"',
    userId: '8',
    ...overrides,
  };
}

/** A JSON-lines file: records as JSON, strings as they are. */
export const lines = (...records: Array<Record<string, unknown> | string>) =>
  records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';

/** `text` with `bytes` put where `marker` is: for bytes that no JS string encodes (invalid UTF-8). */
function withBytes(text: string, marker: string, bytes: number[]): Buffer {
  const at = text.indexOf(marker);
  return Buffer.concat([
    Buffer.from(text.slice(0, at)),
    Buffer.from(bytes),
    Buffer.from(text.slice(at + marker.length)),
  ]);
}

/** The run options a case may set; each renders as a COPY option on Redshift. */
export type CaseOptions = Pick<RunOptions, 'acceptInvalidChars'>;

/** The line is rejected: the load fails by default, and with --max-errors the line goes to load_errors. */
export interface LocalReject {
  line: number;
  reason: RegExp;
  /** Good lines in the bad file. */
  goodInBadFile: number;
  /** Lines the bad file counts as read (a whole-file reject counts as one). */
  read: number;
}

/** The file loads with no reject, by default. */
export interface LocalLoad {
  rows: number;
  /** A value the load must have stored. */
  stored?: { sql: string; value: unknown };
}

export interface RedshiftBehaviour {
  /** What Redshift's COPY does with this input, as the AWS page in `source` says. */
  does: string;
  source: string;
  /** Lines the COPY rendered for the case's options holds, and lines it must not. */
  copyHas: string[];
  copyLacks: string[];
}

export interface BadInputCase {
  name: string;
  /** File name and content of the bad file; a good file of 3 events sits beside it. */
  file: string;
  content: Buffer | string;
  options?: CaseOptions;
  local: { reject: LocalReject } | { load: LocalLoad };
  redshift: RedshiftBehaviour;
}

const DATA_CONVERSION = 'https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-conversion.html';
const MULTIBYTE_ERRORS = 'https://docs.aws.amazon.com/redshift/latest/dg/multi-byte-character-load-errors.html';
const COPY_JSON = 'https://docs.aws.amazon.com/redshift/latest/dg/copy-usage_notes-copy-from-json.html';
const COMPRESSION = 'https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-file-compression.html';

/** A line Redshift rejects by default: MAXERROR counts it, and no option that would let it through is in the COPY. */
const rejectsLine = (does: string, source = COPY_JSON): RedshiftBehaviour => ({
  does,
  source,
  copyHas: [],
  copyLacks: ['acceptinvchars', 'truncatecolumns'],
});

/** A Sparkify day file of `count` events whose line `at` is `line` instead. */
const dayWith = (count: number, at: number, line: string) =>
  lines(...Array.from({ length: count }, (_, i) => (i + 1 === at ? line : event(i + 1))));
/** A value nested `depth` arrays deep: past what a recursive JSON.stringify can walk. */
const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
/** Redshift's limit for one JSON object (AWS, "Using COPY to load data into SUPER columns"). */
const JSON_OBJECT_LIMIT = 'https://docs.aws.amazon.com/redshift/latest/dg/copy_json.html';
const LONG_BYTES = 5 * 1024 * 1024;

const withoutUserAgent = event(3);
delete withoutUserAgent.userAgent;
const invalidArtist = withBytes(lines(event(1), event(2, { artist: 'Bj@@rk' })), '@@', [0xff, 0xfe]);

/** An event line with `field`'s value written as the raw JSON `json` (a number as typed, an escape). */
const withRaw = (item: number, field: string, json: string) => {
  const line = JSON.stringify(event(item, { [field]: '@@' }));
  return line.replace('"@@"', json);
};

export const BAD_INPUT_CASES: BadInputCase[] = [
  {
    name: 'a malformed line',
    file: 'day2.json',
    content: lines(event(1), '{"artist": "cut off', event(2)),
    local: { reject: { line: 2, reason: /malformed JSON/, goodInBadFile: 2, read: 3 } },
    redshift: rejectsLine('rejects the line as invalid JSON'),
  },
  {
    name: 'a value of the wrong type',
    file: 'day2.json',
    content: lines(event(1), event(2, { ts: 'yesterday' })),
    local: { reject: { line: 2, reason: /ts must be a whole number, got "yesterday"/, goodInBadFile: 1, read: 2 } },
    redshift: rejectsLine('rejects the line: "Invalid digit" for the bigint column'),
  },
  {
    name: 'a missing field',
    file: 'day2.json',
    content: lines(event(1), event(2), withoutUserAgent),
    local: { reject: { line: 3, reason: /user_agent is missing/, goodInBadFile: 2, read: 3 } },
    redshift: {
      does: 'not settled by the AWS pages consulted; the local loader rejects the line and asks for an explicit null',
      source: COPY_JSON,
      copyHas: [],
      copyLacks: [],
    },
  },
  {
    name: 'a byte-order mark',
    file: 'day2.json',
    content: '\uFEFF' + lines(event(1), event(2)),
    local: { reject: { line: 1, reason: /byte-order mark/, goodInBadFile: 1, read: 2 } },
    redshift: rejectsLine('rejects the first line: COPY does not skip a byte-order mark in JSON'),
  },
  {
    name: 'a zero-byte file',
    file: 'day2.json',
    content: '',
    local: { load: { rows: 0 } },
    redshift: {
      does: 'reads a zero-byte text file as zero rows',
      source: 'https://docs.aws.amazon.com/redshift/latest/dg/r_COPY.html',
      copyHas: [],
      copyLacks: ['gzip'],
    },
  },
  {
    name: 'a zero-byte .gz file',
    file: 'day2.json.gz',
    content: Buffer.alloc(0),
    local: { reject: { line: 0, reason: /zero-byte \.gz file is not a gzip stream/, goodInBadFile: 0, read: 1 } },
    redshift: {
      does: 'with GZIP, COPY decompresses every file it reads; zero bytes are no gzip stream, so the file is an error, not zero rows',
      source: COMPRESSION,
      copyHas: [],
      copyLacks: [],
    },
  },
  {
    name: 'a file of blank lines only',
    file: 'day2.json',
    content: '\n  \n',
    local: { reject: { line: 0, reason: /only blank lines, no JSON object/, goodInBadFile: 0, read: 1 } },
    redshift: {
      does: 'not pinned by the AWS docs; the local loader asks for the file to be removed or filled',
      source: COPY_JSON,
      copyHas: [],
      copyLacks: [],
    },
  },
  {
    name: 'an unreadable file',
    file: 'day2.json.gz',
    content: Buffer.concat([gzipSync(lines(event(1))).subarray(0, 12), Buffer.from('not gzip at all')]),
    local: { reject: { line: 0, reason: /unreadable/, goodInBadFile: 0, read: 1 } },
    redshift: {
      does: 'fails the load: a gzip file that does not decompress',
      source: COMPRESSION,
      copyHas: [],
      copyLacks: [],
    },
  },
  {
    name: 'a text longer than its column',
    file: 'day2.json',
    content: lines(event(1, { gender: 'x'.repeat(40) })),
    local: {
      reject: { line: 1, reason: /gender is 40 bytes, longer than the column's 16/, goodInBadFile: 0, read: 1 },
    },
    redshift: rejectsLine('rejects the line: "String length exceeds DDL length" (TRUNCATECOLUMNS is not used)'),
  },
  {
    name: 'a number beyond a double',
    file: 'day2.json',
    content: lines(event(1), JSON.stringify(event(2)).replace('"length":246.30812', '"length":1e400')),
    local: { reject: { line: 2, reason: /length is out of range: 1e400/, goodInBadFile: 1, read: 2 } },
    redshift: rejectsLine('rejects the line: the value overflows the double precision column'),
  },
  {
    name: 'invalid UTF-8 bytes',
    file: 'day2.json',
    content: invalidArtist,
    local: {
      reject: {
        line: 2,
        reason: /invalid UTF-8 at byte offset 13 of the line \(bytes ff fe\).*--accept-invalid-chars/,
        goodInBadFile: 1,
        read: 2,
      },
    },
    redshift: rejectsLine(
      'rejects the line (error 1220, "String contains invalid or unsupported UTF-8 codepoints") unless COPY has ACCEPTINVCHARS',
      MULTIBYTE_ERRORS,
    ),
  },
  {
    name: "invalid UTF-8 bytes with --accept-invalid-chars '^'",
    file: 'day2.json',
    content: invalidArtist,
    options: { acceptInvalidChars: '^' },
    local: {
      load: { rows: 2, stored: { sql: "select artist from staging_events where artist like 'Bj%'", value: 'Bj^^rk' } },
    },
    redshift: {
      does: 'loads the line with each invalid byte replaced by the character (ACCEPTINVCHARS)',
      source: DATA_CONVERSION,
      copyHas: ["acceptinvchars as '^'"],
      copyLacks: [],
    },
  },
  {
    // 💀 is D83D DC80 in UTF-16: its low half lies in the range the decoder marks invalid bytes with.
    name: 'emoji with --accept-invalid-chars, valid UTF-8 whose UTF-16 low half looks like a mark',
    file: 'day2.json',
    content: lines(event(1, { artist: 'Skull 💀 Crew 💯' })),
    options: { acceptInvalidChars: '?' },
    local: {
      load: {
        rows: 1,
        stored: { sql: "select artist from staging_events where artist like 'Skull%'", value: 'Skull 💀 Crew 💯' },
      },
    },
    redshift: {
      does: 'loads the line unchanged: ACCEPTINVCHARS replaces only invalid UTF-8 and noncharacters',
      source: DATA_CONVERSION,
      copyHas: ["acceptinvchars as '?'"],
      copyLacks: [],
    },
  },
  {
    name: 'invalid UTF-8 bytes in a number, with --accept-invalid-chars',
    file: 'day2.json',
    content: withBytes(lines(event(1, { ts: '1541106106796@' })), '@', [0xff]),
    options: { acceptInvalidChars: '?' },
    local: {
      reject: {
        line: 1,
        reason: /ts holds bytes that are not UTF-8, which ACCEPTINVCHARS replaces in text columns only/,
        goodInBadFile: 0,
        read: 1,
      },
    },
    redshift: {
      does: 'rejects the line: "ACCEPTINVCHARS is valid only for VARCHAR columns"',
      source: DATA_CONVERSION,
      copyHas: ["acceptinvchars as '?'"],
      copyLacks: [],
    },
  },
  {
    // Issue 21: describing the value threw "Maximum call stack size exceeded", and lines 5 and on were lost.
    name: 'a value nested 10,000 levels deep in a mapped field, at line 4 of 8',
    file: 'day2.json',
    content: dayWith(8, 4, JSON.stringify(event(4)).replace('"sessionId":139', `"sessionId":${nested(10000)}`)),
    local: { reject: { line: 4, reason: /session_id must be a whole number, got \[{40}…/, goodInBadFile: 7, read: 8 } },
    redshift: rejectsLine('rejects the line: an array where the integer column wants a number'),
  },
  {
    name: 'a line longer than 4 MB',
    file: 'day2.json',
    content: dayWith(3, 2, JSON.stringify(event(2, { padding: 'x'.repeat(LONG_BYTES) }))),
    local: {
      reject: {
        line: 2,
        reason: /line is 524\d{4} bytes, longer than the 4194304 bytes \(4 MB\)/,
        goodInBadFile: 2,
        read: 3,
      },
    },
    redshift: rejectsLine(
      'refuses a JSON object over 4 MB, a limit that applies before any parsing',
      JSON_OBJECT_LIMIT,
    ),
  },
  {
    name: 'a last line longer than 4 MB, with no newline',
    file: 'day2.json',
    content: lines(event(1)) + `{"artist":"${'x'.repeat(LONG_BYTES)}`,
    local: {
      reject: {
        line: 2,
        reason: /line is 524\d{4} bytes, longer than the 4194304 bytes \(4 MB\)/,
        goodInBadFile: 1,
        read: 2,
      },
    },
    redshift: rejectsLine(
      'refuses a JSON object over 4 MB, a limit that applies before any parsing',
      JSON_OBJECT_LIMIT,
    ),
  },
  {
    // A raw control character is not JSON (RFC 8259); the reject itself once failed, PostgreSQL refusing the NUL in load_errors.
    name: 'a raw NUL byte inside a string',
    file: 'day2.json',
    content: withBytes(lines(event(1), event(2, { artist: 'Bj@rk' })), '@', [0x00]),
    local: { reject: { line: 2, reason: /malformed JSON: Bad control character/, goodInBadFile: 1, read: 2 } },
    redshift: rejectsLine('rejects the line as invalid JSON: a raw control character inside a string'),
  },
  {
    // Issue 21: JSON.parse made it 12345678901234567000, though numbers in text columns are stored as their text.
    name: 'a number of 20 digits in a text column',
    file: 'day2.json',
    content: lines(event(1), withRaw(2, 'artist', '12345678901234567890')),
    local: {
      load: {
        rows: 2,
        stored: { sql: "select artist from staging_events where artist like '1%'", value: '12345678901234567890' },
      },
    },
    redshift: {
      does: 'loads the number as written into the VARCHAR column (the digits are text; no double is involved)',
      source: COPY_JSON,
      copyHas: [],
      copyLacks: [],
    },
  },
  {
    // Issue 21: 1.0 became 1.
    name: 'a number with a trailing zero in a text column',
    file: 'day2.json',
    content: lines(withRaw(1, 'song', '1.0')),
    local: {
      load: { rows: 1, stored: { sql: "select song from staging_events where song not like 'You%'", value: '1.0' } },
    },
    redshift: {
      does: 'loads the number as written into the VARCHAR column',
      source: COPY_JSON,
      copyHas: [],
      copyLacks: [],
    },
  },
  {
    // Issue 21: a double rounded it to 9007199254740991 and the line loaded changed.
    name: 'a ts with a fraction',
    file: 'day2.json',
    content: lines(event(1), withRaw(2, 'ts', '9007199254740990.9')),
    local: {
      reject: { line: 2, reason: /ts must be a whole number, got 9007199254740990\.9/, goodInBadFile: 1, read: 2 },
    },
    redshift: rejectsLine('rejects the line: a fraction where the bigint column wants a whole number'),
  },
  {
    // Past 2^53 a double has no odd numbers; the column is a bigint, which holds it.
    name: 'a ts past what a double holds exactly',
    file: 'day2.json',
    content: lines(withRaw(1, 'ts', '9007199254740993')),
    local: {
      load: {
        rows: 1,
        stored: { sql: 'select ts::text from staging_events where ts > 9007199254740000', value: '9007199254740993' },
      },
    },
    redshift: {
      does: 'loads the whole number into the BIGINT column exactly (its range is ±9223372036854775807)',
      source: 'https://docs.aws.amazon.com/redshift/latest/dg/r_Numeric_types201.html',
      copyHas: [],
      copyLacks: [],
    },
  },
  {
    // Issue 21: it loaded silently as U+FFFD.
    name: 'a lone surrogate escape in a string',
    file: 'day2.json',
    content: lines(event(1), withRaw(2, 'artist', '"Bj\\ud800rk"')),
    local: {
      reject: { line: 2, reason: /artist holds \\ud800, half of a UTF-16 surrogate pair/, goodInBadFile: 1, read: 2 },
    },
    redshift: {
      does: 'not settled by the AWS pages consulted: \\ud800 alone is no Unicode character and has no UTF-8 form, so the local loader treats it as the invalid character it would be in UTF-8',
      source: MULTIBYTE_ERRORS,
      copyHas: [],
      copyLacks: [],
    },
  },
  {
    name: "a lone surrogate escape with --accept-invalid-chars '^'",
    file: 'day2.json',
    content: lines(withRaw(1, 'artist', '"Bj\\udfffrk"')),
    options: { acceptInvalidChars: '^' },
    local: {
      load: { rows: 1, stored: { sql: "select artist from staging_events where artist like 'Bj%'", value: 'Bj^^^rk' } },
    },
    redshift: {
      does: 'replaces each invalid character with a string of equal length (three bytes for a surrogate written out)',
      source: DATA_CONVERSION,
      copyHas: ["acceptinvchars as '^'"],
      copyLacks: [],
    },
  },
];
