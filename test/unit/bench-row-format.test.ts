// The loader's fast row formatter (made faster for the benchmark) must give exactly what
// toCopyField gives column by column: the same fields, the same first reason to reject.
import { expect } from 'chai';
import { FieldError, rowFormatter, toCopyField, type ColumnSpec } from '../../src/load/columns';
import { autoPaths, parsePath, pick } from '../../src/load/jsonpaths';

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

function actual(record: Record<string, unknown>): string | string[] {
  const row = rowFormatter(paths, columns)(record);
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
  ];
  for (const [i, record] of cases.entries()) {
    it(`formats case ${i + 1} as toCopyField does`, () => {
      expect(actual(record)).to.deep.equal(expected(record));
    });
  }

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
    expect((rowFormatter(nested, cols)({ a: { b: 3 } }) as FieldError).reason).to.contain('field for column c is missing');
  });
});
