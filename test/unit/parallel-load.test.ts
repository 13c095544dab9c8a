// loadWithWorkers (parsing on worker threads) against streamFile (the in-thread path):
// the same COPY text in the same order, the same source line for each row, the same
// rejects and counts, whatever the chunk boundaries and the faults in the files.
import { Readable, Writable } from 'node:stream';
import { expect } from 'chai';
import type { ByteRowEncoder } from '../../src/load/byte-rows';
import type { RecordRules } from '../../src/load/classify';
import type { ColumnSpec } from '../../src/load/columns';
import { CopyWriter } from '../../src/load/copy-writer';
import { autoPaths } from '../../src/load/jsonpaths';
import type { Reject } from '../../src/load/ledger';
import { loadWithWorkers } from '../../src/load/parallel-load';
import type { SourceFile } from '../../src/load/source-files';
import { lineRules, streamFile } from '../../src/load/stream-file';

const columns: ColumnSpec[] = [
  { name: 'a', kind: 'text', maxBytes: 12 },
  { name: 'n', kind: 'integer' },
];
const rules: RecordRules = { paths: autoPaths(['a', 'n']), columns };

/** What a CopyWriter is given: the text, and each COPY line's origin. */
class RecordingWriter {
  text = '';
  origins: string[] = [];
  full = false;
  append(row: string, fileIndex: number, line: number): void {
    this.text += `${row}\n`;
    this.origins.push(`${fileIndex}:${line}`);
  }
  appendLine(encode: ByteRowEncoder, src: Uint8Array, start: number, end: number, fileIndex: number, line: number): boolean {
    const out = Buffer.alloc(end - start + 1);
    const to = encode(src, start, end, out, 0);
    if (to < 0) return false;
    this.text += out.toString('utf8', 0, to);
    this.origins.push(`${fileIndex}:${line}`);
    return true;
  }
  appendEncoded(bytes: Buffer, fileIndex: number, lines: Uint32Array, rows: number): void {
    this.text += bytes.toString('utf8');
    for (let i = 0; i < rows; i++) this.origins.push(`${fileIndex}:${lines[i]}`);
  }
  async flush(): Promise<void> {}
}

/** A file of `text` streamed in chunks of `size` bytes, failing after them when `failWith` is set. */
function file(name: string, text: string | Buffer, size: number, failWith?: string): SourceFile {
  const all = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return {
    path: `/data/${name}`,
    size: all.length,
    version: '1',
    gzip: false,
    open: async () =>
      Readable.from(
        (function* () {
          for (let i = 0; i < all.length; i += size) yield all.subarray(i, i + size);
          if (failWith) throw new Error(failWith);
        })(),
      ),
    readStored: async () => all,
  };
}

interface Outcome {
  text: string;
  origins: string[];
  rejects: Reject[];
  results: Array<{ read: number; loaded: number }>;
}

async function inThread(files: SourceFile[], options = rules): Promise<Outcome> {
  const writer = new RecordingWriter();
  const rejects: Reject[] = [];
  const results = [];
  const lines = lineRules(options);
  for (const [index, f] of files.entries()) results.push(await streamFile(f, index, lines, writer as unknown as CopyWriter, (r) => rejects.push(r)));
  return { text: writer.text, origins: writer.origins, rejects, results };
}

async function viaWorkers(files: SourceFile[], options = rules): Promise<Outcome> {
  const writer = new RecordingWriter();
  const rejects: Reject[] = [];
  const results: Array<{ read: number; loaded: number }> = [];
  const ran = await loadWithWorkers(
    files,
    options,
    writer as unknown as CopyWriter,
    (r) => rejects.push(r),
    (_index, result) => {
      results.push(result);
      return true;
    },
  );
  expect(ran, 'the workers ran').to.equal(true);
  return { text: writer.text, origins: writer.origins, rejects, results };
}

const goodLines = (count: number, from = 0) => Array.from({ length: count }, (_, i) => `{"a":"Ça ${(from + i) % 97}","n":${from + i}}`).join('\n');

describe('loadWithWorkers', function () {
  this.timeout(60000);

  it('gives what the in-thread path gives, faults and chunk boundaries included', async () => {
    const messy = [
      '\uFEFF{"a":"bom","n":1}',
      '{"a":"ok","n":2}\r',
      '{"a":"broken",',
      '{"a":"multi",',
      '  "n": 3}',
      '[1,2]',
      '{"a":"wrong","n":"x"}',
      '{"n":4}',
      '{"a":"far too long for it","n":5}',
      '{"a":"tab\\there","n":6}',
      '',
      '{"a":"坂本龍一","n":7}',
      '{"a":"last","n":8}',
    ].join('\n');
    for (const size of [1, 3, 7, 64, 100000]) {
      const files = [
        file('a.json', messy, size),
        file('empty.json', '', size),
        file('big.json', goodLines(20000), size === 1 ? 4096 : size),
        file('torn.json', `${goodLines(50)}\n{"a":"open",`, size),
        file('unreadable.json', goodLines(30), size, 'unexpected end of file'),
        file('b.json', `${goodLines(10, 5)}\n{"a":"x","n":99999999999}`, size),
      ];
      expect(await viaWorkers(files), `chunks of ${size} bytes`).to.deep.equal(await inThread(files));
    }
  });

  it('rejects invalid UTF-8, or replaces it with --accept-invalid-chars, as the in-thread path does', async () => {
    const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
    const invalid = bytes(
      '{"a":"ok","n":1}\n{"a":"b',
      [0xff, 0xfe],
      'd","n":2}\n{"a":"é',
      [0xe2, 0x82],
      '","n":3}\n',
      '{"a":"multi",\n "x":"',
      [0xc3],
      '", "n":4}\n{"a":"num","n":"5',
      [0xff],
      '"}\n{"a":"end',
      [0xf0, 0x9f, 0x98],
    );
    for (const size of [1, 2, 5, 64, 100000]) {
      const files = [file('invalid.json', invalid, size), file('empty.json', '', size), file('blank.json', '\n \n', size), file('b.json', goodLines(30), size)];
      const rejecting = await inThread(files);
      expect(await viaWorkers(files), `rejecting, chunks of ${size} bytes`).to.deep.equal(rejecting);
      expect(rejecting.rejects.map((r) => `${r.path.slice(6)}:${r.line}`)).to.deep.equal(['invalid.json:2', 'invalid.json:3', 'invalid.json:4', 'invalid.json:6', 'invalid.json:7', 'blank.json:0']);
      expect(rejecting.rejects[0].reason).to.match(/^invalid UTF-8 at byte offset 7 of the line \(bytes ff fe\)/);
      expect(rejecting.rejects[0].raw).to.equal('{"a":"b\\xff\\xfed","n":2}');
      expect(rejecting.rejects[2].reason).to.match(/^invalid UTF-8 at byte offset 6 of line 5 \(bytes c3\)/);
      expect(rejecting.rejects[5].reason).to.equal('the file holds only blank lines, no JSON object; remove it or fill it');
      const accepting = await inThread(files, { ...rules, acceptInvalidChars: '^' });
      expect(await viaWorkers(files, { ...rules, acceptInvalidChars: '^' }), `accepting, chunks of ${size} bytes`).to.deep.equal(accepting);
      expect(accepting.text.split('\n').slice(0, 4)).to.deep.equal(['ok\t1', 'b^^d\t2', 'é^^\t3', 'multi\t4']);
      // The invalid byte in a number is not replaced: ACCEPTINVCHARS is for text columns only.
      expect(accepting.rejects.map((r) => `${r.path.slice(6)}:${r.line}`)).to.deep.equal(['invalid.json:6', 'invalid.json:7', 'blank.json:0']);
      expect(accepting.rejects[0].reason).to.equal('n holds bytes that are not UTF-8, which ACCEPTINVCHARS replaces in text columns only');
    }
  });

  it('stops after the file for which done() says so', async () => {
    const files = [file('1.json', goodLines(10), 64), file('2.json', goodLines(10), 64), file('3.json', goodLines(10), 64)];
    const writer = new RecordingWriter();
    const seen: number[] = [];
    await loadWithWorkers(
      files,
      rules,
      writer as unknown as CopyWriter,
      () => undefined,
      (index) => {
        seen.push(index);
        return index < 1;
      },
    );
    expect(seen).to.deep.equal([0, 1]);
    expect(writer.origins).to.have.length(20);
  });
});

describe('CopyWriter.appendEncoded', () => {
  it('sends encoded rows in order with the rows around them, and maps each COPY line to its source line', async () => {
    const sent: Buffer[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        sent.push(Buffer.from(chunk));
        callback();
      },
    });
    const done = new Promise<void>((resolve) => stream.on('finish', () => resolve()));
    const Writer = CopyWriter as unknown as new (stream: Writable, done: Promise<void>) => CopyWriter;
    const writer = new Writer(stream, done);
    writer.append('a\t1', 0, 3);
    writer.appendEncoded(Buffer.from('b\t2\nc\t3\n'), 1, Uint32Array.from([7, 9, 0]), 2);
    writer.append('d\t4', 2, 1);
    await writer.finish();
    expect(Buffer.concat(sent).toString()).to.equal('a\t1\nb\t2\nc\t3\nd\t4\n');
    expect([1, 2, 3, 4, 5].map((n) => writer.origin(n))).to.deep.equal([{ fileIndex: 0, line: 3 }, { fileIndex: 1, line: 7 }, { fileIndex: 1, line: 9 }, { fileIndex: 2, line: 1 }, undefined]);
  });
});
