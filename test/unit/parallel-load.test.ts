// loadWithWorkers (reading and parsing on worker threads) against streamFile (the
// in-thread path), over the same files on disk: the same COPY text in the same order, the
// same source line for each row, the same rejects and counts, whatever the chunk
// boundaries (files of several reads, gzip's 16 kB pieces) and the faults in the files.
// And the workers' reading stays within the bytes the main thread grants back.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { MessageChannel } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import type { ByteRowEncoder } from '../../src/load/json/byte-row-encoder';
import type { RecordRules } from '../../src/load/json/row-formatter';
import type { ColumnSpec } from '../../src/load/json/columns';
import { CopyWriter } from '../../src/load/postgres/copy-writer';
import { autoPaths } from '../../src/load/json/jsonpaths';
import type { Reject } from '../../src/load/ledger';
import { loadWithWorkers } from '../../src/load/postgres/parallel-load';
import { fieldsOf, sourceFileOf, type SourceFile } from '../../src/load/source-files';
import { lineRules, streamFile, type FileResult } from '../../src/load/postgres/stream-file';
import { BATCH_BYTES, IN_FLIGHT_BYTES, type Batch, type Grant } from '../../src/load/postgres/worker-protocol';
import { readFiles } from '../../src/load/postgres/worker-reading';

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
  appendLine(
    encode: ByteRowEncoder,
    src: Uint8Array,
    start: number,
    end: number,
    fileIndex: number,
    line: number,
  ): boolean {
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

let dir: string;

/** A file of `content` on disk, gzipped when the name ends in .gz (cut to `keep` bytes: a torn gzip). */
function file(name: string, content: string | Buffer, keep?: number): SourceFile {
  const target = path.join(dir, name);
  const bytes = name.endsWith('.gz') ? gzipSync(content) : Buffer.from(content);
  fs.writeFileSync(target, keep === undefined ? bytes : bytes.subarray(0, keep));
  return sourceFileOf({ path: target, size: fs.statSync(target).size, version: '1', gzip: name.endsWith('.gz') });
}

interface Outcome {
  text: string;
  origins: string[];
  rejects: Reject[];
  results: FileResult[];
}

/** A file's counts, without the hash of its bytes (the worker and in-thread results are compared whole elsewhere). */
const counts = ({ read, loaded }: FileResult) => ({ read, loaded });

async function inThread(files: SourceFile[], options = rules): Promise<Outcome> {
  const writer = new RecordingWriter();
  const rejects: Reject[] = [];
  const results = [];
  const lines = lineRules(options);
  for (const [index, f] of files.entries())
    results.push(await streamFile(f, index, lines, writer as unknown as CopyWriter, (r) => rejects.push(r)));
  return { text: writer.text, origins: writer.origins, rejects, results };
}

async function viaWorkers(files: SourceFile[], options = rules): Promise<Outcome> {
  const writer = new RecordingWriter();
  const rejects: Reject[] = [];
  const results: FileResult[] = [];
  const ran = await loadWithWorkers(
    files,
    options,
    {},
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

const goodLines = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => `{"a":"Ça ${(from + i) % 97}","n":${from + i}}`).join('\n');

describe('loadWithWorkers', function () {
  this.timeout(60000);
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparkify-workers-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

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
    // Past the BOM line, the messy lines again and again: records cut at every kind of place by the reads and by gzip's pieces.
    const messyMany = Array.from({ length: 6000 }, () => messy.slice(1)).join('\n');
    const files = [
      file('a.json', messy),
      file('empty.json', ''),
      file('big.json', goodLines(20000)),
      file('many.json', messyMany),
      file('many.json.gz', messyMany),
      file('torn.json', `${goodLines(50)}\n{"a":"open",`),
      file('torn.json.gz', goodLines(3000), 9000),
      file('b.json', `${goodLines(10, 5)}\n{"a":"x","n":99999999999}`),
    ];
    expect(files[2].size > 256 * 1024 && files[3].size > 256 * 1024, 'files of several reads').to.equal(true);
    const expected = await inThread(files);
    // Torn after rows of it were read: no reject, but the file's result says so, and the load stops (stream-load.ts).
    expect(expected.rejects.filter((r) => r.path.endsWith('torn.json.gz'))).to.deep.equal([]);
    expect(expected.results[6].unreadableAfter?.reason).to.match(/^unexpected end of file/);
    expect(await viaWorkers(files)).to.deep.equal(expected);
  });

  it('makes the whole-file rejects the in-thread path makes: unreadable, zero-byte .gz, blank lines only', async () => {
    fs.mkdirSync(path.join(dir, 'folder.json'));
    const files = [
      file('a.json', goodLines(3)),
      sourceFileOf({ path: path.join(dir, 'folder.json'), size: 0, version: '1', gzip: false }),
      file('zero.json.gz', '', 0),
      file('blank.json', '\n  \n\n'),
      sourceFileOf({ path: path.join(dir, 'missing.json'), size: 10, version: '1', gzip: false }),
      file('z.json', goodLines(2)),
    ];
    const expected = await inThread(files);
    expect(expected.rejects.map((r) => `${path.basename(r.path)}:${r.line}`)).to.deep.equal([
      'folder.json:0',
      'zero.json.gz:0',
      'blank.json:0',
      'missing.json:0',
    ]);
    const reasons = [
      /^unreadable before its first line: EISDIR/,
      /^a zero-byte \.gz file is not a gzip stream/,
      /^the file holds only blank lines/,
      /^unreadable before its first line: ENOENT/,
    ];
    expected.rejects.forEach((r, i) => expect(r.reason).to.match(reasons[i]));
    expect(await viaWorkers(files)).to.deep.equal(expected);
  });

  it('rejects invalid UTF-8, or replaces it with --accept-invalid-chars, as the in-thread path does', async () => {
    const bytes = (...parts: Array<string | number[]>) =>
      Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
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
    // Many times over, so reads and gzip's pieces cut the invalid and the multi-byte characters.
    const invalidMany = Buffer.concat(Array.from({ length: 2500 }, () => Buffer.concat([invalid, Buffer.from('\n')])));
    const files = [
      file('invalid.json', invalid),
      file('empty.json', ''),
      file('blank.json', '\n \n'),
      file('b.json', goodLines(30)),
      file('many.json', invalidMany),
      file('many.json.gz', invalidMany),
    ];
    const rejecting = await inThread(files);
    expect(await viaWorkers(files), 'rejecting').to.deep.equal(rejecting);
    const first = rejecting.rejects.filter((r) => !r.path.includes('many'));
    expect(first.map((r) => `${path.basename(r.path)}:${r.line}`)).to.deep.equal([
      'invalid.json:2',
      'invalid.json:3',
      'invalid.json:4',
      'invalid.json:6',
      'invalid.json:7',
      'blank.json:0',
    ]);
    expect(first[0].reason).to.match(/^invalid UTF-8 at byte offset 7 of the line \(bytes ff fe\)/);
    expect(first[0].raw).to.equal('{"a":"b\\xff\\xfed","n":2}');
    expect(first[2].reason).to.match(/^invalid UTF-8 at byte offset 6 of line 5 \(bytes c3\)/);
    expect(first[5].reason).to.equal('the file holds only blank lines, no JSON object; remove it or fill it');
    const accepting = await inThread(files, { ...rules, acceptInvalidChars: '^' });
    expect(await viaWorkers(files, { ...rules, acceptInvalidChars: '^' }), 'accepting').to.deep.equal(accepting);
    expect(accepting.text.split('\n').slice(0, 4)).to.deep.equal(['ok\t1', 'b^^d\t2', 'é^^\t3', 'multi\t4']);
    // The invalid byte in a number is not replaced: ACCEPTINVCHARS is for text columns only.
    const firstAccepting = accepting.rejects.filter((r) => !r.path.includes('many'));
    expect(firstAccepting.map((r) => `${path.basename(r.path)}:${r.line}`)).to.deep.equal([
      'invalid.json:6',
      'invalid.json:7',
      'blank.json:0',
    ]);
    expect(firstAccepting[0].reason).to.equal(
      'n holds bytes that are not UTF-8, which ACCEPTINVCHARS replaces in text columns only',
    );
  });

  // Issue 21: describing a value 10,000 arrays deep overflowed the stack, which ended the file there, after
  // rows were sent; a 40 MB line took the worker past its heap limit.
  it('rejects a value nested too deep to describe as one line and reads on, on the short, general and worker paths', async () => {
    const deep = `{"a":"deep","n":${'['.repeat(10000)}1${']'.repeat(10000)}}`;
    const files = [file('deep.json', `${goodLines(3)}\n${deep}\n${goodLines(4, 3)}\n`)];
    for (const options of [rules, { ...rules, acceptInvalidChars: '^' }]) {
      const expected = await inThread(files, options);
      expect(expected.rejects.map((r) => `${r.line}: ${r.reason}`)).to.deep.equal([
        `4: n must be a whole number, got ${'['.repeat(40)}…`,
      ]);
      expect(expected.results.map(counts)).to.deep.equal([{ read: 8, loaded: 7 }]);
      const workers = await viaWorkers(files, options);
      expect(workers.rejects).to.deep.equal(expected.rejects);
      expect(workers.results).to.deep.equal(expected.results);
      expect(workers.text === expected.text, 'the same COPY text').to.equal(true);
      expect(workers.origins).to.deep.equal(expected.origins);
    }
  });

  it('rejects a 40 MB line as one line, giving its length, and reads on, on the short, general and worker paths', async () => {
    const long = `{"a":"${'x'.repeat(40 * 1024 * 1024)}","n":1}`;
    const files = [file('long.json', `${goodLines(3)}\n${long}\n${goodLines(2, 3)}`), file('after.json', goodLines(2))];
    for (const options of [rules, { ...rules, acceptInvalidChars: '^' }]) {
      const expected = await inThread(files, options);
      expect(expected.rejects.map((r) => `${r.line}: ${r.reason}`)).to.deep.equal([
        `4: the line is ${long.length} bytes, longer than the 4194304 bytes (4 MB) Redshift's COPY takes for one JSON object; split the record, or shorten its values`,
      ]);
      expect(expected.rejects[0].raw.length).to.be.below(4096);
      expect(expected.results.map(counts)).to.deep.equal([
        { read: 6, loaded: 5 },
        { read: 2, loaded: 2 },
      ]);
      expect(await viaWorkers(files, options)).to.deep.equal(expected);
    }
  });

  it('stops after the file for which done() says so', async () => {
    const files = [file('1.json', goodLines(10)), file('2.json', goodLines(10)), file('3.json', goodLines(10))];
    const writer = new RecordingWriter();
    const seen: number[] = [];
    await loadWithWorkers(
      files,
      rules,
      {},
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

describe("a loader worker's reading", function () {
  this.timeout(60000);
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparkify-workers-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stops once it holds IN_FLIGHT_BYTES not granted back, and reads on as they are', async () => {
    // Two files larger than the bound together; the formatter only counts.
    const files = [
      file('1.json', Buffer.alloc(IN_FLIGHT_BYTES * 0.75, 32)),
      file('2.json', Buffer.alloc(IN_FLIGHT_BYTES * 0.75, 32)),
    ];
    const total = files[0].size + files[1].size;
    const { port1: worker, port2: main } = new MessageChannel();
    const batches: Batch[] = [];
    let arrived: () => void = () => undefined;
    main.on('message', (batch: Batch) => {
      batches.push(batch);
      arrived();
    });
    const readBytes = () => batches.reduce((sum, b) => sum + b.readBytes, 0);
    const quiet = async () => {
      for (let seen = -1; seen !== batches.length;) {
        seen = batches.length;
        await new Promise<void>((resolve) => {
          arrived = resolve;
          setTimeout(resolve, 300);
        });
      }
    };
    const formatter = {
      open: () => ({ push: () => undefined, end: () => undefined }),
      reject: () => undefined,
      take: () => ({ bytes: new ArrayBuffer(0), used: 0, lines: new Uint32Array(0), rows: 0, rejects: [] }),
    };
    const reading = readFiles(
      worker,
      { rules, files: files.map((f, index) => ({ ...fieldsOf(f), index })), s3: {} },
      formatter,
    );
    try {
      await quiet();
      expect(readBytes())
        .to.be.at.least(IN_FLIGHT_BYTES)
        .and.below(IN_FLIGHT_BYTES + BATCH_BYTES + 256 * 1024);
      expect(batches.some((b) => b.file === 1 && b.result !== undefined)).to.equal(false);
      const grant: Grant = { bytes: readBytes() };
      main.postMessage(grant);
      await reading;
      await quiet();
      expect(readBytes()).to.equal(total);
      expect(batches.filter((b) => b.result).map((b) => b.file)).to.deep.equal([0, 1]);
    } finally {
      worker.close();
      main.close();
    }
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
    expect([1, 2, 3, 4, 5].map((n) => writer.origin(n))).to.deep.equal([
      { fileIndex: 0, line: 3 },
      { fileIndex: 1, line: 7 },
      { fileIndex: 1, line: 9 },
      { fileIndex: 2, line: 1 },
      undefined,
    ]);
  });
});
