// readJsonRecords: a stream of JSON text into records with line numbers, whatever the
// chunk boundaries, with bad lines as error records rather than exceptions.
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { numberAsWritten } from '../../src/load/json/columns';
import type { JsonRecord } from '../../src/load/json/json-record';
import { readJsonRecords } from '../../src/load/json/read-json-records';

async function read(chunks: Array<Buffer | string>): Promise<JsonRecord[]> {
  const records: JsonRecord[] = [];
  for await (const record of readJsonRecords(Readable.from(chunks))) records.push(record);
  return records;
}

/** The text as buffers of `size` bytes, so boundaries fall anywhere, multi-byte characters included. */
function bytesOf(text: string, size: number): Buffer[] {
  const all = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < all.length; i += size) chunks.push(all.subarray(i, i + size));
  return chunks;
}

const lineAndValue = (records: JsonRecord[]) => records.map((r) => ({ line: r.line, value: r.value, error: r.error }));

describe('readJsonRecords', () => {
  it('reads one record per line, numbered from 1', async () => {
    const records = await read(['{"a":1}\n{"a":2}\n{"a":3}\n']);
    expect(lineAndValue(records)).to.deep.equal([
      { line: 1, value: { a: 1 }, error: undefined },
      { line: 2, value: { a: 2 }, error: undefined },
      { line: 3, value: { a: 3 }, error: undefined },
    ]);
    expect(records[1].text).to.equal('{"a":2}');
  });

  it('gives the same records whatever the chunk boundaries', async () => {
    const text = '{"artist":"Beyoncé","song":"Ça plane pour moi 😀"}\n\n{"artist":"坂本龍一","n":1}\n{"x":"Ω"}';
    const whole = await read([Buffer.from(text)]);
    expect(whole).to.have.length(3);
    for (const size of [1, 2, 3, 5, 7, 13]) {
      expect(await read(bytesOf(text, size)), `chunks of ${size} bytes`).to.deep.equal(whole);
    }
    expect(whole[0].value).to.deep.equal({ artist: 'Beyoncé', song: 'Ça plane pour moi 😀' });
    expect(whole[1]).to.include({ line: 3 });
    expect(whole[1].value).to.deep.equal({ artist: '坂本龍一', n: 1 });
  });

  it('reads a chunk larger than it decodes at once (64 kB) as it reads small ones, characters straddling every cut', async () => {
    // Lines of 1 to 4-byte characters, ~300 kB in all: the 64 kB cuts fall inside characters and lines.
    const lines = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ i, s: 'aé坂😀'.repeat(10 + (i % 13)) }));
    const text = `${lines.join('\n')}\n`;
    const whole = await read([Buffer.from(text)]);
    expect(Buffer.byteLength(text)).to.be.above(4 * 64 * 1024);
    expect(whole.map((r) => r.value)).to.deep.equal(lines.map((l) => JSON.parse(l)));
    expect(whole.map((r) => r.line)).to.deep.equal(lines.map((_, i) => i + 1));
    expect(await read(bytesOf(text, 100_003))).to.deep.equal(whole);
  });

  it('decodes a character split between two chunks', async () => {
    const bytes = Buffer.from('{"a":"é"}\n');
    const split = bytes.indexOf(0xc3) + 1; // between the two bytes of é
    const records = await read([bytes.subarray(0, split), bytes.subarray(split)]);
    expect(records).to.have.length(1);
    expect(records[0].value).to.deep.equal({ a: 'é' });
    expect(records[0].text).not.to.include('\uFFFD');
  });

  it('joins a line split across chunks in the middle', async () => {
    const records = await read(['{"artist":"Da', 'ft Punk","len', 'gth":1.5}\n{"b"', ':2}\n']);
    expect(lineAndValue(records)).to.deep.equal([
      { line: 1, value: { artist: 'Daft Punk', length: 1.5 }, error: undefined },
      { line: 2, value: { b: 2 }, error: undefined },
    ]);
  });

  it('skips blank and whitespace-only lines but counts them', async () => {
    const records = await read(['\n{"a":1}\n\n   \n\t\n{"a":2}\n\n']);
    expect(records.map((r) => r.line)).to.deep.equal([2, 6]);
  });

  it('yields nothing for an empty stream or one of blank lines', async () => {
    expect(await read([])).to.deep.equal([]);
    expect(await read(['\n\n  \n'])).to.deep.equal([]);
  });

  it('reads CRLF line ends, even with CR and LF in different chunks', async () => {
    const records = await read(['{"a":1}\r', '\n{"a":2}\r\n\r\n{"a":3}\r\n']);
    expect(lineAndValue(records)).to.deep.equal([
      { line: 1, value: { a: 1 }, error: undefined },
      { line: 2, value: { a: 2 }, error: undefined },
      { line: 4, value: { a: 3 }, error: undefined },
    ]);
    for (const r of records) expect(r.text).not.to.include('\r');
  });

  it('reads a last line without a newline', async () => {
    const records = await read(['{"a":1}\n{"a":2}']);
    expect(records.map((r) => [r.line, r.value])).to.deep.equal([
      [1, { a: 1 }],
      [2, { a: 2 }],
    ]);
  });

  it('reads a last line without a newline that ends in CR', async () => {
    const records = await read(['{"a":1}\r']);
    expect(lineAndValue(records)).to.deep.equal([{ line: 1, value: { a: 1 }, error: undefined }]);
  });

  it('gives a BOM on line 1 an error record that says to save without BOM, and goes on', async () => {
    const records = await read([Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}\n{"a":2}\n')])]);
    expect(records).to.have.length(2);
    expect(records[0].line).to.equal(1);
    expect(records[0].value).to.equal(undefined);
    expect(records[0].error).to.match(/byte-order mark \(BOM\)/);
    expect(records[0].error).to.match(/without BOM/);
    expect(lineAndValue([records[1]])).to.deep.equal([{ line: 2, value: { a: 2 }, error: undefined }]);
  });

  it('finds a BOM split over the first chunks', async () => {
    const records = await read([Buffer.from([0xef]), Buffer.from([0xbb, 0xbf]), Buffer.from('{"a":1}\n')]);
    expect(records).to.have.length(1);
    expect(records[0].error).to.match(/BOM/);
  });

  it('accepts a BOM character after line 1 as part of the data', async () => {
    const records = await read(['{"a":1}\n{"b":"\uFEFFx"}\n']);
    expect(records.map((r) => r.error)).to.deep.equal([undefined, undefined]);
  });

  it("gives a malformed line an error record with its line number and the parser's reason", async () => {
    const records = await read(['{"a":1}\n\n{"a":2,,"b":3}\nnot json\n{"a":4}\n']);
    expect(records.map((r) => r.line)).to.deep.equal([1, 3, 4, 5]);
    expect(records[1].value).to.equal(undefined);
    expect(records[1].text).to.equal('{"a":2,,"b":3}');
    expect(records[1].error).to.match(/^malformed JSON: /);
    expect(records[2].error).to.match(/^malformed JSON: /);
    expect(records[3].value).to.deep.equal({ a: 4 });
  });

  it('keeps JSON null and scalars as values, not errors', async () => {
    const records = await read(['null\n42\n"text"\n']);
    expect(records.map((r) => [r.value, r.error])).to.deep.equal([
      [null, undefined],
      [42, undefined],
      ['text', undefined],
    ]);
  });

  it('reads a pretty-printed object as one record at its starting line', async () => {
    const song = {
      num_songs: 1,
      artist_id: 'ARJIE2Y1187B994AB7',
      artist_location: '',
      title: 'Der Kleine Dompfaff',
      nested: { list: [1, 2] },
    };
    const text = `\n${JSON.stringify(song, null, 4)}\n{"next":true}\n`;
    const records = await read(bytesOf(text, 4));
    expect(records).to.have.length(2);
    expect(records[0].line).to.equal(2);
    expect(records[0].value).to.deep.equal(song);
    expect(records[0].error).to.equal(undefined);
    const lines = JSON.stringify(song, null, 4).split('\n').length;
    expect(records[1].line).to.equal(2 + lines);
    expect(records[1].value).to.deep.equal({ next: true });
  });

  it('reads a pretty-printed object with CRLF line ends', async () => {
    const records = await read(['{\r\n  "a": 1,\r\n  "b": "x"\r\n}\r\n']);
    expect(lineAndValue(records)).to.deep.equal([{ line: 1, value: { a: 1, b: 'x' }, error: undefined }]);
  });

  it('reports an object the file never closes, at the line it starts', async () => {
    const records = await read(['{"a":1}\n\n{\n  "title": "unfinished",\n  "year": 2004\n']);
    expect(records).to.have.length(2);
    expect(records[1].line).to.equal(3);
    expect(records[1].value).to.equal(undefined);
    expect(records[1].error).to.match(/the file ends inside/);
    expect(records[1].text).to.include('"title": "unfinished"');
  });

  // A writer killed mid-line leaves `{"a":2`: only that line is lost, not the rest of the file.
  it('rejects only a truncated line and reads the lines after it', async () => {
    const records = await read(['{"a":1}\n{"a":2\n{"a":3}\n{"a":4}\n']);
    expect(records.map((r) => [r.line, r.value === undefined ? 'error' : r.value])).to.deep.equal([
      [1, { a: 1 }],
      [2, 'error'],
      [3, { a: 3 }],
      [4, { a: 4 }],
    ]);
  });

  it('reads a pretty-printed object holding an array of objects as one record', async () => {
    const value = {
      songs: [
        { title: 'a', year: 1 },
        { title: 'b', year: 2 },
      ],
      count: 2,
    };
    for (const indent of [2, 4]) {
      const records = await read([`${JSON.stringify(value, null, indent)}\n{"next":1}\n`]);
      expect(lineAndValue(records), `indent ${indent}`).to.deep.equal([
        { line: 1, value, error: undefined },
        { line: JSON.stringify(value, null, indent).split('\n').length + 1, value: { next: 1 }, error: undefined },
      ]);
    }
  });
});

describe('readJsonRecords and invalid UTF-8', () => {
  it('says on which line and at which byte offset a record holds bytes that are not UTF-8, and keeps them marked', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"a":1}\n{"a":"x'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('y"}\n{"a":\n "'),
      Buffer.from([0xc3]),
      Buffer.from('"}\n'),
    ]);
    for (const size of [1, 2, 7, 1000]) {
      const records = await read(chunksOf(bytes, size));
      expect(
        records.map((r) => r.invalidUtf8),
        `chunks of ${size}`,
      ).to.deep.equal([undefined, { line: 2, offset: 7, hex: 'ff fe' }, { line: 4, offset: 2, hex: 'c3' }]);
      expect(records[1].value).to.deep.equal({ a: 'x\uDCFF\uDCFEy' });
      expect(records[2].line).to.equal(3);
    }
  });

  it('leaves U+FFFD written in the file as the data it is', async () => {
    const records = await read([Buffer.from('{"a":"\uFFFD"}\n')]);
    expect(records[0].invalidUtf8).to.equal(undefined);
    expect(records[0].value).to.deep.equal({ a: '\uFFFD' });
  });
});

describe('numberAsWritten', () => {
  it('finds the number a double cannot hold as written, under its key first', () => {
    expect(numberAsWritten('{"a":"1e400","length":1e400}', 'length')).to.equal('1e400');
    expect(numberAsWritten('{"a":-2e308,"length":1E+999}', 'length')).to.equal('1E+999');
    expect(numberAsWritten('{"a":-2e308,"length":1}', 'length')).to.equal('-2e308');
    expect(numberAsWritten('{"a":1.5}', 'a')).to.equal(undefined);
  });
});

function chunksOf(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
}
