// Streams rows into `COPY … FROM STDIN` on the connection of a knex transaction, in
// large chunks with backpressure, and remembers which source line each COPY line came
// from (two small integers a row) so a server-side error can name the file and line.
import { once } from 'node:events';
import type { Knex } from 'knex';
import { from as copyFrom } from 'pg-copy-streams';
import type { Writable } from 'node:stream';

const CHUNK_CHARS = 256 * 1024;

/** The server refused the COPY: not a problem of the file being read. */
export class CopyFailed extends Error {
  constructor(readonly original: Error & { where?: string }) {
    super(original.message);
    this.name = 'CopyFailed';
  }
}

export class CopyWriter {
  private buffer: string[] = [];
  private bufferedChars = 0;
  private fileOfLine: Uint32Array = new Uint32Array(1024);
  private lineOfLine: Uint32Array = new Uint32Array(1024);
  rows = 0;

  private constructor(private readonly stream: Writable, private readonly done: Promise<void>) {}

  static async open(db: Knex, sql: string): Promise<CopyWriter> {
    // Inside a transaction knex hands back the transaction's own connection.
    const connection = (await db.client.acquireConnection()) as { query(stream: Writable): Writable };
    const stream = connection.query(copyFrom(sql));
    const done = new Promise<void>((resolve, reject) => {
      stream.on('finish', () => resolve());
      stream.on('error', reject);
    });
    done.catch(() => undefined); // observed by finish(); avoid an unhandled rejection meanwhile
    return new CopyWriter(stream, done);
  }

  /** `row` is one line of COPY text format, without its newline. */
  async write(row: string, fileIndex: number, sourceLine: number): Promise<void> {
    this.remember(fileIndex, sourceLine);
    this.buffer.push(row);
    this.bufferedChars += row.length + 1;
    if (this.bufferedChars >= CHUNK_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const text = `${this.buffer.join('\n')}\n`;
    this.buffer = [];
    this.bufferedChars = 0;
    try {
      if (!this.stream.write(text)) await Promise.race([once(this.stream, 'drain'), this.done]);
    } catch (error) {
      throw new CopyFailed(error as Error);
    }
  }

  async finish(): Promise<void> {
    await this.flush();
    this.stream.end();
    await this.done.catch((error: Error) => {
      throw new CopyFailed(error);
    });
  }

  /** Ends the COPY with an error so the server discards it and the connection stays usable. */
  abort(reason: Error): void {
    this.stream.destroy(reason);
  }

  /** The (file index, source line) of COPY's 1-based line `copyLine`. */
  origin(copyLine: number): { fileIndex: number; line: number } | undefined {
    const i = copyLine - 1;
    return i >= 0 && i < this.rows ? { fileIndex: this.fileOfLine[i], line: this.lineOfLine[i] } : undefined;
  }

  private remember(fileIndex: number, sourceLine: number): void {
    if (this.rows === this.fileOfLine.length) {
      this.fileOfLine = grow(this.fileOfLine);
      this.lineOfLine = grow(this.lineOfLine);
    }
    this.fileOfLine[this.rows] = fileIndex;
    this.lineOfLine[this.rows] = sourceLine;
    this.rows++;
  }
}

function grow(array: Uint32Array): Uint32Array {
  const bigger = new Uint32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
