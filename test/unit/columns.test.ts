// One JSON value into one COPY text-format field, checked against its column the way
// Redshift would check it.
import { expect } from 'chai';
import {
  columnSpecFromCatalog,
  escapeText,
  FieldError,
  NULL_FIELD,
  NumberOutOfRange,
  toCopyField,
  type ColumnSpec,
} from '../../src/load/json/columns';
import { MISSING } from '../../src/load/json/jsonpaths';
import { NumberText } from '../../src/load/json/exact-numbers';

const title: ColumnSpec = { name: 'title', kind: 'text', maxBytes: 512 };
const status: ColumnSpec = { name: 'status', kind: 'smallint' };
const sessionId: ColumnSpec = { name: 'session_id', kind: 'integer' };
const ts: ColumnSpec = { name: 'ts', kind: 'bigint' };
const length: ColumnSpec = { name: 'length', kind: 'float' };
const loadedAt: ColumnSpec = { name: 'loaded_at', kind: 'timestamp' };

/** The field, failing the test when the value is refused. */
function field(value: unknown, column: ColumnSpec): string {
  const out = toCopyField(value, column);
  if (out instanceof FieldError) expect.fail(`refused: ${out.reason}`);
  return out;
}

/** The reason, failing the test when the value is accepted. */
function reason(value: unknown, column: ColumnSpec): string {
  const out = toCopyField(value, column);
  if (!(out instanceof FieldError)) expect.fail(`accepted as ${JSON.stringify(out)}`);
  return out.reason;
}

describe('toCopyField', () => {
  describe('null and missing', () => {
    it('writes null as \\N in every kind of column', () => {
      expect(NULL_FIELD).to.equal('\\N');
      for (const column of [title, status, sessionId, ts, length, loadedAt])
        expect(field(null, column)).to.equal('\\N');
    });

    it('refuses a missing field, naming the column', () => {
      expect(reason(MISSING, title)).to.match(/field for column title is missing/);
      expect(reason(MISSING, ts)).to.include('column ts');
    });
  });

  describe('text columns', () => {
    it('keeps text as it is', () => {
      expect(field('Der Kleine Dompfaff', title)).to.equal('Der Kleine Dompfaff');
      expect(field('', title)).to.equal('');
    });

    it('keeps numbers and booleans as their text (a song titled 2129)', () => {
      expect(field(2129, title)).to.equal('2129');
      expect(field(1.5, title)).to.equal('1.5');
      expect(field(true, title)).to.equal('true');
    });

    it('refuses objects and arrays, naming the column', () => {
      expect(reason({ a: 1 }, title)).to.equal('title must be text, got an object');
      expect(reason(['a'], title)).to.equal('title must be text, got an array');
    });

    it('counts the limit in UTF-8 bytes, not characters', () => {
      const column: ColumnSpec = { name: 'artist', kind: 'text', maxBytes: 5 };
      expect(field('abcde', column)).to.equal('abcde');
      expect(reason('abcdef', column)).to.match(/artist is 6 bytes, longer than the column's 5/);
      // Three characters, six bytes.
      expect(reason('ééé', column)).to.match(/artist is 6 bytes/);
      // Two characters, four bytes: fits a limit of 4 exactly.
      expect(field('éé', { ...column, maxBytes: 4 })).to.equal('éé');
      // One code point, two UTF-16 units, four bytes.
      expect(reason('😀', { ...column, maxBytes: 3 })).to.match(/is 4 bytes/);
      // Three-byte characters: 2 of them are 6 bytes.
      expect(reason('日本', column)).to.match(/is 6 bytes/);
    });

    it('says how to fix a value that is too long', () => {
      expect(reason('x'.repeat(513), title)).to.include('widen the column in a new migration');
    });

    it('has no limit when the column has none', () => {
      const text: ColumnSpec = { name: 'notes', kind: 'text' };
      expect(field('x'.repeat(100_000), text)).to.have.length(100_000);
    });

    it('refuses a NUL character, naming the column', () => {
      expect(reason('a\u0000b', title)).to.match(/title contains a NUL character/);
    });

    it('escapes COPY specials', () => {
      expect(field('a\\b\tc\nd\re', title)).to.equal('a\\\\b\\tc\\nd\\re');
    });

    it('measures the limit before escaping (escapes are not stored)', () => {
      expect(field('\\\\\\\\', { name: 'x', kind: 'text', maxBytes: 4 })).to.equal('\\\\\\\\\\\\\\\\');
    });
  });

  describe('integer columns', () => {
    it('accepts whole numbers and their text', () => {
      expect(field(200, status)).to.equal('200');
      expect(field('200', status)).to.equal('200');
      expect(field(' 42 ', sessionId)).to.equal('42');
      expect(field(-7, sessionId)).to.equal('-7');
    });

    it('takes "1540919166796.0" style floats into bigint', () => {
      expect(field('1540919166796.0', ts)).to.equal('1540919166796');
      expect(field(1540919166796.0, ts)).to.equal('1540919166796');
      expect(field('1541903636796.000', ts)).to.equal('1541903636796');
    });

    it('keeps the smallint range: 32767 fits, 32768 does not', () => {
      expect(field(32767, status)).to.equal('32767');
      expect(field(-32768, status)).to.equal('-32768');
      expect(reason(32768, status)).to.equal("status is 32768, outside the column's range -32768..32767");
      expect(reason('-32769', status)).to.match(/status is -32769, outside/);
    });

    it('keeps the integer range', () => {
      expect(field(2147483647, sessionId)).to.equal('2147483647');
      expect(reason(2147483648, sessionId)).to.match(/outside the column's range -2147483648\.\.2147483647/);
    });

    it("takes a bigint's whole range exactly, past what a double holds, and refuses beyond it", () => {
      expect(field(Number.MAX_SAFE_INTEGER, ts)).to.equal(String(Number.MAX_SAFE_INTEGER));
      expect(field(new NumberText('9007199254740993'), ts)).to.equal('9007199254740993');
      expect(field('9223372036854775807', ts)).to.equal('9223372036854775807');
      expect(field(new NumberText('-9223372036854775808'), ts)).to.equal('-9223372036854775808');
      expect(reason(new NumberText('9223372036854775808'), ts)).to.equal(
        "ts is 9223372036854775808, outside the column's range -9223372036854775808..9223372036854775807",
      );
      expect(reason(2 ** 64, ts)).to.match(/ts is 18446744073709551616, outside/);
    });

    it('reads a number as written: a text column keeps it, an integer column takes only a whole one', () => {
      expect(field(new NumberText('12345678901234567890'), title)).to.equal('12345678901234567890');
      expect(field(new NumberText('1.0'), title)).to.equal('1.0');
      expect(field(new NumberText('1.0'), sessionId)).to.equal('1');
      expect(reason(new NumberText('9007199254740990.9'), ts)).to.equal(
        'ts must be a whole number, got 9007199254740990.9',
      );
      expect(field(new NumberText('1.5e1'), sessionId)).to.equal('15');
      expect(field(new NumberText('-2E+2'), sessionId)).to.equal('-200');
      expect(reason(new NumberText('15e-1'), sessionId)).to.equal('session_id must be a whole number, got 15e-1');
      expect(reason(new NumberText('1e400'), sessionId)).to.match(/outside the column's range/);
    });

    it('refuses fractions, words, booleans and objects, quoting the value', () => {
      expect(reason(1.5, sessionId)).to.equal('session_id must be a whole number, got 1.5');
      expect(reason('1.5', sessionId)).to.equal('session_id must be a whole number, got "1.5"');
      expect(reason('abc', sessionId)).to.match(/got "abc"/);
      expect(reason('', sessionId)).to.match(/got ""/);
      expect(reason('1e3', sessionId)).to.match(/whole number/);
      expect(reason(true, sessionId)).to.match(/got true/);
      expect(reason({ n: 1 }, sessionId)).to.match(/got \{"n":1\}/);
    });

    it('cuts a long value in the reason', () => {
      expect(reason('x'.repeat(100), sessionId)).to.equal(`session_id must be a whole number, got "${'x'.repeat(39)}…`);
    });
  });

  describe('float columns', () => {
    it('accepts numbers and numeric text', () => {
      expect(field(246.30812, length)).to.equal('246.30812');
      expect(field('246.30812', length)).to.equal('246.30812');
      expect(field(1540919166796.0, { name: 'registration', kind: 'float' })).to.equal('1540919166796');
      expect(field('-0.5', length)).to.equal('-0.5');
      expect(field('1e3', length)).to.equal('1000');
    });

    it('refuses text that is not a number, blanks, infinities and booleans', () => {
      expect(reason('abc', length)).to.equal('length must be a number, got "abc"');
      expect(reason('', length)).to.match(/length must be a number/);
      expect(reason('  ', length)).to.match(/length must be a number/);
      expect(reason('Infinity', length)).to.match(/length must be a number/);
      expect(reason(false, length)).to.match(/got false/);
      expect(reason([1], length)).to.match(/got \[1\]/);
    });
  });

  describe('numbers beyond a double', () => {
    it('says the column is out of range, and the number as written once the line is known', () => {
      const out = toCopyField(Infinity, length, { key: 'length' });
      expect(out).to.be.instanceOf(NumberOutOfRange);
      expect((out as NumberOutOfRange).explain('{"length":1e400}')).to.equal('length is out of range: 1e400');
      expect(reason(-Infinity, ts)).to.equal('ts is out of range');
      expect(reason('1e400', length)).to.equal('length is out of range: "1e400"');
    });
  });

  describe('with ACCEPTINVCHARS', () => {
    const gender: ColumnSpec = { name: 'gender', kind: 'text', maxBytes: 4 };
    it('replaces invalid bytes in text before measuring it, byte for byte', () => {
      expect(toCopyField('ab\uDCFF\uDCFE', gender, { acceptInvalidChars: '?' })).to.equal('ab??');
      const tooLong = toCopyField('abc\uDCFF\uDCFE', gender, { acceptInvalidChars: '?' });
      expect(tooLong).to.deep.include({
        reason: "gender is 5 bytes, longer than the column's 4; widen the column in a new migration",
      });
    });

    it('refuses invalid bytes in a number or timestamp: ACCEPTINVCHARS is for text columns only', () => {
      expect(toCopyField('4\uDCFF', sessionId, { acceptInvalidChars: '?' })).to.deep.include({
        reason: 'session_id holds bytes that are not UTF-8, which ACCEPTINVCHARS replaces in text columns only',
      });
    });
  });

  describe('timestamp columns', () => {
    it('accepts a timestamp string', () => {
      expect(field('2018-11-01 21:01:46.796', loadedAt)).to.equal('2018-11-01 21:01:46.796');
      expect(field('2018-11-01T21:01:46Z', loadedAt)).to.equal('2018-11-01T21:01:46Z');
    });

    it('refuses epoch numbers and words, naming the column', () => {
      expect(reason(1541106106796, loadedAt)).to.equal('loaded_at must be a timestamp string, got 1541106106796');
      expect(reason('yesterday', loadedAt)).to.match(/loaded_at must be a timestamp string/);
    });
  });
});

describe('escapeText', () => {
  it('leaves plain text untouched', () => {
    expect(escapeText('Hello, "world" \'quoted\' ünïcödé')).to.equal('Hello, "world" \'quoted\' ünïcödé');
  });

  it('escapes backslash, tab, newline and carriage return', () => {
    expect(escapeText('\\')).to.equal('\\\\');
    expect(escapeText('\t')).to.equal('\\t');
    expect(escapeText('\n')).to.equal('\\n');
    expect(escapeText('\r')).to.equal('\\r');
  });

  it('escapes every occurrence, in place', () => {
    expect(escapeText('C:\\a\\b\r\n\tend\n')).to.equal('C:\\\\a\\\\b\\r\\n\\tend\\n');
  });

  it('does not turn the text \\N into the null marker', () => {
    expect(escapeText('\\N')).to.equal('\\\\N');
    expect(escapeText('\\N')).not.to.equal(NULL_FIELD);
  });
});

describe('columnSpecFromCatalog', () => {
  it('maps character types to text with their length', () => {
    expect(columnSpecFromCatalog('artist', 'character varying', 512)).to.deep.equal({
      name: 'artist',
      kind: 'text',
      maxBytes: 512,
    });
    expect(columnSpecFromCatalog('code', 'character', 2)).to.deep.equal({ name: 'code', kind: 'text', maxBytes: 2 });
    expect(columnSpecFromCatalog('notes', 'text', null)).to.deep.equal({
      name: 'notes',
      kind: 'text',
      maxBytes: undefined,
    });
  });

  it('maps integer types one to one', () => {
    expect(columnSpecFromCatalog('status', 'smallint', null).kind).to.equal('smallint');
    expect(columnSpecFromCatalog('session_id', 'integer', null).kind).to.equal('integer');
    expect(columnSpecFromCatalog('ts', 'bigint', null).kind).to.equal('bigint');
  });

  it('maps double precision, real and numeric to float', () => {
    for (const type of ['double precision', 'real', 'numeric'])
      expect(columnSpecFromCatalog('x', type, null).kind).to.equal('float');
  });

  it('maps both timestamp types to timestamp', () => {
    expect(columnSpecFromCatalog('t', 'timestamp without time zone', null).kind).to.equal('timestamp');
    expect(columnSpecFromCatalog('t', 'timestamp with time zone', null).kind).to.equal('timestamp');
  });

  it('ignores the case of the type name', () => {
    expect(columnSpecFromCatalog('ts', 'BIGINT', null).kind).to.equal('bigint');
    expect(columnSpecFromCatalog('a', 'CHARACTER VARYING', 16)).to.deep.equal({
      name: 'a',
      kind: 'text',
      maxBytes: 16,
    });
  });

  it('treats other types as text', () => {
    expect(columnSpecFromCatalog('flag', 'boolean', null)).to.deep.equal({ name: 'flag', kind: 'text' });
  });

  it('gives specs that check values as the column would', () => {
    expect(reason(40000, columnSpecFromCatalog('status', 'smallint', null))).to.match(/outside/);
    expect(reason('ééé', columnSpecFromCatalog('gender', 'character varying', 4))).to.match(/6 bytes/);
  });
});
