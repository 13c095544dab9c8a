// The parser that keeps a number's text where a double would change it (exact-numbers.ts).
import { expect } from 'chai';
import { NumberText, numberKeys, parseKeepingNumbers } from '../../src/load/json/exact-numbers';
import type { JsonRecord } from '../../src/load/json/json-record';
import { JsonRecordReader } from '../../src/load/json/records';

const parse = (text: string, keys?: string[]) =>
  parseKeepingNumbers(text, keys && new Set(keys)) as Record<string, unknown>;

describe('parseKeepingNumbers', () => {
  it('gives a number a double would change as its text, and leaves the rest as JSON.parse does', () => {
    const value = parse('{"a":12345678901234567890,"b":1.0,"c":-0,"d":1e3,"e":246.30812,"f":7,"g":"1.0"}');
    expect(value).to.deep.equal({
      a: new NumberText('12345678901234567890'),
      b: new NumberText('1.0'),
      c: new NumberText('-0'),
      d: new NumberText('1e3'),
      e: 246.30812,
      f: 7,
      g: '1.0',
    });
  });

  it('finds numbers in arrays and nested objects, walking thousands of levels without recursion', () => {
    expect(parse('{"a":[1.50,{"b":[2.0]}]}')).to.deep.equal({
      a: [new NumberText('1.50'), { b: [new NumberText('2.0')] }],
    });
    const deep = `{"a":${'['.repeat(10000)}1.0${']'.repeat(10000)}}`;
    let node = parse(deep).a;
    for (let i = 0; i < 10000; i++) node = (node as unknown[])[0];
    expect(node).to.deep.equal(new NumberText('1.0'));
  });

  it('never takes a string of the line for a marked number, whatever escapes it holds', () => {
    // Each control character's escape appears but one, which must then be the mark.
    const escapes = Array.from({ length: 31 }, (_, i) => `\\u00${(i + 1).toString(16).padStart(2, '0')}`).filter(
      (e) => e !== '\\u001f',
    );
    const value = parse(`{"s":"${escapes.join('')}","x":"\\u00010","n":1.0}`);
    expect(value.x).to.equal('\u00010');
    expect(value.n).to.deep.equal(new NumberText('1.0'));
    expect(value.s).to.equal(JSON.parse(`"${escapes.join('')}"`));
  });

  it('reads numbers inside strings and keys as text, not as numbers', () => {
    expect(parse('{"1.0":"2.50 \\" 3.0","k":"\\\\"}')).to.deep.equal({ '1.0': '2.50 " 3.0', k: '\\' });
  });

  it('keeps the text only under the keys given, so a float column costs no marking', () => {
    expect(parse('{"registration":1540919166796.0,"song":1.0,"x":{"song":2.0}}', ['song'])).to.deep.equal({
      registration: 1540919166796,
      song: new NumberText('1.0'),
      x: { song: new NumberText('2.0') },
    });
    expect(parse('{"a\\u0062":1.0}', ['ab'])).to.deep.equal({ ab: new NumberText('1.0') });
    expect(parse('{"a" \n : [1.0, 2.0]}', ['a'])).to.deep.equal({ a: [new NumberText('1.0'), new NumberText('2.0')] });
  });

  it('keeps nothing as text with no keys given, and a record reader given none reads doubles (compact, the bench CSV)', () => {
    expect(parseKeepingNumbers('{"song":1.0,"n":12345678901234567890}', new Set())).to.deep.equal(
      JSON.parse('{"song":1.0,"n":12345678901234567890}'),
    );
    const records: JsonRecord[] = [];
    const reader = new JsonRecordReader();
    reader.push(Buffer.from('{"registration":1540919166796.0,"song":1.0}\n'), (r) => records.push(r));
    reader.end((r) => records.push(r));
    expect(records.map((r) => r.value)).to.deep.equal([{ registration: 1540919166796, song: 1 }]);
  });

  it('refuses what JSON.parse refuses, with its message', () => {
    for (const bad of ['{"a":01}', '{"a":1.}', '{"a":1.0,}', '{"a":-}', '{"a":"x}']) {
      expect(() => parse(bad), bad).to.throw(SyntaxError);
    }
  });

  it('takes the keys of text and integer columns, and every key when one has no name', () => {
    const path = (...steps: Array<string | number>) => ({ steps });
    expect(
      numberKeys([path('a'), path('b'), path('c', 0), path('t')], ['text', 'float', 'bigint', 'timestamp']),
    ).to.deep.equal(new Set(['a', 'c']));
    expect(numberKeys([path(0)], ['text'])).to.equal(undefined);
  });
});
