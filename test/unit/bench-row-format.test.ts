// The loader's fast row formatter (made faster for the benchmark) must give exactly what
// toCopyField gives column by column: the same fields, the same first reason to reject,
// whether or not the record's line was seen to hold no escaped special.
import { expect } from 'chai';
import { FieldError, toCopyField, type ColumnSpec } from '../../src/load/json/columns';
import { mayHoldSpecials, rowFormatter, wholeNumberText } from '../../src/load/json/row-formatter';
import { recordClassifier } from '../../src/load/postgres/classify';
import { autoPaths, parsePath, pick } from '../../src/load/json/jsonpaths';

const columns: ColumnSpec[] = [
  { name: 'artist', kind: 'text', maxBytes: 12 },
  { name: 'length', kind: 'float' },
  { name: 'ts', kind: 'bigint' },
  { name: 'status', kind: 'smallint' },
  { name: 'user_id', kind: 'text' },
];
const paths = autoPaths(columns.map((c) => c.name));

function expected(record: Record<string, unknown>): string | string[] {
  const fields = columns.map((c, i) => toCopyField(pick(record, paths[i]), c));
  const error = fields.find((f): f is FieldError => f instanceof FieldError);
  return error ? [error.reason] : (fields as string[]).join('\t');
}

function actual(record: Record<string, unknown>, plain?: boolean): string | string[] {
  const row = rowFormatter(paths, columns)(record, plain);
  return typeof row === 'string' ? row : [row.reason];
}

describe('rowFormatter', () => {
  const cases: Array<Record<string, unknown>> = [
    { artist: 'Daft Punk', length: 246.30812, ts: 1541106106796, status: 200, user_id: '8' },
    { artist: null, length: null, ts: 1, status: null, user_id: null },
    { artist: 'tab\there', length: '1.5', ts: '12', status: 200, user_id: 7 },
    { artist: 'ünïcödé ünï', length: 1, ts: 2, status: 3, user_id: 'x' }, // > 12 bytes, ≤ 12 characters
    { artist: 'a', length: 'x', ts: 1, status: 1, user_id: '' },
    { artist: 'a', length: 1, ts: 1.5, status: 1, user_id: '' },
    { artist: 'a', length: 1, ts: 1, status: 40000, user_id: '' },
    { artist: 'a', length: 1, ts: 1, status: 1 }, // user_id missing
    { artist: { nested: true }, length: 1, ts: 1, status: 1, user_id: 'u' },
    { artist: 'nul\u0000', length: 1, ts: 1, status: 1, user_id: 'u' },
    { artist: 'back\\slash', length: 1e21, ts: -5, status: -1, user_id: true },
    { artist: 'big', length: 1540344794796.0, ts: Number.MAX_SAFE_INTEGER, status: 0, user_id: 'u' },
    { artist: 'big', length: -1e300, ts: Number.MAX_SAFE_INTEGER + 1, status: 0, user_id: 'u' },
  ];
  for (const [i, record] of cases.entries()) {
    it(`formats case ${i + 1} as toCopyField does`, () => {
      expect(actual(record)).to.deep.equal(expected(record));
      // The short cut the classifier takes for a line without escaped specials.
      if (!mayHoldSpecials(JSON.stringify(record))) expect(actual(record, true)).to.deep.equal(expected(record));
    });
  }

  it('formats a record for no columns as an empty row, as joining no fields does', () => {
    expect(rowFormatter([], [])({ a: 1 })).to.equal('');
  });

  it('reads nested paths and inherited names as toCopyField does', () => {
    const nested = [
      { source: '$.a.b', steps: parsePath('$.a.b', 'test') },
      { source: '$.constructor', steps: parsePath('$.constructor', 'test') },
    ];
    const cols: ColumnSpec[] = [
      { name: 'b', kind: 'integer' },
      { name: 'c', kind: 'text' },
    ];
    expect(rowFormatter(nested, cols)({ a: { b: 3 }, constructor: 'x' })).to.equal('3\tx');
    expect((rowFormatter(nested, cols)({ a: { b: 3 } }) as FieldError).reason).to.contain(
      'field for column c is missing',
    );
  });
});

describe('mayHoldSpecials', () => {
  it('finds every JSON escape that puts a COPY special or NUL into a string', () => {
    for (const special of ['\\', '\t', '\n', '\r', '\u0000']) {
      expect(mayHoldSpecials(JSON.stringify({ a: `x${special}y` })), JSON.stringify(special)).to.equal(true);
    }
    for (const escape of ['\\u0009', '\\u000A', '\\u000a', '\\u000D', '\\u0000', '\\u005C', '\\u005c', '\\u001f']) {
      expect(mayHoldSpecials(`{"a":"x${escape}y"}`), escape).to.equal(true);
    }
  });

  it('lets through the escapes that put no special into a string', () => {
    expect(mayHoldSpecials('{"ua":"\\"Mozilla\\/5.0\\"","e":"\\u00e9\\u20ac\\b\\f"}')).to.equal(false);
    expect(mayHoldSpecials('{"a":"plain text, \\"quoted\\""}')).to.equal(false);
  });

  it('never lets through a record whose strings hold a special, whatever else they hold', () => {
    const pieces = ['a', 'é', '"', '/', '\\', '\t', '\n', '\r', '\u0000', '\u0008', '\u001f', '\u2028', '😀', 'u005c'];
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 2000; i++) {
      const value = Array.from(
        { length: 1 + Math.floor(random() * 6) },
        () => pieces[Math.floor(random() * pieces.length)],
      ).join('');
      if (/[\\\t\n\r\u0000]/.test(value))
        expect(mayHoldSpecials(JSON.stringify({ k: value })), JSON.stringify(value)).to.equal(true);
    }
  });
});

describe('recordClassifier', () => {
  it('formats JSON lines with and without escapes as toCopyField does', () => {
    const classify = recordClassifier({ paths, columns });
    const lines = [
      '{"artist":"Daft Punk","length":246.30812,"ts":1541106106796,"status":200,"user_id":"8"}',
      '{"artist":"tab\\there","length":1,"ts":1,"status":1,"user_id":"a\\\\b"}',
      '{"artist":"nl\\u000Ax","length":1,"ts":1,"status":1,"user_id":"cr\\r"}',
      '{"artist":"\\"q\\"\\/","length":1,"ts":1,"status":1,"user_id":"back\\u005cslash"}',
      '{"artist":"nul\\u0000","length":1,"ts":1,"status":1,"user_id":"u"}',
      '{"artist":"é\\u00e9","length":null,"ts":null,"status":null,"user_id":null}',
    ];
    for (const line of lines) {
      const value = JSON.parse(line) as Record<string, unknown>;
      const outcome = classify({ line: 1, text: line, value });
      const want = expected(value);
      expect(typeof outcome === 'string' ? outcome : [outcome.reason], line).to.deep.equal(want);
    }
  });
});

describe('wholeNumberText', () => {
  it('writes every whole number as String() does, around each cut it makes', () => {
    const values = [
      0,
      1,
      -1,
      999_999_999,
      1e9,
      1e9 + 1,
      1_541_106_106_796,
      1_540_344_794_796,
      1e15,
      Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER + 1,
      2 ** 60,
      1e21,
      -1_541_106_106_796,
    ];
    // Just below, at and above multiples of 1e8 (where v / 1e8 may round up), and with short low parts.
    for (const high of [10, 12_345, 15_411_061, 90_071_991]) {
      for (const low of [0, 1, 9_999_999, 10_000_000, 99_999_999]) values.push(high * 1e8 + low, high * 1e8 - 1);
    }
    let seed = 11;
    for (let i = 0; i < 5000; i++) {
      seed = (seed * 48271) % 2147483647;
      values.push(Math.floor((seed / 2147483647) * Number.MAX_SAFE_INTEGER), 1e9 + seed * 997);
    }
    for (const v of values) expect(wholeNumberText(v), String(v)).to.equal(String(v));
  });
});
