// fileChunks: a source file's bytes as open() gives them, whichever way they are read (a
// plain local file straight into one buffer, gzip through open()), and failing with the
// same message where open() fails, so the rejects that quote it do not change.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { sourceFileOf, type SourceFile } from '../../src/load/source-files';
import { fileChunks } from '../../src/load/source-reading';

describe('fileChunks', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparkify-chunks-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const fileAt = (name: string, gzip = name.endsWith('.gz')): SourceFile => {
    const target = path.join(dir, name);
    return sourceFileOf({
      path: target,
      size: fs.existsSync(target) ? fs.statSync(target).size : 0,
      version: '1',
      gzip,
    });
  };

  /** Each chunk copied as it comes: a chunk is good only until the next one is asked for. */
  async function bytesOf(read: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<{ bytes: Buffer; chunks: number }> {
    const copies: Buffer[] = [];
    for await (const chunk of read) copies.push(Buffer.from(chunk));
    return { bytes: Buffer.concat(copies), chunks: copies.length };
  }

  async function failure(read: () => Promise<AsyncIterable<Buffer> | Iterable<Buffer>>): Promise<string> {
    try {
      await bytesOf(await read());
    } catch (error) {
      return (error as Error).message;
    }
    return 'no error';
  }

  it('gives the bytes open() gives, a plain file in reads of the buffer size', async () => {
    const content = Buffer.from(Array.from({ length: 30000 }, (_, i) => `{"n":${i},"a":"Ça ${i}"}`).join('\n'));
    fs.writeFileSync(path.join(dir, 'plain.json'), content);
    fs.writeFileSync(path.join(dir, 'packed.json.gz'), gzipSync(content));
    const buffer = Buffer.alloc(64 * 1024);
    const plain = await bytesOf(await fileChunks(fileAt('plain.json'), buffer));
    expect(plain.bytes.equals(content)).to.equal(true);
    expect(plain.chunks).to.equal(Math.ceil(content.length / buffer.length));
    const packed = await bytesOf(await fileChunks(fileAt('packed.json.gz'), buffer));
    expect(packed.bytes.equals(content)).to.equal(true);
    expect(
      (await bytesOf((await fileAt('plain.json').open()) as AsyncIterable<Buffer>)).bytes.equals(content),
    ).to.equal(true);
  });

  it('fails with the message open() fails with: a missing file, a folder', async () => {
    fs.mkdirSync(path.join(dir, 'folder.json'));
    for (const name of ['missing.json', 'folder.json']) {
      const viaOpen = await failure(async () => (await fileAt(name).open()) as AsyncIterable<Buffer>);
      expect(viaOpen).to.match(/^(ENOENT|EISDIR)/);
      expect(await failure(() => fileChunks(fileAt(name), Buffer.alloc(1024))), name).to.equal(viaOpen);
    }
  });
});
