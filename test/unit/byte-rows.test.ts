// The loader's byte-level short path (byte-rows.ts) against the general path (JSON.parse,
// then the row formatter): for every line it takes, exactly the same COPY text; every
// line it cannot do, declined, never loaded differently or rejected by it. And it must
// take the usual line, or it is a short path that never runs.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { stagingEvents, stagingSongs } from '../../migrations/20261125120000_create_staging_tables';
import type { ByteRowEncoder } from '../../src/load/json/byte-row-encoder';
import { byteRowEncoder } from '../../src/load/json/byte-rows';
import { parseKeepingNumbers } from '../../src/load/json/exact-numbers';
import { recordClassifier } from '../../src/load/postgres/classify';
import type { RecordRules } from '../../src/load/json/row-formatter';
import type { ColumnSpec } from '../../src/load/json/columns';
import { autoPaths, parseJsonPaths } from '../../src/load/json/jsonpaths';
import type { JsonRecord } from '../../src/load/json/json-record';
import { JsonRecordReader } from '../../src/load/json/records';
import type { TableDeclaration } from '../../src/schema/table';
import { sourcesOf, testSample } from '../support/sample';
import { sparkifySources } from '../support/sparkify';

function columnSpecs(table: TableDeclaration): ColumnSpec[] {
  return table.columns.map(({ name, type }) => {
    if (type.kind === 'varchar') return { name, kind: 'text', maxBytes: type.length };
    if (type.kind === 'double') return { name, kind: 'float' };
    return { name, kind: type.kind as ColumnSpec['kind'] };
  });
}

/** What the general path makes of one line: its COPY text with the newline, or null when it rejects it. */
function generalPath(rules: RecordRules): (line: string) => string | null {
  const classify = recordClassifier(rules);
  return (line) => {
    let value: unknown;
    try {
      value = parseKeepingNumbers(line);
    } catch {
      return null;
    }
    const outcome = classify({ line: 1, text: line, value });
    return typeof outcome === 'string' ? `${outcome}\n` : null;
  };
}

function shortPath(encode: ByteRowEncoder): (line: string) => string | undefined {
  return (line) => {
    const src = Buffer.from(line, 'utf8');
    const out = Buffer.alloc(src.length + 1);
    const end = encode(src, 0, src.length, out, 0);
    return end < 0 ? undefined : out.toString('utf8', 0, end);
  };
}

/** Every line through both paths: the same text wherever the short path answers. Returns how many it took. */
function compare(rules: RecordRules, lines: string[]): number {
  const general = generalPath(rules);
  const short = shortPath(byteRowEncoder(rules)!);
  let taken = 0;
  for (const line of lines) {
    const fast = short(line);
    if (fast === undefined) continue;
    taken++;
    expect(fast, line).to.equal(general(line));
  }
  return taken;
}

const eventRules = (jsonPaths: string, file = 'log_json_path.json'): RecordRules => ({
  paths: parseJsonPaths(jsonPaths, file),
  columns: columnSpecs(stagingEvents),
});
const songRules: RecordRules = {
  paths: autoPaths(stagingSongs.columns.map((c) => c.name)),
  columns: columnSpecs(stagingSongs),
};

function linesUnder(dir: string, limit = Infinity): string[] {
  const lines: string[] = [];
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (lines.length >= limit) break;
    if (!entry.isFile() || !entry.name.endsWith('.json')) continue;
    lines.push(
      ...fs
        .readFileSync(path.join(entry.parentPath, entry.name), 'utf8')
        .split('\n')
        .filter((l) => l !== ''),
    );
  }
  return lines;
}

describe('byteRowEncoder', () => {
  const columns: ColumnSpec[] = [
    { name: 'a', kind: 'text', maxBytes: 12 },
    { name: 'f', kind: 'float' },
    { name: 'n', kind: 'integer' },
    { name: 's', kind: 'smallint' },
    { name: 'b', kind: 'bigint' },
  ];
  const rules: RecordRules = { paths: autoPaths(columns.map((c) => c.name)), columns };
  const short = shortPath(byteRowEncoder(rules)!);
  const line = (a: string, f = '1.5', n = '2', s = '3', b = '4') => `{"a":${a},"f":${f},"n":${n},"s":${s},"b":${b}}`;

  it('writes the usual line as the general path does', () => {
    expect(short(line('"Beyoncé"'))).to.equal('Beyoncé\t1.5\t2\t3\t4\n');
    expect(short(line('null', 'null', 'null', 'null', 'null'))).to.equal('\\N\t\\N\t\\N\t\\N\t\\N\n');
    expect(short(line('"say \\"hi\\" \\/ \\\\"'))).to.equal('say "hi" / \\\\\t1.5\t2\t3\t4\n');
    expect(short(`{ "b" : 4 , "s":3,"n":2,"f":1525634280704.0,"a":"x","extra":{"x":1}}`)).to.equal(undefined); // a nested field: declined
    expect(short(`{ "b" : 4 , "s":3,"n":2.000,"f":1525634280704.0,"a":"x","extra":"\\u00e9\\n"}`)).to.equal(
      'x\t1525634280704\t2\t3\t4\n',
    );
  });

  it('declines what only the general path decides, and takes the rest identically', () => {
    const values = [
      '"x"',
      '"\\u0041"',
      '"a\\nb"',
      '"tab\\t"',
      '"\\u0000"',
      '"ünïcödé ünï"',
      '"twelve bytes"',
      '"thirteen byte"',
      '7',
      '-0',
      '0',
      '-0.0',
      '0.000001',
      '0.0000001',
      '1e2',
      '1E-2',
      '0.1',
      '1.50',
      '123456789012345',
      '1234567890123456',
      '-12.5000',
      'true',
      'false',
      '[1]',
      '{}',
      '""',
      '"12"',
      '"1.5"',
      '01',
      '1.',
      '.5',
      '-',
      '40000',
      '-32768',
      '-32769',
      '2147483648',
      '9007199254740991',
      '1.0e0',
    ];
    values.push(
      '"\\ud83d\\ude00"',
      '"\\ud800"',
      '"\\udc00x"',
      '"\\ud800\\u0041"',
      '"\\b\\f"',
      '"\\u005c\\u0009\\u000a\\u000D\\u0001"',
      '"\\r\\n\\t"',
      '"\\u00e9\\u00C3\\u00a9"',
      '"\\uFFFE"',
    );
    values.push(
      '1.540919166796E12',
      '-1.5e-3',
      '1e21',
      '1e20',
      '12345678901234567890',
      '1E400',
      '-1e-400',
      '0e0',
      '-0e5',
      '2.5e1',
      '1e-6',
      '1e-7',
      '123456789012345e1',
      '1e0001',
    );
    const lines: string[] = [];
    for (const v of values) {
      lines.push(line(v), line('"a"', v), line('"a"', '1', v), line('"a"', '1', '1', v), line('"a"', '1', '1', '1', v));
    }
    lines.push(
      '{"a":"x","f":1,"n":1,"s":1}',
      '{"a":"x","a":"y","f":1,"n":1,"s":1,"b":1}',
      '{"a":"x","f":1,"n":1,"s":1,"b":1,}',
      '{"a":"x","f":1,"n":1,"s":1,"b":1} ',
      ' {"a":"x","f":1,"n":1,"s":1,"b":1}',
    );
    lines.push(
      '{"a":"x","f":1,"n":1,"s":1,"b":1}x',
      '{"a":"x"  ,  "f":1,\t"n":1,"s":1,"b":1}',
      '{"\\u0061":"x","a":"y","f":1,"n":1,"s":1,"b":1}',
      '{"a":"x","f":1,"n":1,"s":1,"b":1,"__proto__":"p"}',
      '[]',
      '{}',
      '{"a":"x","f":1,"n":1,"s":1,"b":nul}',
    );
    const taken = compare(rules, lines);
    expect(taken, 'lines the short path took').to.be.greaterThan(60);
    // Each of these is one the general path handles in its own way (or rejects): declined.
    for (const v of ['"\\u0000"', '"\\ud800"', '"thirteen byte"', 'true', '[1]'])
      expect(short(line(v)), v).to.equal(undefined);
    // A number in a text column is written as it is read, whatever a double would make of it.
    for (const v of ['0.0000001', '1e21', '-0', '1.50']) expect(short(line(v)), v).to.equal(`${v}\t1.5\t2\t3\t4\n`);
    for (const v of ['1.5', '40000', '-32769', '1e400', '1.5e0'])
      expect(short(line('"a"', '1', '1', v)), v).to.equal(undefined);
    expect(short(line('"\\u00e9\\n"', '1.540919166796E12', '-0', '2.5e1'))).to.equal('é\\n\t1540919166796\t0\t25\t4\n');
  });

  it('writes lines mutated at random as the general path does, or declines them', async () => {
    const sample = await testSample({ events: 3000, songs: 300 });
    const sources = sourcesOf(sample);
    const rules = eventRules(fs.readFileSync(sources.logJsonPath, 'utf8'));
    const events = linesUnder(sources.logData).slice(0, 400);
    const pieces = [
      '"',
      '\\',
      '\\u',
      'u00',
      'd83d',
      '0',
      '9',
      '.',
      'e',
      'E+',
      '-',
      ',',
      ':',
      '{',
      '}',
      ' ',
      'é',
      '\t',
      'null',
      'true',
      '1e3',
      '\\"',
    ];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const mutated: string[] = [];
    for (let k = 0; k < 20000; k++) {
      let line = events[random(events.length)];
      for (let m = 1 + random(2); m > 0; m--) {
        const at = random(line.length);
        line = line.slice(0, at) + pieces[random(pieces.length)] + line.slice(at + random(3));
      }
      mutated.push(line);
    }
    expect(compare(rules, mutated), 'mutated lines the short path took').to.be.greaterThan(1000);
    // Fields in another order, given twice, or not mapped: read into slots, written the same.
    const reordered = events.map((text, k) => {
      const fields = Object.entries(JSON.parse(text) as Record<string, unknown>).reverse();
      if (k % 3 === 1) fields.push(['artist', 'a later artist'], ['unmapped', { nested: 1 }]);
      if (k % 3 === 2) fields.splice(1, 0, ['unmapped', 'x\\u00e9'], ['flag', true]);
      return `{${fields.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(', ')}}`;
    });
    expect(compare(rules, reordered), 'reordered lines the short path took').to.be.greaterThan(events.length / 2);
  });

  it('reads a field two columns share, through the slots', () => {
    const shared: RecordRules = { paths: autoPaths(['a', 'a']), columns: [columns[0], { name: 'a2', kind: 'text' }] };
    expect(shortPath(byteRowEncoder(shared)!)('{"a":"x"}')).to.equal('x\tx\n');
    expect(compare(shared, ['{"a":"x"}', '{"a":1.50}', '{"a":null,"a":"y"}', '{"b":1}'])).to.equal(3);
  });

  it('takes none of a line whose string holds a byte the line may not hold raw', () => {
    expect(short(line('"a\tb"'))).to.equal(undefined);
    expect(short(line('"a\u0001b"'))).to.equal(undefined);
  });

  it('is not offered ACCEPTINVCHARS or nested paths: the general path replaces and picks', () => {
    expect(byteRowEncoder({ ...rules, acceptInvalidChars: '?' })).to.equal(undefined);
    expect(
      byteRowEncoder({ paths: parseJsonPaths('{"jsonpaths":["$.a.b"]}', 'p.json'), columns: [columns[0]] }),
    ).to.equal(undefined);
  });

  it('writes every generated event and song as the general path does, and takes them all', async function () {
    this.timeout(120000);
    const sample = await testSample({ events: 3000, songs: 300 });
    const sources = sourcesOf(sample);
    const events = linesUnder(sources.logData);
    expect(compare(eventRules(fs.readFileSync(sources.logJsonPath, 'utf8')), events)).to.equal(events.length);
    const songs = linesUnder(sources.songData);
    expect(compare(songRules, songs)).to.be.greaterThan(songs.length * 0.9);
  });

  it('writes the real Sparkify lines as the general path does', function () {
    const sources = sparkifySources();
    if (!sources) {
      console.log('      (skipped: the real Sparkify sample is not in ../shared; CI has it)');
      this.skip();
    }
    const events = linesUnder(sources.logData);
    const takenEvents = compare(eventRules(fs.readFileSync(sources.logJsonPath, 'utf8')), events);
    const songs = linesUnder(sources.songData, 3000);
    const takenSongs = compare(songRules, songs);
    expect(takenEvents, 'event lines the short path took').to.be.greaterThan(events.length * 0.99);
    expect(takenSongs, 'song lines the short path took').to.be.greaterThan(songs.length * 0.99);
  });

  it('leaves the reader the same rows, rejects and line numbers, whatever the chunk boundaries', () => {
    const text = (lines: string[]) => Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    const file = Buffer.concat([
      text([
        line('"a"'),
        '',
        line('"é"', '1e2'),
        '{"a":"broken",',
        line('"b"'),
        '{',
        '  "a": "multi", "f": 1, "n": 1, "s": 1, "b": 1',
        '}',
        `${line('"c"')}\r`,
      ]),
      Buffer.from('{"a":"\xff","f":1,"n":1,"s":1,"b":1}\n', 'latin1'), // a byte that is not UTF-8
      text([line('"d"'), line('"thirteen byte"')]),
      Buffer.from(line('"last, no newline"'), 'utf8'),
    ]);
    const read = (encode: ByteRowEncoder | undefined, size: number) => {
      const classify = recordClassifier(rules);
      const out: string[] = [];
      const takeLine =
        encode &&
        ((src: Buffer, start: number, end: number, lineNumber: number) => {
          const row = shortPath(encode)(src.toString('utf8', start, end));
          if (row !== undefined) out.push(`${lineNumber}: ${row}`);
          return row !== undefined;
        });
      const reader = new JsonRecordReader(takeLine);
      const sink = (record: JsonRecord) => {
        const outcome = classify(record);
        out.push(typeof outcome === 'string' ? `${record.line}: ${outcome}\n` : `${record.line}! ${outcome.reason}`);
      };
      for (let i = 0; i < file.length; i += size) reader.push(file.subarray(i, i + size), sink);
      reader.end(sink);
      return out;
    };
    const general = read(undefined, file.length);
    expect(
      general.filter((row) => row.includes('!')),
      'rejects',
    ).to.have.length(4);
    for (const size of [1, 3, 7, 64, file.length])
      expect(read(byteRowEncoder(rules), size), `chunks of ${size} bytes`).to.deep.equal(general);
  });
});
